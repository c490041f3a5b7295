"""Pre-solve necessary checks: one tiny scenario per check with the exact Norwegian message, and no
unrelated finding; the Bergen month (nothing) and the hard Christmas week (what and why)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from factories import doctor, scenario, station, template

from roster.calendar import ShiftIndex
from roster.eligibility import Eligibility
from roster.models import Scenario
from solver import solve
from roster.candidates import Pools
from solver.precheck import STATIC, TEMPORARY, format_findings, precheck

DAY = "2026-12-01"  # a Tuesday
SPECIALIST = doctor("spes", name="Spes", role="spesialist", can_bakvakt=True, stations=["BAK"])


def bakvakt(start: str, end: str, id: str = "bak", **kw: Any) -> dict[str, Any]:
    """An on-call shift at a remote station."""
    return template(id, start, end, station="BAK", duty="bakvakt", label="bakvakt", **kw)


def make(templates: list[dict[str, Any]], doctors: list[dict[str, Any]], *, on_call: bool = True,
         end: str = DAY, **kw: Any) -> Scenario:
    stations = [station("BLV", name="Bergen legevakt"), station("FAN", "bydelslegevakt", "Fana legevakt"),
                station("ASA", "bydelslegevakt", "Åsane legevakt"), station("BAK", "fjernvakt", "Bakvakt")]
    if on_call:  # a bakvakt from 08:00 round the clock, so the open-station check has nothing to say
        templates = [*templates, bakvakt("08:00", "16:00", "bak-dag"), bakvakt("16:00", "08:00", "bak-natt")]
        doctors = [*doctors, SPECIALIST]
    return scenario(DAY, end, templates, doctors, stations=stations, **kw)


def messages(s: Scenario) -> list[str]:
    return [f.message for f in precheck(s)]


def away(doc: str, kind: str = "ferie", start: str = DAY, end: str = DAY) -> dict[str, Any]:
    return {"doctor": doc, "start": start, "end": end, "kind": kind}


NIGHT = template("natt", "23:00", "08:00", label="natt", demand_min=2, demand_max=2, min_qualified=2)


# --------------------------------------------------------------------------- one shift


def test_too_few_qualified_names_the_reasons() -> None:
    s = make([NIGHT],
             [doctor("a"), doctor("b"), doctor("c"), doctor("d", exemptions=[{"reason": "over 60"}]),
              doctor("e"), doctor("f", qualified=False)],
             absences=[away("a"), away("b", "sykdom"), away("c")])
    [finding] = precheck(s)
    assert finding.message == ("Natt 01.12 Bergen legevakt krever 2 leger som kan gå alene; bare 1 er tilgjengelig: "
                               "3 har fravær (2 ferie, 1 sykdom) og 1 har nattfritak. Bare E kan ta den; "
                               "A og C (ferie), B (sykdom), D (nattfritak) og F (kan ikke gå alene) kunne tatt den "
                               "om én ting var annerledes.")
    assert (finding.kind, finding.shift, finding.date) == ("kompetanse", "natt/2026-12-01", dt.date(2026, 12, 1))
    assert finding.numbers == {"krever": 2, "tilgjengelig": 1, "fravær": 3, "fritak": 1}


def test_enough_qualified_is_no_finding() -> None:
    s = make([NIGHT], [doctor("a"), doctor("b"), doctor("c")], absences=[away("c")])
    assert precheck(s) == []


def test_too_few_doctors_and_too_few_qualified_are_two_findings() -> None:
    shift = template("dag", "08:00", "16:00", label="dag", demand_min=3, demand_max=3, min_qualified=1)
    s = make([shift], [doctor("a"), doctor("b", qualified=False), doctor("c", qualified=False)],
             absences=[away("a", "kurs"), away("b")])
    assert messages(s) == [
        ("Dag 01.12 Bergen legevakt krever 1 lege som kan gå alene; ingen er tilgjengelig: 1 har fravær (kurs). "
         "A (på kurs) og C (kan ikke gå alene) kunne tatt den om én ting var annerledes."),
        ("Dag 01.12 Bergen legevakt krever 3 leger; bare 1 er tilgjengelig: 2 har fravær (1 ferie, 1 kurs). "
         "Bare C kan ta den; A (på kurs) og B (ferie) kunne tatt den om én ting var annerledes."),
    ]


def test_static_restrictions_are_named_when_no_one_could_take_the_shift() -> None:
    children = template("barn", "16:00", "23:00", label="barn", required_skill="barn", min_qualified=0)
    s = make([children], [doctor("a"), doctor("b"), doctor("c", skills=["barn"], stations=["FAN"])])
    assert messages(s) == [
        ("Barn 01.12 Bergen legevakt krever 1 lege; ingen av de 4 legene kan ta denne vakten "
        "(2 går ikke på denne stasjonen og 2 mangler ferdigheten «barn»)."),
    ]


def test_static_restrictions_are_named_when_the_pool_itself_is_too_small() -> None:
    children = template("barn", "16:00", "23:00", label="barn", required_skill="barn", min_qualified=0,
                        demand_min=2, demand_max=2)
    s = make([children], [doctor("a"), doctor("b"), doctor("c", skills=["barn"])], absences=[away("c")])
    assert messages(s) == [
        ("Barn 01.12 Bergen legevakt krever 2 leger; ingen er tilgjengelig: 1 har fravær (ferie); bare 1 av de 4 "
        "legene kan ta denne vakten i det hele tatt (1 går ikke på denne stasjonen og 2 mangler ferdigheten «barn»). "
        "C (ferie) kunne tatt den om én ting var annerledes."),
    ]


def test_nobody_may_work_alone_although_doctors_are_free() -> None:
    evening = template("FAN-kveld", "16:00", "23:00", station="FAN", label="kveld", min_qualified=0)
    s = make([evening], [doctor("a"), doctor("b", qualified=False)],
             absences=[away("a", start="2026-11-30", end="2026-12-02")])
    assert messages(s) == [
        ("Kveld 01.12 Fana legevakt: 1 lege er tilgjengelig, men ingen som kan gå alene, og de som ikke kan gå alene, "
        "får ikke gå vakten uten en som kan: 1 har fravær (ferie). A (ferie) og B (kan ikke gå alene) kunne tatt den "
        "om én ting var annerledes."),
    ]


def test_a_doctor_who_may_not_work_alone_is_enough_where_the_bakvakt_is() -> None:
    evening = template("FAN-kveld", "16:00", "23:00", station="FAN", label="kveld", min_qualified=0)
    s = make([evening], [doctor("a"), doctor("b", qualified=False)], rules={"alone_with_bakvakt": True},
             absences=[away("a", start="2026-11-30", end="2026-12-02")])
    assert not any("kan gå alene" in text for text, *_ in messages(s))


def test_exact_time_absence_and_expired_course() -> None:
    day = template("dag", "08:00", "16:00", label="dag", min_qualified=1)
    s = make([day], [doctor("a", courses={"akuttmedisin": "2026-11-30"}), doctor("b")],
             absences=[{"doctor": "b", "start": "2026-12-01T15:00:00", "end": "2026-12-01T18:00:00",
                        "kind": "annet"}])
    assert messages(s) == [
        ("Dag 01.12 Bergen legevakt krever 1 lege som kan gå alene; ingen er tilgjengelig: 1 har fravær (annet) "
        "og 1 har kurs som har gått ut. B (annet fravær) og A (kurset har gått ut) kunne tatt den om én ting var "
        "annerledes."),
    ]


def test_a_doctor_without_the_required_courses_is_named_with_them() -> None:
    day = template("dag", "08:00", "16:00", label="dag")
    s = make([day], [doctor("a", courses={"akuttmedisin": None, "vold og overgrep": None}),
                     doctor("b", courses={"vold og overgrep": None})])
    assert messages(s) == [
        ("Dag 01.12 Bergen legevakt krever 1 lege; ingen er tilgjengelig: 2 mangler påkrevd kurs "
         "(1 «akuttmedisin» og «vold og overgrep», 1 «vold og overgrep»). A (mangler «akuttmedisin» og "
         "«vold og overgrep») og B (mangler «vold og overgrep») kunne tatt den om én ting var annerledes."),
    ]


# --------------------------------------------------------------------------- shifts no one can combine


def test_simultaneous_shifts_need_distinct_doctors() -> None:
    fana = template("FAN-dag", "08:00", "16:00", station="FAN", label="dag", min_qualified=1)
    asane = template("ASA-dag", "10:00", "18:00", station="ASA", label="dag", min_qualified=1)
    s = make([fana, asane], [doctor("a"), doctor("b", qualified=False), doctor("c")], absences=[away("c")])
    [finding] = precheck(s)
    assert finding.message == (
        "Dag 01.12 Fana legevakt og Dag 01.12 Åsane legevakt krever til sammen 2 leger som kan gå alene, og ingen "
        "lege kan ta to av dem fordi de går samtidig 01.12 10:00–16:00; bare 1 lege som kan gå alene er tilgjengelig."
    )
    assert finding.kind == "samtidighet"
    assert finding.shifts == ("FAN-dag/2026-12-01", "ASA-dag/2026-12-01")
    assert finding.numbers == {"krever": 2, "krever som kan gå alene": 2, "tilgjengelig": 1}


def test_rest_between_shifts_makes_them_a_clash() -> None:
    day = template("dag", "08:00", "16:00", label="dag", min_qualified=0)
    evening = template("kveld", "18:00", "23:00", label="kveld", min_qualified=0)
    s = make([day, evening], [doctor("a")])
    assert messages(s) == [
        ("Dag 01.12 Bergen legevakt og Kveld 01.12 Bergen legevakt krever til sammen 2 leger som kan gå alene, "
        "og ingen lege kan ta to av dem fordi de overlapper eller har under 8 t hvile mellom seg; "
        "bare 1 lege som kan gå alene er tilgjengelig."),
    ]


def test_shifts_far_enough_apart_do_not_clash() -> None:
    day = template("dag", "08:00", "12:00", label="dag", min_qualified=0)
    evening = template("kveld", "20:00", "23:00", label="kveld", min_qualified=0)
    assert precheck(make([day, evening], [doctor("a")])) == []


def test_a_shortage_of_one_shift_is_not_counted_again_as_a_clash() -> None:
    fana = template("FAN-dag", "08:00", "16:00", station="FAN", label="dag", min_qualified=1)
    asane = template("ASA-dag", "08:00", "16:00", station="ASA", label="dag", min_qualified=1)
    s = make([fana, asane], [doctor("a", stations=["FAN"])])
    assert [f.kind for f in precheck(s)] == ["kompetanse"]


# --------------------------------------------------------------------------- bakvakt


def test_open_hours_without_any_on_call_shift() -> None:
    day = template("dag", "08:00", "16:00", label="dag", min_qualified=1)
    s = make([day, bakvakt("08:00", "12:00")], [doctor("a"), SPECIALIST], on_call=False)
    [finding] = precheck(s)
    assert finding.message == ("Ingen bakvaktvakt er satt opp 01.12 12:00–16:00 mens Bergen legevakt er åpen; "
                               "legg til en bakvaktvakt som dekker tiden.")
    assert (finding.kind, finding.shift, finding.numbers) == ("bakvakt-dekning", None, {"timer": 4.0})


def test_on_call_shift_without_a_possible_doctor() -> None:
    day = template("dag", "08:00", "16:00", label="dag", min_qualified=1)
    s = make([day, bakvakt("08:00", "16:00", demand_min=0)], [doctor("a"), SPECIALIST],
             on_call=False, absences=[away("spes", "kurs")])
    [finding] = precheck(s)
    assert finding.message == ("Ingen spesialist kan være bakvakt 01.12 08:00–16:00 mens Bergen legevakt er åpen: "
                               "1 har fravær (kurs).")
    assert finding.shift == "bak/2026-12-01"


GP_ON_CALL = doctor("lege", name="Lege", can_bakvakt=True,
                    competence={"clinical_months": 30, "legevakt_shifts_done": 40})


def test_on_call_shift_that_only_doctors_who_are_no_specialists_can_take() -> None:
    """The fastlege may be bakvakt, but the pilot wants a specialist, and the only one is away."""
    day = template("dag", "08:00", "16:00", label="dag", min_qualified=1)
    s = make([day, bakvakt("08:00", "16:00")], [doctor("a"), GP_ON_CALL, SPECIALIST], on_call=False,
             absences=[away("spes")])
    [finding] = precheck(s)
    assert finding.message == ("Ingen spesialist kan være bakvakt 01.12 08:00–16:00 mens Bergen legevakt er åpen: "
                               "1 har fravær (ferie) og 1 kan ta bakvakten, men er ikke spesialist.")
    assert (finding.kind, finding.shift, finding.numbers) == ("bakvakt-dekning", "bak/2026-12-01",
                                                              {"timer": 8.0, "fravær": 1, "ikke spesialist": 1})


def test_an_empty_on_call_shift_with_demand_is_reported_once() -> None:
    day = template("dag", "08:00", "16:00", label="dag", min_qualified=1)
    s = make([day, bakvakt("08:00", "16:00")], [doctor("a"), doctor("b"), SPECIALIST], on_call=False,
             absences=[away("spes", "sykdom")])
    assert messages(s) == ["Bakvakt 01.12 Bakvakt krever 1 lege; ingen er tilgjengelig: 1 har fravær (sykdom). "
                           "Spes (sykdom) kunne tatt den om én ting var annerledes."]


# --------------------------------------------------------------------------- doctors' counts


def test_a_week_with_too_few_doctors_for_the_weekly_limit() -> None:
    # seven day shifts, two doctors, at most three shifts each in 7 days: every shift alone and
    # every instant can be staffed, the week cannot
    day = template("dag", "08:00", "16:00", label="dag")
    s = make([day], [doctor("a"), doctor("b"), doctor("c", stations=["FAN"]), doctor("d")], on_call=False,
             end="2026-12-07", rules={"max_shifts_per_7_days": 3}, absences=[away("d", end="2026-12-07")])
    [finding] = precheck(s)
    assert finding.message == ("Vaktene 01.12–07.12 (7 på Bergen legevakt) krever til sammen 7 leger som kan gå alene, "
                               "og ingen lege kan ta flere enn 3 vakter på 7 dager; bare 2 leger som kan gå alene kan "
                               "ta dem, og de kan til sammen ta høyst 6; av de andre som ellers kunne tatt dem: 1 har "
                               "fravær (ferie).")
    assert (finding.kind, finding.numbers["kapasitet"], len(finding.shifts)) == ("uke-vakter", 6, 7)
    assert solve(s, time_limit=5.0, workers=1, strict=True).stats.status.value == "infeasible"


def test_a_shortage_over_the_week_is_listed_before_the_single_shifts_of_its_first_day() -> None:
    day = template("dag", "08:00", "16:00", label="dag")
    fana = template("FAN-kveld", "16:00", "23:00", station="FAN", label="kveld", day_types=["hverdag"])
    s = make([day, fana], [doctor("a", stations=["BLV"]), doctor("b", stations=["BLV"]), doctor("c", stations=["FAN"]),
                           doctor("d")], on_call=False, end="2026-12-07", rules={"max_shifts_per_7_days": 3},
             absences=[away("d", end="2026-12-07"), away("c", end="2026-12-07")])
    kinds = [(f.kind, f.date) for f in precheck(s)]
    assert kinds[0] == ("uke-vakter", dt.date(2026, 12, 1))  # before the Fana evening of the same day
    assert ("bemanning", dt.date(2026, 12, 1)) in kinds[1:]


def test_a_doctors_own_weekly_limit_counts_in_the_weeks_capacity() -> None:
    day = template("dag", "08:00", "16:00", label="dag")
    rules = {"max_shifts_per_7_days": 3}
    doctors = [doctor("a"), doctor("b", max_shifts_per_7_days=4), doctor("d")]
    s = make([day], doctors, on_call=False, end="2026-12-07", rules=rules, absences=[away("d", end="2026-12-07")])
    assert precheck(s) == []  # 3 + 4 for the week's 7 places
    own = [doctor("a", max_shifts_per_7_days=3), doctor("b", max_shifts_per_7_days=2), doctors[2]]
    fewer = make([day], own, on_call=False, end="2026-12-07", rules={"max_shifts_per_7_days": None},
                 absences=[away("d", end="2026-12-07")])
    [finding] = precheck(fewer)
    assert "ingen lege kan ta flere enn sitt eget maks antall vakter på 7 dager" in finding.message


def test_doctors_who_may_not_work_alone_count_only_for_places_they_can_fill() -> None:
    # Fana's two places and the central clinic's qualified place need Kari or Per, one shift each;
    # Ola and Siv (not alone, central clinic only) can fill only the central clinic's other place
    central = template("dag", "08:00", "16:00", label="dag", demand_min=2, demand_max=2, min_qualified=1)
    fana = template("FAN-dag", "08:00", "16:00", station="FAN", label="dag", demand_min=2, demand_max=2,
                    min_qualified=1)
    closed = [{"template": "dag", "date": "2026-12-02", "demand_min": 0},
              {"template": "FAN-dag", "date": DAY, "demand_min": 0}]
    not_alone = {"qualified": False, "stations": ["BLV"]}
    s = make([central, fana], [doctor("k", name="Kari", max_shifts=1), doctor("p", name="Per", max_shifts=1),
                               doctor("o", **not_alone), doctor("s", **not_alone)],
             on_call=False, end="2026-12-02", demand_changes=closed)
    assert messages(s) == [
        "Vaktene 01.12–02.12 (1 på Bergen legevakt og 1 på Fana legevakt) krever til sammen 3 leger "
        "(2 som kan gå alene), og ingen lege kan ta flere enn sitt eget maks antall vakter i perioden; bare 2 leger "
        "kan ta dem, og de kan til sammen ta høyst 2."]
    assert solve(s, time_limit=5.0, workers=1, strict=True).stats.status.value == "infeasible"


def test_doctors_own_limits_over_the_period() -> None:
    # eight nights; Anne may take 3, Bjørn 4 in the period, and nobody else works here
    night = template("natt", "23:00", "08:00", label="natt")
    s = make([night], [doctor("a", name="Anne", max_shifts=3), doctor("b", name="Bjørn", max_shifts=4)],
             on_call=False, end="2026-12-08")
    [finding] = precheck(s)
    assert finding.message == ("Vaktene 01.12–08.12 (8 på Bergen legevakt) krever til sammen 8 leger som kan gå alene, "
                               "og ingen lege kan ta flere enn sitt eget maks antall vakter i perioden; bare 2 leger som "
                               "kan gå alene kan ta dem, og de kan til sammen ta høyst 7.")
    assert solve(s, time_limit=5.0, workers=1, strict=True).stats.status.value == "infeasible"


def test_doctors_own_limits_over_a_short_period_without_a_weekly_limit() -> None:
    night = template("natt", "23:00", "08:00", label="natt")
    s = make([night], [doctor("a", max_shifts=1), doctor("b", max_shifts=1)], on_call=False, end="2026-12-03")
    assert [f.kind for f in precheck(s)] == ["antall"]


def test_a_minimum_of_shifts_over_a_holiday_leaves_no_roster() -> None:
    night = template("natt", "23:00", "08:00", label="natt")
    s = make([night], [doctor("a", name="Anne", min_shifts=2), doctor("b")], on_call=False, end="2026-12-03",
             absences=[away("a", end="2026-12-03")])
    assert format_findings(precheck(s)).splitlines() == [
        "Forhåndskontrollen fant 1 krav som ikke kan oppfylles (et minste antall vakter legen ikke kan nå, gir ingen "
        "vaktplan i det hele tatt før det senkes):",
        "  - Anne skal ha minst 2 vakter i perioden, men kan bare ta 0: fravær hindrer 3 av de 3 vaktene legen ellers "
        "kunne tatt."]
    assert solve(s, time_limit=5.0, workers=1).stats.status.value == "infeasible"


def test_a_minimum_of_shifts_for_a_doctor_no_shift_fits() -> None:
    night = template("natt", "23:00", "08:00", label="natt")
    s = make([night], [doctor("a", name="Anne", min_shifts=1, stations=["FAN"]), doctor("b")], on_call=False)
    assert messages(s) == ["Anne skal ha minst 1 vakt i perioden, men ingen vakt i perioden passer legen (stasjon, "
                           "vakttype, ferdighet eller bakvakt)."]


def test_limits_that_leave_enough_find_nothing() -> None:
    day = template("dag", "08:00", "16:00", label="dag")
    s = make([day], [doctor("a"), doctor("b"), doctor("c", max_shifts=1)], on_call=False, end="2026-12-07",
             rules={"max_shifts_per_7_days": 3})
    assert precheck(s) == []


# --------------------------------------------------------------------------- pins


def test_pin_on_a_doctor_who_cannot_take_the_shift() -> None:
    day = template("dag", "08:00", "16:00", label="dag", min_qualified=1)
    s = make([day], [doctor("a"), doctor("b")], absences=[away("a")],
             pins=[{"doctor": "a", "date": DAY, "template": "dag"}])
    assert messages(s) == ["Låst vakt: A er låst til Dag 01.12 Bergen legevakt, men kan ikke ta den: fravær (ferie)."]


def test_pin_on_a_day_the_shift_does_not_run() -> None:
    weekday = template("dag", "08:00", "16:00", label="dag", min_qualified=1, day_types=["hverdag"])
    s = make([weekday], [doctor("a")], end="2026-12-05", pins=[{"doctor": "a", "date": "2026-12-05", "template": "dag"}])
    assert messages(s) == ["Låst vakt: A er låst til Dag 05.12 Bergen legevakt, men den vakttypen går ikke den dagen."]


@pytest.mark.parametrize("attend, said", [
    (False, "ingen bakvaktvakt som kan møte, dekker 01.12 08:00–16:00"),
    (True, "ingen kvalifisert lege kan ta bakvakten 01.12 08:00–16:00"),
])
def test_pin_on_a_doctor_no_bakvakt_can_supervise(attend: bool, said: str) -> None:
    # Anne may not work alone and needs a bakvakt who can come in; the day's bakvakt either cannot
    # come in, or its only specialist is away: the pin cannot be kept (rule veiledning)
    day = template("dag", "08:00", "16:00", label="dag", demand_max=2, min_qualified=1)
    anne = doctor("a", name="Anne", qualified=False, role="ALIS", supervision="tilstede")
    s = make([day, bakvakt("08:00", "16:00", "bak-dag", on_call_can_attend=attend)], [anne, doctor("b"), SPECIALIST],
             on_call=False, absences=[away("spes")] if attend else [],
             pins=[{"doctor": "a", "date": DAY, "template": "dag"}])
    pin = [m for m in messages(s) if m.startswith("Låst vakt")]
    assert pin == [f"Låst vakt: Anne er låst til Dag 01.12 Bergen legevakt, men kan ikke gå alene og må ha en "
                   f"kvalifisert bakvakt som kan møte, på hele vakten; {said}."]
    assert solve(s, time_limit=5.0, workers=1).stats.status.value == "infeasible"


def test_a_pin_that_cannot_be_kept_is_said_to_leave_no_roster() -> None:
    # unlike a shift short of doctors, an impossible pin gives no roster at all, not open places
    weekday = template("dag", "08:00", "16:00", label="dag", min_qualified=1, day_types=["hverdag"])
    s = make([weekday], [doctor("a")], end="2026-12-05", pins=[{"doctor": "a", "date": "2026-12-05", "template": "dag"}])
    head = format_findings(precheck(s)).splitlines()[0]
    assert head == ("Forhåndskontrollen fant 1 krav som ikke kan oppfylles (en låst vakt som ikke kan holdes, gir ingen "
                    "vaktplan i det hele tatt før den fjernes eller endres):")
    assert solve(s, time_limit=5.0, workers=1).stats.status.value == "infeasible"


def test_two_pins_of_one_doctor_without_the_rest_between_them() -> None:
    # an employee pinned to the day and the night after it: 7 h between them, the law asks 11 h
    day = template("dag", "08:00", "16:00", label="dag", min_qualified=1)
    night = template("natt", "23:00", "08:00", label="natt", min_qualified=1)
    s = make([day, night], [doctor("a", name="Anne", employment="ansatt"), doctor("b"), doctor("c")],
             pins=[{"doctor": "a", "date": DAY, "template": "dag"}, {"doctor": "a", "date": DAY, "template": "natt"}])
    assert messages(s) == ["Låst vakt: Anne er låst til både Dag 01.12 Bergen legevakt og Natt 01.12 Bergen legevakt, "
                           "som har bare 7 t hvile mellom seg (krever 11 t)."]
    assert solve(s, time_limit=5.0, workers=1).stats.status.value == "infeasible"


def test_a_pin_without_rest_after_a_shift_carried_in_from_last_month() -> None:
    # Anne worked the night of 30.11 in last month's roster (carried in); the day shift pinned for
    # 01.12 starts as the night ends, which the month alone cannot show
    day = template("dag", "08:00", "16:00", label="dag", min_qualified=1)
    s = make([day], [doctor("a", name="Anne", employment="ansatt"), doctor("b")],
             pins=[{"doctor": "a", "date": DAY, "template": "dag"}], carry_in_from="2026-11-24",
             carry_in=[{"doctor": "a", "start": "2026-11-30T23:00", "end": "2026-12-01T08:00", "label": "natt",
                        "station": "BLV"}])
    assert messages(s) == ["Låst vakt: Anne er låst til Dag 01.12 Bergen legevakt, men hadde Natt 30.11 Bergen "
                           "legevakt i forrige periode, som har bare 0 t hvile mellom seg (krever 11 t)."]
    assert solve(s, time_limit=5.0, workers=1).stats.status.value == "infeasible"


@pytest.mark.parametrize("limits, said", [
    ({"max_shifts": 1}, "Låst vakt: Anne er låst til 2 vakter, men kan ha høyst 1 i perioden."),
    ({"max_hours": 8}, "Låst vakt: Anne er låst til vakter på til sammen 17 t, men kan ha høyst 8 t i perioden."),
    ({"max_shifts_by_label": {"natt": 1}},
     "Låst vakt: Anne er låst til 2 nattvakter, men kan ha høyst 1 i perioden."),
])
def test_pins_beyond_a_doctors_own_limits(limits: dict[str, Any], said: str) -> None:
    night = template("natt", "23:00", "08:00", label="natt")
    day = template("dag", "08:00", "16:00", label="dag")
    pins = [{"doctor": "a", "date": DAY, "template": "natt"},
            {"doctor": "a", "date": "2026-12-03", "template": "natt" if "max_shifts_by_label" in limits else "dag"}]
    s = make([night, day], [doctor("a", name="Anne", **limits), doctor("b"), doctor("c")], on_call=False,
             end="2026-12-03", pins=pins)
    assert messages(s) == [said]
    assert solve(s, time_limit=5.0, workers=1).stats.status.value == "infeasible"


def test_pins_beyond_the_shifts_per_7_days() -> None:
    night = template("natt", "23:00", "08:00", label="natt")
    pins = [{"doctor": "a", "date": f"2026-12-0{d}", "template": "natt"} for d in (1, 3, 5)]
    s = make([night], [doctor("a", name="Anne"), doctor("b"), doctor("c")], on_call=False, end="2026-12-05", pins=pins,
             rules={"max_shifts_per_7_days": 2})
    assert messages(s) == ["Låst vakt: Anne er låst til 3 vakter 01.12–05.12, men kan ha høyst 2 per 7 dager."]
    assert solve(s, time_limit=5.0, workers=1).stats.status.value == "infeasible"


def test_a_doctor_pinned_elsewhere_is_not_available() -> None:
    fana = template("FAN-dag", "08:00", "16:00", station="FAN", label="dag", min_qualified=1)
    asane = template("ASA-dag", "08:00", "16:00", station="ASA", label="dag", min_qualified=1)
    s = make([fana, asane], [doctor("a"), doctor("b", stations=["FAN"])],
             pins=[{"doctor": "a", "date": DAY, "template": "FAN-dag"}])
    assert messages(s) == [
        ("Dag 01.12 Åsane legevakt krever 1 lege som kan gå alene; ingen er tilgjengelig: "
        "1 er låst til en annen vakt samtidig. A (låst til en annen vakt) kunne tatt den om én ting var annerledes."),
    ]


# --------------------------------------------------------------------------- reasons


def test_every_eligibility_reason_has_a_code() -> None:
    """A reworded reason in roster.eligibility must fail here, not fall into "other"."""
    s = make([template("dag", "08:00", "16:00", label="dag", required_skill="barn"),
              template("FAN-kveld", "16:00", "23:00", station="FAN", label="kveld"),
              template("natt", "23:00", "08:00", label="natt", day_types=["hverdag"])],
             [doctor("stasjon", stations=["ASA"]), doctor("vakttype", shift_labels=["kveld"]),
              doctor("ferdighet"), doctor("kurs", skills=["barn"], courses={"x": "2026-11-01"}),
              doctor("mangler", skills=["barn"], courses={"akuttmedisin": None}),
              doctor("fravær", skills=["barn"]), doctor("fritak", exemptions=[{"reason": "amming"}]),
              doctor("ukval", qualified=False, can_bakvakt=True), doctor("ikkebak"),
              doctor("praksis", practice_days=["onsdag"]), doctor("veiledes")],
             absences=[away("fravær")], supervision_days=[{"doctor": "veiledes", "date": "2026-12-02"}])
    index, pool_of = ShiftIndex(s), Pools(Eligibility(s))
    codes = {o.code for d in s.doctors for shift in index.shifts for o in pool_of.obstacles(d, shift)}
    assert codes == set(TEMPORARY + STATIC) - {"låst"}


# --------------------------------------------------------------------------- soundness


def soundness_case(case: str) -> Scenario:
    day = template("dag", "08:00", "16:00", label="dag", min_qualified=0)
    if case == "kompetanse":
        return make([NIGHT], [doctor("a"), doctor("b"), doctor("c", qualified=False)], absences=[away("a")])
    if case == "alene":
        return make([day], [doctor("a", qualified=False), doctor("b")], absences=[away("b")])
    if case == "bemanning":
        return make([template("dag", "08:00", "16:00", label="dag", demand_min=2, demand_max=2, min_qualified=0)],
                    [doctor("a"), doctor("b")], absences=[away("b")])
    if case == "samtidighet":
        return make([template("FAN-dag", "08:00", "16:00", station="FAN", label="dag", min_qualified=1),
                     template("ASA-dag", "10:00", "18:00", station="ASA", label="dag", min_qualified=1)],
                    [doctor("a"), doctor("b", qualified=False)])
    if case == "hvile":
        return make([day, template("kveld", "18:00", "23:00", label="kveld", min_qualified=0)], [doctor("a")])
    if case == "bakvakt-dekning":  # a bakvakt rota that leaves the day shift's hours without a bakvakt
        return make([day, bakvakt("16:00", "08:00")], [doctor("a"), SPECIALIST], on_call=False)
    if case == "bakvakt-spesialist":  # a bakvakt only a doctor who is no specialist can take
        return make([day, bakvakt("08:00", "16:00")], [doctor("a"), GP_ON_CALL], on_call=False)
    assert case == "låst"
    return make([day], [doctor("a"), doctor("b")], absences=[away("a")],
                pins=[{"doctor": "a", "date": DAY, "template": "dag"}])


@pytest.mark.parametrize("case", ["kompetanse", "alene", "bemanning", "samtidighet", "hvile", "bakvakt-dekning",
                                  "bakvakt-spesialist", "låst"])
def test_a_finding_means_no_full_roster(case: str) -> None:
    """The checks are necessary conditions: when one fails, the strict solver finds no roster that the
    checker passes in full."""
    s = soundness_case(case)
    assert precheck(s)
    roster = solve(s, time_limit=5.0, workers=1, strict=True)
    assert roster.stats.status.value == "infeasible" and roster.assignments == []


# --------------------------------------------------------------------------- Bergen


def test_bergen_month_has_no_findings() -> None:
    """(How long it takes: python -m benchmarks.checks.)"""
    from examples.bergen.generate import build_bergen_scenario

    assert precheck(build_bergen_scenario()) == []
    assert format_findings([]) == "Forhåndskontrollen fant ingen krav som åpenbart ikke kan oppfylles."


def test_hard_christmas_week_is_explained() -> None:
    """What examples/bergen/christmas.py builds in, found back with figures worked out by hand:

    - (2) every doctor who could work Fana on Christmas Eve is away 24.–26.12 (the rest are exempt
      from 16–08, and FAN-helg runs 10–23): three FAN-helg shifts, 1 needed, 0 available;
    - (3) Christmas Eve is a holiday (Julaften in extra_holidays), so ASA-helg and LOD-helg run
      10–23 beside BLV-barn and BLV-kveld 16–23 and BLV-natt 23–08: no doctor can take two (they
      overlap, or 23:00 to 23:00 leaves no rest), each needs one doctor who may work alone (5),
      and of those only the KEEP_ON_CHRISTMAS_EVE spared from the influenza are left;
    - (4) every doctor who may work alone has the New Year's night off (kind annet), so the
      central night on 31.12 has 0 available, and the message counts them.
    Nothing else is found, and the findings come in date order."""
    from examples.bergen.christmas import KEEP_ON_CHRISTMAS_EVE, build_christmas_scenario

    sc = build_christmas_scenario()
    findings = precheck(sc)
    fana = [f for f in findings if f.shift and f.shift.startswith("FAN-helg/")]
    [clash] = [f for f in findings if f.kind == "samtidighet"]
    [night] = [f for f in findings if f.shift == "BLV-natt/2026-12-31"]
    assert len(findings) == 5 and [f.date for f in findings] == sorted(f.date for f in findings)

    assert [(f.kind, f.date) for f in fana] == [("kompetanse", dt.date(2026, 12, d)) for d in (24, 25, 26)]
    assert all(f.numbers["krever"] == 1 and f.numbers["tilgjengelig"] == 0 for f in fana)
    assert fana[0].message.startswith("Helg 24.12 Fana legevakt krever 1 lege som kan gå alene; ingen er tilgjengelig: ")
    assert "har nattfritak" in fana[0].message

    assert sorted(clash.shifts) == sorted(f"{t}/2026-12-24" for t in ("ASA-helg", "LOD-helg", "BLV-barn", "BLV-kveld",
                                                                       "BLV-natt"))
    assert clash.numbers["krever som kan gå alene"] == 5
    assert clash.numbers["tilgjengelig"] == KEEP_ON_CHRISTMAS_EVE == 3
    assert "krever til sammen 5 leger som kan gå alene" in clash.message
    assert "bare 3 ulike leger som kan gå alene er tilgjengelige" in clash.message

    nights_off = sum(a.note == "fri nyttårsnatt" for a in sc.absences)
    assert (night.kind, night.numbers["tilgjengelig"]) == ("kompetanse", 0) and nights_off > 0
    assert night.message.startswith("Natt 31.12 Bergen legevakt krever 1 lege som kan gå alene; ingen er tilgjengelig")
    assert f"{nights_off} annet" in night.message


def test_committed_christmas_file_is_current() -> None:
    from examples.bergen.christmas import CHRISTMAS_PATH, build_christmas_scenario
    from roster.scenario_io import load_scenario

    assert load_scenario(CHRISTMAS_PATH) == build_christmas_scenario()


def test_clash_counts_all_doctors_and_those_who_may_work_alone() -> None:
    fana = template("FAN-dag", "08:00", "16:00", station="FAN", label="dag", min_qualified=1)
    central = template("dag", "08:00", "16:00", label="dag", demand_min=3, demand_max=3, min_qualified=1)
    s = make([fana, central], [doctor("a"), doctor("b"), doctor("c", qualified=False, stations=["BLV"])])
    assert messages(s) == [
        ("Dag 01.12 Fana legevakt og Dag 01.12 Bergen legevakt krever til sammen 4 leger (2 som kan gå alene), og "
        "ingen lege kan ta to av dem fordi de går samtidig 01.12 08:00–16:00; bare 3 ulike leger er tilgjengelige."),
    ]


def test_nights_before_practice_and_supervision_days_keep_doctors_off() -> None:
    """A GP's practice day and an ALIS's supervision day the next morning are fixed by date, like
    an absence: a rural night every GP practises after was found open only by the solve, each
    doctor said to «need rest» (rules `praksisdag` and `veiledningsdag`)."""
    s = make([NIGHT], [doctor("a", name="Anne", practice_days=["onsdag"]), doctor("b", name="Berit"),
                       doctor("c", name="Cato", practice_days=["mandag"])],
             supervision_days=[{"doctor": "b", "date": "2026-12-02"}])
    assert messages(s) == [
        "Natt 01.12 Bergen legevakt krever 2 leger som kan gå alene; bare 1 er tilgjengelig: 1 har praksisdag "
        "dagen etter og 1 har veiledningsdag dagen etter. Bare Cato kan ta den; Anne (praksisdag dagen etter) og "
        "Berit (veiledningsdag dagen etter) kunne tatt den om én ting var annerledes."]
