"""The rules of domain.md that issue 15 added, each as a pair (kept / broken) for the checker and
for the solver: Sunday or holiday off after one worked (søndagsfri), no night before a supervision
day (veiledningsdag) or a practice day (praksisdag), the age exemption read from the birth date
and ``exemption_age`` (fritak), the legal floors of the rest settings, the pilot's specialist
bakvakt, and Christmas, New Year and Easter rotated between years."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from factories import doctor, scenario, station, template
from pydantic import ValidationError
from solver_util import FEASIBLE, QUIET, on, open_slots, run

from roster.check import check_roster
from roster.eligibility import birthday
from roster.metrics import expected_alone
from roster.models import Assignment, Roster, Rules, Scenario
from roster.output import render_text, summary_renderables

DAG = template("dag", "08:00", "16:00", label="dag")
KVELD = template("kveld", "16:00", "23:00", label="kveld")
NATT = template("natt", "23:00", "08:00", label="natt")


def roster(sc: Scenario, *assignments: tuple[str, str, str]) -> Roster:
    return Roster(scenario=sc.name, period=sc.period, assignments=[
        Assignment(doctor=d, template=t, date=dt.date.fromisoformat(day)) for d, t, day in assignments])


def rules_of(sc: Scenario, r: Roster, doctor_id: str = "kari") -> set[str]:
    return {v.rule for v in check_roster(sc, r) if v.doctor == doctor_id}


def month(templates: list[dict[str, Any]], kari: dict[str, Any] | None = None, away: str | None = None,
          start: str = "2026-12-01", end: str = "2026-12-31", **kw: Any) -> Scenario:
    """Kari (with ``kari``'s fields) and Per, who is away on ``away``."""
    absences = [{"doctor": "per", "start": away, "end": away}] if away else []
    rules = {"weights": QUIET, **kw.pop("rules", {})}
    return scenario(start, end, templates, [doctor("kari", name="Kari Nordmann", **(kari or {})), doctor("per")],
                    rules=rules, absences=absences, **kw)


# --------------------------------------------------------------------------- søndagsfri


EMPLOYEE = {"employment": "ansatt"}


def test_sondagsfri_an_employee_has_the_next_sunday_off() -> None:
    sc = month([DAG], EMPLOYEE)
    assert rules_of(sc, roster(sc, ("kari", "dag", "2026-12-06"), ("kari", "dag", "2026-12-13"))) == {"søndagsfri"}
    assert rules_of(sc, roster(sc, ("kari", "dag", "2026-12-06"), ("kari", "dag", "2026-12-20"))) == set()
    gp = month([DAG])  # a self-employed GP: SFS 2305, not arbeidsmiljøloven
    assert rules_of(gp, roster(gp, ("kari", "dag", "2026-12-06"), ("kari", "dag", "2026-12-13"))) == set()
    agreed = month([DAG], EMPLOYEE, rules={"sunday_off_after_sunday_work": False})
    assert rules_of(agreed, roster(agreed, ("kari", "dag", "2026-12-06"), ("kari", "dag", "2026-12-13"))) == set()


def test_sondagsfri_holidays_count_and_the_next_one_may_be_the_next_day() -> None:
    """Christmas Day, Boxing Day and Sunday 27.12 are three Sunday-type days in a row: 25.12 worked
    frees 26.12, not 27.12."""
    sc = month([DAG], EMPLOYEE)
    assert rules_of(sc, roster(sc, ("kari", "dag", "2026-12-25"), ("kari", "dag", "2026-12-26"))) == {"søndagsfri"}
    assert rules_of(sc, roster(sc, ("kari", "dag", "2026-12-25"), ("kari", "dag", "2026-12-27"))) == set()


def test_sondagsfri_counts_the_protected_hours_not_the_date_a_shift_starts() -> None:
    """aml §10-10: a Saturday night 23–08 is Sunday work; a Sunday night from 23:00 is not (the
    Sunday's hours end at 22:00); an evening to 23:00 on a Saturday is (from 18:00)."""
    sc = month([KVELD, NATT], EMPLOYEE)
    saturday_nights = roster(sc, ("kari", "natt", "2026-12-05"), ("kari", "natt", "2026-12-12"))
    assert rules_of(sc, saturday_nights) == {"søndagsfri"}
    assert rules_of(sc, roster(sc, ("kari", "natt", "2026-12-06"), ("kari", "kveld", "2026-12-12"))) == set()
    assert rules_of(sc, roster(sc, ("kari", "kveld", "2026-12-05"), ("kari", "natt", "2026-12-12"))) == {"søndagsfri"}
    pinned = month([NATT], EMPLOYEE, away="2026-12-12", start="2026-12-05", end="2026-12-12",
                   pins=[{"doctor": "kari", "date": "2026-12-05", "template": "natt"}])
    assert ("natt/2026-12-12", 1) in open_slots(run(pinned))  # Per is away: Kari may not take it


def test_sondagsfri_julaften_is_a_weekday_in_law_but_its_afternoon_is_christmas() -> None:
    """A local holiday sets opening hours and burden, not the law's helgedager, unless marked
    ``sunday_rest``; from 15:00 on Christmas Eve the hours belong to Christmas Day."""
    eve = [{"date": "2026-12-24", "name": "Julaften"}]
    short = template("kort", "08:00", "14:00", label="dag")
    sc = month([DAG, KVELD, short], EMPLOYEE, extra_holidays=eve)
    assert rules_of(sc, roster(sc, ("kari", "dag", "2026-12-20"), ("kari", "dag", "2026-12-25"))) == {"søndagsfri"}
    assert rules_of(sc, roster(sc, ("kari", "kveld", "2026-12-24"), ("kari", "dag", "2026-12-26"))) == {"søndagsfri"}
    assert rules_of(sc, roster(sc, ("kari", "kort", "2026-12-24"), ("kari", "dag", "2026-12-26"))) == set()
    marked = month([DAG], EMPLOYEE, extra_holidays=[{**eve[0], "sunday_rest": True}])
    assert rules_of(marked, roster(marked, ("kari", "dag", "2026-12-20"), ("kari", "dag", "2026-12-25"))) == set()
    assert rules_of(marked, roster(marked, ("kari", "dag", "2026-12-24"), ("kari", "dag", "2026-12-25"))) == {"søndagsfri"}


def test_sondagsfri_solver_leaves_the_next_sunday_to_someone_else() -> None:
    sc = month([DAG], EMPLOYEE, away="2026-12-13", start="2026-12-06", end="2026-12-13",
               pins=[{"doctor": "kari", "date": "2026-12-06", "template": "dag"}])
    assert ("dag/2026-12-13", 1) in open_slots(run(sc))
    free = month([DAG], EMPLOYEE, away="2026-12-13", start="2026-12-06", end="2026-12-13")
    assert on(run(free), "dag/2026-12-13") == {"kari"}


# --------------------------------------------------------------------------- veiledningsdag and praksisdag


SUPERVISION = [{"doctor": "kari", "date": "2026-12-03"}]


def test_veiledningsdag_no_night_before_a_supervision_day() -> None:
    sc = month([NATT], {"role": "ALIS"}, supervision_days=SUPERVISION)
    assert rules_of(sc, roster(sc, ("kari", "natt", "2026-12-02"))) == {"veiledningsdag"}
    assert rules_of(sc, roster(sc, ("kari", "natt", "2026-12-03"))) == set()  # the night after is no concern
    free = month([NATT], {"role": "ALIS"})
    assert rules_of(free, roster(free, ("kari", "natt", "2026-12-02"))) == set()


def test_veiledningsdag_solver_keeps_the_night_free() -> None:
    short = {"start": "2026-12-01", "end": "2026-12-03"}
    sc = month([NATT], {"role": "ALIS"}, away="2026-12-02", supervision_days=SUPERVISION, **short)
    assert ("natt/2026-12-02", 1) in open_slots(run(sc))
    assert on(run(month([NATT], {"role": "ALIS"}, away="2026-12-02", **short)), "natt/2026-12-02") == {"kari"}


PRACTICE = {"practice_days": ["onsdag", "fredag"]}  # Wednesday 02.12, Friday 04.12, Friday 25.12 is a holiday


def test_praksisdag_no_on_site_night_before_a_practice_day() -> None:
    sc = month([NATT, template("bak", "23:00", "08:00", station="BAK", label="bakvakt", duty="bakvakt")],
               {**PRACTICE, "can_bakvakt": True}, stations=[station("BLV"), station("BAK", kind="fjernvakt")],
               rules={"specialist_bakvakt": False})
    assert rules_of(sc, roster(sc, ("kari", "natt", "2026-12-01"))) == {"praksisdag"}
    assert rules_of(sc, roster(sc, ("kari", "natt", "2026-12-02"))) == set()  # Thursday is no practice day
    assert rules_of(sc, roster(sc, ("kari", "natt", "2026-12-24"))) == set()  # Christmas Day: the practice is closed
    # New Year's Day falls in the next year, past the period: a Friday, and closed as well (the checker
    # once knew only the period's years' holidays and flagged this night on the plain reference's roster)
    assert rules_of(sc, roster(sc, ("kari", "natt", "2026-12-31"))) == set()
    assert rules_of(sc, roster(sc, ("kari", "bak", "2026-12-01"))) == set()  # on call from home
    off = month([NATT], PRACTICE, rules={"no_night_before_practice_day": False})
    assert rules_of(off, roster(off, ("kari", "natt", "2026-12-01"))) == set()


def test_praksisdag_solver_gives_the_night_to_someone_without_practice_next_day() -> None:
    short = {"start": "2026-12-01", "end": "2026-12-02"}
    assert ("natt/2026-12-01", 1) in open_slots(run(month([NATT], PRACTICE, away="2026-12-01", **short)))
    assert on(run(month([NATT], PRACTICE, **short)), "natt/2026-12-01") == {"per"}
    assert on(run(month([NATT], {"practice_days": ["torsdag"]}, away="2026-12-01", **short)),
              "natt/2026-12-01") == {"kari"}


def test_a_night_priced_as_something_else_is_still_a_night_for_the_night_rules() -> None:
    """``counts_as`` sets a shift's burden categories; a 23–08 night given only «helg» stays a night
    before a practice day, for the checker and the solver."""
    priced = template("natt", "23:00", "08:00", label="natt", counts_as=["helg"])
    sc = month([priced], PRACTICE)
    assert rules_of(sc, roster(sc, ("kari", "natt", "2026-12-01"))) == {"praksisdag"}
    short = {"start": "2026-12-01", "end": "2026-12-02"}
    assert ("natt/2026-12-01", 1) in open_slots(run(month([priced], PRACTICE, away="2026-12-01", **short)))
    evening = template("kveld", "16:00", "23:00", label="kveld", counts_as=["natt"])  # priced as a night: one
    sc = month([evening], PRACTICE)
    assert rules_of(sc, roster(sc, ("kari", "kveld", "2026-12-01"))) == {"praksisdag"}


# --------------------------------------------------------------------------- fritak by age


def sixty_on_the_2nd(**kw: Any) -> dict[str, Any]:
    return {"birth_date": "1966-12-02", **kw}  # turns 60 on 02.12.2026


def test_fritak_from_the_birthday_a_fastlege_reaches_exemption_age() -> None:
    sc = month([KVELD], sixty_on_the_2nd())
    assert rules_of(sc, roster(sc, ("kari", "kveld", "2026-12-01"))) == set()  # still 59
    assert rules_of(sc, roster(sc, ("kari", "kveld", "2026-12-02"))) == {"fritak"}
    later = month([KVELD], sixty_on_the_2nd(), rules={"exemption_age": 65})  # the setting matters
    assert rules_of(later, roster(later, ("kari", "kveld", "2026-12-02"))) == set()
    waived = month([KVELD], sixty_on_the_2nd(waives_age_exemption=True))
    assert rules_of(waived, roster(waived, ("kari", "kveld", "2026-12-02"))) == set()
    employed = month([KVELD], sixty_on_the_2nd(role="spesialist"))  # §13 binds fastleger
    assert rules_of(employed, roster(employed, ("kari", "kveld", "2026-12-02"))) == set()


def test_fritak_by_age_the_solver_and_the_message() -> None:
    short = {"start": "2026-12-02", "end": "2026-12-02"}
    assert ("kveld/2026-12-02", 1) in open_slots(run(month([KVELD], sixty_on_the_2nd(), away="2026-12-02", **short)))
    assert on(run(month([KVELD], sixty_on_the_2nd(waives_age_exemption=True), away="2026-12-02", **short)),
              "kveld/2026-12-02") == {"kari"}
    sc = month([KVELD], sixty_on_the_2nd())
    [v] = [v for v in check_roster(sc, roster(sc, ("kari", "kveld", "2026-12-02"))) if v.rule == "fritak"]
    assert "fritatt (over 60 år)" in v.message


def test_a_leap_day_birthday_is_the_first_of_march_in_both_implementations() -> None:
    born = dt.date(1964, 2, 29)
    assert birthday(born, 63) == dt.date(2027, 3, 1) and birthday(born, 60) == dt.date(2024, 2, 29)
    sc = month([KVELD], {"birth_date": born.isoformat()}, start="2027-02-27", end="2027-03-02",
               rules={"exemption_age": 63})
    assert rules_of(sc, roster(sc, ("kari", "kveld", "2027-02-28"))) == set()  # still 62
    assert rules_of(sc, roster(sc, ("kari", "kveld", "2027-03-01"))) == {"fritak"}
    assert on(run(month([KVELD], {"birth_date": born.isoformat()}, away="2027-02-27", start="2027-02-27",
                        end="2027-02-27", rules={"exemption_age": 63})), "kveld/2027-02-27") == {"kari"}


def test_older_files_saying_over_60_still_read() -> None:
    sc = month([KVELD], {"exemptions": [{"reason": "over 60"}, {"reason": "over 55"}]})
    assert {e.reason.value for e in sc.doctors[0].exemptions} == {"over aldersgrensen"}


# --------------------------------------------------------------------------- legal floors


@pytest.mark.parametrize(("field", "low", "floor", "source"), [
    ("rest_hours_employee", 7.5, 8, "arbeidsmiljøloven §10-8 (1)"),
    ("weekly_rest_hours_employee", 27, 28, "arbeidsmiljøloven §10-8 (2)"),
    ("rest_hours_self_employed", 7, 8, "SFS 2305 pkt 7.4"),
])
def test_rest_below_the_legal_floor_is_refused_with_its_source(field: str, low: float, floor: float,
                                                               source: str) -> None:
    with pytest.raises(ValidationError) as info:
        Rules(**{field: low})
    [error] = info.value.errors()
    assert error["loc"] == (field,) and source in error["msg"] and "under lovens minstekrav" in error["msg"]
    assert getattr(Rules(**{field: floor}), field) == floor


def test_an_override_is_accepted_only_with_a_reason_and_is_on_every_roster() -> None:
    sc = month([DAG], rules={"rest_hours_self_employed": 6, "legal_floor_override": "Dispensasjon fra KS, sak 12/34"})
    solved = run(sc)
    assert any("hviletid for selvstendige 6 timer" in w and "sak 12/34" in w for w in solved.warnings)
    with pytest.raises(ValidationError):
        Rules(rest_hours_self_employed=6, legal_floor_override="   ")


def test_a_workbook_below_the_floor_names_the_cell(tmp_path) -> None:
    import openpyxl

    from roster.excel import read_scenario_workbook, write_template
    from roster.excel.schema import SETTINGS
    from roster.input_errors import InputError

    path = tmp_path / "plan.xlsx"
    write_template(path, month([DAG]))
    wb = openpyxl.load_workbook(path)
    row = 2 + next(i for i, s in enumerate(SETTINGS) if s.path == ("rules", "rest_hours_employee"))
    wb["Periode og regler"][f"B{row}"] = 6
    wb.save(path)
    with pytest.raises(InputError) as info:
        read_scenario_workbook(path)
    [problem] = info.value.problems
    assert problem.startswith(f"Periode og regler!B{row}: 6 timer er under lovens minstekrav (arbeidsmiljøloven")


# --------------------------------------------------------------------------- the pilot


def test_the_pilot_without_a_bakvakt_shift_type_is_refused_with_the_reason() -> None:
    with pytest.raises(ValidationError, match="piloten krever en spesialist på bakvakt"):
        month([DAG], rules={"specialist_bakvakt": True})
    assert month([DAG], rules={"specialist_bakvakt": False}).rules.specialist_bakvakt is False


def test_outside_the_pilot_a_bakvakt_rota_does_not_have_to_cover_open_hours() -> None:
    """A bakvakt shift type for supervision alone, nobody able to take it: in the pilot no
    complete roster exists (strict), outside it the day shift is all there is."""
    bak = template("bak", "08:00", "16:00", station="BAK", label="bakvakt", duty="bakvakt", demand_min=0)
    both = {"stations": [station("BLV"), station("BAK", kind="fjernvakt")], "start": "2026-12-01",
            "end": "2026-12-01"}
    pilot = run(month([DAG, bak], rules={"specialist_bakvakt": True}, **both), strict=True)
    assert pilot.stats.status not in FEASIBLE
    outside = run(month([DAG, bak], rules={"specialist_bakvakt": False}, **both), strict=True)
    assert outside.stats.status in FEASIBLE and outside.uncovered_bakvakt == []


# --------------------------------------------------------------------------- holiday rotation


def christmas(ledger: list[dict[str, Any]], away: str | None = None) -> Scenario:
    return month([DAG], away=away, start="2026-12-24", end="2026-12-24", holiday_ledger=ledger,
                 rules={"weights": {**QUIET, "holiday_repeat": 50}})


def test_holiday_rotation_gives_christmas_to_whoever_did_not_have_it_last_year() -> None:
    kari_last_year = [{"doctor": "kari", "date": "2025-12-25"}]
    assert on(run(christmas(kari_last_year)), "dag/2026-12-24") == {"per"}
    assert on(run(christmas([{"doctor": "per", "date": "2025-12-24"}])), "dag/2026-12-24") == {"kari"}
    forced = run(christmas(kari_last_year, away="2026-12-24"))
    assert forced.stats.terms["samme høytid som i fjor"] == 50
    new_year_only = run(christmas([{"doctor": "kari", "date": "2026-01-01"}], away="2026-12-24"))
    assert new_year_only.stats.terms.get("samme høytid som i fjor", 0) == 0  # New Year is another holiday


def test_the_summary_shows_who_repeats_a_holiday() -> None:
    sc = christmas([{"doctor": "kari", "date": "2025-12-25"}], away="2026-12-24")
    text = render_text(summary_renderables(sc, run(sc), []))
    assert "jul (24.–26.12) 2026" in text and "Kari Nordmann (1)" in text


def test_the_ledger_refuses_a_date_that_is_no_rotated_holiday() -> None:
    with pytest.raises(ValidationError, match="er ingen jule-, nyttårs- eller påskedag"):
        christmas([{"doctor": "kari", "date": "2025-12-27"}])


def test_easter_is_rotated_like_christmas() -> None:
    """Good Friday 2026 in the ledger gives Kari's Maundy Thursday 2027 to Per; a shift she worked
    on a Tuesday after Easter 2026 is no Easter and is refused as ledger."""
    easter = month([DAG], start="2027-03-25", end="2027-03-25", rules={"weights": {**QUIET, "holiday_repeat": 50}},
                   holiday_ledger=[{"doctor": "kari", "date": "2026-04-03"}])
    assert on(run(easter), "dag/2027-03-25") == {"per"}
    with pytest.raises(ValidationError, match="er ingen jule-, nyttårs- eller påskedag"):
        month([DAG], start="2027-03-25", end="2027-03-25", holiday_ledger=[{"doctor": "kari", "date": "2026-04-07"}])


# --------------------------------------------------------------------------- ALIS towards 40


def _alis(competence: dict[str, Any], history: dict[str, Any] | None = None) -> Scenario:
    """Kari, ALIS not qualified, in December 2026 (one month), with ``competence`` and history."""
    return month([DAG], kari={"role": "ALIS", "competence": {"qualified": None, **competence}},
                 history=[{"doctor": "kari", **history}] if history else [])


@pytest.mark.parametrize(("competence", "history", "shifts", "expected"), [
    # 40 − 28 − 1 = 11 to go at 3 shifts in 3 months (2 earlier + this one): 11 months from January
    ({"clinical_months": 40, "legevakt_shifts_done": 28}, {"shifts": 2, "periods": 2}, 1, dt.date(2027, 12, 1)),
    # the same pace, but 10 months of clinical service: 30 reached after 19 more (December counts one)
    ({"clinical_months": 10, "legevakt_shifts_done": 28}, {"shifts": 2, "periods": 2}, 1, dt.date(2028, 8, 1)),
    # half a year as a municipal GP is a year five months after December: before 40 shifts
    ({"clinical_months": 40, "legevakt_shifts_done": 28, "municipal_gp_years": 0.5},
     {"shifts": 2, "periods": 2}, 1, dt.date(2027, 6, 1)),
    # 40 reached in December, clinical service long enough: from January
    ({"clinical_months": 40, "legevakt_shifts_done": 38}, None, 2, dt.date(2027, 1, 1)),
    # no shift so far and no municipal GP time: no pace to go by
    ({"clinical_months": 40, "legevakt_shifts_done": 0}, None, 0, None),
])
def test_an_alis_is_told_from_when_they_may_work_alone_going_on_as_so_far(competence, history, shifts, expected):
    sc = _alis(competence, history)
    assert expected_alone(sc, sc.doctors[0], shifts) == expected


def test_the_summary_shows_how_many_shifts_an_alis_has_left_towards_forty() -> None:
    """Kari, ALIS with 37 done, works three shifts: 40 after the period, none left; Per (no ALIS)
    has no row."""
    sc = month([DAG], start="2026-12-01", end="2026-12-03",
               kari={"role": "ALIS", "competence": {"qualified": True, "legevakt_shifts_done": 37}})
    r = roster(sc, *(("kari", "dag", f"2026-12-0{d}") for d in (1, 2, 3)))
    text = render_text(summary_renderables(sc, r, []))
    assert "ALIS mot 40 legevakter" in text
    row = next(line for line in text.splitlines() if "Kari Nordmann" in line)
    assert [cell.strip() for cell in row.split("│")[3:7]] == ["37", "3", "40", "0"]
    fewer = render_text(summary_renderables(sc, roster(sc, ("kari", "dag", "2026-12-01")), []))
    row = next(line for line in fewer.splitlines() if "Kari Nordmann" in line)
    assert [cell.strip() for cell in row.split("│")[3:7]] == ["37", "1", "38", "2"]
    alis_table = text.split("ALIS mot 40 legevakter")[1]
    assert "Kari Nordmann" in alis_table and " Per " not in alis_table
    assert "Alene fra" in alis_table and row.split("│")[8].strip() == "–"  # qualified already: no date


def test_the_summary_says_from_when_an_alis_may_work_alone() -> None:
    sc = _alis({"clinical_months": 40, "legevakt_shifts_done": 28}, {"shifts": 2, "periods": 2})
    text = render_text(summary_renderables(sc, roster(sc, ("kari", "dag", "2026-12-01")), []))
    row = next(line for line in text.split("ALIS mot 40 legevakter")[1].splitlines() if "Kari Nordmann" in line)
    assert row.split("│")[8].strip() == "12.2027"
