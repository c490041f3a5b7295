"""Hand edits (roster.edits): an edit is judged by what it does to the roster's breaches, so one
that makes an existing breach worse is refused like one that makes a new breach."""

from __future__ import annotations

import pytest
from factories import ALL_DAYS, doctor, scenario, station, template

from roster.edits import Edit, EditRefused, apply_edit
from roster.models import Assignment, Roster, Scenario

EVENINGS = [f"kveld/2026-12-{d:02d}" for d in range(7, 11)]


def over_max_shifts() -> tuple[Scenario, Roster]:
    """Four evenings, one doctor each; Per may have 1 shift but holds 2 (a published roster from
    before the limit was lowered)."""
    s = scenario("2026-12-07", "2026-12-10", [template("kveld", "16:00", "23:00", label="kveld", day_types=ALL_DAYS)],
                 [doctor("anna"), doctor("per", max_shifts=1), doctor("kari")],
                 stations=[station("BLV", name="Bergen legevakt")])
    holders = ["per", "per", "anna", "anna"]
    return s, Roster(scenario=s.name, period=s.period, assignments=[
        Assignment(doctor=d, template="kveld", date=key.split("/")[1]) for d, key in zip(holders, EVENINGS)])


def test_an_edit_that_worsens_a_breach_is_refused() -> None:
    s, r = over_max_shifts()
    with pytest.raises(EditRefused) as info:
        apply_edit(s, r, Edit("assign", "per", EVENINGS[3], replaces="anna"))
    assert info.value.problems == [
        "Per satt inn på Kveld Bergen legevakt 10.12.2026 16:00–23:00 i stedet for Anna bryter harde regler:",
        "Antall vakter i perioden (verre enn før): Per har 3 vakter i perioden; maks 1.",
    ]


def test_an_edit_that_leaves_a_breach_as_it_was_or_mends_it_is_made() -> None:
    s, r = over_max_shifts()
    other = apply_edit(s, r, Edit("assign", "kari", EVENINGS[3], replaces="anna"))
    assert ("kari", EVENINGS[3]) in {(a.doctor, a.shift) for a in other.roster.assignments}
    assert other.resolved == []
    mended = apply_edit(s, r, Edit("assign", "anna", EVENINGS[1], replaces="per"))
    assert [v.rule for v in mended.resolved] == ["antall"]


NIGHTS = [f"natt/2026-12-{d:02d}" for d in range(7, 14)]


def short_night_run(holders: list[str], **rules: object) -> tuple[Scenario, Roster]:
    """A week of nights, one doctor each, nights in blocks of at least three."""
    s = scenario("2026-12-07", "2026-12-13", [template("natt", "23:00", "08:00", label="natt", day_types=ALL_DAYS)],
                 [doctor("anna"), doctor("per"), doctor("kari")], stations=[station("BLV", name="Bergen legevakt")],
                 rules={"min_consecutive_nights": 3, **rules})
    return s, Roster(scenario=s.name, period=s.period, assignments=[
        Assignment(doctor=d, template="natt", date=key.split("/")[1]) for d, key in zip(holders, NIGHTS)])


def test_an_edit_that_lengthens_a_too_short_run_is_made() -> None:
    """Per's lone night (a block of 1 of at least 3) grows to 2: the same breach, less short; its
    dates moved, which made it look like a new one."""
    s, r = short_night_run(["anna", "anna", "per", "kari", "anna", "anna", "anna"])
    longer = apply_edit(s, r, Edit("assign", "per", NIGHTS[3], replaces="kari"))
    assert ("per", NIGHTS[3]) in {(a.doctor, a.shift) for a in longer.roster.assignments}
    assert [v.doctor for v in longer.resolved] == ["kari"]
    with pytest.raises(EditRefused) as info:  # a second short block is a new breach
        apply_edit(s, r, Edit("assign", "per", NIGHTS[4], replaces="anna"))
    assert info.value.problems[1:] == ["Netter i blokk: Per: 1 natt(er) 11.12.2026–11.12.2026; netter kommer i blokker på minst 3."]


def test_an_edit_that_shortens_a_too_short_run_or_lengthens_a_too_long_one_is_refused() -> None:
    s, r = short_night_run(["anna", "anna", "per", "per", "anna", "kari", "kari"])
    with pytest.raises(EditRefused) as info:  # Anna's lone night grows, Per's block of 2 shrinks
        apply_edit(s, r, Edit("assign", "anna", NIGHTS[3], replaces="per"))
    assert [p.split(":")[0] for p in info.value.problems[1:]] == ["Netter i blokk (verre enn før)"]
    s, r = short_night_run(["kari", "per", "per", "per", "anna", "anna", "kari"], max_consecutive_nights=2,
                           min_consecutive_nights=1)
    with pytest.raises(EditRefused) as info:
        apply_edit(s, r, Edit("assign", "per", NIGHTS[4], replaces="anna"))
    assert [p.split(":")[0] for p in info.value.problems[1:]] == ["Netter på rad (verre enn før)"]


def test_a_doctor_exempt_from_nights_is_pinned_only_as_a_volunteer() -> None:
    """explain suggests asking an exempt doctor (fastlegeforskriften §13 is a right to refuse); a
    yes is recorded as a voluntary pin, and a plain pin or assignment is still refused."""
    sc = scenario("2026-12-01", "2026-12-03", [template("natt", "23:00", "08:00")],
                  [doctor("kari", name="Kari Nordmann", exemptions=[{"reason": "over 60"}]), doctor("ola")])
    before = Roster(scenario=sc.name, period=sc.period,
                    assignments=[Assignment(doctor="ola", template="natt", date=sc.period.start)])
    for action in ("assign", "pin"):
        with pytest.raises(EditRefused) as refused:
            apply_edit(sc, before, Edit(action, "kari", "natt/2026-12-01", "ola"))
        assert any("fritatt" in p for p in refused.value.problems)
    done = apply_edit(sc, before, Edit("volunteer", "kari", "natt/2026-12-01", "ola"))
    assert done.description == ("Kari Nordmann låst på Natt BLV 01.12.2026 23:00–08:00 (frivillig, tross "
                                "fritak) i stedet for Ola")
    assert [(p.doctor, p.voluntary) for p in done.scenario.pins] == [("kari", True)]
    assert [a.doctor for a in done.roster.assignments] == ["kari"]
    # a later plain pin of the same shift keeps the yes
    again = apply_edit(done.scenario, done.roster, Edit("pin", "kari", "natt/2026-12-01"))
    assert [(p.doctor, p.voluntary) for p in again.scenario.pins] == [("kari", True)]
