"""Who can take a shift (roster.candidates): the reason on an unfilled place, each kind of reason
beside the same scenario without it, and the pool's rules for naming doctors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from factories import doctor, scenario, station, template
from solver_util import QUIET, on, run

from roster.calendar import ShiftIndex
from roster import candidates
from roster.candidates import NOT_EXPLAINED, ROSTER_RULES, Pools, open_place_reasons, pinned_shifts
from roster.check import RULES
from roster.eligibility import Eligibility
from roster.models import Assignment, OpenSlot, Roster, Scenario

DAY = "2026-12-01"  # a Tuesday
EVENING = "kveld/2026-12-01"
STATIONS = [station("BLV", name="Bergen legevakt"), station("FAN", "bydelslegevakt", "Fana legevakt")]


def evening(**kw: Any) -> dict[str, Any]:
    return template("kveld", "16:00", "23:00", demand_min=2, demand_max=2, **kw)


def two_on_the_evening(o: dict[str, Any], templates: Sequence[dict[str, Any]] = (),
                       pins: Sequence[dict[str, Any]] = (), **kw: Any) -> Scenario:
    """An evening for two: Anne pinned to it, and Ola, whom the case may keep away (and Siri for
    the bakvakt, when there is one)."""
    tpl = kw.pop("tpl", evening())
    doctors = [doctor("a", name="Anne"), doctor("o", name="Ola", **o)]
    doctors += [SPECIALIST] if ON_CALL in templates else []
    return scenario(DAY, DAY, [tpl, *templates], doctors,
                    stations=STATIONS, rules={"weights": QUIET},
                    pins=[{"doctor": "a", "date": DAY, "template": "kveld"}, *pins], **kw)


ON_CALL = template("bak", "16:00", "23:00", station="BLV", duty="bakvakt", label="bakvakt")
SPECIALIST = doctor("s", name="Siri", role="spesialist", can_bakvakt=True, shift_labels=["bakvakt"])


def pinned_ola(tpl: str) -> list[dict[str, Any]]:
    return [{"doctor": "o", "date": DAY, "template": tpl}]


# Each case: (what keeps Ola off, the scenario with it, the scenario without it).
CASES = {
    "fravær": ("1 har fravær (Ola: sykdom)",
               two_on_the_evening({}, absences=[{"doctor": "o", "start": DAY, "end": DAY, "kind": "sykdom"}]),
               two_on_the_evening({})),
    "fritak": ("1 har nattfritak (Ola)",
               two_on_the_evening({"exemptions": [{"reason": "over 60"}]}), two_on_the_evening({})),
    "kurs": ("1 har kurs som har gått ut (Ola)",
             two_on_the_evening({"courses": {"akuttmedisin": "2026-11-30"}}),
             two_on_the_evening({"courses": {"akuttmedisin": "2026-12-31"}})),
    "mangler kurs": ("1 mangler påkrevd kurs (Ola: «vold og overgrep»)",
                     two_on_the_evening({"courses": {"vold og overgrep": None}}),
                     two_on_the_evening({"courses": {"vold og overgrep": None, " Vold og  OVERGREP": "2026-12-31"}})),
    "kan ikke gå alene": ("1 kan ikke gå alene (Ola)",
                          two_on_the_evening({"competence": {"qualified": False}}, tpl=evening(min_qualified=2)),
                          two_on_the_evening({}, tpl=evening(min_qualified=2))),
    "opptatt": ("1 har en annen vakt samtidig (Ola)",
                two_on_the_evening({}, [template("FAN-kveld", "17:00", "22:00", station="FAN")],
                                   pinned_ola("FAN-kveld")),
                two_on_the_evening({}, [template("FAN-kveld", "17:00", "22:00", station="FAN", demand_min=0)])),
    "hvile": ("1 trenger hvile (Ola)",
              two_on_the_evening({}, [template("dag", "07:00", "15:00")], pinned_ola("dag")),
              two_on_the_evening({}, [template("dag", "00:00", "08:00")], pinned_ola("dag"))),  # 8 h: enough
    # a night before Ola's practice day: said to «need rest» (trenger hvile) before it had a reason of its own
    "praksisdag": ("1 har praksisdag dagen etter (Ola)",
                   two_on_the_evening({"practice_days": ["onsdag"]}, tpl=template("kveld", "23:00", "08:00", demand_min=2, demand_max=2)),
                   two_on_the_evening({"practice_days": ["torsdag"]}, tpl=template("kveld", "23:00", "08:00", demand_min=2, demand_max=2))),
    "grense": ("1 har nådd en grense (Ola: antall vakter i perioden)",
               two_on_the_evening({"max_shifts": 0}), two_on_the_evening({"max_shifts": 1})),
    "veiledning": ("1 har ingen bakvakt som kan veilede dem (Ola)",
                   two_on_the_evening({"competence": {"qualified": False}}),
                   two_on_the_evening({"competence": {"qualified": False}}, [ON_CALL])),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_unfilled_place_names_what_keeps_each_doctor_off(case: str) -> None:
    reason, kept_off, _ = CASES[case]
    r = run(kept_off)
    assert [(o.template, o.missing) for o in r.open_slots] == [("kveld", 1)]
    assert r.open_slots[0].reason == f"2 mulige leger: 1 er satt på vakten (Anne) og {reason}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_without_that_reason_the_doctor_fills_the_place(case: str) -> None:
    _, _, free = CASES[case]
    r = run(free)
    assert r.open_slots == []
    assert "o" in on(r, EVENING)


def test_a_doctor_the_search_did_not_reach_is_said_to_be_free() -> None:
    """A roster the search left with a place a free doctor could fill (it stopped early) says so,
    and does not invent a reason: the checker finds nothing the shift would break for him."""
    s = two_on_the_evening({})
    roster = Roster(scenario=s.name, period=s.period, assignments=[Assignment(doctor="a", template="kveld", date=DAY)],
                    open_slots=[OpenSlot(template="kveld", date=DAY, missing=1)])
    assert open_place_reasons(s, roster) == {
        EVENING: "2 mulige leger: 1 er satt på vakten (Anne) og 1 kunne tatt plassen uten å bryte noen regel (Ola)"}


def test_a_doctor_already_over_a_limit_is_said_to_have_reached_it() -> None:
    """A published roster from before Ola's limit was lowered gives him 2 shifts against a maximum
    of 1: a third would make that breach worse, so he could not take the open place."""
    days = ["2026-12-01", "2026-12-02", "2026-12-03"]
    s = scenario(days[0], days[-1], [evening()], [doctor("a", name="Anne"), doctor("o", name="Ola", max_shifts=1)])
    roster = Roster(scenario=s.name, period=s.period,
                    assignments=[*(Assignment(doctor="a", template="kveld", date=d) for d in days),
                                 *(Assignment(doctor="o", template="kveld", date=d) for d in days[:2])],
                    open_slots=[OpenSlot(template="kveld", date=days[2], missing=1)])
    assert open_place_reasons(s, roster) == {
        "kveld/2026-12-03": "2 mulige leger: 1 er satt på vakten (Anne) og 1 har nådd en grense "
                            "(Ola: antall vakter i perioden)"}


def three_open_evenings() -> tuple[Scenario, Roster]:
    """Three evenings with Anne on each and one place open, which Ola could take."""
    days = ["2026-12-01", "2026-12-02", "2026-12-03"]
    s = scenario(days[0], days[-1], [evening()], [doctor("a", name="Anne"), doctor("o", name="Ola")])
    roster = Roster(scenario=s.name, period=s.period,
                    assignments=[Assignment(doctor="a", template="kveld", date=d) for d in days],
                    open_slots=[OpenSlot(template="kveld", date=d, missing=1) for d in days])
    return s, roster


def counting_checker(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the checker's runs on behalf of the unfilled places."""
    runs: list[int] = []
    check = candidates.check_roster

    def counted(*args: Any) -> Any:
        runs.append(1)
        return check(*args)

    monkeypatch.setattr(candidates, "check_roster", counted)
    return runs


FREE_OLA = "2 mulige leger: 1 er satt på vakten (Anne) og 1 kunne tatt plassen uten å bryte noen regel (Ola)"


def test_with_time_every_unfilled_place_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    s, roster = three_open_evenings()
    runs = counting_checker(monkeypatch)
    ticks = iter(range(100))  # a clock one tick further at each reading
    reasons = open_place_reasons(s, roster, deadline=100, clock=lambda: next(ticks))
    assert set(reasons.values()) == {FREE_OLA}
    assert len(runs) == 1 + 3  # the roster as it stands, then one run per place


def test_places_whose_check_would_end_past_the_deadline_are_said_unexplained(monkeypatch: pytest.MonkeyPatch) -> None:
    """A half-year roster with hundreds of places would keep the caller waiting past the time
    limit; a place whose check, as long as the longest so far, would end past the deadline says
    so and costs no checker run. Each check here takes one tick (the clock reads one tick on at
    each look): the roster's runs 1–2, the first place is looked at 3 (3 + 1 < 5) and checked 4–5,
    the second is looked at 6 (6 + 1 ≥ 5)."""
    s, roster = three_open_evenings()
    runs = counting_checker(monkeypatch)
    ticks = iter(range(100))
    reasons = open_place_reasons(s, roster, deadline=5, clock=lambda: next(ticks))
    assert list(reasons.values()) == [FREE_OLA, NOT_EXPLAINED, NOT_EXPLAINED]
    assert len(runs) == 1 + 1


def test_many_doctors_are_counted_not_named() -> None:
    doctors = [doctor("a", name="Anne")] + [doctor(f"d{i}", name=f"Lege {i}") for i in range(6)]
    absences = [{"doctor": f"d{i}", "start": DAY, "end": DAY, "kind": "ferie" if i < 4 else "sykdom"} for i in range(6)]
    s = scenario(DAY, DAY, [evening()], doctors, absences=absences)
    r = run(s)
    assert r.open_slots[0].reason == "7 mulige leger: 1 er satt på vakten (Anne) og 6 har fravær (4 ferie, 2 sykdom)"


def test_no_possible_doctor_at_all() -> None:
    s = scenario(DAY, DAY, [evening(station="FAN")], [doctor("a", stations=["BLV"])], stations=STATIONS)
    reason = "ingen leger kan ta denne vakttypen (stasjon, vakttype, ferdighet eller bakvakt)"
    assert run(s).open_slots[0].reason == reason


def test_every_rule_one_more_shift_can_break_for_a_doctor_has_a_reason() -> None:
    """A checker rule added later must be sorted here: a reason for a doctor, or about the shift
    or eligibility (which the pool settles before the checker is asked)."""
    about_the_shift = {"ukjent-vakt", "dobbel", "bemanning", "kompetanse", "alene", "bakvakt-dekning", "låst"}
    eligibility = {"bakvakt-evne", "stasjon", "vakttype", "ferdighet", "kurs", "fravær", "fritak"}
    assert set(ROSTER_RULES) == set(RULES) - about_the_shift - eligibility


# --------------------------------------------------------------------------- the pool's sentence


def who(s: Scenario, key: str, qualified_only: bool, named: tuple[str, ...] = ()) -> str | None:
    return Pools(Eligibility(s))(ShiftIndex(s).by_key[key]).who(qualified_only, named)


def test_few_who_can_are_named_and_so_are_those_one_change_away() -> None:
    doctors = [doctor("k", name="Kari"), doctor("u", name="Ulf", qualified=False),
               doctor("f", name="Frida", stations=["FAN"]),  # another rota: never named
               doctor("t", name="Tor", qualified=False, courses={"x": "2026-11-01"})]  # two reasons: not named
    s = scenario(DAY, DAY, [evening(min_qualified=2)], doctors, stations=STATIONS)
    assert who(s, EVENING, qualified_only=True) == ("bare Kari kan ta den; Ulf (kan ikke gå alene) kunne tatt den om "
                                                    "én ting var annerledes")
    assert who(s, EVENING, qualified_only=False) == ("bare Kari og Ulf kan ta den; Tor (kurset har gått ut) kunne "
                                                     "tatt den om én ting var annerledes")
    assert who(s, EVENING, qualified_only=True, named=("u",)) == "bare Kari kan ta den"


def test_more_than_five_who_can_are_not_named() -> None:
    s = scenario(DAY, DAY, [evening()], [doctor(f"d{i}") for i in range(6)])
    assert who(s, EVENING, qualified_only=False) is None
    s = scenario(DAY, DAY, [evening()], [doctor(f"d{i}") for i in range(5)])
    assert who(s, EVENING, qualified_only=False) == "bare D0, D1, D2, D3 og D4 kan ta den"


def test_a_long_list_one_change_away_is_cut_after_five_names() -> None:
    absences = [{"doctor": f"d{i}", "start": DAY, "end": DAY} for i in range(7)]
    s = scenario(DAY, DAY, [evening()], [doctor(f"d{i}") for i in range(7)], absences=absences)
    assert who(s, EVENING, qualified_only=False) == ("D0, D1, D2, D3 og D4 (ferie) og 2 til kunne tatt den om én ting "
                                                     "var annerledes")


def test_a_bakvakt_who_may_not_work_alone_is_not_one_change_away() -> None:
    """The bakvakt must be qualified (the pilot, a rule of law): not something a manager changes."""
    bak = template("bak", "16:00", "23:00", duty="bakvakt")
    s = scenario(DAY, DAY, [bak], [doctor("u", qualified=False, can_bakvakt=True),
                                   doctor("s", can_bakvakt=True, exemptions=[{"reason": "over 60"}])])
    assert who(s, "bak/2026-12-01", qualified_only=False) == "S (nattfritak) kunne tatt den om én ting var annerledes"


def test_fixes_an_explanation_already_applied_are_no_longer_reasons() -> None:
    """A later clash is explained with the earlier fixes applied: the doctor asked to work despite
    the absence, the pin removed."""
    s = scenario(DAY, DAY, [evening(), template("natt", "22:00", "08:00")], [doctor("a"), doctor("b")],
                 absences=[{"doctor": "a", "start": DAY, "end": DAY}],
                 pins=[{"doctor": "b", "date": DAY, "template": "natt"}])
    index, elig = ShiftIndex(s), Eligibility(s)
    shift = index.by_key[EVENING]
    assert Pools(elig, pinned_shifts(s, index))(shift).can(qualified_only=False) == []
    lifted = {("fravær", f"0@{EVENING}"), ("låst", "0")}
    after = Pools(elig, pinned_shifts(s, index, lifted), lifted)(shift)
    assert [d.id for d in after.can(qualified_only=False)] == ["a", "b"]
