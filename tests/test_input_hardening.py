"""Scenario files an attacker or a careless user writes (issue 14): absurd numbers, non-finite
values, misread times, structures no scenario has. Each is refused with its JSON path (or line) in
Norwegian; the value just inside each bound is accepted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from factories import doctor, template
from test_scenario_io import data

from roster.models import MAX_DEMAND, MAX_WEIGHT
from roster.scenario_io import InputError, load_scenario, scenario_from_data


def problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as info:
        scenario_from_data(raw)
    return info.value.problems


def file_problems(tmp_path: Path, name: str, text: str) -> list[str]:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(p)
    return info.value.problems


def with_rules(**rules: Any) -> dict[str, Any]:
    return data(rules=rules)


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(("raw", "path"), [
    (with_rules(weights={"open_slot": 10**15}), "rules.weights.open_slot: kan være høyst"),
    (data(templates=[template("dag", "08:00", "16:00", demand_min=10**9, demand_max=10**9)]),
     "templates[0].demand_min: kan være høyst"),
    (data(history=[{"doctor": "a", "points": 1e300}]), "history[0].points: kan være høyst"),
    (with_rules(burden={"weekday_night": 1e300}), "rules.burden.weekday_night: kan være høyst"),
    (with_rules(max_consecutive_nights=10**12), "rules.max_consecutive_nights: kan være høyst"),
    (data(doctors=[doctor("a", max_hours=1e300), doctor("b")]), "doctors[0].max_hours: kan være høyst"),
])
def test_absurd_numbers_are_refused_with_their_path(raw, path):
    assert any(p.startswith(path) for p in problems(raw)), problems(raw)


@pytest.mark.parametrize(("raw", "message"), [
    (data(history=[{"doctor": "a", "points": 1e30}]), "history[0].points: kan være høyst 10 000 000 (fikk 1e+30)"),
    (with_rules(fairness={"history_half_life": 0}), "rules.fairness.history_half_life: må være større enn 0 (fikk 0)"),
    (with_rules(night_category_min_hours=-1.5), "rules.night_category_min_hours: må være større enn 0 (fikk -1.5)"),
    (data(doctors=[doctor("a", share=-1), doctor("b")]), "doctors[0].share: må være minst 0 (fikk -1) – gjelder «A» (id a)"),
])
def test_a_bound_is_written_as_norwegian_reads_it(raw, message):
    """A strict bound is not «minst», and a float bound reads «10 000 000», not «10000000.0»."""
    assert message in problems(raw), problems(raw)


def test_the_largest_allowed_numbers_are_accepted():
    s = scenario_from_data(data(
        rules={"weights": {"open_slot": MAX_WEIGHT}, "specialist_bakvakt": False},
        templates=[template("dag", "08:00", "16:00", demand_min=MAX_DEMAND, demand_max=MAX_DEMAND)],
    ))
    assert s.rules.weights.open_slot == MAX_WEIGHT and s.templates[0].demand_min == MAX_DEMAND


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_numbers_are_refused_in_history_and_weights(value):
    found = problems(data(history=[{"doctor": "a", "points": value, "hours": value}],
                          rules={"burden": {"weekday_day": value}}))
    for path in ("history[0].points", "history[0].hours", "rules.burden.weekday_day"):
        assert any(p.startswith(f"{path}: ") for p in found), found
    assert not any("should" in p or "Input" in p for p in found), found  # no English


def test_yaml_infinity_is_refused(tmp_path):
    found = file_problems(tmp_path, "s.yaml", "name: x\nperiod: {start: 2026-12-01, end: 2026-12-03}\n"
                          "stations: [{id: BLV, name: B, kind: legevakt}]\n"
                          "templates: [{id: d, station: BLV, label: dag, start: '08:00', end: '16:00', day_types: [hverdag]}]\n"
                          "doctors: [{id: a, name: A, role: fastlege}]\n"
                          "history: [{doctor: a, points: .inf}]\n")
    assert found == ["history[0].points: ventet et endelig tall (ikke NaN eller uendelig) (fikk «inf»)"]


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_an_integer_of_5000_digits_is_refused_with_its_path(tmp_path, suffix):
    raw = data(templates=[template("dag", "08:00", "16:00", demand_min=7, demand_max=7)])
    text = json.dumps(raw).replace('"demand_min": 7', '"demand_min": ' + "9" * 5000)
    assert file_problems(tmp_path, f"s{suffix}", text) == [
        "templates[0].demand_min: tallet har 5000 sifre; høyst 30 er tillatt"]


# --------------------------------------------------------------------------- dates and times


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-01"])
def test_dates_outside_any_plausible_calendar_are_refused(start):
    end = start[:8] + "31"
    found = problems(data(period={"start": start, "end": end}))
    assert "period.start: datoen må ligge mellom 01.01.1900 og 31.12.2199" in found


def test_a_birth_date_after_the_period_starts_is_refused():
    found = problems(data(doctors=[doctor("a", birth_date="2030-01-01"), doctor("b")]))
    assert found == ["doctors[0].birth_date: fødselsdatoen 01.01.2030 er etter periodens første dag 01.12.2026 – gjelder «A» (id a)"]
    assert scenario_from_data(data(doctors=[doctor("a", birth_date="1970-01-01"), doctor("b")]))


def test_a_doctors_history_twice_is_refused():
    found = problems(data(history=[{"doctor": "a", "points": 3}, {"doctor": "a", "points": 5}]))
    assert found == ["history[1].doctor: lege «a» har historikk mer enn én gang"]
    assert scenario_from_data(data(history=[{"doctor": "a", "points": 3}, {"doctor": "b", "points": 5}]))


@pytest.mark.parametrize("value", [800, 16.5])
def test_a_clock_time_given_as_a_number_is_refused(value):
    found = problems(data(templates=[template("dag", value, "16:00")]))
    assert found == [f'templates[0].start: ventet et klokkeslett som tekst, f.eks. "16:00" (fikk tallet {value})']


def test_an_unquoted_yaml_time_is_not_read_as_a_number_of_seconds(tmp_path):
    """YAML 1.1 reads 16:00 as the sexagesimal number 960."""
    found = file_problems(tmp_path, "s.yaml", "name: x\nperiod: {start: 2026-12-01, end: 2026-12-03}\n"
                          "stations: [{id: BLV, name: B, kind: legevakt}]\n"
                          "templates: [{id: d, station: BLV, label: dag, start: 08:00, end: 16:00, day_types: [hverdag]}]\n"
                          "doctors: [{id: a, name: A, role: fastlege}]\n")
    assert any(p.startswith("templates[0].end: ventet et klokkeslett som tekst") and "960" in p for p in found), found


def test_a_clock_time_with_a_time_zone_is_refused():
    found = problems(data(templates=[template("dag", "08:00Z", "16:00")]))
    assert found == ["templates[0].start: klokkeslett oppgis uten tidssone (norsk tid)"]


def test_a_yaml_timestamp_where_a_date_belongs_is_refused_in_norwegian(tmp_path):
    found = file_problems(tmp_path, "s.yaml", "name: x\nperiod: {start: 2026-12-01 08:00:00, end: 2026-12-03}\n"
                          "stations: [{id: BLV, name: B, kind: legevakt}]\n"
                          "templates: [{id: d, station: BLV, label: dag, start: '08:00', end: '16:00', day_types: [hverdag]}]\n"
                          "doctors: [{id: a, name: A, role: fastlege}]\n")
    assert found == ["period.start: ventet en dato uten klokkeslett (fikk «2026-12-01 08:00:00»)"]


def test_an_absence_with_a_time_zone_is_read_as_oslo_time():
    s = scenario_from_data(data(absences=[{"doctor": "a", "start": "2026-12-02T07:00:00Z",
                                           "end": "2026-12-02T11:00:00+00:00"}]))
    assert (s.absences[0].start, s.absences[0].end) == (dt.datetime(2026, 12, 2, 8), dt.datetime(2026, 12, 2, 12))


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize(("name", "text"), [
    ("s.json", '{"name": ' + "[" * 3000 + "]" * 3000 + "}"),
    ("s.json", '{"name": ' + "[" * 40 + "]" * 40 + "}"),
    ("s.yaml", "name: " + "[" * 3000 + "]" * 3000 + "\n"),
    ("s.yaml", "name: " + "[" * 40 + "]" * 40 + "\n"),
])
def test_deep_nesting_is_refused(tmp_path, name, text):
    found = file_problems(tmp_path, name, text)
    assert len(found) == 1 and ("for dyp nesting" in found[0] or "ugyldig YAML" in found[0]), found


def test_yaml_aliases_cannot_multiply_a_small_file_into_millions_of_values(tmp_path):
    lines = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for prev, name in zip("abcdefg", "bcdefgh"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    assert file_problems(tmp_path, "s.yaml", "\n".join(lines) + "\n") == ["(rot): filen har mer enn 2 000 000 verdier"]


def test_a_yaml_key_given_twice_is_refused_with_its_line(tmp_path):
    body = {k: v for k, v in data().items() if k != "name"}
    text = "name: første\n" + yaml.safe_dump(body, allow_unicode=True) + "name: andre\n"
    found = file_problems(tmp_path, "s.yaml", text)
    assert found == [f"linje {text.count(chr(10))}, kolonne 1: feltet «name» står to ganger"]


def test_a_json_key_given_twice_is_refused_with_its_path(tmp_path):
    text = json.dumps(data()).replace('"role": "fastlege"', '"role": "fastlege", "role": "spesialist"', 1)
    assert file_problems(tmp_path, "s.json", text) == ["doctors[0].role: feltet står to ganger"]


@pytest.mark.parametrize(("key", "message"), [
    ("~", "(rot): et felt mangler navn (nøkkelen er tom, ~ eller null)"),
    ("5", "(rot): feltnavnet «5» er ikke tekst; skriv det i anførselstegn"),
    ("no", "(rot): et feltnavn leses som ja/nei (yes, no, on, off …); skriv det i anførselstegn"),
])
def test_a_yaml_key_that_is_not_text_is_refused_in_norwegian(tmp_path, key, message):
    text = f"{key}: 1\n" + yaml.safe_dump(data(), allow_unicode=True)
    assert file_problems(tmp_path, "s.yaml", text) == [message]


def test_a_json_file_beginning_with_a_byte_order_mark_is_read(tmp_path):
    p = tmp_path / "s.json"
    p.write_text(json.dumps(data()), encoding="utf-8-sig")
    assert load_scenario(p) == scenario_from_data(data())


def test_a_long_bad_value_is_quoted_back_shortened():
    found = problems(data(doctors=[doctor("a", role="x" * 5000), doctor("b")]))
    assert len(found) == 1 and len(found[0]) < 300 and "(5000 tegn)" in found[0]


def test_a_date_given_as_a_number_is_not_read_as_seconds_since_1970():
    found = problems(data(doctors=[doctor("a", birth_date=86400), doctor("b")]))
    assert found == ['doctors[0].birth_date: ventet en dato som tekst, f.eks. "2026-12-01" (fikk tallet 86400) – gjelder «A» (id a)']


@pytest.mark.parametrize("option", [["--seed", str(2**31)], ["--seed", "-5"], ["--workers", "100000"],
                                    ["--time-limit", "inf"], ["--time-limit", "nan"], ["--explain-time", "inf"]])
def test_absurd_solver_options_exit_2_without_a_traceback(tmp_path, option):
    from typer.testing import CliRunner

    from api.cli import app
    from api.cli.common import EXIT_BAD_INPUT
    from roster.scenario_io import dump_scenario

    path = tmp_path / "s.yaml"
    dump_scenario(scenario_from_data(data()), path)
    result = CliRunner().invoke(app, ["solve", str(path), "-o", str(tmp_path / "ut"), *option])
    assert result.exit_code == EXIT_BAD_INPUT and isinstance(result.exception, SystemExit), result.output
    assert not (tmp_path / "ut").exists()


def test_a_replan_moment_in_the_year_1_exits_2_without_a_traceback(tmp_path):
    from typer.testing import CliRunner

    from api.cli import app
    from api.cli.common import EXIT_BAD_INPUT
    from roster.scenario_io import dump_scenario

    path = tmp_path / "s.yaml"
    dump_scenario(scenario_from_data(data()), path)
    result = CliRunner().invoke(app, ["replan", str(path), "--roster", str(tmp_path / "r.json"), "--change",
                                      str(tmp_path / "c.yaml"), "--now", "0001-01-01T00:00"])
    assert result.exit_code == EXIT_BAD_INPUT and isinstance(result.exception, SystemExit), result.output
    assert "--now: ventet et tidspunkt" in result.output


# --------------------------------------------------------------------------- text a workbook or terminal cannot hold


@pytest.mark.parametrize("name, code", [("Ola\u0007Bjelle", "U+0007"), ("Kari\u0000Null", "U+0000"),
                                        ("Per\u001b[31mRød", "U+001B"), ("Anne\u202eessaH", "U+202E")])
def test_a_control_character_in_a_name_is_refused_with_its_path(name, code):
    found = problems(data(doctors=[doctor("a"), doctor("b", name=name)]))
    assert found == [f"doctors[1].name: teksten inneholder et usynlig styretegn ({code}); fjern det – gjelder id b"]


def test_a_control_character_inside_a_list_is_refused_and_a_line_break_in_a_note_is_not():
    found = problems(data(doctors=[doctor("a", shift_labels=["na\u001bt"]), doctor("b")]))
    assert found == ["doctors[0].shift_labels: teksten inneholder et usynlig styretegn (U+001B); fjern det – gjelder «A» (id a)"]
    note = scenario_from_data(data(absences=[{"doctor": "a", "start": "2026-12-01", "end": "2026-12-01",
                                              "note": "ringte inn\nkommer tilbake\tmandag"}]))
    assert note.absences[0].note == "ringte inn\nkommer tilbake\tmandag"


def test_names_and_ids_are_one_line_and_free_of_the_workbooks_separators():
    found = problems(data(doctors=[doctor("a", name="Per\nHansen"), doctor("b", name="Ola; Nordmann"), doctor("c,d")]))
    assert found == ["doctors[0].name: kan ikke inneholde linjeskift eller tabulator (U+000A) – gjelder id a",
                     "doctors[1].name: et navn kan ikke inneholde «;» (skiller navn i vaktplanens celler) – gjelder id b",
                     "doctors[2].id: en id kan ikke inneholde «,» (skiller id-er i lister) – gjelder «C,d»"]
    assert scenario_from_data(data(doctors=[doctor("a", name="Ola Nordmann-Hansen (vikar)"), doctor("b")]))


def test_two_doctors_of_one_name_are_refused_however_it_is_spaced_or_cased():
    found = problems(data(doctors=[doctor("a", name="Kari Nordmann"), doctor("b", name="kari  NORDMANN")]))
    assert found == ["doctors[1].name: «kari  NORDMANN» er også navnet til lege «a»: skill navnene "
                     "(f.eks. med mellomnavn eller forbokstav) – gjelder id b"]
    assert scenario_from_data(data(doctors=[doctor("a", name="Kari Nordmann"), doctor("b", name="Kari B. Nordmann")]))


def test_ids_that_differ_only_in_case_are_refused():
    found = problems(data(doctors=[doctor("fl001", name="A"), doctor("FL001", name="B")]))
    assert found == ["doctors[1].id: «FL001» skiller seg fra «fl001» bare i store og små bokstaver, "
                     "så en henvisning kan ikke skilles fra den andre – gjelder «B»"]


def test_an_absence_wholly_outside_the_period_is_refused_and_one_reaching_into_it_is_not():
    outside = {"doctor": "a", "start": "2025-12-02", "end": "2025-12-03", "kind": "sykdom"}
    found = problems(data(absences=[outside]))
    assert found == ["absences[0].start: fraværet 02.12.2025–03.12.2025 ligger helt utenfor perioden "
                     "01.12.2026–03.12.2026 (feil år?)"]
    reaching = {"doctor": "a", "start": "2026-11-28", "end": "2026-12-01", "kind": "sykdom"}
    assert len(scenario_from_data(data(absences=[reaching])).absences) == 1


def test_a_birth_date_that_makes_a_child_is_refused_and_one_of_twenty_is_accepted():
    found = problems(data(doctors=[doctor("a", birth_date="2021-06-01"), doctor("b")]))
    assert found == ["doctors[0].birth_date: fødselsdatoen 01.06.2021 gir en lege under 20 år når perioden begynner "
                     "(feil år?) – gjelder «A» (id a)"]
    assert scenario_from_data(data(doctors=[doctor("a", birth_date="2006-12-01"), doctor("b")]))
    assert problems(data(doctors=[doctor("a", birth_date="2006-12-02"), doctor("b")]))


def test_hours_per_seven_days_below_one_hour_are_refused():
    outside_pilot = {"specialist_bakvakt": False}
    assert problems(with_rules(**outside_pilot, max_hours_per_7_days=0.0001)) == [
        "rules.max_hours_per_7_days: må være minst 1 (fikk 0.0001)"]
    assert scenario_from_data(with_rules(**outside_pilot, max_hours_per_7_days=1)).rules.max_hours_per_7_days == 1


@pytest.mark.parametrize(("raw", "message"), [
    (data(doctors=[doctor("a", share="0_5"), doctor("b")]), "doctors[0].share: «0_5» er ikke et tall"),
    (data(doctors=[doctor("a", max_shifts_by_label={"natt": "1_0"}), doctor("b")]),
     "doctors[0].max_shifts_by_label: «1_0» er ikke et tall"),
    (with_rules(rest_hours_employee="1_1"), "rules.rest_hours_employee: «1_1» er ikke et tall"),
])
def test_a_number_written_as_text_with_an_underscore_is_refused_not_read_as_digits_grouped(raw, message):
    """Pydantic reads the text "0_5" as 5; meant was 0.5."""
    found = problems(raw)
    assert any(p.startswith(message) for p in found), found


def test_a_number_written_as_text_is_still_read():
    assert scenario_from_data(data(doctors=[doctor("a", share="0.5"), doctor("b")])).doctors[0].share == 0.5
