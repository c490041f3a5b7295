"""Swaps and give-aways between doctors, from their own pages.

A doctor offers a shift to a named colleague or to anyone, or proposes to swap it for one of the
colleague's; the colleague accepts; then the swap is approved — by the rules when the independent
checker finds no new breach and nobody ends up more than ``swap_max_deviation`` over their fair
share (every per-doctor limit is one of the checker's rules; the share limit is what stops one
doctor from collecting shifts swap by swap), else by a manager. Approval makes a new version of the
published roster through ``rosters.publish``, so both doctors' pages, calendars and notices follow.
Every step is checked against the roster published *now*: a swap whose shift has moved meanwhile
goes stale instead of being applied. Every change of a swap's status is written only if the status
is still the one it was checked in (``_move``), so of two requests moving one swap at once — two
colleagues taking an open offer, an acceptance and a withdrawal, two managers — one wins and the
other is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.config import Settings
from api.orm import RosterRow, ScenarioRow, SwapRow, utcnow
from api.services.audit import record
from api.services.carry import as_worked, breaks_following
from api.services.rosters import (
    PublishRefused,
    add_version,
    load_roster,
    lock_publishing,
    publish,
    scenario_of,
    unexpected,
)
from api.services.scenarios import load
from api.templating import num
from roster.calendar import ShiftIndex
from roster.eligibility import Eligibility
from roster.models import Scenario
from roster.swap import SwapChecker, SwapRefused, SwapResult, breach_lines, find_doctor, parse_shift, shift_text

SWAP_STATUS = {"proposed": "venter på kollega", "accepted": "venter på godkjenning", "approved": "godkjent",
               "declined": "avslått av kollega", "rejected": "avslått av leder", "withdrawn": "trukket tilbake",
               "stale": "foreldet"}
OPEN = ("proposed", "accepted")
RULES_ACTOR = "reglene (automatisk)"
TAKEN = "tilbudet er allerede tatt"


class SwapTaken(SwapRefused):
    """Someone else moved the swap first (a colleague took the offer, the giver withdrew it, a
    manager decided it): a conflict, not a breach of the rules."""


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def published_for(session: Session, day: dt.date) -> RosterRow | None:
    """The published version whose period has ``day``."""
    return session.scalar(select(RosterRow).where(RosterRow.status == "published", RosterRow.period_start <= day,
                                                  RosterRow.period_end >= day))


def _published_row(session: Session, key: str) -> RosterRow:
    day = dt.date.fromisoformat(key.rpartition("/")[2])
    row = published_for(session, day)
    if row is None:
        raise SwapRefused([f"ingen publisert vaktplan har {day:%d.%m.%Y}"])
    return row


def _published(session: Session, key: str) -> tuple[RosterRow, Scenario]:
    row = _published_row(session, key)
    return row, scenario_of(session, row)


def _future(scenario: Scenario, key: str, now: dt.datetime) -> None:
    index = ShiftIndex(scenario)
    shift = index.by_key.get(key)
    if shift is None:
        raise SwapRefused([f"vakten {key} finnes ikke i vaktplanen"])
    if shift.start <= now:
        raise SwapRefused([f"{shift_text(scenario, index, key)} har allerede begynt"])


def _move(session: Session, swap: SwapRow, status: str, **values: object) -> None:
    """Give the swap ``status`` only if it still has the status it was checked in, in one UPDATE:
    whoever moved it first wins, and this request is refused with what happened to it."""
    checked = swap.status
    moved = session.execute(update(SwapRow).where(SwapRow.id == swap.id, SwapRow.status == checked)
                            .values(status=status, **values)).rowcount
    session.refresh(swap)
    if moved != 1:
        raise SwapTaken([TAKEN if checked == "proposed" and swap.status in ("accepted", "approved")
                         else f"byttet er allerede {SWAP_STATUS.get(swap.status, swap.status)}"])


def checker_for(session: Session, row: RosterRow, scenario: Scenario) -> SwapChecker:
    """Trades on the version ``row`` with the month before as it was really worked."""
    return SwapChecker(as_worked(session, scenario, rules_only=True), load_roster(row))


def check_across(session: Session, row: RosterRow, scenario: Scenario, giver: str, shift: str, taker: str,
                 back_shift: str | None, checker: SwapChecker | None = None) -> SwapResult:
    """``check_swap`` on the version ``row`` with the month before as it was really worked, and
    against the next month's published roster too: a trade on the first or last days must not break
    the rest or limits that look across the first of the month. ``checker``: ``checker_for`` that
    version, when several swaps on it are checked."""
    checker = checker or checker_for(session, row, scenario)
    result = checker.check(giver, shift, taker, back_shift)
    if not result.legal:
        return result
    _, breaches = breaks_following(session, scenario, result.roster, checker.roster)
    return replace(result, legal=False, new_violations=breaches) if breaches else result


Checkers = dict[int, tuple[Scenario, SwapChecker]]  # per published version checked in one request


def _check(session: Session, swap: SwapRow, taker: str, now: dt.datetime, checkers: Checkers | None = None
           ) -> tuple[RosterRow, Scenario, SwapResult]:
    """The swap against the roster published now; a shift no longer held, or one that has begun (a
    worked shift is history, not a trade), makes the swap stale. ``checkers``: the versions prepared
    for the swaps checked before it in the same request."""
    row = _published_row(session, swap.shift)
    checkers = {} if checkers is None else checkers
    if row.id not in checkers:
        scenario = scenario_of(session, row)
        checkers[row.id] = scenario, checker_for(session, row, scenario)
    scenario, checker = checkers[row.id]
    try:
        for key in filter(None, (swap.shift, swap.back_shift)):
            _future(scenario, key, now)
    except SwapRefused as exc:
        _move(session, swap, "stale", message="For sent: " + "; ".join(exc.problems))
        raise
    try:
        result = check_across(session, row, scenario, swap.giver, swap.shift, taker, swap.back_shift, checker)
    except SwapRefused as exc:
        _move(session, swap, "stale",
              message="Vaktplanen er endret siden byttet ble foreslått: " + "; ".join(exc.problems))
        raise
    return row, scenario, result


def _breaches(result: SwapResult) -> list[str]:
    return ["Byttet bryter harde regler:", *breach_lines(result.new_violations, result.worsened)]


def _breaches_for(result: SwapResult, viewer: str, scenario: Scenario) -> list[str]:
    """The breaches as a doctor may read them: their own in full, a colleague's only as «cannot
    take it». A colleague's breach names grounds that are theirs alone (pregnancy, sick leave,
    age: health data a colleague has no need to know); the manager's swap page shows them all."""
    mine = [v for v in result.new_violations if v.doctor in (viewer, None)]
    worse = [v for v in result.worsened if v.doctor in (viewer, None)]
    others = dict.fromkeys(v.doctor for v in (*result.new_violations, *result.worsened) if v.doctor not in (viewer, None))
    names = {d.id: d.name for d in scenario.doctors}
    return ["Byttet bryter harde regler:", *breach_lines(mine, worse),
            *(f"{names.get(d, d)} kan ikke ta vakten etter reglene som gjelder for hen (legevakten ser hvorfor)"
              for d in others)]


def needs_manager(result: SwapResult, settings: Settings) -> str | None:
    """Why a legal swap waits for a manager, or None when the rules may approve it."""
    if not settings.swap_auto_approve:
        return "Leder godkjenner alle bytter."
    for b in result.burden:
        if b.points_after > b.points_before and b.deviation_after is not None \
                and b.deviation_after > settings.swap_max_deviation:
            # said to both doctors: whose share and by how much is on the manager's page alone
            return (f"Byttet gir en av dere mer enn {_pct(settings.swap_max_deviation)} over rettferdig andel; "
                    "da godkjenner leder byttet.")
    return None


def propose(session: Session, giver: str, shift: str, taker: str | None, back_shift: str | None, note: str,
            now: dt.datetime) -> SwapRow:
    """A doctor offers ``shift`` (to ``taker``, or to anyone) or swaps it for ``back_shift``. A
    proposal to a named colleague is checked at once, so nobody is asked to accept an illegal trade."""
    key = parse_shift(shift)
    row, scenario = _published(session, key)
    me = find_doctor(scenario, giver)
    if not any(a.doctor == me.id and a.shift == key for a in load_roster(row).assignments):
        raise SwapRefused([f"{me.name} har ikke vakten {shift_text(scenario, ShiftIndex(scenario), key)}"])
    _future(scenario, key, now)
    back = parse_shift(back_shift) if back_shift else None
    if back and not taker:
        raise SwapRefused(["velg kollegaen du vil bytte med"])
    other = find_doctor(scenario, taker) if taker else None
    if back:
        _future(scenario, back, now)
    earlier = session.scalar(select(SwapRow).where(SwapRow.giver == me.id, SwapRow.shift == key,
                                                   SwapRow.status.in_(OPEN)))
    if earlier is not None:
        if (earlier.status, earlier.taker, earlier.back_shift) == ("proposed", other.id if other else None, back):
            return earlier  # the same offer sent twice (a double tap): the one already made
        raise SwapRefused(["du har allerede tilbudt denne vakten; trekk tilbudet først"])
    if other is not None:
        result = check_across(session, row, scenario, me.id, key, other.id, back)
        if not result.legal:
            raise SwapRefused(_breaches_for(result, me.id, scenario))
    swap = SwapRow(roster_id=row.id, giver=me.id, shift=key, taker=other.id if other else None, back_shift=back,
                   status="proposed", note=note[:300], message="")
    session.add(swap)
    session.flush()
    record(session, f"lege {me.id}", "foreslå-bytte", f"bytte {swap.id}: {key}" + (f" til {other.id}" if other else ""))
    return swap


def _get(session: Session, swap_id: int) -> SwapRow:
    swap = session.get(SwapRow, swap_id)
    if swap is None:
        raise SwapRefused([f"byttet {swap_id} finnes ikke"])
    return swap


def accept(session: Session, swap_id: int, doctor: str, settings: Settings, now: dt.datetime) -> SwapRow:
    """The colleague says yes: checked against the roster published now, then approved by the
    rules when they may, else left for a manager. Raises SwapRefused with the breaches, SwapTaken
    when another colleague took the offer first. The publish lock comes first, so the roster checked
    is the one an automatic approval builds on."""
    lock_publishing(session)
    swap = _get(session, swap_id)
    if swap.status in ("accepted", "approved") and swap.taker == doctor:
        return swap  # the doctor's own yes sent twice (a double tap): the answer the first one got
    if swap.status in ("accepted", "approved"):
        raise SwapTaken([TAKEN])
    if swap.status != "proposed" or doctor == swap.giver or (swap.taker is not None and swap.taker != doctor):
        raise SwapRefused(["dette tilbudet kan du ikke ta imot"])
    _, scenario, result = _check(session, swap, doctor, now)
    if not result.legal:
        raise SwapRefused(_breaches_for(result, doctor, scenario))
    _move(session, swap, "accepted", taker=doctor, accepted_at=utcnow())
    record(session, f"lege {doctor}", "godta-bytte", f"bytte {swap.id}")
    reason = needs_manager(result, settings)
    if reason is None:
        approve(session, swap, RULES_ACTOR, now)
    else:
        swap.message = reason
    return swap


def answer(session: Session, swap_id: int, doctor: str, action: str) -> SwapRow:
    """The named colleague declines, or the giver withdraws."""
    swap = _get(session, swap_id)
    if action == "decline" and swap.status == "proposed" and swap.taker == doctor:
        _move(session, swap, "declined", decided_at=utcnow())
    elif action == "withdraw" and swap.status in OPEN and swap.giver == doctor:
        _move(session, swap, "withdrawn", decided_at=utcnow())
    else:
        raise SwapRefused(["det kan du ikke gjøre med dette byttet nå"])
    record(session, f"lege {doctor}", "avslå-bytte" if action == "decline" else "trekk-bytte", f"bytte {swap.id}")
    return swap


def approve(session: Session, swap: SwapRow, actor: str, now: dt.datetime) -> RosterRow:
    """A new version of the published roster with the swap, published at once. The publish lock is
    taken before the published roster is read, so of two approvals at once the second builds on the
    first's version instead of publishing over it. A refused publish rolls everything back: the
    swap still waits, and never says approved without its change in the published roster."""
    lock_publishing(session)
    session.refresh(swap)
    if swap.status != "accepted" or swap.taker is None:
        raise SwapRefused([f"byttet er {SWAP_STATUS[swap.status]}"])
    row, scenario, result = _check(session, swap, swap.taker, now)
    if not result.legal:
        raise SwapRefused(_breaches(result))
    _move(session, swap, "approved", decided_at=utcnow(), decided_by=actor)
    roster = result.roster.model_copy(update={"stats": None})
    new = add_version(session, row.scenario_id, None, roster, unexpected(scenario, roster), parent_id=row.id,
                      origin="bytte")
    try:
        publish(session, new, actor)
    except PublishRefused as exc:
        raise SwapRefused([str(exc)]) from None
    swap.result_roster_id, swap.message = new.id, f"Vaktplan {new.id} er publisert med byttet."
    record(session, actor, "godkjenn-bytte", f"bytte {swap.id}: vaktplan {new.id}")
    return new


def reject(session: Session, swap: SwapRow, actor: str, reason: str) -> None:
    if swap.status not in OPEN:
        raise SwapRefused([f"byttet er {SWAP_STATUS[swap.status]}"])
    _move(session, swap, "rejected", decided_at=utcnow(), decided_by=actor,
          message=reason.strip() or "Avslått av leder.")
    record(session, actor, "avslå-bytte", f"bytte {swap.id}")


@dataclass
class ManagerCheck:
    """A waiting swap checked against the roster published now, for the approval page."""

    legal: bool
    problems: list[str]  # breaches, or why it went stale
    burden: list[str]  # «Per Hansen: 12 → 16 poeng, avvik +5 % → +18 %»
    reason: str  # why it waits for a manager


def manager_check(session: Session, swap: SwapRow, settings: Settings, now: dt.datetime,
                  checkers: Checkers | None = None) -> ManagerCheck:
    """``checkers``: shared by the waiting swaps of one page, so each version is prepared once (the
    fairness plan and the checks of the roster before: eight swaps on one month took 4 s)."""
    try:
        _, _, result = _check(session, swap, swap.taker or "", now, checkers)
    except SwapRefused as exc:
        return ManagerCheck(False, exc.problems, [], "")
    burden = [f"{b.name}: {num(b.points_before)} → {num(b.points_after)} poeng, avvik fra rettferdig andel "
              f"{'–' if b.deviation_before is None else f'{100 * b.deviation_before:+.0f} %'} → "
              f"{'–' if b.deviation_after is None else f'{100 * b.deviation_after:+.0f} %'}"
              for b in result.burden]
    return ManagerCheck(result.legal, [] if result.legal else _breaches(result)[1:], burden,
                        needs_manager(result, settings) or "")


# ---------------------------------------------------------------------------- views


@dataclass
class SwapView:
    row: SwapRow
    giver: str  # names
    taker: str | None
    shift: str  # «Natt Bergen legevakt 24.12.2026 23:00–08:00»
    back: str | None
    status: str
    start: dt.datetime | None  # of the shift given, or of the shift taken back if that begins first

    @property
    def id(self) -> int:
        return self.row.id


def views(session: Session, rows: list[SwapRow]) -> list[SwapView]:
    """Each scenario read once, however many of its versions the swaps name: every approved swap,
    edit and re-publish is a version of the same scenario (30 swaps of a year: 28 reads, 2.2 s)."""
    scenario_ids = dict(session.execute(select(RosterRow.id, RosterRow.scenario_id)
                                        .where(RosterRow.id.in_({r.roster_id for r in rows}))).all())
    cache: dict[int, tuple[Scenario, ShiftIndex]] = {}
    out = []
    for r in rows:
        scenario_id = scenario_ids[r.roster_id]
        if scenario_id not in cache:
            scenario = load(session.get_one(ScenarioRow, scenario_id))
            cache[scenario_id] = scenario, ShiftIndex(scenario)
        scenario, index = cache[scenario_id]
        names = {d.id: d.name for d in scenario.doctors}
        starts = [index.by_key[k].start for k in (r.shift, r.back_shift) if k in index.by_key]
        out.append(SwapView(r, names.get(r.giver, r.giver), names.get(r.taker, r.taker) if r.taker else None,
                            shift_text(scenario, index, r.shift),
                            shift_text(scenario, index, r.back_shift) if r.back_shift else None,
                            SWAP_STATUS.get(r.status, r.status), min(starts, default=None)))
    return out


def for_doctor(session: Session, doctor: str, scenario: Scenario | None, now: dt.datetime
               ) -> dict[str, list[SwapView]]:
    """The doctor's own proposals, those addressed to them, and open offers they may take; an
    offer whose shift has begun can no longer be taken, so it is not offered."""
    mine = session.scalars(select(SwapRow).where(SwapRow.giver == doctor).order_by(SwapRow.id.desc()).limit(20))
    to_me = session.scalars(select(SwapRow).where(SwapRow.taker == doctor, SwapRow.status == "proposed"))
    offers = list(session.scalars(select(SwapRow).where(SwapRow.taker.is_(None), SwapRow.status == "proposed",
                                                        SwapRow.giver != doctor)))
    if offers and scenario is not None and any(d.id == doctor for d in scenario.doctors):
        index, eligibility, me = ShiftIndex(scenario), Eligibility(scenario), scenario.doctor(doctor)
        offers = [o for o in offers if o.shift in index.by_key and eligibility.may_work(me, index.by_key[o.shift])]

    def coming(found: list[SwapView]) -> list[SwapView]:
        return [v for v in found if v.start is None or v.start > now]

    return {"mine": views(session, list(mine)), "to_me": coming(views(session, list(to_me))),
            "offers": coming(views(session, offers))}


def for_manager(session: Session) -> dict[str, list[SwapView]]:
    waiting = session.scalars(select(SwapRow).where(SwapRow.status == "accepted").order_by(SwapRow.id))
    recent = session.scalars(select(SwapRow).where(SwapRow.status != "accepted").order_by(SwapRow.id.desc())
                             .limit(30))
    return {"waiting": views(session, list(waiting)), "recent": views(session, list(recent))}
