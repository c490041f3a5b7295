"""Reading scenario and roster files: every problem in Norwegian, with its JSON path, all at once."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from factories import doctor, station, template

from roster.models import Assignment, Roster
from roster.scenario_io import (
    InputError,
    dump_scenario,
    load_roster,
    load_scenario,
    reference_problems,
    scenario_from_data,
)


def data(**kw: Any) -> dict[str, Any]:
    """A small valid scenario as raw data; keyword arguments replace top-level keys."""
    d: dict[str, Any] = {
        "name": "test",
        "period": {"start": "2026-12-01", "end": "2026-12-03"},
        "rules": {"specialist_bakvakt": False},  # no bakvakt rota: outside the pilot
        "stations": [station()],
        "templates": [template("dag", "08:00", "16:00")],
        "doctors": [doctor("a"), doctor("b")],
    }
    d.update(kw)
    return d


def problems_of(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as info:
        scenario_from_data(raw)
    return info.value.problems


def write(tmp_path: Path, name: str, raw: dict[str, Any]) -> Path:
    p = tmp_path / name
    if name.endswith(".json"):
        p.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    else:
        p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return p


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            data(doctors=[doctor("a", role="kirurg")]),
            "doctors[0].role: ugyldig verdi «kirurg»; gyldige verdier: fastlege, ALIS, spesialist, LIS1, annen – gjelder «A» (id a)",
            id="unknown-role",
        ),
        pytest.param(data(doctors=[doctor("a", share=-1)]), "doctors[0].share: må være minst 0 (fikk -1) – gjelder «A» (id a)",
                     id="negative-share"),
        pytest.param(data(templates=[template("dag", "08:00", "08:00")]),
                     "templates[0]: slutt kan ikke være lik start; et døgn legges inn som to vakttyper, "
                     "f.eks. 08:00–20:00 og 20:00–08:00", id="end-equals-start"),
        pytest.param(data(wishes=[{"doctor": "a", "date": "2027-01-05"}]),
                     "wishes[0].date: 05.01.2027 er utenfor perioden 01.12.2026–03.12.2026", id="wish-outside"),
        pytest.param(data(absences=[{"doctor": "zz", "start": "2026-12-01", "end": "2026-12-02"}]),
                     "absences[0].doctor: lege «zz» finnes ikke", id="absence-unknown-doctor"),
        pytest.param(data(doctors=[doctor("a"), doctor("b"), doctor("a")]),
                     "doctors[2].id: «a» er brukt mer enn én gang (også i doctors[0]) – gjelder «A»", id="duplicate-id"),
        pytest.param(data(doctors=[doctor("a", shar=1.0)]), "doctors[0].shar: ukjent felt (skrivefeil?) – gjelder «A» (id a)",
                     id="unknown-key"),
        pytest.param(data(rules={"specialist_bakvakt": False, "required_courses": "akuttmedisin"}),
                     "rules.required_courses: ventet en liste (fikk «akuttmedisin»)", id="required-courses-text"),
        pytest.param(data(rules={"specialist_bakvakt": False, "required_courses": ["akuttmedisin", " "]}),
                     "rules.required_courses[1]: kan ikke være tom (fikk «»)", id="required-course-empty"),
        pytest.param(data(rules={"specialist_bakvakt": False, "required_courses": ["akuttmedisin", "Akuttmedisin"]}),
                     "rules.required_courses: kurset «Akuttmedisin» står to ganger (også som «akuttmedisin»)",
                     id="required-course-twice"),
        pytest.param(data(doctors=[doctor("a", courses={"Traumekurs": "2027-01-01", "traume kurs": "2026-01-01",
                                                              "traumeKURS": "2026-01-01"})]),
                     "doctors[0].courses: kurset «traumeKURS» står to ganger (også som «Traumekurs») – gjelder «A» (id a)",
                     id="doctor-course-twice"),
        pytest.param(data(doctors=[doctor("a", courses={"akutt, medisin": "2027-01-01"})]),
                     'doctors[0].courses["akutt, medisin"]: et kursnavn kan ikke inneholde «,» (skiller kursene i en liste) – gjelder «A» (id a)',
                     id="doctor-course-separator"),
    ],
)
def test_bad_scenario_file_gives_one_norwegian_problem_with_its_path(tmp_path, suffix, raw, expected):
    with pytest.raises(InputError) as info:
        load_scenario(write(tmp_path, "scenario" + suffix, raw))
    assert info.value.problems == [expected]
    assert info.value.source.endswith("scenario" + suffix)


def test_invalid_json_syntax_names_line_and_column(tmp_path):
    p = tmp_path / "s.json"
    p.write_text('{\n  "name": "x",\n  "period": {"start": "2026-12-01",}\n}', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(p)
    assert info.value.problems == [
        "linje 3, kolonne 36: ugyldig JSON (ventet et feltnavn i doble anførselstegn)"
    ]


def test_invalid_yaml_syntax_names_line_and_column(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("name: x\nperiod:\n  start: [2026-12-01\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(p)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith("linje 4, kolonne 1: ugyldig YAML")


def test_missing_file_and_unknown_suffix(tmp_path):
    with pytest.raises(InputError) as info:
        load_scenario(tmp_path / "finnes-ikke.yaml")
    assert info.value.problems == [f"finner ikke filen {tmp_path / 'finnes-ikke.yaml'}"]
    p = tmp_path / "s.txt"
    p.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(p)
    assert info.value.problems == ["ukjent filtype «.txt»; bruk .json, .yaml eller .xlsx"]


def test_top_level_must_be_an_object():
    with pytest.raises(InputError) as info:
        scenario_from_data([1, 2])
    assert info.value.problems == ["(rot): ventet et objekt med periode, stasjoner, vakttyper og leger"]


def test_field_and_reference_problems_are_reported_together():
    """Pydantic skips the scenario's reference check while a field is invalid; the loader must not."""
    raw = data(
        doctors=[doctor("a", role="kirurg"), doctor("a", share=-2)],
        absences=[{"doctor": "zz", "start": "2026-12-01", "end": "2026-12-02"}],
        wishes=[{"doctor": "a", "date": "2027-01-05", "template": "natt"}],
    )
    assert problems_of(raw) == [
        "doctors[0].role: ugyldig verdi «kirurg»; gyldige verdier: fastlege, ALIS, spesialist, LIS1, annen – gjelder «A» (id a)",
        "doctors[1].share: må være minst 0 (fikk -2) – gjelder «A» (id a)",
        "doctors[1].id: «a» er brukt mer enn én gang (også i doctors[0]) – gjelder «A»",
        "absences[0].doctor: lege «zz» finnes ikke",
        "wishes[0].template: ukjent vakttype «natt»",
        "wishes[0].date: 05.01.2027 er utenfor perioden 01.12.2026–03.12.2026",
    ]


def test_several_reference_problems_at_once_when_all_fields_are_valid():
    raw = data(
        templates=[template("dag", "08:00", "16:00", station="XX")],
        doctors=[doctor("a", stations=["BLV", "YY"]), doctor("a")],
        pins=[{"doctor": "q", "date": "2026-12-02", "template": "dag"}],
    )
    expected = [
        "doctors[1].id: «a» er brukt mer enn én gang (også i doctors[0])",
        "templates[0].station: ukjent stasjon «XX»",
        "doctors[0].stations[1]: ukjent stasjon «YY»",
        "pins[0].doctor: lege «q» finnes ikke",
    ]
    assert problems_of(raw) == [expected[0] + " – gjelder «A»", expected[1], expected[2] + " – gjelder «A» (id a)",
                                expected[3]]
    # the lenient twin used while fields are invalid says the same (the loader adds whose they are)
    assert reference_problems(raw) == expected


def test_lenient_reference_check_skips_what_it_cannot_read():
    raw = data(absences=[{"start": "2026-12-01", "end": "2026-12-02"}], wishes=[{"doctor": "a", "date": "i morgen"}])
    assert reference_problems(raw) == []
    assert problems_of(raw) == [
        "absences[0].doctor: mangler",
        "wishes[0].date: ventet en dato (ÅÅÅÅ-MM-DD) (fikk «i morgen»)",
    ]


def test_whole_day_absence_stays_a_date_so_it_covers_the_last_day():
    s = scenario_from_data(data(absences=[{"doctor": "a", "start": "2026-12-02", "end": "2026-12-02"}]))
    assert s.absences[0].start == dt.date(2026, 12, 2) and not isinstance(s.absences[0].start, dt.datetime)
    timed = scenario_from_data(data(absences=[{"doctor": "a", "start": "2026-12-02T12:00", "end": "2026-12-02T18:00"}]))
    assert timed.absences[0].end == dt.datetime(2026, 12, 2, 18, 0)


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_round_trip_dump_then_load_gives_the_same_scenario(tmp_path, suffix):
    original = scenario_from_data(data(
        absences=[{"doctor": "a", "start": "2026-12-02", "end": "2026-12-02", "kind": "kurs"},
                  {"doctor": "b", "start": "2026-12-01T12:00", "end": "2026-12-01T18:00"}],
        wishes=[{"doctor": "b", "date": "2026-12-03", "template": "dag", "wants": True, "weight": 3}],
        pins=[{"doctor": "a", "date": "2026-12-01", "template": "dag"}],
        history=[{"doctor": "a", "shifts": 4, "points": 31.5, "periods": 2}],
        extra_holidays=[{"date": "2026-12-24", "name": "Julaften"}],
    ))
    p = tmp_path / ("s" + suffix)
    dump_scenario(original, p)
    assert load_scenario(p) == original


def test_roster_json_is_read_back_and_bad_roster_reports_paths(tmp_path):
    s = scenario_from_data(data())
    r = Roster(scenario="test", period=s.period, assignments=[Assignment(doctor="a", template="dag", date=dt.date(2026, 12, 1))])
    p = tmp_path / "roster.json"
    p.write_text(r.model_dump_json(), encoding="utf-8")
    assert load_roster(s, p) == r
    bad = json.loads(r.model_dump_json())
    bad["assignments"][0]["date"] = "1. desember"
    p.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_roster(s, p)
    assert info.value.problems == ["assignments[0].date: ventet en dato (ÅÅÅÅ-MM-DD) (fikk «1. desember»)"]


def test_a_roster_json_of_another_period_or_scenario_is_refused(tmp_path):
    """Measured against the wrong scenario, such a roster read as an empty, perfectly fair one."""
    s = scenario_from_data(data())
    day = dt.date(2026, 12, 1)
    p = tmp_path / "vaktplan.json"

    def refused(r: Roster) -> list[str]:
        p.write_text(r.model_dump_json(), encoding="utf-8")
        with pytest.raises(InputError) as info:
            load_roster(s, p)
        assert info.value.source == str(p)
        return info.value.problems

    earlier = s.period.model_copy(update={"start": dt.date(2026, 11, 24), "end": dt.date(2026, 11, 26)})
    assert refused(Roster(scenario="test", period=earlier)) == [
        "period: vaktplanen gjelder 24.11.2026–26.11.2026, scenarioet 01.12.2026–03.12.2026; "
        "vaktplanen hører til en annen periode"]
    foreign = [Assignment(doctor="x", template="dag", date=day), Assignment(doctor="a", template="natt", date=day)]
    assert refused(Roster(scenario="Bergen", period=s.period, assignments=foreign)) == [
        "assignments: ingen av vaktplanens 2 tildelinger passer til scenarioet (assignments[0]: lege «x» finnes "
        "ikke i scenarioet); vaktplanen hører til et annet scenario (den er laget for «Bergen», ikke «test»)"]
    # One assignment of the scenario's own: the rest are the checker's findings, not a refusal.
    mixed = Roster(scenario="test", period=s.period, assignments=[*foreign, Assignment(doctor="b", template="dag", date=day)])
    p.write_text(mixed.model_dump_json(), encoding="utf-8")
    assert load_roster(s, p) == mixed
    # A renamed scenario of the same period, and an empty roster of the period, are read as they are.
    renamed = mixed.model_copy(update={"scenario": "nytt navn"})
    p.write_text(renamed.model_dump_json(), encoding="utf-8")
    assert load_roster(s, p) == renamed
    empty = Roster(scenario="test", period=s.period)
    p.write_text(empty.model_dump_json(), encoding="utf-8")
    assert load_roster(s, p) == empty


def test_demand_changes_are_checked_with_their_paths():
    weekdays = template("kveld", "16:00", "23:00", day_types=["hverdag"])
    raw = data(templates=[template("dag", "08:00", "16:00"), weekdays], demand_changes=[
        {"template": "natt", "date": "2026-12-02", "demand_min": 1},
        {"template": "dag", "date": "2027-01-02", "demand_min": 1},
        {"template": "dag", "date": "2026-12-02", "demand_min": 2},
        {"template": "dag", "date": "2026-12-02", "demand_min": 3},
    ])
    assert problems_of(raw) == [
        "demand_changes[0].template: ukjent vakttype «natt»",
        "demand_changes[1].date: 02.01.2027 er utenfor perioden 01.12.2026–03.12.2026",
        "demand_changes[3].template: dag 02.12.2026 er endret to ganger",
    ]
    # a shift that does not run that date (6 December 2026 is a Sunday)
    sunday = data(period={"start": "2026-12-01", "end": "2026-12-07"}, templates=[weekdays],
                  demand_changes=[{"template": "kveld", "date": "2026-12-06", "demand_min": 2}])
    assert problems_of(sunday) == ["demand_changes[0].date: vakttypen «kveld» går ikke 06.12.2026 (søndag)"]


def test_labels_named_by_shift_types_limits_and_successions_must_exist():
    raw = data(doctors=[doctor("a", shift_labels=["dag", "nat"], max_shifts_by_label={"natt": 1})],
               rules={"forbidden_successions": [{"first": "dag", "then": "kvell"}]})
    assert problems_of(raw) == [
        "doctors[0].shift_labels[1]: ingen vakttype har betegnelsen «nat» – gjelder «A» (id a)",
        "doctors[0].max_shifts_by_label.natt: ingen vakttype har betegnelsen «natt» – gjelder «A» (id a)",
        "rules.forbidden_successions[0].then: ingen vakttype har betegnelsen «kvell»",
    ]


def test_an_unknown_fairness_pool_is_reported_at_the_field_naming_it():
    raw = data(rules={"specialist_bakvakt": False, "fairness": {"min_shifts": {"tull": 3}, "own_level": ["x", "ALIS"]}})
    pools = "(gruppene er ALIS, ansatte, fastleger, spesialister)"
    assert problems_of(raw) == [f"rules.fairness.min_shifts: ukjent gruppe «tull» {pools}",
                                f"rules.fairness.own_level: ukjent gruppe «x» {pools}"]


def test_a_doctors_problem_says_whose_it_is_without_quoting_the_field_refused():
    """``doctors[240].share`` alone sent a manager counting down a file of 295 doctors."""
    raw = data(doctors=[doctor("a", name="Kari Nordmann", share=-1), doctor("b", name="Ola\x1bNordmann"),
                        doctor("c", name="Per Hansen", role="kirurg"), "ikke en lege"])
    assert problems_of(raw) == [
        "doctors[0].share: må være minst 0 (fikk -1) – gjelder «Kari Nordmann» (id a)",
        "doctors[1].name: teksten inneholder et usynlig styretegn (U+001B); fjern det – gjelder id b",
        "doctors[2].role: ugyldig verdi «kirurg»; gyldige verdier: fastlege, ALIS, spesialist, LIS1, annen"
        " – gjelder «Per Hansen» (id c)",
        "doctors[3]: ventet et objekt (nøkkel: verdi) (fikk «ikke en lege»)",
    ]
