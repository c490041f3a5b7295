"""Staffing rules: bemanning, kompetanse, alene (and ukjent-vakt by construction)."""

from factories import doctor, scenario, station, template
from solver_util import QUIET, assert_infeasible_strict_and_open, on, run
from typer.testing import CliRunner

from api.cli import app
from roster.scenario_io import dump_scenario

DAY = "2026-12-01"
RULES = {"weights": QUIET}


def wish(doc: str, tpl: str = "dag", wants: bool = True, day: str = DAY) -> dict:
    return {"doctor": doc, "date": day, "template": tpl, "wants": wants, "weight": 10}


def test_demand_min_is_filled_and_demand_max_caps_wishes():
    sc = scenario(DAY, DAY, [template("dag", "08:00", "16:00", demand_min=2, demand_max=2)],
                  [doctor("a"), doctor("b"), doctor("c")], rules=RULES,
                  wishes=[wish("a"), wish("b"), wish("c")])
    r = run(sc)
    assert len(on(r, f"dag/{DAY}")) == 2
    assert r.open_slots == []


def test_demand_shortfall_is_infeasible_strict_and_one_open_slot_by_default():
    sc = scenario(DAY, DAY, [template("dag", "08:00", "16:00", demand_min=2, demand_max=2)], [doctor("a")])
    r = assert_infeasible_strict_and_open(sc, {(f"dag/{DAY}", 1)})
    assert on(r, f"dag/{DAY}") == {"a"}
    assert r.open_slots[0].reason == "1 mulig lege: 1 er satt på vakten (A)"


def test_a_shift_changed_to_no_doctors_is_closed_even_for_a_doctor_who_wishes_it():
    """«0 = stengt»: a demand change to 0 with no maximum shuts the shift, not merely makes it optional."""
    sc = scenario(DAY, DAY, [template("dag", "08:00", "16:00")], [doctor("a")], rules=RULES, wishes=[wish("a")],
                  demand_changes=[{"template": "dag", "date": DAY, "demand_min": 0}])
    assert run(sc).assignments == []
    optional = sc.model_copy(update={"demand_changes": [sc.demand_changes[0].model_copy(update={"demand_max": 1})]})
    assert on(run(optional), f"dag/{DAY}") == {"a"}


def test_min_qualified_keeps_the_unqualified_doctor_off_a_full_shift():
    tpl = template("dag", "08:00", "16:00", demand_min=2, demand_max=2, min_qualified=2)
    sc = scenario(DAY, DAY, [tpl], [doctor("q1"), doctor("q2"), doctor("u", qualified=False)],
                  rules=RULES, wishes=[wish("u")])
    assert on(run(sc), f"dag/{DAY}") == {"q1", "q2"}


def test_min_qualified_without_qualified_doctors_leaves_an_open_slot():
    tpl = template("dag", "08:00", "16:00", min_qualified=1)
    sc = scenario(DAY, DAY, [tpl], [doctor("u", qualified=False)])
    r = assert_infeasible_strict_and_open(sc, {(f"dag/{DAY}", 1)})
    assert r.assignments == []


def test_open_slot_stands_in_for_a_qualified_doctor():
    """demand 2, min_qualified 1, only one qualified doctor and one who may not work alone: the
    qualified one works, the unqualified one may join him, nothing is counted twice."""
    tpl = template("dag", "08:00", "16:00", demand_min=2, demand_max=2, min_qualified=2)
    sc = scenario(DAY, DAY, [tpl], [doctor("q"), doctor("u", qualified=False)], rules=RULES)
    r = run(sc)
    assert on(r, f"dag/{DAY}") == {"q"}
    assert [(o.missing) for o in r.open_slots] == [1]


def test_unqualified_doctor_never_alone_so_the_qualified_one_takes_the_shift():
    sc = scenario(DAY, DAY, [template("dag", "08:00", "16:00")], [doctor("q"), doctor("u", qualified=False)],
                  rules=RULES, wishes=[wish("q", wants=False), wish("u")])
    assert on(run(sc), f"dag/{DAY}") == {"q"}


def test_unqualified_doctor_alone_is_an_open_slot():
    sc = scenario(DAY, DAY, [template("dag", "08:00", "16:00")], [doctor("u", qualified=False)])
    assert_infeasible_strict_and_open(sc, {(f"dag/{DAY}", 1)})


def test_unqualified_doctor_alone_with_a_bakvakt_where_the_rules_allow_it():
    """A one-doctor rural station: the ALIS takes the evening alone with the specialist on call
    (akuttmedisinforskriften §7), and only with one."""
    tpls = [template("kveld", "16:00", "23:00", min_qualified=0),
            template("bv", "16:00", "23:00", station="BAK", duty="bakvakt", demand_min=0)]
    doctors = [doctor("u", qualified=False), doctor("s", role="spesialist", can_bakvakt=True, stations=["BAK"])]
    rural = {**RULES, "alone_with_bakvakt": True, "specialist_bakvakt": False}
    sc = scenario(DAY, DAY, tpls, doctors, stations=[station(), station("BAK", "fjernvakt")], rules=rural)
    r = run(sc, strict=True)
    assert on(r, f"kveld/{DAY}") == {"u"} and on(r, f"bv/{DAY}") == {"s"}
    bergen = scenario(DAY, DAY, tpls, doctors, stations=[station(), station("BAK", "fjernvakt")],
                      rules={**rural, "alone_with_bakvakt": False})
    assert_infeasible_strict_and_open(bergen, {(f"kveld/{DAY}", 1)})


def test_unqualified_doctor_joins_a_qualified_colleague():
    tpls = [template("dag", "08:00", "16:00", demand_min=1, demand_max=2),
            template("bv", "08:00", "16:00", station="BAK", duty="bakvakt", demand_min=0)]
    doctors = [doctor("q"), doctor("u", qualified=False), doctor("s", role="spesialist", can_bakvakt=True)]
    sc = scenario(DAY, DAY, tpls, doctors, stations=[station(), station("BAK", "fjernvakt")], rules=RULES,
                  wishes=[wish("u"), wish("s", wants=False)])
    assert on(run(sc), f"dag/{DAY}") == {"q", "u"}


def test_templates_run_only_on_their_day_types_and_holiday_templates_on_17_may():
    tpls = [template("hverdag", "08:00", "16:00", day_types=["hverdag"]),
            template("fest", "10:00", "18:00", day_types=["helligdag"])]
    sc = scenario("2026-05-16", "2026-05-18", tpls, [doctor("a"), doctor("b")])
    r = run(sc)
    assert {a.shift for a in r.assignments} == {"fest/2026-05-17", "hverdag/2026-05-18"}



def test_the_hours_no_shift_with_a_doctor_covers_are_named_on_the_roster_and_in_the_precheck(tmp_path):
    """akuttmedisinforskriften §6c: a doctor available around the clock. Two days of 08–16 leave
    two stretches without one (its first small hours are last period's); a notice, not a
    refusal, and off where agreed."""
    def days(*templates, around=True):
        return scenario(DAY, "2026-12-02", list(templates), [doctor("a"), doctor("b")],
                        rules={**RULES, "doctor_around_the_clock": around})

    def notices(sc):
        return [w for w in run(sc).warnings if "§6c" in w]

    dag = template("dag", "08:00", "16:00")
    sc = days(dag)
    r = run(sc)
    [notice] = [w for w in r.warnings if "§6c" in w]
    assert notice.startswith("Ingen vakt med lege dekker 2 tidsrom (01.12 16:00–02.12 08:00, 02.12 16:00–03.12 00:00):")
    assert len(r.assignments) == 2  # the roster is made all the same
    path = tmp_path / "s.yaml"
    dump_scenario(sc, path)
    assert "Merk: Ingen vakt med lege dekker 2 tidsrom" in CliRunner().invoke(app, ["precheck", str(path)]).output
    assert notices(days(dag, template("kveld", "16:00", "23:00"), template("natt", "23:00", "08:00"))) == []
    assert notices(days(dag, around=False)) == []
