"""The report's tables as a workbook, for evaluators who want to work on the numbers."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pandas as pd
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from roster.excel.cells import text_only
from roster.report.build import GROUP_STATS, RosterView, group_rows, summary_rows

BETTER = PatternFill("solid", fgColor="D4EFDF")
WORSE = PatternFill("solid", fgColor="F5B7B1")

DOCTOR_COLUMNS = {
    "doctor": "Lege-id", "name": "Navn", "role": "Rolle", "share": "Vaktandel", "shifts": "Vakter",
    "hours": "Timer tilstede", "nights": "Netter", "evenings": "Kvelder", "weekends": "Helgevakter",
    "holidays": "Helligdagsvakter", "bakvakt_hours": "Bakvakttimer", "points": "Poeng perioden",
    "history_points": "Poeng historikk", "pool": "Gruppe", "nominal_target": "Nominelt mål",
    "capacity_target": "Mål etter kapasitet", "repay": "Historikk (trekkes fra)", "target": "Mål",
    "capacity": "Kapasitet (poeng)", "why": "Hvorfor målet avviker", "relative_deviation": "Avvik fra mål",
    "deviation_per_share": "Avvik per andel (poeng)", "balance_before": "Hovedbok før",
    "balance_after": "Hovedbok etter", "ledger_due": "Hovedboken regner mot (poeng)",
    "mean_gap_days": "Snitt dager mellom vakter", "min_gap_days": "Minste dager mellom vakter",
    "pairs_within_3": "Par innen 3 dager", "pairs_within_7": "Par innen 7 dager",
    "longest_run": "Lengste vaktrekke", "wishes_granted": "Ønsker innfridd",
    "wishes_denied": "Ønsker ikke innfridd", "stations": "Stasjoner",
}
POOL_COLUMNS = {
    "pool": "Gruppe", "doctors": "Leger", "available": "Kan ta vakt", "burden": "Poeng", "level": "Nivå (poeng per andel)",
    "min_deviation": "Laveste avvik per andel", "max_deviation": "Høyeste avvik per andel",
    "largest_deviation": "Største avvik per andel", "gini": "Gini", "without_shift": "Uten vakt",
    "ledger_before": "Hovedbok før (største per andel)", "ledger_after": "Hovedbok etter",
    "ledger_after_undecayed": "Hovedbok etter uten avskrivning",
}
PERCENT_COLUMNS = {DOCTOR_COLUMNS["relative_deviation"]}  # a fraction, shown as the HTML and roster workbook show it
PERCENT, DECIMALS = "0.0 %", "0.000"
GROUP_COLUMNS = {
    "group": "Gruppe", "doctors": "Leger", "min": "Min", "median": "Median", "max": "Maks",
    "spread": "Spenn", "std": "Standardavvik", "cv": "Variasjonskoeffisient", "gini": "Gini",
    "jain": "Jain", "over_target": "Over mål (> 10 %)",
}


def _shown(decimals: int) -> str:
    """The cell format of a figure the HTML and the terminal show with ``decimals`` decimals."""
    return "0." + "0" * decimals if decimals else "0"


GROUP_FORMATS = {GROUP_COLUMNS[key]: _shown(d) for key, _name, d in GROUP_STATS}  # as the HTML's group table


def _frames(views: list[RosterView]) -> dict[str, pd.DataFrame]:
    rows = summary_rows(views)
    summary = pd.DataFrame(
        [[r.name, *r.values, r.better or "", r.definition] for r in rows],
        columns=["Måltall", *[v.label for v in views], "Best er", "Definisjon"],
    )
    groups = pd.DataFrame(
        [{"Vaktplan": v.label, **{GROUP_COLUMNS[k]: val for k, val in asdict(g).items()}}
         for name, per_view in group_rows(views) for v, g in zip(views, per_view) if g is not None]
    )
    doctors = pd.DataFrame(
        [{"Vaktplan": v.label, **{DOCTOR_COLUMNS[k]: (", ".join(val) if k == "stations" else val)
                                   for k, val in asdict(m).items()}}
         for v in views for m in v.metrics]
    )
    violations = pd.DataFrame(
        [{"Vaktplan": v.label, "Regel": x.rule, "Lege": x.doctor or "", "Vakt": x.shift or "",
          "Melding": x.message, "Meldt i vaktplanen": "nei" if x in unexpected else "ja"}
         for v in views for unexpected in [set(v.unexpected)] for x in v.violations],
        columns=["Vaktplan", "Regel", "Lege", "Vakt", "Melding", "Meldt i vaktplanen"],
    )
    pools = pd.DataFrame(
        [{"Vaktplan": v.label, **{POOL_COLUMNS[k]: val for k, val in asdict(p).items()}, "Spenn": p.range}
         for v in views for p in v.pools]
    )
    return {"Sammendrag": summary, "Grupper": groups, "Fordelingsgrupper": pools, "Leger": doctors,
            "Regelbrudd": violations}


def write_xlsx(views: list[RosterView], path: str | Path) -> Path:
    """Sheets Sammendrag (differences coloured as in the HTML), Grupper, Fordelingsgrupper, Leger and Regelbrudd."""
    p = Path(path)
    rows = summary_rows(views)
    with pd.ExcelWriter(p, engine="openpyxl") as writer:
        for sheet, frame in _frames(views).items():
            frame.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            ws.freeze_panes = "B2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for i, column in enumerate(frame.columns, start=1):
                width = max([len(str(column))] + [len(str(x)) for x in frame[column].head(200)])
                ws.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
                shown = (GROUP_FORMATS.get(column) if sheet == "Grupper" else None) or (
                    PERCENT if column in PERCENT_COLUMNS else DECIMALS if frame[column].dtype.kind == "f" else None)
                if shown:  # the value keeps every digit; the cell shows a few
                    for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                        cell.number_format = shown
        summary = writer.sheets["Sammendrag"]
        for r, row in enumerate(rows, start=2):
            for i in range(len(views)):  # each row as the HTML shows it: «7», not «7,000» tildelte vakter
                summary.cell(row=r, column=2 + i).number_format = _shown(row.decimals)
            for i in range(1, len(views)):
                verdict = row.verdict(i)
                if verdict:
                    summary.cell(row=r, column=2 + i).fill = BETTER if verdict == "bedre" else WORSE
        text_only(writer.book)  # labels and names are text, never formulas
    return p
