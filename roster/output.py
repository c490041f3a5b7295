"""The files and tables a solve produces: roster.json, roster.csv, summary.txt, history_out.json.

Plain functions, so the CLI, the web service and the tests can share one definition of each output.
Tables are rich renderables: the CLI prints them and ``summary.txt`` is the same tables as text.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from itertools import groupby
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from roster.calendar import OSLO, WEEKDAY_NAMES, ShiftIndex, real_hours
from roster.excel import write_roster_workbook
from roster.explanation import explanation_text
from roster.files import write_all
from roster.carry import PERIOD_END, next_period
from roster.days import ROTATION_NAMES
from roster.eligibility import LEGEVAKT_SHIFTS_REQUIRED
from roster.metrics import (DoctorMetrics, coarse_note, coarse_shifts, doctor_metrics, holiday_turns, moved,
                            pool_metrics, towards_alone)
from roster.models import Roster, Scenario, SolveStatus, shift_key
from roster.terms import OPEN_MARK, OPEN_PLACES, decimal, number

CSV_HEADER = ["dato", "ukedag", "stasjon", "vakt", "start", "slutt", "timer", "lege_id", "lege"]
OPEN_SLOT_NAME = OPEN_MARK  # the CSV's doctor column for each missing doctor

STATUS_TEXT = {
    SolveStatus.OPTIMAL: "optimal (bevist beste)",
    SolveStatus.FEASIBLE: "gyldig (ikke bevist beste innen tidsgrensen)",
    SolveStatus.INFEASIBLE: "umulig: ingen vaktplan oppfyller alle harde regler",
    SolveStatus.UNKNOWN: "ukjent: fant ingen vaktplan innen tidsgrensen",
    SolveStatus.MODEL_INVALID: "modellfeil (programfeil)",
}


def needs_explanation(roster: Roster) -> bool:
    """Whether a solved roster is worth explaining (solver.explain): it has open slots. Hours
    without a bakvakt alone are not: the solver leaves such an hour only where an on-call shift
    is an open slot or no on-call shift runs at all, and the latter no rule requires (strict mode
    allows it too), so without open slots the roster itself is the complete one."""
    return bool(roster.open_slots)


def has_roster(roster: Roster) -> bool:
    """Whether the solver found a roster at all (exit code 3 when not)."""
    return roster.stats is None or roster.stats.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


def uncovered_bakvakt_hours(roster: Roster) -> float:
    return sum(real_hours(a, b) for a, b in roster.uncovered_bakvakt)


def csv_rows(scenario: Scenario, roster: Roster, index: ShiftIndex | None = None) -> list[list[str]]:
    """One row per assignment, plus one per missing doctor of an open slot, in time order."""
    index = index or ShiftIndex(scenario)
    names = {d.id: d.name for d in scenario.doctors}
    stations = {s.id: s.name for s in scenario.stations}
    keyed = [(a.shift, a.doctor, names.get(a.doctor, a.doctor)) for a in roster.assignments]
    keyed += [(shift_key(o.template, o.date), "", OPEN_SLOT_NAME) for o in roster.open_slots for _ in range(o.missing)]
    rows = []
    for key, doctor_id, name in keyed:
        s = index.by_key.get(key)
        if s is None:  # an assignment to a shift that does not run: the checker reports it
            continue
        start, end = s.start.astimezone(OSLO), s.end.astimezone(OSLO)
        rows.append((s.start, s.template, name, [
            s.date.isoformat(), WEEKDAY_NAMES[s.date.weekday()], stations.get(s.station, s.station), s.label,
            start.strftime("%Y-%m-%d %H:%M"), end.strftime("%Y-%m-%d %H:%M"), number(s.hours), doctor_id, name,
        ]))
    rows.sort(key=lambda r: r[:3])
    return [r[3] for r in rows]


def csv_safe(field: str) -> str:
    """A CSV field a spreadsheet will not run: OWASP's CSV-injection rule prefixes a field that
    starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return with a single quote (the writer
    quotes every field and doubles embedded quotes)."""
    return "'" + field if field[:1] in ("=", "+", "-", "@", "\t", "\r") else field


def write_roster_csv(scenario: Scenario, roster: Roster, path: Path, index: ShiftIndex | None = None) -> None:
    # utf-8-sig and ';' so Excel with Norwegian locale opens it with the right columns and letters.
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";", quoting=csv.QUOTE_ALL)
        w.writerow(CSV_HEADER)
        w.writerows([csv_safe(field) for field in row] for row in csv_rows(scenario, roster, index))


def write_roster_json(roster: Roster, path: Path) -> None:
    path.write_text(roster.model_dump_json(indent=1), encoding="utf-8")


def write_history_out(scenario: Scenario, roster: Roster, path: Path, index: ShiftIndex | None = None) -> None:
    """What the next period carries in (``roster.carry``): history, the last days' shifts, the
    holiday ledger; and the period's last day, so it goes only into the period right after."""
    data = {PERIOD_END: scenario.period.end.isoformat(), **next_period(scenario, roster, index)}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


# --------------------------------------------------------------------------- tables


def status_table(scenario: Scenario, roster: Roster) -> Table:
    t = Table(title=Text(f"Vaktplan for {scenario.name}", style="table.title"), show_header=False, title_justify="left")
    t.add_column("", style="bold")
    t.add_column("")
    p = roster.period
    t.add_row("Periode", f"{p.start:%d.%m.%Y}–{p.end:%d.%m.%Y}")
    st = roster.stats
    if st is not None:
        t.add_row("Status", STATUS_TEXT.get(st.status, st.status.value))
        t.add_row("Målverdi", decimal(st.objective, 0))
        of_level = ""
        level = st.judged_level
        if level is not None:  # a lexicographic solve: bound and gap are those of one level
            of_level = f" (nivå {st.gap_level})"
            t.add_row(f"Nivå {st.gap_level} måler", ", ".join(level.terms))
            t.add_row(f"Verdi på nivå {st.gap_level}", decimal(level.objective, 0))
        t.add_row("Nedre grense" + of_level, decimal(st.bound, 0))
        t.add_row("Gap" + of_level, "–" if st.gap is None else f"{decimal(100 * st.gap, 2)} %")
        t.add_row("Tid", f"{decimal(st.wall_time)} s (første løsning {decimal(st.first_feasible_time)} s)")
        t.add_row("Innstillinger", f"tidsgrense {number(st.time_limit)} s, {st.workers} tråd{'er' if st.workers != 1 else ''}, frø {st.seed}"
                  + (", streng" if st.strict else ""))
    t.add_row("Vakter tildelt", str(len(roster.assignments)))
    missing = sum(o.missing for o in roster.open_slots)
    t.add_row(OPEN_PLACES.capitalize(), Text(str(missing), style="bold red" if missing else "green"))
    hours = uncovered_bakvakt_hours(roster)
    t.add_row("Timer uten bakvakt", Text(number(hours), style="bold red" if hours else "green"))
    return t


def terms_table(roster: Roster) -> Table | None:
    """What the roster traded: each objective term's weighted value."""
    if roster.stats is None or not roster.stats.terms:
        return None
    t = Table(title="Målfunksjonen, ledd for ledd", title_justify="left")
    t.add_column("Ledd")
    t.add_column("Verdi", justify="right")
    for name, value in sorted(roster.stats.terms.items(), key=lambda kv: -kv[1]):
        t.add_row(name, f"{value:.0f}")
    return t


SUMMARY_MOVED_TARGETS = 10  # doctors whose capacity-aware target the summary explains


def _figures_table(title: str, first: str, columns: Iterable[str], first_width: int) -> Table:
    """A table of a name column and figures that reads in an 80-column terminal: the figures never
    wrap (rich cut «+105 %» to «+10…» before), their headers wrap at spaces, and the name column
    keeps its longest entry («spesialister» was cut to «spesiali…»)."""
    t = Table(title=title, title_justify="left", min_width=len(title))
    t.add_column(first, min_width=first_width, no_wrap=True)
    for col in columns:
        t.add_column(col, justify="right", no_wrap=" " not in col)
    return t


def pool_table(metrics: list[DoctorMetrics]) -> Group:
    """Per fairness pool (roster.metrics.pool_metrics): the level per share, the largest deviation
    and the range per share from the capacity-aware target, who is left without a shift, and the
    ledger's largest |balance| per share before and after the period (its own table: ten columns
    do not fit 80)."""
    pools = pool_metrics(metrics)
    width = max(len(p.pool) for p in pools)
    t = _figures_table("Fordeling per gruppe (poeng per andel, mot mål etter kapasitet)", "Gruppe",
                       ("Leger", "Kan ta vakt", "Nivå", "Største avvik", "Spenn", "Gini", "Uten vakt"), width)
    ledger = _figures_table("Hovedbok per gruppe (største avvik, poeng per andel)", "Gruppe",
                            ("før perioden", "etter"), width)
    for p in pools:
        t.add_row(Text(p.pool), str(p.doctors), str(p.available), decimal(p.level), decimal(p.largest_deviation),
                  decimal(p.range), decimal(p.gini, 3), str(p.without_shift))
        ledger.add_row(Text(p.pool), decimal(p.ledger_before), decimal(p.ledger_after))
    return Group(t, ledger)


def bullets(title: str, items: Iterable[str], style: str = "") -> Group:
    """A heading and a list whose items wrap under their own first letter, not under the dash."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for item in items:
        grid.add_row(" -", Text(item, style=style))
    return Group(Text(title, style=style), grid)


def moved_targets_text(metrics: list[DoctorMetrics], n: int = SUMMARY_MOVED_TARGETS) -> Group | None:
    """The doctors whose target moved most from the nominal share, each a paragraph with the
    steps and why: as a table's last column the reasons were one word a line at 80 columns."""
    rows = moved(metrics, n)
    if not rows:
        return None
    items = []
    for m in rows:
        history = "" if abs(m.repay) < 0.05 else f", historikk {decimal(-m.repay, signed=True)}"
        items.append(f"{m.name} ({m.pool}, andel {number(m.share)}): nominelt {decimal(m.nominal_target)}, etter "
                     f"kapasitet {decimal(m.capacity_target)}{history}, mål {decimal(m.target)}; fikk "
                     f"{decimal(m.points)}. {m.why[:1].upper()}{m.why[1:]}.")
    return bullets("Mål flyttet fra nominell andel (kapasitet og historikk), poeng:", items)


def role_table(metrics: list[DoctorMetrics]) -> Table:
    """Per role: this period's points (mean/min/max) against the period's target, and the worst
    relative deviation from it."""
    by_role: dict[str, list[DoctorMetrics]] = defaultdict(list)
    for m in metrics:
        by_role[m.role].append(m)
    t = _figures_table("Belastning per rolle (poeng denne perioden)", "Rolle",
                       ("Leger", "Vakter", "Poeng snitt", "min", "maks", "Mål snitt", "Største avvik"),
                       max(map(len, by_role)))
    for role, ms in sorted(by_role.items()):
        pts = [m.points for m in ms]
        devs = [m.relative_deviation for m in ms if m.relative_deviation is not None]
        worst = max(devs, key=abs) if devs else None
        t.add_row(Text(role), str(len(ms)), str(sum(m.shifts for m in ms)), decimal(statistics.fmean(pts)),
                  decimal(min(pts)), decimal(max(pts)),
                  decimal(statistics.fmean(m.target for m in ms)),
                  "–" if worst is None else f"{100 * worst:+.0f} %")
    return t


def open_slots_table(scenario: Scenario, roster: Roster, index: ShiftIndex | None = None) -> Table | None:
    if not roster.open_slots and not roster.uncovered_bakvakt:
        return None
    index = index or ShiftIndex(scenario)
    # the shift in one column and the reason beside it: as six columns, the reason had a few letters
    # a line at 80 columns
    t = Table(title=f"{OPEN_PLACES.upper()} – må fylles før vaktplanen publiseres", title_justify="left",
              title_style="bold red", border_style="red")
    t.add_column("Vakt", ratio=2)
    t.add_column("Mangler", justify="right", no_wrap=True)
    t.add_column("Hvorfor", ratio=3)
    stations = {s.id: s.name for s in scenario.stations}
    for o in sorted(roster.open_slots, key=lambda o: (o.date, o.template)):
        s = index.by_key.get(shift_key(o.template, o.date))
        when = f" {s.start.astimezone(OSLO):%H:%M}–{s.end.astimezone(OSLO):%H:%M}" if s else ""
        station = f" {stations.get(s.station, s.station)}" if s else ""
        label = s.label if s else o.template
        t.add_row(Text(f"{WEEKDAY_NAMES[o.date.weekday()][:3]} {o.date:%d.%m.%Y} {label}{station}{when}"),
                  str(o.missing), Text(o.reason))
    for a, b in roster.uncovered_bakvakt:
        a, b = a.astimezone(OSLO), b.astimezone(OSLO)
        t.add_row(f"bakvakt {a:%d.%m %H:%M}–{b:%d.%m %H:%M}", "1", "ingen navngitt spesialist på bakvakt")
    return t


def towards_alone_table(scenario: Scenario, roster: Roster, index: ShiftIndex | None = None) -> Table | None:
    """ALIS on their way to 40 legevakt shifts (akuttmedisinforskriften §7): before, this period,
    how many are left, and from when they may work alone going on as so far
    (``roster.metrics.expected_alone``)."""
    rows = sorted(towards_alone(scenario, roster, index).values(), key=lambda t: (t.to_go, t.doctor))
    if not rows:
        return None
    t = Table(title=f"ALIS mot {LEGEVAKT_SHIFTS_REQUIRED} legevakter (akuttmedisinforskriften §7)",
              title_justify="left")
    for col in ("Lege", "Navn", "Før", "Denne perioden", "Etter", "Igjen", "Kan gå alene", "Alene fra"):
        t.add_column(col, justify="left" if col in ("Lege", "Navn") else "right")
    for r in rows:
        t.add_row(Text(r.doctor), Text(r.name), str(r.before), str(r.this_period), str(r.after), str(r.to_go),
                  "ja" if r.qualified else "nei", f"{r.expected:%m.%Y}" if r.expected else "–")
    return t


def holiday_table(scenario: Scenario, roster: Roster) -> Table | None:
    """Christmas, New Year and Easter in the roster: how many doctors, and who had the same holiday
    last year (the rotation, ``holiday_repeat``)."""
    turns = holiday_turns(scenario, roster)
    if not turns:
        return None
    t = Table(title="Jul, nyttår og påske på omgang", title_justify="left")
    for col in ("Høytid", "Leger", "Vakter", "Samme høytid i fjor"):
        t.add_column(col, justify="left" if col in ("Høytid", "Samme høytid i fjor") else "right")
    for (holiday, season), group in groupby(turns, key=lambda x: (x.holiday, x.season)):
        group = list(group)
        repeats = [f"{x.name} ({x.shifts})" for x in group if x.last_year]
        t.add_row(f"{ROTATION_NAMES[holiday]} {season}", str(len(group)), str(sum(x.shifts for x in group)),
                  Text(", ".join(repeats) or "ingen"))
    return t


def doctor_table(metrics: list[DoctorMetrics]) -> Table:
    t = Table(title="Per lege", title_justify="left")
    cols = ("Lege", "Navn", "Rolle", "Andel", "Vakter", "Timer", "Netter", "Kvelder", "Helg", "Helligdag",
            "Bakvakt t", "Poeng", "Historikk", "Mål", "Avvik", "Ønsker innfridd/ikke")
    for col in cols:
        t.add_column(col, justify="left" if col in ("Lege", "Navn", "Rolle") else "right")
    for m in sorted(metrics, key=lambda m: m.doctor):
        t.add_row(Text(m.doctor), Text(m.name), Text(m.role), number(m.share), str(m.shifts), number(m.hours), str(m.nights),
                  str(m.evenings), str(m.weekends), str(m.holidays), number(m.bakvakt_hours), decimal(m.points),
                  decimal(m.history_points), decimal(m.target),
                  "–" if m.relative_deviation is None else f"{100 * m.relative_deviation:+.0f} %",
                  f"{m.wishes_granted}/{m.wishes_denied}")
    return t


def summary_renderables(scenario: Scenario, roster: Roster, metrics: list[DoctorMetrics],
                        index: ShiftIndex | None = None, per_doctor: bool = False) -> list[RenderableType]:
    out: list[RenderableType] = [status_table(scenario, roster)]
    terms = terms_table(roster)
    if terms is not None:
        out.append(terms)
    if metrics:
        out.append(role_table(metrics))
        out.append(pool_table(metrics))
        coarse = coarse_shifts(roster, metrics, index or ShiftIndex(scenario))
        if coarse:
            out.append(bullets("Vakter for store for legens andel:", map(coarse_note, coarse)))
        moved_text = moved_targets_text(metrics)
        if moved_text is not None:
            out.append(moved_text)
    slots = open_slots_table(scenario, roster, index)
    if slots is not None:
        out.append(slots)
    for table in (holiday_table(scenario, roster), towards_alone_table(scenario, roster, index)):
        if table is not None and roster.assignments:
            out.append(table)
    if roster.warnings:
        out.append(bullets("Merknader:", roster.warnings, style="yellow"))
    if roster.explanation is not None:
        out.append(Text("Hvorfor ikke alle vakter kan fylles:\n" + explanation_text(roster.explanation),
                        style="bold red" if roster.explanation.clashes else ""))
    if per_doctor and metrics:
        out.append(doctor_table(metrics))
    return out


def render_text(renderables: list[RenderableType], width: int = 160) -> str:
    """Plain text of rich renderables (no colour codes), as written to summary.txt."""
    buf = io.StringIO()
    Console(file=buf, width=width, no_color=True, color_system=None, legacy_windows=False).print(Group(*renderables))
    return buf.getvalue()


def result_paths(outdir: Path, workbook: Path | None = None, extra: Iterable[str] = ()) -> list[Path]:
    """The files ``write_outputs`` writes, so a command can refuse to write over its input before
    it solves."""
    names = ["roster.json", "roster.csv", "summary.txt", "history_out.json"]
    return [*(outdir / n for n in names), workbook or outdir / "roster.xlsx", *(outdir / n for n in extra)]


def write_outputs(scenario: Scenario, roster: Roster, outdir: Path, workbook: Path | None = None,
                  extra: Mapping[str, Callable[[Path], object]] | None = None) -> list[Path]:
    """Every output file of a solve, the workbook (``roster.excel``) included, and ``extra``'s
    files of the folder (name: writer), all or nothing (``roster.files.write_all``); returns the
    paths written. Raises ``roster.files.WriteError``."""
    extra = extra or {}
    index = ShiftIndex(scenario)
    metrics = doctor_metrics(scenario, roster, index)
    summary = render_text(summary_renderables(scenario, roster, metrics, index, per_doctor=True), width=220)
    writers: list[Callable[[Path], object]] = [  # in result_paths' order
        lambda p: write_roster_json(roster, p),
        lambda p: write_roster_csv(scenario, roster, p, index),
        lambda p: p.write_text(summary, encoding="utf-8"),
        lambda p: write_history_out(scenario, roster, p, index),
        lambda p: write_roster_workbook(scenario, roster, p),
        *extra.values(),
    ]
    return write_all(dict(zip(result_paths(outdir, workbook, extra), writers, strict=True)))
