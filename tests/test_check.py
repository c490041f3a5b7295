"""The independent checker: for every rule code a roster that breaks it and a near-identical one that
does not. Scenarios are tiny; templates default to demand_min 0 so that only the rule under test
can fire (a station with demand_min 0 is "open" for the bakvakt rule only while a doctor works
there: the tests of other rules with on-call shifts switch the pilot off, ``NO_PILOT``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from factories import doctor, scenario, station, template
from roster.calendar import ShiftIndex
from roster.check import RULES, Violation, check_roster, format_report, unexpected_violations
from roster.check.context import Context
from roster.check.times import intersect, subtract, union
from roster.models import Assignment, BurdenCategory, OpenSlot, Roster, Scenario

BLV = station("BLV", name="Bergen legevakt")
ASA = station("ASA", kind="bydelslegevakt", name="Åsane legevakt")


def tpl(id: str, start: str, end: str, **kw: Any) -> dict[str, Any]:
    kw.setdefault("demand_min", 0)
    kw.setdefault("demand_max", 2)
    return template(id, start, end, **kw)


def bak(id: str, start: str, end: str, **kw: Any) -> dict[str, Any]:
    return tpl(id, start, end, station="BLV", duty="bakvakt", label=kw.pop("label", "bakvakt"), **kw)


DAY = tpl("dag", "08:00", "16:00")
EVENING = tpl("kveld", "16:00", "23:00")
NIGHT = tpl("natt", "23:00", "08:00")


def make(templates: list[dict], doctors: list[dict], start: str = "2026-12-01", end: str = "2026-12-07",
         **kw: Any) -> Scenario:
    kw.setdefault("stations", [BLV, ASA])
    return scenario(start, end, templates, doctors, **kw)


def roster(sc: Scenario, *assignments: tuple[str, str, str], open_slots: list[tuple[str, str, int]] = (),
           uncovered: list[tuple[str, str]] = ()) -> Roster:
    return Roster(
        scenario=sc.name,
        period=sc.period,
        assignments=[Assignment(doctor=d, template=t, date=dt.date.fromisoformat(day)) for d, t, day in assignments],
        open_slots=[OpenSlot(template=t, date=dt.date.fromisoformat(day), missing=n) for t, day, n in open_slots],
        uncovered_bakvakt=[(dt.datetime.fromisoformat(s), dt.datetime.fromisoformat(e)) for s, e in uncovered],
    )


def only(sc: Scenario, r: Roster, rule: str | None = None) -> list[Violation]:
    """All violations, asserting that they are all of the given rule."""
    found = check_roster(sc, r)
    if rule is not None:
        assert {v.rule for v in found} <= {rule}, [v.message for v in found]
    return found


def one(sc: Scenario, r: Roster, rule: str) -> Violation:
    found = only(sc, r, rule)
    assert len(found) == 1, [v.message for v in found]
    return found[0]


NO_PILOT = {"specialist_bakvakt": False}  # bakvakt-dekning is not the rule under test
KARI = doctor("kari", name="Kari Nordmann")
OLA = doctor("ola", name="Ola Lege", qualified=False, role="ALIS")
SPES = doctor("spes", name="Sara Spesialist", role="spesialist", can_bakvakt=True)


# --------------------------------------------------------------------------- ukjent-vakt


def test_ukjent_vakt_unknown_doctor_template_weekday_and_period():
    weekend = tpl("helg", "10:00", "16:00", day_types=["lørdag", "søndag"])
    sc = make([DAY, weekend], [KARI])
    r = roster(sc, ("nobody", "dag", "2026-12-01"), ("kari", "finnes-ikke", "2026-12-01"),
               ("kari", "helg", "2026-12-02"), ("kari", "dag", "2026-12-24"))
    found = only(sc, r, "ukjent-vakt")
    by_shift = {v.shift: v for v in found}
    assert set(by_shift) == {"dag/2026-12-01", "finnes-ikke/2026-12-01", "helg/2026-12-02", "dag/2026-12-24"}
    assert "nobody" in by_shift["dag/2026-12-01"].message
    assert "02.12.2026" in by_shift["helg/2026-12-02"].message and "hverdag" in by_shift["helg/2026-12-02"].message
    assert "utenfor perioden" in by_shift["dag/2026-12-24"].message
    assert only(sc, roster(sc, ("kari", "helg", "2026-12-05"), ("kari", "dag", "2026-12-01"))) == []


def test_ukjent_vakt_respects_active_dates():
    sc = make([tpl("ny", "08:00", "16:00", active_from="2026-12-03", active_to="2026-12-04")], [KARI])
    assert one(sc, roster(sc, ("kari", "ny", "2026-12-02")), "ukjent-vakt").shift == "ny/2026-12-02"
    assert one(sc, roster(sc, ("kari", "ny", "2026-12-05")), "ukjent-vakt").doctor == "kari"
    assert only(sc, roster(sc, ("kari", "ny", "2026-12-03"), ("kari", "ny", "2026-12-04"))) == []


def test_17_may_template_runs_on_the_holiday_not_the_saturday_before():
    # 17 May 2026 is a Sunday; it is a holiday, so the day type is "helligdag", not "søndag".
    sc = make([tpl("mai17", "10:00", "18:00", day_types=["helligdag"])], [KARI], "2026-05-16", "2026-05-18")
    assert only(sc, roster(sc, ("kari", "mai17", "2026-05-17"))) == []
    assert one(sc, roster(sc, ("kari", "mai17", "2026-05-16")), "ukjent-vakt").shift == "mai17/2026-05-16"


def test_easter_template_runs_maundy_thursday_to_easter_monday_but_not_easter_saturday():
    sc = make([tpl("påske", "10:00", "18:00", day_types=["helligdag"])], [KARI], "2026-04-01", "2026-04-07")
    ok = [("kari", "påske", d) for d in ("2026-04-02", "2026-04-03", "2026-04-05", "2026-04-06")]
    # Kari works four holidays: no rule limits that here (no weekly limits in the factory rules).
    assert only(sc, roster(sc, *ok)) == []
    found = only(sc, roster(sc, ("kari", "påske", "2026-04-04"), ("kari", "påske", "2026-04-01")), "ukjent-vakt")
    assert {v.shift for v in found} == {"påske/2026-04-04", "påske/2026-04-01"}


def test_a_local_holiday_changes_the_day_type():
    weekday = tpl("hverdag", "08:00", "16:00", day_types=["hverdag"])
    sc = make([weekday], [KARI], "2026-12-23", "2026-12-24", extra_holidays=[{"date": "2026-12-24", "name": "Julaften"}])
    v = one(sc, roster(sc, ("kari", "hverdag", "2026-12-24")), "ukjent-vakt")
    assert "går ikke 24.12.2026 (helligdag)" in v.message
    assert only(sc, roster(sc, ("kari", "hverdag", "2026-12-23"))) == []


# --------------------------------------------------------------------------- dobbel, bemanning


def test_dobbel():
    sc = make([DAY], [KARI])
    v = one(sc, roster(sc, ("kari", "dag", "2026-12-01"), ("kari", "dag", "2026-12-01")), "dobbel")
    assert (v.doctor, v.shift) == ("kari", "dag/2026-12-01")
    assert "Kari Nordmann står 2 ganger på Dag Bergen legevakt 01.12.2026 08:00–16:00" in v.message
    assert only(sc, roster(sc, ("kari", "dag", "2026-12-01"))) == []


COVER = bak("dekning", "08:00", "16:00")  # a named bakvakt while the day shift is open
SARA = ("spes", "dekning", "2026-12-01")


def test_bemanning_shortfall_is_allowed_only_when_declared_with_the_same_count():
    sc = make([tpl("dag", "08:00", "16:00", demand_min=2, demand_max=3), COVER], [KARI, doctor("per"), SPES],
              end="2026-12-01")
    r = roster(sc, ("kari", "dag", "2026-12-01"), SARA)
    v = one(sc, r, "bemanning")
    assert (v.shift, v.doctor, v.missing) == ("dag/2026-12-01", None, 1)
    assert "har 1 lege; krever minst 2 (1 mangler)" in v.message
    declared = roster(sc, ("kari", "dag", "2026-12-01"), SARA, open_slots=[("dag", "2026-12-01", 1)])
    assert unexpected_violations(sc, declared) == []
    assert [x.rule for x in check_roster(sc, declared)] == ["bemanning"]  # strict: still a violation
    wrong_count = roster(sc, ("kari", "dag", "2026-12-01"), SARA, open_slots=[("dag", "2026-12-01", 2)])
    assert [x.missing for x in unexpected_violations(sc, wrong_count)] == [1]
    assert only(sc, roster(sc, ("kari", "dag", "2026-12-01"), ("per", "dag", "2026-12-01"), SARA)) == []


def test_bemanning_over_demand_max_is_never_excused():
    sc = make([tpl("dag", "08:00", "16:00", demand_min=1, demand_max=1), COVER], [KARI, doctor("per"), SPES],
              end="2026-12-01")
    r = roster(sc, ("kari", "dag", "2026-12-01"), ("per", "dag", "2026-12-01"), SARA)
    v = one(sc, r, "bemanning")
    assert "har 2 leger; maks 1" in v.message and v.missing is None
    assert [x.rule for x in unexpected_violations(sc, r)] == ["bemanning"]
    assert only(sc, roster(sc, ("kari", "dag", "2026-12-01"), SARA)) == []


def test_bemanning_over_the_minimum_only_where_the_overstaffing_policy_allows():
    """demand 2–3: a third doctor breaks the default policy (`alene`: extras only where the minimum
    is one doctor) and is kept under `alle`; demand 1–2: a second doctor is kept under `alene`."""
    three = [("kari", "dag", "2026-12-01"), ("per", "dag", "2026-12-01"), ("ola", "dag", "2026-12-01"), SARA]
    doctors = [KARI, doctor("per"), doctor("ola"), SPES]
    two_to_three = make([tpl("dag", "08:00", "16:00", demand_min=2, demand_max=3), COVER], doctors, end="2026-12-01")
    v = one(two_to_three, roster(two_to_three, *three), "bemanning")
    assert "har 3 leger; maks 2 (overbemanning er ikke tillatt" in v.message
    assert only(two_to_three, roster(two_to_three, *three[1:])) == []
    anywhere = two_to_three.model_copy(update={"rules": two_to_three.rules.model_copy(update={
        "fairness": two_to_three.rules.fairness.model_copy(update={"overstaffing": "alle"})})})
    assert only(anywhere, roster(anywhere, *three)) == []
    one_to_two = make([tpl("dag", "08:00", "16:00", demand_min=1, demand_max=2), COVER], doctors, end="2026-12-01")
    assert only(one_to_two, roster(one_to_two, *three[1:])) == []


# --------------------------------------------------------------------------- competence


def test_kompetanse_counts_qualified_doctors_and_lets_an_open_slot_stand_in():
    kv = tpl("kveld", "16:00", "23:00", demand_min=2, demand_max=2, min_qualified=1)
    b = bak("bak", "16:00", "23:00")
    sc = make([kv, b], [KARI, OLA, doctor("ida", name="Ida", qualified=False), SPES], end="2026-12-01")
    two_unqualified = roster(sc, ("ola", "kveld", "2026-12-01"), ("ida", "kveld", "2026-12-01"),
                             ("spes", "bak", "2026-12-01"))
    found = check_roster(sc, two_unqualified)
    komp = [v for v in found if v.rule == "kompetanse"]
    assert len(komp) == 1 and komp[0].shift == "kveld/2026-12-01"
    assert "har 0 leger som kan gå alene; krever 1" in komp[0].message
    mixed = roster(sc, ("ola", "kveld", "2026-12-01"), ("kari", "kveld", "2026-12-01"), ("spes", "bak", "2026-12-01"))
    assert check_roster(sc, mixed) == []
    # One qualified doctor and an open slot: the slot may stand in, so only the shortfall is reported.
    with_slot = roster(sc, ("kari", "kveld", "2026-12-01"), ("spes", "bak", "2026-12-01"),
                       open_slots=[("kveld", "2026-12-01", 1)])
    assert [v.rule for v in check_roster(sc, with_slot)] == ["bemanning"]
    assert unexpected_violations(sc, with_slot) == []


def test_alene_never_alone_at_a_district_station():
    kv = tpl("kveld", "16:00", "23:00", station="ASA", demand_max=2)
    b = bak("bak", "16:00", "23:00")
    sc = make([kv, b], [KARI, OLA, SPES], end="2026-12-01")
    v = one(sc, roster(sc, ("ola", "kveld", "2026-12-01"), ("spes", "bak", "2026-12-01")), "alene")
    assert (v.doctor, v.shift) == ("ola", "kveld/2026-12-01")
    assert "Ola Lege kan ikke gå alene" in v.message and "Kveld Åsane legevakt 01.12.2026 16:00–23:00" in v.message
    assert check_roster(sc, roster(sc, ("ola", "kveld", "2026-12-01"), ("kari", "kveld", "2026-12-01"),
                                   ("spes", "bak", "2026-12-01"))) == []


def test_alene_is_off_where_the_rules_let_the_bakvakt_be_enough():
    kv = tpl("kveld", "16:00", "23:00", station="ASA", demand_max=2, min_qualified=0)
    b = bak("bak", "16:00", "23:00")
    rural = make([kv, b], [KARI, OLA, SPES], end="2026-12-01", rules={**NO_PILOT, "alone_with_bakvakt": True})
    alone = roster(rural, ("ola", "kveld", "2026-12-01"), ("spes", "bak", "2026-12-01"))
    assert check_roster(rural, alone) == []
    # the bakvakt §7 asks for still holds: without it, veiledning (not alene) is broken
    assert [v.rule for v in check_roster(rural, roster(rural, ("ola", "kveld", "2026-12-01")))] == ["veiledning"]


def test_veiledning_needs_a_qualified_bakvakt_at_every_minute():
    kv = tpl("kveld", "16:00", "23:00")
    short, long = bak("kort", "08:00", "20:00"), bak("lang", "16:00", "08:00")
    sc = make([kv, short, long], [KARI, OLA, SPES], end="2026-12-01", rules=NO_PILOT)
    r = roster(sc, ("ola", "kveld", "2026-12-01"), ("kari", "kveld", "2026-12-01"), ("spes", "kort", "2026-12-01"))
    v = one(sc, r, "veiledning")
    assert (v.doctor, v.shift) == ("ola", "kveld/2026-12-01")
    assert "mangler kvalifisert bakvakt i 3 t (01.12.2026 20:00–23:00)" in v.message
    assert check_roster(sc, roster(sc, ("ola", "kveld", "2026-12-01"), ("kari", "kveld", "2026-12-01"),
                                   ("spes", "lang", "2026-12-01"))) == []


def test_veiledning_bakvakt_must_be_qualified_and_another_doctor():
    kv = tpl("kveld", "16:00", "23:00")
    b = bak("bak", "16:00", "23:00")
    ida = doctor("ida", name="Ida", qualified=False, can_bakvakt=True)
    sc = make([kv, b], [KARI, OLA, ida], end="2026-12-01", rules=NO_PILOT)
    found = check_roster(sc, roster(sc, ("ola", "kveld", "2026-12-01"), ("kari", "kveld", "2026-12-01"),
                                    ("ida", "bak", "2026-12-01")))
    assert sorted(v.rule for v in found) == ["bakvakt-evne", "veiledning"]


def test_veiledning_tilstede_needs_a_bakvakt_that_can_attend():
    kv = tpl("kveld", "16:00", "23:00")
    phone = bak("telefon", "16:00", "23:00")
    attend = bak("møte", "16:00", "23:00", on_call_can_attend=True)
    ola = doctor("ola", name="Ola Lege", qualified=False, supervision="tilstede")
    sc = make([kv, phone, attend], [KARI, ola, SPES], end="2026-12-01")
    v = one(sc, roster(sc, ("ola", "kveld", "2026-12-01"), ("kari", "kveld", "2026-12-01"),
                       ("spes", "telefon", "2026-12-01")), "veiledning")
    assert "kvalifisert bakvakt som kan møte i 7 t" in v.message
    assert check_roster(sc, roster(sc, ("ola", "kveld", "2026-12-01"), ("kari", "kveld", "2026-12-01"),
                                   ("spes", "møte", "2026-12-01"))) == []


# --------------------------------------------------------------------------- bakvakt


def _open_evening() -> dict:
    return tpl("kveld", "16:00", "23:00", demand_min=1)


def test_bakvakt_dekning_on_the_real_timeline():
    early = bak("tidlig", "16:00", "20:00")
    late = bak("sen", "20:00", "23:00")
    sven = doctor("sven", role="spesialist", can_bakvakt=True)
    sc = make([_open_evening(), early, late], [KARI, SPES, sven], end="2026-12-01")
    r = roster(sc, ("kari", "kveld", "2026-12-01"), ("spes", "tidlig", "2026-12-01"))
    v = one(sc, r, "bakvakt-dekning")
    assert (v.doctor, v.shift) == (None, None)
    assert v.start == dt.datetime(2026, 12, 1, 19, tzinfo=dt.timezone.utc)  # 20:00 Oslo
    assert "Ingen spesialist på bakvakt 01.12.2026 20:00–23:00 (3 t) mens Bergen legevakt er åpen" in v.message
    both = roster(sc, ("kari", "kveld", "2026-12-01"), ("spes", "tidlig", "2026-12-01"), ("sven", "sen", "2026-12-01"))
    assert check_roster(sc, both) == []


def test_bakvakt_gap_is_excused_only_when_declared_and_explained_by_an_open_bakvakt_slot():
    early = bak("tidlig", "16:00", "20:00")
    late = bak("sen", "20:00", "23:00", demand_min=1, demand_max=1)
    sc = make([_open_evening(), early, late], [KARI, SPES], end="2026-12-01")
    base = [("kari", "kveld", "2026-12-01"), ("spes", "tidlig", "2026-12-01")]
    gap = [("2026-12-01T20:00", "2026-12-01T23:00")]
    declared = roster(sc, *base, open_slots=[("sen", "2026-12-01", 1)], uncovered=gap)
    assert sorted(v.rule for v in check_roster(sc, declared)) == ["bakvakt-dekning", "bemanning"]
    assert unexpected_violations(sc, declared) == []
    undeclared_gap = roster(sc, *base, open_slots=[("sen", "2026-12-01", 1)])
    v = unexpected_violations(sc, undeclared_gap)
    assert [x.rule for x in v] == ["bakvakt-dekning"] and "ikke oppgitt" in v[0].message
    partly = roster(sc, *base, open_slots=[("sen", "2026-12-01", 1)], uncovered=[("2026-12-01T20:00", "2026-12-01T22:00")])
    v = unexpected_violations(sc, partly)
    assert [(x.rule, x.start.astimezone(dt.timezone.utc).hour) for x in v] == [("bakvakt-dekning", 21)]  # 22:00 Oslo
    assert "22:00–23:00 (1 t)" in v[0].message


def test_bakvakt_gap_without_any_on_call_shift_is_excused_when_declared():
    early = bak("tidlig", "16:00", "20:00")
    sc = make([_open_evening(), early], [KARI, SPES], end="2026-12-01")
    base = [("kari", "kveld", "2026-12-01"), ("spes", "tidlig", "2026-12-01")]
    assert unexpected_violations(sc, roster(sc, *base, uncovered=[("2026-12-01T20:00", "2026-12-01T23:00")])) == []
    assert [v.rule for v in unexpected_violations(sc, roster(sc, *base))] == ["bakvakt-dekning"]


def test_bakvakt_gap_with_an_unfilled_optional_on_call_shift_is_not_excused():
    early = bak("tidlig", "16:00", "20:00")
    optional = bak("sen", "20:00", "23:00")  # demand_min 0: leaving it empty is a choice, not an open slot
    sc = make([_open_evening(), early, optional], [KARI, SPES], end="2026-12-01")
    r = roster(sc, ("kari", "kveld", "2026-12-01"), ("spes", "tidlig", "2026-12-01"),
               uncovered=[("2026-12-01T20:00", "2026-12-01T23:00")])
    v = unexpected_violations(sc, r)
    assert [x.rule for x in v] == ["bakvakt-dekning"] and "ikke forklart" in v[0].message


def test_bakvakt_dekning_counts_only_a_specialist_on_call():
    """A fastlege qualified by months and shifts may be bakvakt (bakvakt-evne), but the pilot's
    bakvakt is a specialist: by role, or in general practice. Their hours are a gap, excused when
    declared (a place of the rota no specialist holds, as an open slot)."""
    gp = doctor("lege", name="Lege", can_bakvakt=True, competence={"clinical_months": 30, "legevakt_shifts_done": 40})
    gp_specialist = doctor("allmenn", can_bakvakt=True, competence={"specialist_general_practice": True})
    sc = make([_open_evening(), bak("bak", "16:00", "23:00")], [KARI, gp, gp_specialist, SPES], end="2026-12-01")
    evening = ("kari", "kveld", "2026-12-01")
    v = one(sc, roster(sc, evening, ("lege", "bak", "2026-12-01")), "bakvakt-dekning")
    assert v.message == "Ingen spesialist på bakvakt 01.12.2026 16:00–23:00 (7 t) mens Bergen legevakt er åpen."
    declared = roster(sc, evening, ("lege", "bak", "2026-12-01"),
                      uncovered=[("2026-12-01T16:00", "2026-12-01T23:00")])
    assert unexpected_violations(sc, declared) == []
    for specialist in ("spes", "allmenn"):
        both = roster(sc, evening, ("lege", "bak", "2026-12-01"), (specialist, "bak", "2026-12-01"))
        assert check_roster(sc, both) == []


def test_a_staffed_optional_shift_opens_its_station_for_bakvakt_dekning():
    """Åsane's extra shift (demand_min 0) needs a specialist on call while a doctor works it, and
    none while it is empty."""
    extra = tpl("asa", "10:00", "16:00", station="ASA")
    sc = make([extra, bak("bak", "10:00", "16:00")], [KARI, SPES], end="2026-12-01")
    v = one(sc, roster(sc, ("kari", "asa", "2026-12-01")), "bakvakt-dekning")
    assert v.message == "Ingen spesialist på bakvakt 01.12.2026 10:00–16:00 (6 t) mens Åsane legevakt er åpen."
    assert [x.rule for x in unexpected_violations(sc, roster(sc, ("kari", "asa", "2026-12-01")))] == ["bakvakt-dekning"]
    assert check_roster(sc, roster(sc, ("kari", "asa", "2026-12-01"), ("spes", "bak", "2026-12-01"))) == []
    assert check_roster(sc, roster(sc)) == []


def test_bakvakt_evne():
    b = bak("bak", "16:00", "23:00")
    no_flag = doctor("per", name="Per Fastlege")
    unqualified = doctor("ida", name="Ida", qualified=False, can_bakvakt=True)
    sc = make([b], [no_flag, unqualified, SPES], end="2026-12-02")
    found = only(sc, roster(sc, ("per", "bak", "2026-12-01"), ("ida", "bak", "2026-12-02")), "bakvakt-evne")
    msgs = {v.doctor: v.message for v in found}
    assert {(v.doctor, v.shift) for v in found} == {("per", "bak/2026-12-01"), ("ida", "bak/2026-12-02")}
    assert "Per Fastlege er ikke satt opp som bakvakt" in msgs["per"]
    assert "Ida kan ikke gå alene" in msgs["ida"]
    assert only(sc, roster(sc, ("spes", "bak", "2026-12-01"))) == []


# --------------------------------------------------------------------------- who may work what


def test_stasjon():
    kari = doctor("kari", name="Kari Nordmann", stations=["ASA"])
    sc = make([DAY, tpl("asa", "16:00", "23:00", station="ASA")], [kari])
    v = one(sc, roster(sc, ("kari", "dag", "2026-12-01")), "stasjon")
    assert "går bare på Åsane legevakt" in v.message and v.shift == "dag/2026-12-01"
    assert only(sc, roster(sc, ("kari", "asa", "2026-12-01"))) == []


def test_vakttype():
    kari = doctor("kari", name="Kari Nordmann", shift_labels=["dag"])
    sc = make([DAY, EVENING], [kari])
    v = one(sc, roster(sc, ("kari", "kveld", "2026-12-01")), "vakttype")
    assert v.shift == "kveld/2026-12-01" and "går bare dag" in v.message
    assert only(sc, roster(sc, ("kari", "dag", "2026-12-01"))) == []


def test_ferdighet():
    child = tpl("barn", "16:00", "23:00", required_skill="barnelege")
    sc = make([child], [KARI, doctor("bo", name="Bo Barn", skills=["barnelege"])])
    v = one(sc, roster(sc, ("kari", "barn", "2026-12-01")), "ferdighet")
    assert (v.doctor, v.shift) == ("kari", "barn/2026-12-01") and "mangler ferdigheten «barnelege»" in v.message
    assert only(sc, roster(sc, ("bo", "barn", "2026-12-01"))) == []


def test_kurs_expired_before_a_night_ends():
    expired = doctor("kari", name="Kari Nordmann", courses={"akuttmedisin": "2026-12-03"})
    valid = doctor("per", courses={"akuttmedisin": "2026-12-04"})
    sc = make([NIGHT], [expired, valid])
    v = one(sc, roster(sc, ("kari", "natt", "2026-12-03")), "kurs")
    assert (v.doctor, v.shift) == ("kari", "natt/2026-12-03")
    assert "kurset «akuttmedisin» gikk ut 03.12.2026" in v.message and "slutter 04.12.2026" in v.message
    assert only(sc, roster(sc, ("per", "natt", "2026-12-03"), ("kari", "natt", "2026-12-02"))) == []


def test_kurs_a_required_course_with_no_record():
    lacking = doctor("kari", name="Kari Nordmann", courses={"vold og overgrep": None})
    spelled = doctor("per", courses={"vold og overgrep": None, "VOLD OG  overgrep ": "2027-01-01"})
    sc = make([DAY], [lacking, spelled])
    hand_made = roster(sc, ("kari", "dag", "2026-12-01"), ("per", "dag", "2026-12-02"))
    v = one(sc, hand_made, "kurs")
    assert (v.doctor, v.shift) == ("kari", "dag/2026-12-01")
    assert v.message == ("Kari Nordmann mangler kurset «vold og overgrep», som kreves på Dag Bergen legevakt "
                         "01.12.2026 08:00–16:00.")
    unrequired = make([DAY], [lacking, spelled], rules={"required_courses": []})
    assert only(unrequired, roster(unrequired, ("kari", "dag", "2026-12-01"))) == []


def test_fravær_whole_days_cover_the_night_that_reaches_into_them():
    sc = make([DAY, NIGHT], [KARI], absences=[{"doctor": "kari", "start": "2026-12-04", "end": "2026-12-04",
                                                "kind": "ferie"}])
    v = one(sc, roster(sc, ("kari", "natt", "2026-12-03")), "fravær")
    assert v.shift == "natt/2026-12-03" and "fravær (ferie) 04.12.2026 00:00–05.12.2026 00:00" in v.message
    assert only(sc, roster(sc, ("kari", "dag", "2026-12-03"), ("kari", "dag", "2026-12-05"))) == []


def test_fravær_given_as_datetimes():
    sc = make([DAY, EVENING], [KARI], absences=[{"doctor": "kari", "start": "2026-12-02T12:00",
                                                  "end": "2026-12-02T16:00", "kind": "kurs"}])
    assert one(sc, roster(sc, ("kari", "dag", "2026-12-02")), "fravær").shift == "dag/2026-12-02"
    assert only(sc, roster(sc, ("kari", "kveld", "2026-12-02"))) == []  # starts when the absence ends


def test_fritak_without_dates_blocks_16_to_08():
    kari = doctor("kari", name="Kari Nordmann", exemptions=[{"reason": "over 60"}])
    sc = make([DAY, EVENING], [kari])
    v = one(sc, roster(sc, ("kari", "kveld", "2026-12-01")), "fritak")
    assert "fritatt (over aldersgrensen) for vakt 01.12.2026 16:00–02.12.2026 08:00" in v.message
    assert only(sc, roster(sc, ("kari", "dag", "2026-12-01"))) == []


def test_fritak_with_dates_covers_the_morning_after_the_last_day():
    kari = doctor("kari", name="Kari Nordmann",
                  exemptions=[{"reason": "graviditet", "start": "2026-12-03", "end": "2026-12-04"}])
    early = tpl("tidlig", "06:00", "10:00")
    sc = make([early, NIGHT], [kari])
    # 05.12 06:00 lies in the window of the exempt day 04.12 (16:00 → 08:00 next morning).
    assert one(sc, roster(sc, ("kari", "tidlig", "2026-12-05")), "fritak").shift == "tidlig/2026-12-05"
    assert one(sc, roster(sc, ("kari", "natt", "2026-12-03")), "fritak").shift == "natt/2026-12-03"
    assert only(sc, roster(sc, ("kari", "natt", "2026-12-02"), ("kari", "natt", "2026-12-05"),
                           ("kari", "tidlig", "2026-12-02"))) == []


def test_fritak_is_lifted_for_the_one_shift_a_voluntary_pin_names():
    kari = doctor("kari", name="Kari Nordmann", exemptions=[{"reason": "graviditet"}])
    yes = {"doctor": "kari", "template": "natt", "date": "2026-12-02", "voluntary": True}
    sc = make([NIGHT], [kari], pins=[yes])
    assert only(sc, roster(sc, ("kari", "natt", "2026-12-02"))) == []  # she said yes to this night
    assert one(sc, roster(sc, ("kari", "natt", "2026-12-02"), ("kari", "natt", "2026-12-05")),
               "fritak").shift == "natt/2026-12-05"  # and to no other
    plain = make([NIGHT], [kari], pins=[{**yes, "voluntary": False}])
    assert one(plain, roster(plain, ("kari", "natt", "2026-12-02")), "fritak").shift == "natt/2026-12-02"


# --------------------------------------------------------------------------- time rules


def test_overlapp_on_site_and_on_call():
    sc = make([DAY, bak("bak", "12:00", "20:00"), bak("sen", "16:00", "20:00")], [SPES], rules=NO_PILOT)
    v = one(sc, roster(sc, ("spes", "dag", "2026-12-01"), ("spes", "bak", "2026-12-01")), "overlapp")
    assert (v.doctor, v.shift) == ("spes", "bak/2026-12-01") and "(4 t)" in v.message
    assert only(sc, roster(sc, ("spes", "dag", "2026-12-01"), ("spes", "sen", "2026-12-01"))) == []


def test_hvile_self_employed_8_hours():
    late_day = tpl("dag2", "14:30", "20:00", label="Dag")
    later = tpl("dag3", "16:00", "20:00", label="Dag")
    sc = make([NIGHT, late_day, later], [KARI])
    v = one(sc, roster(sc, ("kari", "natt", "2026-12-03"), ("kari", "dag2", "2026-12-04")), "hvile")
    assert v.message == ("Kari Nordmann: bare 6,5 t hvile mellom Natt Bergen legevakt 03.12.2026 23:00–08:00 "
                         "og Dag Bergen legevakt 04.12.2026 14:30–20:00; krever 8 t.")
    assert (v.doctor, v.shift) == ("kari", "dag2/2026-12-04")
    assert only(sc, roster(sc, ("kari", "natt", "2026-12-03"), ("kari", "dag3", "2026-12-04"))) == []


def test_hvile_employee_11_hours_and_back_to_back_shifts():
    ansatt = doctor("kari", name="Kari Nordmann", employment="ansatt")
    sc = make([NIGHT, tpl("sen", "16:00", "20:00"), tpl("sent", "19:00", "23:00"), DAY, EVENING], [ansatt])
    v = one(sc, roster(sc, ("kari", "natt", "2026-12-03"), ("kari", "sen", "2026-12-04")), "hvile")
    assert "bare 8 t hvile" in v.message and "krever 11 t" in v.message
    assert only(sc, roster(sc, ("kari", "natt", "2026-12-03"), ("kari", "sent", "2026-12-04"))) == []
    back_to_back = one(sc, roster(sc, ("kari", "dag", "2026-12-01"), ("kari", "kveld", "2026-12-01")), "hvile")
    assert "bare 0 t hvile" in back_to_back.message


def test_hvile_across_the_march_change_is_real_hours():
    # 28.03.2026 16:00–00:00, next 29.03 08:00: wall-clock says 8 h, but clocks jump at 02:00: 7 real hours.
    sc = make([tpl("kveld", "16:00", "00:00"), DAY], [KARI], "2026-03-27", "2026-03-30")
    v = one(sc, roster(sc, ("kari", "kveld", "2026-03-28"), ("kari", "dag", "2026-03-29")), "hvile")
    assert "bare 7 t hvile" in v.message and "krever 8 t" in v.message
    assert only(sc, roster(sc, ("kari", "kveld", "2026-03-27"), ("kari", "dag", "2026-03-28"))) == []


def test_hvile_across_the_october_change_is_real_hours():
    # 24.10.2026 16:00–00:00, next 25.10 07:00: wall-clock says 7 h, but 03:00 happens twice: 8 real hours.
    sc = make([tpl("kveld", "16:00", "00:00"), tpl("tidlig", "07:00", "12:00")], [KARI], "2026-10-23", "2026-10-26")
    assert only(sc, roster(sc, ("kari", "kveld", "2026-10-24"), ("kari", "tidlig", "2026-10-25"))) == []
    v = one(sc, roster(sc, ("kari", "kveld", "2026-10-23"), ("kari", "tidlig", "2026-10-24")), "hvile")
    assert "bare 7 t hvile" in v.message


def test_hvile_on_call_counts_as_work_when_the_rule_says_so():
    early_bak = bak("bak", "00:00", "08:00")
    sc_rest = make([early_bak, DAY], [SPES], rules=NO_PILOT)
    sc_work = make([early_bak, DAY], [SPES], rules={**NO_PILOT, "on_call_counts_as_rest": False})
    plan = (("spes", "bak", "2026-12-01"), ("spes", "dag", "2026-12-01"))
    assert only(sc_rest, roster(sc_rest, *plan)) == []
    assert "bare 0 t hvile" in one(sc_work, roster(sc_work, *plan), "hvile").message


def test_ukehvile_needs_35_hours_inside_the_window():
    ansatt = doctor("kari", name="Kari Nordmann", employment="ansatt")
    sc = make([DAY], [ansatt, doctor("per")])
    # Shifts 02.12–06.12: 32 h free at each end of the window 01.12–07.12, 16 h between.
    days = [f"2026-12-0{i}" for i in range(2, 7)]
    v = one(sc, roster(sc, *[("kari", "dag", d) for d in days]), "ukehvile")
    assert v.doctor == "kari" and "01.12.2026–07.12.2026 er 32 t; krever 35 t" in v.message
    # The same for a self-employed GP is not this rule's business.
    assert only(sc, roster(sc, *[("per", "dag", d) for d in days])) == []
    # A free day in the middle gives 40 h (03.12 16:00 → 05.12 08:00).
    assert only(sc, roster(sc, *[("kari", "dag", d) for d in days if d != "2026-12-04"])) == []


def test_ukehvile_windows_end_inside_the_period():
    ansatt = doctor("kari", name="Kari Nordmann", employment="ansatt")
    sc = make([DAY], [ansatt], end="2026-12-06")  # six days: no complete window
    assert only(sc, roster(sc, *[("kari", "dag", f"2026-12-0{i}") for i in range(1, 7)])) == []


def test_netter_max_consecutive_dates():
    sc = make([NIGHT], [KARI], rules={"max_consecutive_nights": 3})
    v = one(sc, roster(sc, *[("kari", "natt", f"2026-12-0{i}") for i in range(1, 5)]), "netter")
    assert v.shift == "natt/2026-12-04" and "4 netter på rad 01.12.2026–04.12.2026; maks 3" in v.message
    assert only(sc, roster(sc, *[("kari", "natt", f"2026-12-0{i}") for i in (1, 2, 3, 5)])) == []


def test_netter_category_from_night_hours_or_counts_as():
    three = tpl("sen", "20:00", "02:00")  # 3 h between 23:00 and 08:00: a night
    two = tpl("halv", "20:00", "01:00")  # 2 h: not a night
    marked = tpl("merket", "16:00", "22:00", counts_as=["natt"])
    sc = make([three, two, marked], [KARI], rules={"max_consecutive_nights": 1})
    assert one(sc, roster(sc, ("kari", "sen", "2026-12-01"), ("kari", "sen", "2026-12-02")), "netter")
    assert only(sc, roster(sc, ("kari", "halv", "2026-12-01"), ("kari", "halv", "2026-12-02"))) == []
    assert one(sc, roster(sc, ("kari", "merket", "2026-12-01"), ("kari", "merket", "2026-12-02")), "netter")


def test_uke_vakter_rolling_windows_reported_once_per_breach():
    sc = make([DAY], [KARI], end="2026-12-10", rules={"max_shifts_per_7_days": 3})
    v = one(sc, roster(sc, *[("kari", "dag", f"2026-12-0{i}") for i in range(1, 5)]), "uke-vakter")
    assert "4 vakter 01.12.2026–07.12.2026; maks 3" in v.message and v.shift == "dag/2026-12-04"
    assert only(sc, roster(sc, *[("kari", "dag", d) for d in ("2026-12-01", "2026-12-02", "2026-12-03",
                                                               "2026-12-08")])) == []


def test_uke_vakter_a_doctors_own_limit_goes_first():
    higher = doctor("kari", name="Kari Nordmann", max_shifts_per_7_days=5)
    sc = make([DAY], [higher], end="2026-12-10", rules={"max_shifts_per_7_days": 3})
    assert only(sc, roster(sc, *[("kari", "dag", f"2026-12-0{i}") for i in range(1, 6)])) == []
    v = one(sc, roster(sc, *[("kari", "dag", f"2026-12-0{i}") for i in range(1, 7)]), "uke-vakter")
    assert "6 vakter 01.12.2026–07.12.2026; maks 5" in v.message
    lower = make([DAY], [doctor("kari", name="Kari Nordmann", max_shifts_per_7_days=2)], end="2026-12-10",
                 rules={"max_shifts_per_7_days": None})
    assert "maks 2" in one(lower, roster(lower, *[("kari", "dag", f"2026-12-0{i}") for i in range(1, 4)]),
                           "uke-vakter").message


def test_uke_vakter_short_period_is_one_window():
    sc = make([DAY], [KARI], end="2026-12-04", rules={"max_shifts_per_7_days": 3})
    assert one(sc, roster(sc, *[("kari", "dag", f"2026-12-0{i}") for i in range(1, 5)]), "uke-vakter")
    assert only(sc, roster(sc, *[("kari", "dag", f"2026-12-0{i}") for i in range(1, 4)])) == []


def test_uke_timer_on_call_hours_weighted():
    sc = make([DAY, NIGHT, bak("bak", "16:00", "08:00")], [SPES], rules={**NO_PILOT, "max_hours_per_7_days": 20})
    v = one(sc, roster(sc, ("spes", "dag", "2026-12-01"), ("spes", "dag", "2026-12-02"),
                       ("spes", "natt", "2026-12-04")), "uke-timer")
    assert (v.doctor, v.shift) == ("spes", "natt/2026-12-04") and "25 t 01.12.2026–07.12.2026; maks 20" in v.message
    # 16 h on site + 16 h on call × 1/7 = 18,29 h
    assert only(sc, roster(sc, ("spes", "dag", "2026-12-01"), ("spes", "dag", "2026-12-02"),
                           ("spes", "bak", "2026-12-04"))) == []


def test_uke_timer_counts_the_october_night_as_ten_hours():
    sc = make([NIGHT], [KARI], "2026-10-20", "2026-10-26", rules={"max_hours_per_7_days": 27.5})
    r = roster(sc, ("kari", "natt", "2026-10-20"), ("kari", "natt", "2026-10-22"), ("kari", "natt", "2026-10-24"))
    assert "28 t" in one(sc, r, "uke-timer").message  # 9 + 9 + 10
    ok = roster(sc, ("kari", "natt", "2026-10-20"), ("kari", "natt", "2026-10-22"), ("kari", "natt", "2026-10-23"))
    assert only(sc, ok) == []


def test_antall():
    limited = doctor("kari", name="Kari Nordmann", min_shifts=2, max_shifts=2)
    sc = make([DAY], [limited])
    v = one(sc, roster(sc, ("kari", "dag", "2026-12-01")), "antall")
    assert v.doctor == "kari" and "Kari Nordmann har 1 vakt i perioden; minst 2" in v.message
    three = roster(sc, *[("kari", "dag", f"2026-12-0{i}") for i in (1, 3, 5)])
    assert "3 vakter i perioden; maks 2" in one(sc, three, "antall").message
    assert only(sc, roster(sc, ("kari", "dag", "2026-12-01"), ("kari", "dag", "2026-12-03"))) == []


def test_låst():
    sc = make([DAY], [KARI, doctor("per")], pins=[{"doctor": "kari", "date": "2026-12-02", "template": "dag"}])
    v = one(sc, roster(sc, ("per", "dag", "2026-12-02")), "låst")
    assert (v.doctor, v.shift) == ("kari", "dag/2026-12-02") and "Kari Nordmann" in v.message
    assert only(sc, roster(sc, ("kari", "dag", "2026-12-02"))) == []


def test_låst_on_a_shift_that_does_not_run_is_reported_not_a_crash():
    weekday = tpl("hverdag", "08:00", "16:00", day_types=["hverdag"])
    sc = make([weekday], [KARI], pins=[{"doctor": "kari", "date": "2026-12-05", "template": "hverdag"}])
    v = one(sc, roster(sc), "låst")
    assert v.shift == "hverdag/2026-12-05" and "vakten går ikke den dagen" in v.message


# --------------------------------------------------------------------------- API and speed


def test_every_rule_code_of_the_document_is_known():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "hard-rules.md").read_text(encoding="utf-8")
    codes = {line.split("`")[1] for line in doc.splitlines() if line.startswith("| `")}
    assert codes == set(RULES)


def test_sorted_by_date_and_report_is_norwegian():
    sc = make([DAY], [doctor("kari", name="Kari Nordmann", max_shifts=0)])
    r = roster(sc, ("kari", "dag", "2026-12-05"), ("kari", "dag", "2026-12-05"), ("kari", "dag", "2026-12-01"),
               ("kari", "dag", "2026-12-31"))
    found = check_roster(sc, r)
    assert [v.rule for v in found] == ["dobbel", "ukjent-vakt", "antall"]
    text = format_report(found)
    assert text.startswith("3 brudd på harde regler:") and "Antall vakter i perioden (antall): 1" in text
    assert format_report([]) == "Ingen brudd på harde regler."


# --------------------------------------------------------------------------- the checker's own machinery

_BASE = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
_minute_intervals = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda p: (p[0], p[0] + p[1])),
                             max_size=6)


def _as_times(pairs: list[tuple[int, int]]) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(_BASE + dt.timedelta(minutes=a), _BASE + dt.timedelta(minutes=b)) for a, b in pairs]


def _minutes(intervals: list[tuple[dt.datetime, dt.datetime]]) -> set[int]:
    return {m for s, e in intervals for m in range(int((s - _BASE).total_seconds() // 60),
                                                     int((e - _BASE).total_seconds() // 60))}


@settings(max_examples=200, deadline=None)
@given(a=_minute_intervals, b=_minute_intervals)
def test_interval_algebra_matches_sets_of_minutes(a, b):
    ua, ub = union(_as_times(a)), union(_as_times(b))
    assert _minutes(ua) == _minutes(_as_times(a))
    assert all(x[1] < y[0] for x, y in zip(ua, ua[1:]))  # merged: disjoint and not touching
    assert _minutes(subtract(ua, ub)) == _minutes(ua) - _minutes(ub)
    assert _minutes(intersect(ua, ub)) == _minutes(ua) & _minutes(ub)


_quarter = st.builds(lambda h, q: f"{h:02d}:{15 * q:02d}", st.integers(0, 23), st.integers(0, 3))


@settings(max_examples=60, deadline=None)
@given(start=_quarter, end=_quarter, first=st.sampled_from(["2026-03-27", "2026-10-23", "2026-05-15", "2026-12-22"]))
def test_shift_times_and_nights_agree_with_the_calendar(start, end, first):
    """Two independent computations of the same facts: a disagreement is a bug in one of them."""
    if start == end:
        return
    sc = make([tpl("t", start, end)], [KARI], first, dt.date.fromisoformat(first) + dt.timedelta(days=4))
    mine = Context(sc, roster(sc)).shifts
    theirs = ShiftIndex(sc).by_key
    assert set(mine) == set(theirs)
    for key, s in theirs.items():
        # Compared in UTC: Python never finds an ambiguous Oslo time (02:00 in October) equal to
        # a datetime in another zone (PEP 495), even when it is the same instant.
        utc = dt.timezone.utc
        assert (mine[key].start, mine[key].end) == (s.start.astimezone(utc), s.end.astimezone(utc))
        assert mine[key].night == (BurdenCategory.NIGHT in s.categories)
