"""Curtois & Qu benchmark: instance parsing and the independent scorer (benchmarks/curtois)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pytest

from benchmarks.curtois import (
    Cover, Instance, Request, ShiftType, Staff, best_known, load, parse, read_solution, score, write_solution,
)

LOOSE = Staff("A", {"D": 99, "N": 99}, max_minutes=99_999, min_minutes=0, max_consecutive=99,
              min_consecutive=1, min_days_off=1, max_weekends=99)


def tiny(horizon: int = 7, staff: Sequence[Staff] = (), days_off: dict[str, set[int]] | None = None,
         on: Sequence[Request] = (), off: Sequence[Request] = (), cover: Sequence[Cover] = ()) -> Instance:
    """Two shift types (N may not be followed by D) and staff loose on every rule but the one under test."""
    members = staff or [LOOSE, dataclasses.replace(LOOSE, id="B")]
    return Instance(
        "tiny", horizon,
        {"D": ShiftType("D", 480, frozenset()), "N": ShiftType("N", 600, frozenset({"D"}))},
        {m.id: m for m in members},
        {m.id: frozenset((days_off or {}).get(m.id, ())) for m in members},
        list(on), list(off), list(cover),
    )


def with_a(**limits: object) -> Instance:
    return tiny(staff=[dataclasses.replace(LOOSE, **limits)])


def days(staff: str, pattern: str) -> list[tuple[str, int, str]]:
    """'.DD.N' -> A works D on days 1-2 and N on day 4."""
    return [(staff, day, shift) for day, shift in enumerate(pattern) if shift != "."]


# --- parsing -------------------------------------------------------------------------------

def test_parse_instance1():
    ins = load(1)
    assert (ins.name, ins.horizon) == ("Instance1", 14)
    assert ins.shifts == {"D": ShiftType("D", 480, frozenset())}
    assert list(ins.staff) == list("ABCDEFGH")
    assert ins.staff["A"] == Staff("A", {"D": 14}, 4320, 3360, 5, 2, 2, 1)
    assert ins.days_off["A"] == {0} and ins.days_off["H"] == {7}
    assert (len(ins.on_requests), len(ins.off_requests), len(ins.cover)) == (21, 5, 14)
    assert ins.on_requests[0] == Request("A", 2, "D", 2)
    assert ins.off_requests[-1] == Request("H", 3, "D", 3)
    assert ins.cover[1] == Cover(1, "D", 7, 100, 1)


def test_parse_instance15_with_minus_zero_and_self_blocking_shift():
    ins = load("Instance15")
    assert ins.horizon == 42
    assert list(ins.shifts) == ["e1", "e2", "D", "L", "n1", "n2"]
    assert ins.shifts["e2"].blocked == {"e2"} and ins.shifts["L"].blocked == {"e1", "e2", "D"}
    assert len(ins.staff) == 45
    assert ins.staff["A"].max_shifts == {"e1": 0, "e2": 14, "D": 42, "L": 0, "n1": 0, "n2": 3}
    assert (len(ins.on_requests), len(ins.off_requests), len(ins.cover)) == (350, 140, 252)
    last_day = {c.shift: c.requirement for c in ins.cover if c.day == 41}
    assert last_day == {"e1": 1, "e2": 1, "D": 0, "L": 1, "n1": 1, "n2": 0}


def test_load_names_and_best_known():
    assert load(1) == load("1") == load("Instance1.txt")
    table = best_known()
    assert len(table) == 24
    assert table["Instance1"] == (607, 607) and table["Instance24"] == (40439, 40438)


def test_instance_shapes_match_best_known_table():
    """The table's days/staff/types columns show the file was read whole (a few small ones, for speed)."""
    for n, (horizon, staff, types) in {1: (14, 8, 1), 2: (14, 14, 2), 8: (28, 30, 4), 12: (28, 60, 10)}.items():
        ins = load(n)
        assert (ins.horizon, len(ins.staff), len(ins.shifts)) == (horizon, staff, types)


GOOD = """# comment
SECTION_HORIZON
7

SECTION_SHIFTS
D,480,
N,600,D

SECTION_STAFF
A,D=7|N=2,3000,0,5,1,1,1

SECTION_DAYS_OFF
A,3

SECTION_SHIFT_ON_REQUESTS
A,1,D,2

SECTION_SHIFT_OFF_REQUESTS

SECTION_COVER
0,D,1,100,1
"""


def test_parse_small_file_with_empty_section(tmp_path):
    path = tmp_path / "Small.txt"
    path.write_text(GOOD)
    ins = parse(path)
    assert ins.name == "Small" and ins.shifts["N"].blocked == {"D"}
    assert ins.staff["A"].max_shifts == {"D": 7, "N": 2} and ins.days_off == {"A": frozenset({3})}
    assert ins.on_requests == [Request("A", 1, "D", 2)] and ins.off_requests == []


@pytest.mark.parametrize("old, new, line, message", [
    ("0,D,1,100,1", "0,X,1,100,1", 21, "unknown shift 'X'"),
    ("0,D,1,100,1", "0,D,-1,100,1", 21, "requirement must not be negative, got -1"),
    ("0,D,1,100,1", "7,D,1,100,1", 21, r"day 7 is outside the horizon 0\.\.6"),
    ("A,D=7|N=2,3000,0,5,1,1,1", "A,D=7|N=2,3000,0,5,1,1", 10, "staff needs 8 comma-separated fields, got 7"),
    ("A,D=7|N=2,3000", "A,D7|N=2,3000", 10, "MaxShifts item 'D7' is not of the form ShiftID=count"),
    ("N,600,D", "N,600,Q", 7, "unknown blocked shift 'Q'"),
    ("A,1,D,2", "B,1,D,2", 16, "unknown staff 'B'"),
    ("A,1,D,2", "A,one,D,2", 16, "day must be an integer, got 'one'"),
    ("\n7\n", "\n6\n", 3, "horizon must be a positive multiple of 7 days, got 6"),
])
def test_bad_file_names_file_line_and_problem(tmp_path, old, new, line, message):
    path = tmp_path / "Bad.txt"
    path.write_text(GOOD.replace(old, new, 1))
    with pytest.raises(ValueError, match=rf"Bad\.txt:{line}: {message}$"):
        parse(path)


def test_missing_section_is_an_error(tmp_path):
    path = tmp_path / "NoCover.txt"
    path.write_text(GOOD.split("SECTION_COVER")[0])
    with pytest.raises(ValueError, match=r"NoCover\.txt: missing SECTION_COVER"):
        parse(path)


# --- objective -----------------------------------------------------------------------------

def test_objective_counts_each_part_with_its_weight():
    ins = tiny(
        on=[Request("A", 0, "D", 2), Request("B", 1, "N", 3), Request("A", 2, "N", 4)],
        off=[Request("B", 0, "D", 5), Request("A", 1, "D", 7), Request("B", 2, "D", 1)],
        cover=[Cover(0, "D", 2, 100, 1), Cover(0, "N", 1, 50, 3),
               Cover(1, "D", 0, 100, 5), Cover(2, "D", 1, 10, 1)],
    )
    result = score(ins, days("A", "DDD") + days("B", "D"))
    # unmet on: B1N 3 + A2N 4 (A works D, not N); met off: B0D 5 + A1D 7; B2D not worked
    assert result.requests == 19
    assert (result.cover_under, result.cover_over) == (50, 5)  # day 0 N short by 1; day 1 D one too many
    assert result.objective == 74
    assert result.violations == []


def test_mapping_and_triples_score_the_same():
    ins = tiny(cover=[Cover(0, "D", 1, 100, 1), Cover(1, "N", 3, 100, 7)])
    triples = days("A", "DN") + days("B", ".N.N")
    mapping = {(staff, day): shift for staff, day, shift in triples}
    assert score(ins, mapping) == score(ins, triples)
    assert score(ins, triples).objective == 100  # day 1 N one short; the day-3 N has no cover line


def test_instance1_empty_roster_baseline():
    """Empty roster: all 71 demanded shifts short (× 100) and every on-request unmet (37)."""
    result = score(load(1), [])
    assert (result.requests, result.cover_under, result.cover_over) == (37, 7100, 0)
    assert result.objective == 7137


INSTANCE1_OPTIMUM = {  # a roster with the published optimum 607, found by a CP-SAT model of the README rules
    "A": ".DDDD..DD..DDD", "B": "DDDDD..DD...DD", "C": "DDD..DD..DDD..", "D": "DD...DDDDD....",
    "E": ".DDDD..DD..DDD", "F": "DDD...DDDD....", "G": "..DDD..DD..DDD", "H": "DD..DD..DDDD..",
}


def test_instance1_optimal_roster_scores_published_value():
    triples = [t for staff, pattern in INSTANCE1_OPTIMUM.items() for t in days(staff, pattern)]
    result = score(load(1), triples)
    assert result.violations == []
    assert (result.requests, result.cover_under, result.cover_over) == (7, 600, 0)
    assert result.objective == best_known()["Instance1"][0]


def test_solution_csv_round_trip(tmp_path):
    triples = days("A", "D.N") + days("B", "..D")
    write_solution(tmp_path / "sol.csv", triples)
    assert (tmp_path / "sol.csv").read_text().splitlines()[:2] == ["staff,day,shift", "A,0,D"]
    assert read_solution(tmp_path / "sol.csv") == triples
    (tmp_path / "bad.csv").write_text("staff,day,shift\nA,x,D\n")
    with pytest.raises(ValueError, match=r"bad\.csv:2: day must be an integer"):
        read_solution(tmp_path / "bad.csv")


# --- hard rules: each crafted roster breaks exactly one rule ---------------------------------

def test_clean_roster_has_no_violations():
    ins = tiny(14, staff=[Staff("A", {"D": 5, "N": 2}, 4000, 3000, 4, 2, 2, 1),
                          Staff("B", {"D": 9, "N": 0}, 4000, 2000, 5, 3, 2, 2)], days_off={"A": {4}, "B": {0}})
    # every rule at or near its limit: A has 5 D + 2 N = 3600 min, one weekend; B's first day off is exempt
    roster = days("A", "DDN...DD..DN..") + days("B", ".DDD..DDD.....")
    assert score(ins, roster).violations == []


def test_two_shifts_on_one_day():
    assert score(tiny(), days("A", "D") + [("A", 0, "N")]).violations == ["A: 2 shifts on day 0 (D, N), max 1"]


def test_blocked_succession_only_in_the_blocked_direction():
    assert score(tiny(), days("A", "..ND")).violations == [
        "A: shift N on day 2 followed by D on day 3, which may not follow N"]
    assert score(tiny(), days("A", "..DN")).violations == []
    assert score(tiny(), days("A", "..N.D")).violations == []


def test_per_type_maximum_and_zero_forbids():
    assert score(with_a(max_shifts={"D": 9, "N": 1}), days("A", "N.N")).violations == ["A: 2 N shifts, max 1"]
    assert score(with_a(max_shifts={"D": 9, "N": 1}), days("A", "N.D")).violations == []
    assert score(with_a(max_shifts={"D": 0, "N": 9}), days("A", "D")).violations == ["A: 1 D shift, max 0"]


def test_total_minutes_between_min_and_max():
    assert score(with_a(min_minutes=1500), days("A", "DD")).violations == ["A: 960 minutes worked, min 1500"]
    assert score(with_a(max_minutes=1000), days("A", "D.N")).violations == ["A: 1080 minutes worked, max 1000"]
    assert score(with_a(min_minutes=1080, max_minutes=1080), days("A", "D.N")).violations == []


def test_max_consecutive_applies_even_at_the_horizon_edge():
    assert score(with_a(max_consecutive=3), days("A", ".DDDD")).violations == [
        "A: works 4 days in a row (days 1-4), max 3"]
    assert score(with_a(max_consecutive=3), days("A", "...DDDD")).violations == [
        "A: works 4 days in a row (days 3-6), max 3"]
    assert score(with_a(max_consecutive=3), days("A", "DDD.DDD")).violations == []


def test_min_consecutive_with_boundary_exemption():
    ins = with_a(min_consecutive=2)
    assert score(ins, days("A", "...D")).violations == ["A: works 1 day in a row (day 3), min 2"]
    assert score(ins, days("A", ".DD.D.D")).violations == ["A: works 1 day in a row (day 4), min 2"]
    assert score(ins, days("A", "D.....D")).violations == []  # both runs touch an edge of the horizon
    assert score(ins, days("A", ".DD.DD.")).violations == []


def test_min_days_off_with_boundary_exemption():
    ins = with_a(min_days_off=2)
    assert score(ins, days("A", "DDD.DDD")).violations == ["A: 1 day off in a row (day 3), min 2"]
    assert score(ins, days("A", ".DDDDD.")).violations == []  # the single days off touch the edges
    assert score(ins, days("A", "DD..DDD")).violations == []
    assert score(ins, []).violations == []  # a horizon-long rest touches both edges


def test_worked_weekends():
    ins = tiny(14, staff=[dataclasses.replace(LOOSE, max_weekends=1)])
    assert score(ins, days("A", ".....D.......D")).violations == ["A: works 2 weekends (0, 1), max 1"]
    assert score(ins, days("A", ".....DD")).violations == []  # Saturday and Sunday are one weekend
    assert score(ins, days("A", "DDDDD..DDDDD.D")).violations == []  # weekdays never count


def test_work_on_a_day_off():
    ins = tiny(days_off={"A": {3}})
    assert score(ins, days("A", "...N")).violations == ["A: works N on day 3, a day off"]
    assert score(ins, days("A", "..N.N")).violations == []


def test_unknown_entries_are_reported_and_left_out_of_the_objective():
    ins = tiny(cover=[Cover(0, "D", 1, 100, 1)])
    result = score(ins, [("Z", 0, "D"), ("A", 0, "X"), ("A", 7, "D")])
    assert result.violations == [
        "unknown staff 'Z' (day 0, shift 'D')",
        "A: unknown shift 'X' on day 0",
        "A: day 7 is outside the horizon 0..6 (shift D)",
    ]
    assert result.cover_under == 100
