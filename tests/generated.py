"""Random small scenarios that have a complete roster by construction, for the property tests.

1–2 stations, 2–6 templates including a night and a bakvakt (some on weekdays, weekends or plain
Sundays only), 3–8 random doctors with random competence (given, or derived at the edges of
akuttmedisinforskriften §7), employment, absences, exemptions, courses and limits (shifts, hours, labels, runs,
days off, weekends), night blocks, a forbidden succession, a per-date demand change, 3–8 days,
often over a daylight-saving change or a holiday, with shifts carried in from the week before,
supervision days, practice days and fastleger old enough for the age exemption. Whatever the random doctors may or may not do,
a complete roster exists: reserve doctors (qualified, self-employed, bakvakt, every skill, no
limits; specialists on the on-call shifts, for the pilot) are added, one per place of a *block* —
a shift, or two nights on consecutive dates when nights come in blocks of two — so that each
reserve doctor works one block and breaks no rule.
The rules drawn are kept consistent with that (a night block of two needs two nights in a row to
be allowed), every open hour has an on-call shift, and pins and minimums are taken from that
planted roster: the solver must reach the checker on every scenario, in strict mode too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from factories import doctor, scenario, station, template
from hypothesis import strategies as st

from roster.calendar import ShiftIndex, ShiftInstance
from roster.models import BurdenCategory, Scenario

# First days chosen to put DST changes, Easter, 17 May, Christmas and New Year inside short periods.
FIRST_DAYS = [
    dt.date(2026, 12, 1),
    dt.date(2026, 10, 22),  # clocks go back 25.10
    dt.date(2026, 3, 26),  # clocks go forward 29.03
    dt.date(2026, 3, 31),  # Maundy Thursday 02.04 – Easter Monday 06.04
    dt.date(2026, 5, 14),  # Ascension 14.05, 17 May (a Sunday)
    dt.date(2026, 12, 22),  # Christmas Eve, 25 and 26 December
    dt.date(2026, 12, 27),  # the year's end: New Year's Day inside the period or the day after it
]

STATIONS = [station("BLV", name="Bergen legevakt"), station("BAK", kind="fjernvakt", name="Bakvakt")]
WEEKEND = ("lørdag", "søndag", "helligdag")
EXTRA_TEMPLATES = [
    ("dag", "08:00", "16:00", "BLV", "tilstedevakt", ("hverdag",)),
    ("kveld", "16:00", "23:00", "BLV", "tilstedevakt", None),
    ("asa-kveld", "16:00", "23:00", "ASA", "tilstedevakt", None),
    ("helg", "10:00", "16:00", "ASA", "tilstedevakt", WEEKEND),
    ("søndag", "10:00", "16:00", "BLV", "tilstedevakt", ("søndag",)),  # a plain Sunday, not a holiday
    ("bak-dag", "08:00", "16:00", "BAK", "bakvakt", None),
]
DAYTIME = {"dag", "helg", "søndag"}  # open hours the overnight bakvakt (16–08) does not cover
WEEKDAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]


def _demand(draw: st.DrawFn, on_site: bool) -> dict[str, Any]:
    # On-call shifts mostly demand a doctor, so that an unfilled one is an open slot that may
    # explain a bakvakt gap in default mode (an optional one never does).
    lo = draw(st.integers(0, 2)) if on_site else draw(st.sampled_from([1, 1, 1, 0]))
    hi = lo + draw(st.integers(0, 1))
    out: dict[str, Any] = {"demand_min": lo, "demand_max": max(hi, 1)}
    if on_site:
        out["min_qualified"] = draw(st.integers(0, lo))
        if draw(st.integers(0, 5)) == 0:
            out["required_skill"] = "barn"
    else:
        out["on_call_can_attend"] = draw(st.booleans())
    return out


def _templates(draw: st.DrawFn, two_stations: bool) -> list[dict[str, Any]]:
    templates = [
        template("natt", "23:00", "08:00", station="BLV", **_demand(draw, True)),
        template("bak", "16:00", "08:00", station="BAK", duty="bakvakt", label="bakvakt", **_demand(draw, False)),
    ]
    pool = [t for t in EXTRA_TEMPLATES if two_stations or t[3] != "ASA"]
    extra = draw(st.lists(st.sampled_from(pool), max_size=4, unique=True))
    if DAYTIME & {t[0] for t in extra} and not any(t[0] == "bak-dag" for t in extra):
        extra.append(EXTRA_TEMPLATES[-1])  # every open hour has an on-call shift
    for tid, start, end, st_id, duty, day_types in extra:
        kw = _demand(draw, duty == "tilstedevakt")
        if day_types:
            kw["day_types"] = list(day_types)
        templates.append(template(tid, start, end, station=st_id, duty=duty, label=tid, **kw))
    return templates


def _doctor(draw: st.DrawFn, i: int, two_stations: bool, period_days: list[dt.date],
            labels: list[str]) -> dict[str, Any]:
    """A random doctor: any limit or restriction, but no minimum (it may be unable to work at all)."""
    kw: dict[str, Any] = {
        "employment": draw(st.sampled_from(["selvstendig", "ansatt"])),
        "can_bakvakt": draw(st.sampled_from([True, True, False])),
        "supervision": draw(st.sampled_from(["telefon", "tilstede"])),
    }
    if draw(st.integers(0, 3)) == 0:
        kw["max_shifts"] = draw(st.integers(0, 3))
    if draw(st.integers(0, 3)) == 0:
        kw["skills"] = ["barn"]
    # The newer limits fire on a middle draw: hypothesis favours 0.
    if draw(st.integers(0, 5)) == 3:
        kw["max_shifts_by_label"] = {"natt": draw(st.integers(0, 2))}
    if draw(st.integers(0, 5)) == 3:
        kw["max_hours"] = draw(st.sampled_from([8, 20, 30]))
    if draw(st.integers(0, 5)) == 3:
        kw["max_consecutive_days"] = draw(st.integers(1, 3))
    if draw(st.integers(0, 7)) == 3:
        kw["min_consecutive_days"] = 2
    if draw(st.integers(0, 7)) == 5:
        kw["min_days_off"] = 2
    if draw(st.integers(0, 5)) == 3:
        kw["max_weekends"] = draw(st.integers(0, 1))
    if two_stations and draw(st.integers(0, 4)) == 0:
        kw["stations"] = [draw(st.sampled_from(["BLV", "ASA"]))]
    if draw(st.integers(0, 5)) == 0:
        kw["shift_labels"] = draw(st.lists(st.sampled_from(labels), min_size=1, max_size=2, unique=True))
    if draw(st.integers(0, 4)) == 0:
        kw["courses"] = {"akuttmedisin": draw(st.sampled_from(period_days)).isoformat()}
    if draw(st.integers(0, 4)) == 0:
        ex: dict[str, Any] = {"reason": draw(st.sampled_from(["over 60", "graviditet", "amming"]))}
        if draw(st.booleans()):
            ex["start"] = draw(st.sampled_from(period_days)).isoformat()
        kw["exemptions"] = [ex]
    qualified = draw(st.sampled_from([True, True, False]))
    if draw(st.booleans()):  # derived (akuttmedisinforskriften §7), at the edges of each threshold
        kw["competence"] = {
            "specialist_general_practice": draw(st.sampled_from([False, False, True])),
            "clinical_months": draw(st.sampled_from([0, 29, 30, 48])),
            "legevakt_shifts_done": draw(st.sampled_from([0, 39, 40])),
            "municipal_gp_years": draw(st.sampled_from([0, 0.9, 1])),
            "lis1_completed": draw(st.booleans()),
        }
    if draw(st.integers(0, 3)) == 0:  # a fastlege of 60 or more is exempt 16–08 unless they waive it
        kw["birth_date"] = (period_days[0] - dt.timedelta(days=draw(st.sampled_from([59, 60, 61])) * 366)).isoformat()
        kw["waives_age_exemption"] = draw(st.booleans())
    if draw(st.integers(0, 3)) == 0:
        kw["practice_days"] = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=5, unique=True))
    return doctor(f"d{i}", qualified=qualified, name=f"Lege {i}", **kw)


def _carried(draw: st.DrawFn, doctor_id: str, first: dt.date) -> list[dict[str, Any]]:
    """Shifts a random doctor worked in the week before the period: any label, duty and length,
    some ending inside the period."""
    out = []
    for _ in range(draw(st.integers(0, 3))):
        day = first - dt.timedelta(days=draw(st.integers(1, 7)))
        start = dt.datetime.combine(day, dt.time(draw(st.sampled_from([8, 16, 20, 23]))))
        end = start + dt.timedelta(hours=draw(st.sampled_from([7, 9, 12])))
        label, duty = draw(st.sampled_from([("natt", "tilstedevakt"), ("dag", "tilstedevakt"),
                                            ("kveld", "tilstedevakt"), ("bakvakt", "bakvakt")]))
        out.append({"doctor": doctor_id, "start": start.isoformat(), "end": end.isoformat(), "label": label,
                    "duty": duty, "night": draw(st.sampled_from([None, None, True, False]))})
    return out


def _absence(draw: st.DrawFn, doctor_id: str, period_days: list[dt.date]) -> dict[str, Any]:
    a = draw(st.sampled_from(period_days))
    if draw(st.booleans()):
        return {"doctor": doctor_id, "start": a.isoformat(), "end": a.isoformat()}
    hour = draw(st.integers(0, 20))
    return {"doctor": doctor_id, "start": f"{a}T{hour:02d}:00", "end": f"{a}T{hour + 3:02d}:30"}


def _rules(draw: st.DrawFn) -> dict[str, Any]:
    """Rules a reserve doctor's block keeps: nights in blocks of two allow two nights in a row
    and no forbidden night after night."""
    blocks = draw(st.sampled_from([1, 1, 1, 2]))
    return {
        "max_consecutive_nights": draw(st.integers(blocks, 3)),
        "max_shifts_per_7_days": draw(st.sampled_from([None, 2, 3, 4])),
        "max_hours_per_7_days": draw(st.sampled_from([None, 30, 48])),
        "on_call_counts_as_rest": draw(st.booleans()),
        "lis1_temporary_rule": draw(st.sampled_from([False, False, True])),
        "min_consecutive_nights": blocks,
        "forbidden_successions": [] if blocks > 1 else draw(st.sampled_from([[], [], [{"first": "natt", "then": "natt"}]])),
    }


def planted_blocks(sc: Scenario) -> list[tuple[list[ShiftInstance], int]]:
    """The planted roster as blocks: (shifts, how many reserve doctors work all of them). A shift
    takes its demand (an on-call shift at least one, for the open hours); with nights in blocks of
    two, the nights of a template go in pairs of consecutive dates (a single one is at the end of
    the period), each pair staffed for the larger demand of the two."""
    index = ShiftIndex(sc)
    pair_nights = sc.rules.min_consecutive_nights > 1
    out: list[tuple[list[ShiftInstance], int]] = []
    for tpl in sc.templates:
        shifts = [s for s in index.shifts if s.template == tpl.id]
        need = [s.demand_min if s.on_site else max(1, s.demand_min) for s in shifts]
        i = 0
        while i < len(shifts):
            s = shifts[i]
            nxt = shifts[i + 1] if i + 1 < len(shifts) else None
            if (pair_nights and nxt is not None and BurdenCategory.NIGHT in s.categories
                    and nxt.date - s.date == dt.timedelta(days=1)):
                out.append(([s, nxt], max(need[i], need[i + 1])))
                i += 2
            else:
                out.append(([s], need[i]))
                i += 1
    return [(shifts, n) for shifts, n in out if n > 0]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    first = draw(st.sampled_from(FIRST_DAYS))
    days = draw(st.integers(3, 8))
    last = first + dt.timedelta(days=days - 1)
    period_days = [first + dt.timedelta(days=i) for i in range(days)]
    two_stations = draw(st.booleans())
    stations = list(STATIONS)
    if two_stations:
        stations.append(station("ASA", kind="bydelslegevakt", name="Åsane legevakt"))
    templates = _templates(draw, two_stations)
    labels = sorted({t["label"] for t in templates})  # a label no template has is refused
    doctors = [_doctor(draw, i, two_stations, period_days, labels) for i in range(draw(st.integers(3, 8)))]
    absences = [_absence(draw, d["id"], period_days) for d in doctors if draw(st.integers(0, 3)) == 0]
    rules = _rules(draw)
    demand_changes = []
    if rules["min_consecutive_nights"] == 1 and draw(st.integers(0, 3)) == 0:
        lo = draw(st.integers(0, 2))
        demand_changes.append({"template": "natt", "date": draw(st.sampled_from(period_days)).isoformat(),
                               "demand_min": lo, "demand_max": max(1, lo + draw(st.integers(0, 1)))})
    extra_holidays = []
    if draw(st.integers(0, 4)) == 0:
        extra_holidays.append({"date": draw(st.sampled_from(period_days)).isoformat(), "name": "Lokal fridag"})
    # The week before: carried shifts only for doctors no minimum run could force on (a carried
    # run may have to go on into the period), complete or not; supervision days for anyone.
    forcing = rules["min_consecutive_nights"] > 1
    carry_in = [c for d in doctors if not forcing and "min_consecutive_days" not in d and "min_days_off" not in d
                for c in _carried(draw, d["id"], first)]
    supervision = [{"doctor": d["id"], "date": draw(st.sampled_from(period_days)).isoformat()}
                   for d in doctors if draw(st.integers(0, 4)) == 0]
    common = {"stations": stations, "rules": rules, "absences": absences, "extra_holidays": extra_holidays,
              "demand_changes": demand_changes, "carry_in": carry_in, "supervision_days": supervision,
              "carry_in_from": (first - dt.timedelta(days=7)).isoformat() if draw(st.booleans()) else None}
    blocks = planted_blocks(scenario(first, last, templates, doctors, **common))

    planted: list[tuple[str, ShiftInstance]] = []
    for shifts, count in blocks:
        for _ in range(count):
            did = f"r{len(doctors)}"
            kw: dict[str, Any] = {}
            if draw(st.integers(0, 5)) == 0:  # a minimum the block meets
                kw["min_shifts"] = len(shifts)
                kw["min_hours"] = 1
            if not shifts[0].on_site:  # the pilot's bakvakt (rule bakvakt-dekning)
                kw["role"] = "spesialist"
            doctors.append(doctor(did, name=f"Lege {len(doctors)}", can_bakvakt=True, skills=["barn"], **kw))
            planted += [(did, s) for s in shifts]
    pins = []
    if planted and draw(st.integers(0, 3)) == 0:
        did, s = draw(st.sampled_from(planted))
        pins.append({"doctor": did, "date": s.date.isoformat(), "template": s.template})
    return scenario(first, last, templates, doctors, pins=pins, **common)
