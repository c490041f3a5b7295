"""Change notices: what a newly published version changes for each doctor. The doctor's page marks
it, and a notice is queued in the outbox in the transaction that publishes; ``Mailer`` sends the
outbox by SMTP when one is configured, and nothing leaves the service otherwise."""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.config import Settings
from api.orm import OutboxRow, RosterRow, utcnow
from api.services.stored import load_roster, scenario_of
from roster.calendar import OSLO, ShiftIndex
from roster.models import Assignment, Roster, Scenario

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a notice that fails this often is marked failed and left for the manager to see
OUTBOX_STATUS = {"queued": "venter", "sent": "sendt", "failed": "feilet", "no_address": "ingen e-postadresse"}


@dataclass
class DoctorChange:
    """One doctor's gains and losses in one published version against the version(s) it replaced."""

    roster_id: int
    published_at: dt.datetime | None
    gained: list[str] = field(default_factory=list)  # «natt Bergen legevakt 05.12 23:00–08:00»
    lost: list[str] = field(default_factory=list)
    gained_keys: set[str] = field(default_factory=set)


def _changes(scenario: Scenario, before: list[Roster], after: Roster, row: RosterRow,
             doctor: str | None = None, index: ShiftIndex | None = None) -> dict[str, DoctorChange]:
    """Per doctor (or only ``doctor``): assignments in ``after`` not in ``before`` and the reverse,
    as shift texts in time order. A shift of ``before`` outside ``after``'s period is lost too: the
    versions ``after`` supersedes are no longer published anywhere, so those days leave the
    doctor's page and calendar with it."""
    from solver.replan import describe_shift

    def of_doctor(rosters: list[Roster]) -> set[Assignment]:
        return {a for r in rosters for a in r.assignments if doctor is None or a.doctor == doctor}

    old, new = of_doctor(before), of_doctor([after])
    index = index or ShiftIndex(scenario)
    out: dict[str, DoctorChange] = {}
    for a in sorted(old ^ new, key=lambda a: (a.date, a.template)):
        change = out.setdefault(a.doctor, DoctorChange(row.id, row.published_at))
        text = describe_shift(scenario, index, a)
        if a in new:
            change.gained.append(text)
            change.gained_keys.add(a.shift)
        else:
            change.lost.append(text)
    return out


def _predecessors(session: Session, row: RosterRow) -> list[RosterRow]:
    return list(session.scalars(select(RosterRow).where(RosterRow.superseded_by == row.id)))


def notice_text(name: str, change: DoctorChange) -> str:
    lines = [f"Hei {name},", "", f"Vaktplan {change.roster_id} er publisert og endrer vaktene dine:"]
    lines += [f"  + Ny vakt: {t}" for t in change.gained]
    lines += [f"  − Ikke lenger: {t}" for t in change.lost]
    lines += ["", "Kalenderen du abonnerer på, henter endringen selv, men kan bruke noen timer. "
              "Vaktene står også på din personlige side.",
              "", "Hilsen legevakten"]
    return "\n".join(lines)


def queue_changes(session: Session, row: RosterRow, older: list[RosterRow]) -> int:
    """In the publishing transaction: a notice per doctor whose shifts ``row`` changes against the
    versions it supersedes (none for a first publication). Returns how many were queued."""
    if not older:
        return 0
    scenario = scenario_of(session, row)
    doctors = {d.id: d for d in scenario.doctors}
    changes = _changes(scenario, [load_roster(o) for o in older], load_roster(row), row)
    for doctor_id, change in changes.items():
        d = doctors.get(doctor_id)
        name = d.name if d else doctor_id
        session.add(OutboxRow(doctor_id=doctor_id, recipient=(d.email or None) if d else None,
                              subject=f"Vaktene dine er endret (vaktplan {row.id})", body=notice_text(name, change),
                              roster_id=row.id, status="queued" if d and d.email else "no_address",
                              attempts=0, last_error=""))
    session.flush()
    return len(changes)


SOON = dt.timedelta(hours=48)  # a change this close is told by phone: mail and calendars may come too late


@dataclass
class Affected:
    """A doctor whose shifts publishing a version changes, as the confirmation page lists them."""

    name: str
    email: str
    phone: str
    soon: list[str]  # «+ dag Bergen legevakt 12.12 08:00–16:00»: changed shifts under way or within ``SOON``


def affected(session: Session, row: RosterRow, older: list[RosterRow], now: dt.datetime) -> list[Affected]:
    """The doctors publishing ``row`` would send a notice, by name (for the confirmation page),
    with what changes for them before ``now`` + ``SOON``: at 06:00 the doctor given the 08:00 shift
    must be phoned, and the page must say who has no e-mail address to be told by."""
    from solver.replan import shift_text

    if not older:
        return []
    scenario = scenario_of(session, row)
    doctors = {d.id: d for d in scenario.doctors}
    old, new = [load_roster(o) for o in older], load_roster(row)
    before, after = {a for r in old for a in r.assignments}, set(new.assignments)
    index = ShiftIndex(scenario)
    shifts = index.by_key
    soon: dict[str, list[str]] = {}
    for a in sorted(before ^ after, key=lambda a: (a.date, a.template)):
        s = shifts.get(a.shift)
        if s is not None and s.end > now and s.start < now + SOON:
            soon.setdefault(a.doctor, []).append(f"{'+' if a in after else '−'} {shift_text(scenario, s)}")
    out = []
    for doctor_id in _changes(scenario, old, new, row, index=index):
        d = doctors.get(doctor_id)
        out.append(Affected(d.name if d else doctor_id, d.email if d else "", d.phone if d else "",
                            soon.get(doctor_id, [])))
    return sorted(out, key=lambda x: x.name)


def _shifts_of(row: RosterRow, doctor_id: str) -> set[tuple[str, str]]:
    """The doctor's (template, date) in a stored version, read as plain JSON: most versions leave
    most doctors' shifts alone, and a validated roster with its scenario costs 0.1 s a version."""
    return {(a["template"], a["date"]) for a in json.loads(row.body)["assignments"] if a["doctor"] == doctor_id}


def doctor_changes(session: Session, doctor_id: str) -> list[DoctorChange]:
    """What each current published version changed for the doctor against what it replaced; only a
    version that changed the doctor's shifts is read whole (a year of them took 0.9 s a page)."""
    out = []
    for row in session.scalars(select(RosterRow).where(RosterRow.status == "published").order_by(RosterRow.id)):
        older = _predecessors(session, row)
        if not older or _shifts_of(row, doctor_id) == set().union(*(_shifts_of(o, doctor_id) for o in older)):
            continue
        change = _changes(scenario_of(session, row), [load_roster(o) for o in older], load_roster(row), row,
                          doctor_id).get(doctor_id)
        if change is not None:
            out.append(change)
    return out


def outbox_counts(session: Session) -> dict[str, int]:
    counts = {k: 0 for k in OUTBOX_STATUS}
    for status in session.scalars(select(OutboxRow.status)):
        counts[status] = counts.get(status, 0) + 1
    return counts


class Mailer:
    """Sends queued notices by SMTP on a background thread, woken by ``kick`` after a publish and
    every ``smtp_poll_seconds`` otherwise. Without ``smtp_host`` it never starts: notices stay queued."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]):
        self.settings = settings
        self.sessions = sessions
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def configured(self) -> bool:
        return bool(self.settings.smtp_host)

    def start(self) -> None:
        if self.configured and self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="mailer", daemon=True)
            self._thread.start()

    def kick(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.send_pending()
            except Exception:  # noqa: BLE001 - a broken mail server must not end the loop
                log.exception("sending the outbox failed")
            self._wake.wait(self.settings.smtp_poll_seconds)
            self._wake.clear()

    def send_pending(self) -> int:
        """Send every queued notice, each marked in its own transaction. Returns how many were sent."""
        with self.sessions() as s:
            ids = list(s.scalars(select(OutboxRow.id).where(OutboxRow.status == "queued").order_by(OutboxRow.id)))
        sent = 0
        for notice_id in ids:
            with self.sessions.begin() as s:
                row = s.get(OutboxRow, notice_id, with_for_update=True)
                if row is None or row.status != "queued":
                    continue
                try:
                    self._send(row)
                except (OSError, smtplib.SMTPException) as exc:
                    row.attempts += 1
                    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                    if row.attempts >= MAX_ATTEMPTS:
                        row.status = "failed"
                    continue
                row.status, row.sent_at, row.attempts = "sent", utcnow(), row.attempts + 1
                sent += 1
        return sent

    def _send(self, row: OutboxRow) -> None:
        st = self.settings
        msg = EmailMessage()
        msg["From"] = st.mail_from
        msg["To"] = row.recipient
        msg["Subject"] = row.subject
        msg["Date"] = dt.datetime.now(OSLO)
        msg.set_content(row.body)
        with smtplib.SMTP(st.smtp_host, st.smtp_port, timeout=30) as smtp:
            if st.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())  # the server's certificate checked
            if st.smtp_user:
                smtp.login(st.smtp_user, st.smtp_password or "")
            smtp.send_message(msg)
