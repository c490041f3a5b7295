"""``roster report`` and ``roster compare``: the comparison report from the command line.

Loading, error printing (``api.cli.common``) and the live solver line (``api.cli.solving``) are
shared with the other commands, so every command behaves the same. The report modules are imported
inside the commands: matplotlib is slow to load and the other commands do not need it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from api.cli.common import check_outputs, console, fail_input, fail_write, load
from api.cli.frame import CommandLineError
from api.cli.solving import solve_live
from roster.files import WriteError, write_all
from roster.models import MAX_SEED, MAX_TIME_LIMIT, MAX_WORKERS
from roster.scenario_io import InputError, load_roster
from roster.terms import count, status_word


def _outputs(out: Path, xlsx: Path | None, inputs: list[Path]) -> Path:
    """The spreadsheet's path, once both outputs are known to replace no input and not each other."""
    xlsx = xlsx or out.with_suffix(".xlsx")
    if xlsx.resolve() == out.resolve():
        fail_input(InputError(["HTML-rapporten og regnearket kan ikke være samme fil; velg et annet navn med --xlsx"],
                              str(out)))
    check_outputs([out, xlsx], inputs)
    return xlsx


def _write(views: list, out: Path, xlsx: Path, title: str) -> None:
    from roster.report.html import write_html
    from roster.report.text import text_summary
    from roster.report.xlsx import write_xlsx

    try:
        write_all({out: lambda p: write_html(views, p, title), xlsx: lambda p: write_xlsx(views, p)})
    except WriteError as exc:
        fail_write(exc)
    console.print(text_summary(views), markup=False, highlight=False)
    console.print(f"Skrev {out} og {xlsx}", markup=False, highlight=False)


def _numbered(names: list[str]) -> list[str]:
    """The names with « (2)», « (3)» … after a name met before, so no two are alike (a number
    another item is already called is passed over)."""
    out: list[str] = []
    for name in names:
        unique, n = name, 1
        while unique in out or (unique != name and unique in names):
            n += 1
            unique = f"{name} ({n})"
        out.append(unique)
    return out


def _default_labels(paths: list[Path]) -> list[str]:
    """Each roster's name in the report when no --label is given: the file's stem, or its folder's
    name for a roster.json (``out/roster.json`` is «out»). Names alike are told apart by their
    folders (``d1/solved`` and ``d2/solved``), then by their file type (``manual_roster.json`` and
    ``manual_roster.xlsx``), and last by « (2)» (the same file given twice)."""

    def parts(path: Path, with_suffix: bool) -> list[str]:
        full = Path(os.path.abspath(path))
        folders = list(full.parent.parts[1:])
        if with_suffix:
            return [*folders, full.name]
        return folders if path.stem == "roster" and path.parent.name else [*folders, path.stem]

    def label(i: int, depth: int, with_suffix: bool) -> str:
        return "/".join(parts(paths[i], with_suffix)[-depth - 1:])

    labels = [label(i, 0, False) for i in range(len(paths))]
    depth = [0] * len(paths)
    files = [os.path.abspath(p) for p in paths]

    def alike() -> list[int]:
        """The rosters named like another file (one file given twice is numbered instead)."""
        return [i for i, name in enumerate(labels)
                if any(labels[j] == name and files[j] != files[i] for j in range(len(paths)))]

    for with_suffix in (False, True):
        if with_suffix:  # still alike up to the root: the folders do not tell them apart
            for i in alike():
                depth[i] = 1 if paths[i].stem == "roster" and paths[i].parent.name else 0
                labels[i] = label(i, depth[i], True)
        while same := alike():
            deeper = [i for i in same if depth[i] + 1 < len(parts(paths[i], with_suffix))]
            if not deeper:
                break
            for i in deeper:
                depth[i] += 1
                labels[i] = label(i, depth[i], with_suffix)
    return _numbered(labels)


def _typed_labels(labels: list[str], rosters: list[Path], ctx: typer.Context) -> list[str]:
    """The --label names, refused (a command-line error) unless one per roster, none empty and no
    two alike: two columns of one name cannot be told apart."""
    if len(labels) != len(rosters):
        raise CommandLineError(f"--label er gitt {count(len(labels), 'gang', 'ganger')}, men det er "
                               f"{count(len(rosters), 'vaktplan', 'vaktplaner')}; gi én --label per vaktplan, "
                               "eller ingen", ctx)
    spelled = [" ".join(label.split()) for label in labels]  # «A» and «A » look alike in every table
    if "" in spelled:
        raise CommandLineError("--label kan ikke være tom", ctx)
    twice = list(dict.fromkeys(label for label in spelled if spelled.count(label) > 1))
    if twice:
        names = " og ".join(f"«{label}»" for label in twice)
        raise CommandLineError(f"--label {names} er gitt mer enn én gang; gi hver vaktplan sitt eget navn", ctx)
    return labels


def report(
    ctx: typer.Context,
    rosters: Annotated[list[Path], typer.Argument(metavar="VAKTPLAN...", help="Vaktplaner: roster.json eller .xlsx (to eller flere for å sammenligne)")],
    scenario_path: Annotated[Path, typer.Option("--scenario", "-s", metavar="SCENARIO", help="Scenario: .json, .yaml eller .xlsx")],
    out: Annotated[Path, typer.Option("-o", "--out", metavar="FIL", help="HTML-rapporten")] = Path("rapport.html"),
    xlsx: Annotated[Path | None, typer.Option("--xlsx", metavar="FIL", help="Tabellene som regneark (standard: ved siden av HTML-filen)")] = None,
    labels: Annotated[list[str] | None, typer.Option("--label", metavar="NAVN", help="Navn på vaktplanen i rapporten, én per vaktplan og ingen like (standard: filnavnet, eller mappen for roster.json; like navn skilles med mappene, så filtypen, så « (2)»)")] = None,
    title: Annotated[str, typer.Option("--title", metavar="TEKST", help="Overskrift")] = "Sammenligning av vaktplaner",
) -> None:
    """Sammenlign vaktplaner for de samme legene: belastning, rettferdighet, hyppighet og regelbrudd."""
    from roster.report.build import check_view

    names = _typed_labels(labels, rosters, ctx) if labels else _default_labels(rosters)
    xlsx = _outputs(out, xlsx, [*rosters, scenario_path])
    scenario = load(scenario_path)
    views = []
    for name, path in zip(names, rosters):
        try:
            roster = load_roster(scenario, path)
        except InputError as exc:
            fail_input(exc)
        views.append(check_view(name, scenario, roster))
    _write(views, out, xlsx, title)


def compare(
    scenario_path: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario: .json, .yaml eller .xlsx")],
    rule_sets: Annotated[list[Path], typer.Option("--rules", "-r", metavar="REGELSETT", help="Regelsett (.yaml); gi to eller flere, eller ett for å sammenligne med gjeldende regler. Regelsett med samme navn får « (2)», « (3)» … etter navnet i den rekkefølgen de er gitt")],
    out: Annotated[Path, typer.Option("-o", "--out", metavar="FIL", help="HTML-rapporten")] = Path("sammenligning.html"),
    xlsx: Annotated[Path | None, typer.Option("--xlsx", metavar="FIL", help="Tabellene som regneark (standard: ved siden av HTML-filen)")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", metavar="SEKUNDER", min=0.1, max=MAX_TIME_LIMIT, help="Tidsgrense i sekunder per regelsett")] = 60.0,
    workers: Annotated[int | None, typer.Option("--workers", metavar="ANTALL", min=1, max=MAX_WORKERS, help="Antall tråder (standard: alle kjerner)")] = None,
    seed: Annotated[int, typer.Option("--seed", metavar="TALL", min=0, max=MAX_SEED, help="Frø for søket")] = 0,
) -> None:
    """Løs samme periode med ulike regelsett og sammenlign hva endringen koster i ubesatte plasser og rettferdighet."""
    from roster.report.build import check_view
    from roster.report.rulesets import apply_rule_set, load_rule_set

    xlsx = _outputs(out, xlsx, [scenario_path, *rule_sets])
    base = load(scenario_path)
    variants = [] if len(rule_sets) > 1 else [("Gjeldende regler", base)]
    for path in rule_sets:
        try:
            rule_set = load_rule_set(path)
            variants.append((rule_set.name or path.stem, apply_rule_set(base, rule_set, str(path))))
        except InputError as exc:
            fail_input(exc)
    views = []
    for name, scenario in zip(_numbered([name for name, _ in variants]), [scenario for _, scenario in variants]):
        console.print(Text(name, style="bold"))
        roster = solve_live(scenario, time_limit=time_limit, workers=workers, seed=seed)
        if not roster.assignments:
            status = status_word(roster.stats.status.value) if roster.stats else "ukjent"
            console.print(Text.assemble((f"Ingen vaktplan for «{name}»", "bold red"), f" (status: {status})."))
        views.append(check_view(name, scenario, roster))
    _write(views, out, xlsx, "Sammenligning av regelsett")
