"""The Bergen example: a realistic, fictional legevakt scenario for December 2026.

Figures and assumptions come from ``/work/shared/domain.md`` and are listed with their sources in
``examples/bergen/README.md``. Everything is drawn from a seeded ``random.Random``, so a seed
always gives the same scenario; ``python -m examples.bergen.generate`` rewrites the committed
``scenario.yaml`` (scale 1, one month from 1 December 2026).

``scale`` multiplies the doctors, adds district stations and raises the central clinic's and the
bakvakt's staffing in step (for benchmarks); ``months`` lengthens the period.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path
from typing import Any

from roster.calendar import ShiftIndex
from roster.days import HolidayCalendar, rotation_holiday
from roster.eligibility import Eligibility, qualification
from roster.models import Doctor, DutyKind, Rules, Scenario
from roster.scenario_io import dump_scenario
from roster.targets import fairness_plan

HERE = Path(__file__).resolve().parent
SCENARIO_PATH = HERE / "scenario.yaml"

ALL_DAYS = ["hverdag", "lørdag", "søndag", "helligdag"]
WEEKEND_DAYS = ["lørdag", "søndag", "helligdag"]
COURSES = ("akuttmedisin", "vold og overgrep")  # both required (domain.md, "Competence")

# Bergen's districts (bydeler). The first three have a district station today (domain.md); the
# others are only used for scale > 1 benchmarks and are fictional stations.
DISTRICTS = [
    ("ASA", "Åsane legevakt"),
    ("FAN", "Fana legevakt"),
    ("LOD", "Loddefjord legevakt"),
    ("ARN", "Arna legevakt (fiktiv)"),
    ("FYL", "Fyllingsdalen legevakt (fiktiv)"),
    ("YTR", "Ytrebygda legevakt (fiktiv)"),
]

FIRST_NAMES = [
    "Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Hilde", "Solveig",
    "Marianne", "Randi", "Ida", "Nina", "Maria", "Elisabeth", "Kristin", "Silje", "Ingvild", "Tone",
    "Hanne", "Sigrid", "Thea", "Nora", "Ragnhild", "Guro", "Synnøve", "Malin", "Camilla", "Jan",
    "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Hans", "Geir", "Thomas",
    "Tor", "Morten", "Erik", "Martin", "Anders", "Jon", "Rune", "Trond", "Håkon", "Magnus",
    "Sindre", "Øyvind", "Eirik", "Sverre", "Torbjørn", "Espen", "Audun", "Vegard", "Amir", "Sara",
    "Fatima",
]
LAST_NAMES = [
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Halvorsen", "Henriksen", "Lund", "Sørensen",
    "Moen", "Gundersen", "Iversen", "Strand", "Solberg", "Svendsen", "Eide", "Knutsen", "Martinsen",
    "Bakken", "Mathisen", "Lie", "Amundsen", "Nguyen", "Rasmussen", "Lunde", "Solheim", "Berge",
    "Moe", "Nygård", "Bakke", "Holm", "Lien", "Hauge", "Nielsen", "Evensen", "Sæther", "Aas",
    "Myhre", "Haugland", "Thomassen", "Sivertsen", "Danielsen", "Sandvik", "Rønning", "Næss", "Vik",
    "Haug", "Thorsen", "Birkeland", "Isaksen", "Strøm", "Myklebust", "Tangen", "Ødegård", "Helland",
    "Bøe", "Aune", "Tveit", "Brekke", "Madsen", "Hatlestad", "Fjeldstad", "Espeland", "Totland",
    "Skjold", "Hjelle", "Rolland", "Instebø", "Kvamme", "Vågen",
]


# A GP's own practice days (no on-site night before one, Rules.no_night_before_practice_day): most
# work weekdays, some four days, some have none given (assumed; domain.md "GPs' duty").
PRACTICE_WEEKS = (
    ["mandag", "tirsdag", "onsdag", "torsdag", "fredag"],
    ["mandag", "tirsdag", "onsdag", "torsdag"],
    [],
    ["mandag", "tirsdag", "onsdag", "torsdag", "fredag"],
)


def _month_end(start: dt.date, months: int) -> dt.date:
    year, month = start.year, start.month + months
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, 1) - dt.timedelta(days=1)


def _count(scale: float, n: int) -> int:
    """``n`` per unit of scale, as a whole number (a benchmark may ask for 1000 doctors: scale 3.39)."""
    return max(1, round(n * scale))


def _stations(scale: float) -> list[dict[str, Any]]:
    out = [
        {"id": "BLV", "name": "Bergen legevakt", "kind": "legevakt",
         "address": "Solheimsgaten 9, 5058 Bergen"},
    ]
    for i in range(_count(scale, 3)):
        sid, name = DISTRICTS[i] if i < len(DISTRICTS) else (f"D{i + 1:02d}", f"Bydelslegevakt {i + 1} (fiktiv)")
        out.append({"id": sid, "name": name, "kind": "bydelslegevakt", "address": ""})
    out.append({"id": "BAK", "name": "Bakvakt spesialist", "kind": "fjernvakt", "address": ""})
    return out


def _tpl(id: str, station: str, label: str, start: str, end: str, days: list[str], dmin: int,
         dmax: int, qualified: int, **kw: Any) -> dict[str, Any]:
    return {"id": id, "station": station, "label": label, "start": start, "end": end,
            "day_types": days, "demand_min": dmin, "demand_max": dmax, "min_qualified": qualified, **kw}


def _templates(stations: list[dict[str, Any]], scale: float) -> list[dict[str, Any]]:
    """Central clinic dag/kveld/natt plus the children's doctor; district evenings and weekend days;
    a specialist bakvakt round the clock (domain.md: "Bergen", "The pilot")."""
    k = _count(scale, 1)
    out = [
        _tpl("BLV-dag", "BLV", "dag", "08:00", "16:00", ALL_DAYS, _count(scale, 2), _count(scale, 3), k),
        _tpl("BLV-kveld", "BLV", "kveld", "16:00", "23:00", ALL_DAYS, _count(scale, 2), _count(scale, 3), k),
        _tpl("BLV-natt", "BLV", "natt", "23:00", "08:00", ALL_DAYS, k, _count(scale, 2), k),
        _tpl("BLV-barn", "BLV", "barn", "16:00", "23:00", ALL_DAYS, k, k, k, required_skill="barn"),
    ]
    for s in stations:
        if s["kind"] != "bydelslegevakt":
            continue
        out.append(_tpl(f"{s['id']}-kveld", s["id"], "kveld", "16:00", "23:00", ["hverdag"], 1, 1, 1))
        out.append(_tpl(f"{s['id']}-helg", s["id"], "helg", "10:00", "23:00", WEEKEND_DAYS, 1, 1, 1))
    out += [
        _tpl("BAK-dag", "BAK", "bakvakt", "08:00", "16:00", ["hverdag"], k, k, 0,
             duty="bakvakt", on_call_can_attend=True),
        _tpl("BAK-helgdag", "BAK", "bakvakt", "08:00", "16:00", WEEKEND_DAYS, k, k, 0,
             duty="bakvakt", on_call_can_attend=True),
        _tpl("BAK-natt", "BAK", "bakvakt", "16:00", "08:00", ALL_DAYS, k, k, 0,
             duty="bakvakt", on_call_can_attend=True),
    ]
    return out


class _Names:
    """Unique fictional names from common Norwegian first and last names."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self) -> str:
        for attempt in range(10_000):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            # a middle initial once plain pairs run short (large benchmark scales)
            name = f"{first} {last}" if attempt < 20 else f"{first} {chr(65 + self.rng.randrange(26))}. {last}"
            if name not in self.used:
                self.used.add(name)
                return name
        raise ValueError("too many doctors for the name lists")


def _birth_date(rng: random.Random, age: int, on: dt.date) -> dt.date:
    """A birth date that makes the doctor ``age`` on ``on`` (the exemption reads the birthday)."""
    return on.replace(year=on.year - age - 1) + dt.timedelta(days=1 + rng.randrange(365))


def _courses(rng: random.Random, start: dt.date) -> dict[str, str]:
    return {c: (start + dt.timedelta(days=rng.randrange(200, 1100))).isoformat() for c in COURSES}


def _doctors(rng: random.Random, scale: float, start: dt.date, districts: list[str]) -> list[dict[str, Any]]:
    name = _Names(rng)
    out: list[dict[str, Any]] = []

    # Fastleger: self-employed, about a quarter over 60 (domain.md, "Bergen"): 60 or older, the age
    # the exemption counts from (fastlegeforskriften §13, Rules.exemption_age).
    for i in range(_count(scale, 200)):
        home = districts[i % len(districts)]
        age = rng.randint(60, 67) if rng.random() < 0.25 else rng.randint(31, 59)
        d: dict[str, Any] = {
            "id": f"fl{i + 1:03d}", "name": name(), "role": "fastlege",
            "competence": {"specialist_general_practice": rng.random() < 0.75,
                           "clinical_months": rng.randint(36, 360),
                           "legevakt_shifts_done": rng.randint(40, 400),
                           "municipal_gp_years": rng.randint(1, 30)},
            "courses": _courses(rng, start), "employment": "selvstendig",
            "birth_date": _birth_date(rng, age, start).isoformat(),
            "share": rng.choices([1.0, 0.5, 1.5], weights=[80, 12, 8])[0],
            "preferred_stations": [home],
        }
        r = rng.random()
        d["stations"] = ["BLV", home] if r < 0.8 else (["BLV"] if r < 0.9 else [])
        if age >= 60 and rng.random() >= 0.6:  # 60 % use the exemption their age gives them
            d["waives_age_exemption"] = True
        if i % 10 == 7:
            d["skills"] = ["barn"]
        d["practice_days"] = PRACTICE_WEEKS[i % len(PRACTICE_WEEKS)]
        out.append(d)

    # ALIS: employees in specialist training; qualification derived from months and shifts.
    for i in range(_count(scale, 40)):
        months = rng.randint(6, 60)
        shifts = min(months * 2, rng.randint(0, 70))
        home = districts[i % len(districts)]
        d = {
            "id": f"alis{i + 1:03d}", "name": name(), "role": "ALIS",
            "competence": {"clinical_months": months, "legevakt_shifts_done": shifts,
                           "municipal_gp_years": round(rng.uniform(0, min(months / 12, 4)), 1),
                           "lis1_completed": True},
            "courses": _courses(rng, start), "employment": "ansatt",
            "birth_date": _birth_date(rng, rng.randint(28, 40), start).isoformat(),
            "share": 1.0, "preferred_stations": [home],
            "supervision": "tilstede" if months < 18 else "telefon",
        }
        # Not yet qualified: only at the central clinic, with others on duty (domain.md assumption).
        d["stations"] = ["BLV", home] if qualification(Doctor.model_validate(d), Rules()).qualified else ["BLV"]
        out.append(d)

    # Employed legevakt doctors: larger shares, at the central clinic only.
    for i in range(_count(scale, 30)):
        d = {
            "id": f"lv{i + 1:03d}", "name": name(), "role": "annen",
            "competence": {"specialist_general_practice": rng.random() < 0.5,
                           "clinical_months": rng.randint(40, 300),
                           "legevakt_shifts_done": rng.randint(60, 900),
                           "municipal_gp_years": rng.randint(0, 10)},
            "courses": _courses(rng, start), "employment": "ansatt",
            "birth_date": _birth_date(rng, rng.randint(30, 62), start).isoformat(),
            "share": float(rng.choice([2, 2.5, 3, 3, 4])),
            "stations": ["BLV"], "preferred_stations": ["BLV"],
            "min_shifts": 2,
        }
        if i % 3 == 1:
            d["skills"] = ["barn"]
        out.append(d)

    # Specialists on call: the bakvakt of the pilot (domain.md, "The pilot"), and only that.
    for i in range(_count(scale, 25)):
        general = rng.random() < 0.4
        d = {
            "id": f"sp{i + 1:03d}", "name": name(), "role": "spesialist",
            "competence": {"specialist_general_practice": True} if general else {"qualified": True},
            "courses": _courses(rng, start), "employment": "ansatt",
            "birth_date": _birth_date(rng, rng.randint(38, 66), start).isoformat(),
            "share": 1.0, "stations": ["BAK"], "shift_labels": ["bakvakt"], "can_bakvakt": True,
        }
        out.append(d)
    return out


def _special_cases(rng: random.Random, doctors: list[dict[str, Any]], start: dt.date, end: dt.date) -> None:
    """Show each rule at least once: courses expiring mid-period, pregnancy and breastfeeding."""
    gps = [d for d in doctors if d["role"] == "fastlege" and "exemptions" not in d
           and dt.date.fromisoformat(d["birth_date"]) > start.replace(year=start.year - 60)]
    mid = start + dt.timedelta(days=(end - start).days // 2)
    for d in rng.sample(gps, 2):
        d["courses"][COURSES[rng.randrange(2)]] = mid.isoformat()
    d = rng.choice(gps)
    d["courses"][COURSES[0]] = (start - dt.timedelta(days=20)).isoformat()  # lapsed: no duty at all
    plain = [d for d in gps if len(set(d["courses"].values())) == 2 and d["courses"][COURSES[0]] > mid.isoformat()]
    for reason, before, after in (("graviditet", 30, 60), ("graviditet", 10, 80), ("amming", 150, 200),
                                  ("amming", 40, 300), ("kommunalt vedtak", 100, 100)):
        d = rng.choice(plain)
        plain.remove(d)
        d["exemptions"] = [{"reason": reason, "start": (start - dt.timedelta(days=before)).isoformat(),
                            "end": (start + dt.timedelta(days=after)).isoformat()}]


def _absences(rng: random.Random, doctors: list[dict[str, Any]], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    days = (end - start).days + 1
    front = [d for d in doctors if d["role"] != "spesialist"]

    def clip(a: dt.date, b: dt.date) -> tuple[dt.date, dt.date] | None:
        a, b = max(a, start), min(b, end)
        return (a, b) if a <= b else None

    for year in range(start.year, end.year + 1):  # Christmas holidays (juleferie)
        for d in rng.sample(doctors, len(doctors) // 5):
            a, b = rng.choice([(20, 27), (23, 28), (27, 31), (21, 31), (24, 26)])
            span = clip(dt.date(year, 12, a), dt.date(year, 12, b))
            if span:
                out.append({"doctor": d["id"], "start": span[0].isoformat(), "end": span[1].isoformat(),
                            "kind": "ferie", "note": "juleferie"})
    for d in rng.sample(front, len(front) // 10):  # courses, one to three days
        a = start + dt.timedelta(days=rng.randrange(days))
        span = clip(a, a + dt.timedelta(days=rng.randint(0, 2)))
        if span:
            out.append({"doctor": d["id"], "start": span[0].isoformat(), "end": span[1].isoformat(),
                        "kind": "kurs", "note": "kurs"})
    for d in rng.sample(front, max(1, len(front) // 60)):  # sick leave
        a = start + dt.timedelta(days=rng.randrange(days))
        span = clip(a, a + dt.timedelta(days=rng.randint(4, 12)))
        if span:
            out.append({"doctor": d["id"], "start": span[0].isoformat(), "end": span[1].isoformat(),
                        "kind": "sykdom", "note": "sykmeldt"})
    d = rng.choice(front)  # an afternoon away: an absence with exact times
    day = start + dt.timedelta(days=rng.randrange(days))
    out.append({"doctor": d["id"], "start": f"{day.isoformat()}T12:00:00", "end": f"{day.isoformat()}T18:00:00",
                "kind": "annet", "note": "foreldremøte"})
    return out


def _wishes(rng: random.Random, doctors: list[dict[str, Any]], templates: list[dict[str, Any]],
            start: dt.date, end: dt.date, calendar: HolidayCalendar) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    days = (end - start).days + 1
    front = [d for d in doctors if d["role"] != "spesialist"]
    for d in rng.sample(front, len(front) // 3):
        for _ in range(rng.randint(1, 3)):
            date = start + dt.timedelta(days=rng.randrange(days))
            day = date.isoformat()
            if (d["id"], day) in seen:
                continue
            seen.add((d["id"], day))
            wants = rng.random() < 0.35
            tpl = None
            if wants or rng.random() < 0.3:
                allowed = [t["id"] for t in templates if t.get("duty") != "bakvakt" and not t.get("required_skill")
                           and calendar.day_type(date).value in t["day_types"]
                           and (not d.get("stations") or t["station"] in d["stations"])]
                tpl = rng.choice(allowed)
            out.append({"doctor": d["id"], "date": day, "template": tpl, "wants": wants,
                        "weight": rng.choice([1, 1, 2, 3, 5])})
    return out


def _pins(rng: random.Random, scenario: Scenario) -> list[dict[str, Any]]:
    """A few published shifts (e.g. agreed before the roster was made) the solver must keep."""
    index = ShiftIndex(scenario)
    elig = Eligibility(scenario)
    employed = [d for d in scenario.doctors if d.role.value == "annen"]
    shifts = [s for s in index.shifts if s.on_site and s.station == "BLV" and not s.required_skill]
    out: list[dict[str, Any]] = []
    used_days: set[dt.date] = set()
    for d in rng.sample(employed, len(employed)):
        if len(out) >= 4:
            break
        for s in rng.sample(shifts, len(shifts)):
            if s.date not in used_days and elig.may_work(d, s):
                out.append({"doctor": d.id, "date": s.date.isoformat(), "template": s.template})
                used_days.add(s.date)
                break
    return out


def _history(rng: random.Random, scenario: Scenario) -> list[dict[str, Any]]:
    """Earlier months of the year, plausible and uneven: per-share points near the pool's expected
    level (``roster.targets``), December being heavier than the months before."""
    index = ShiftIndex(scenario)
    months = max(1, round(((index.shifts[-1].date - index.shifts[0].date).days + 1) / 30.4))
    plan = fairness_plan(scenario, index)
    out: list[dict[str, Any]] = []
    for pool, members in plan.pools.items():
        duty = DutyKind.ON_CALL if all(scenario.doctor(m.doctor).can_bakvakt for m in members) else DutyKind.ON_SITE
        pool_shifts = [s for s in index.shifts if s.duty == duty]
        points = sum(s.demand_min * s.points for s in pool_shifts)
        hours = sum(s.demand_min * s.hours for s in pool_shifts)
        count = sum(s.demand_min for s in pool_shifts)
        per_share = 0.85 * plan.expected_level[pool] / months
        # Every doctor carries the same eleven months, so the example's ledger compares like with like.
        periods = 11
        for m in members:
            pts = per_share * m.share * periods * rng.uniform(0.6, 1.4)
            n = round(pts * count / points)
            out.append({"doctor": m.doctor, "shifts": n, "hours": round(n * hours / count, 1),
                        "nights": round(n * rng.uniform(0.05, 0.2)), "weekends": round(n * rng.uniform(0.2, 0.4)),
                        "holidays": round(n * rng.uniform(0, 0.08)), "points": round(pts, 1),
                        "periods": periods})
    return out


def _supervision_days(rng: random.Random, scenario: Scenario) -> list[dict[str, Any]]:
    """One supervision day a month for each ALIS (spesialistforskriften: about 4 hours of individual
    supervision a month, domain.md "ALIS"), on a weekday of the period (assumed)."""
    weekdays = [d for d in scenario.period.days() if d.weekday() < 5]
    return [{"doctor": d.id, "date": rng.choice(weekdays).isoformat()}
            for d in scenario.doctors if d.role.value == "ALIS"]


def _holiday_ledger(rng: random.Random, scenario: Scenario) -> list[dict[str, Any]]:
    """Who worked last Christmas, New Year and Easter (invented): for each such date before the
    period, about as many front-line doctors as the central clinic and the district stations need
    that day, drawn from those who may take 16–08 duty."""
    first = scenario.period.start
    days = [first - dt.timedelta(days=n) for n in range(1, 400)]
    holidays = sorted(d for d in days if rotation_holiday(d) is not None and d.year >= first.year - 1)
    elig = Eligibility(scenario)
    per_day = sum(t.demand_min for t in scenario.templates if t.duty.value == "tilstedevakt" and "helligdag" in
                  [x.value for x in t.day_types])
    out = []
    for day in holidays:
        able = [d for d in scenario.doctors
                if d.role.value != "spesialist" and not any(e.covers(day) for e in elig.exempt[d.id])]
        out += [{"doctor": d.id, "date": day.isoformat()} for d in rng.sample(able, per_day)]
    return out


def build_bergen_scenario(scale: float = 1, months: int = 1, seed: int = 0,
                          start: dt.date = dt.date(2026, 12, 1),
                          doctors: list[dict[str, Any]] | None = None) -> Scenario:
    """The Bergen scenario for ``months`` months from ``start`` (deterministic for a seed);
    ``doctors`` (another month's) instead of drawing new ones."""
    if scale <= 0 or months < 1:
        raise ValueError("scale must be above 0 and months at least 1")
    rng = random.Random(seed)
    end = _month_end(start, months)
    stations = _stations(scale)
    districts = [s["id"] for s in stations if s["kind"] == "bydelslegevakt"]
    templates = _templates(stations, scale)
    if doctors is None:
        doctors = _doctors(rng, scale, start, districts)
        _special_cases(rng, doctors, start, end)
    look_back = start - dt.timedelta(days=8)  # local holidays the rules that look back must know
    extra = [{"date": dt.date(y, m, d).isoformat(), "name": name}
             for y in range(look_back.year, end.year + 1)
             for m, d, name in ((12, 24, "Julaften"), (12, 31, "Nyttårsaften"))
             if look_back <= dt.date(y, m, d) <= end]
    data: dict[str, Any] = {
        "name": f"Bergen legevakt {start:%m.%Y}" + (f"–{end:%m.%Y}" if months > 1 else "")
                + (f" (skala {scale})" if scale > 1 else ""),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "stations": stations,
        "templates": templates,
        "doctors": doctors,
        "absences": _absences(rng, doctors, start, end),
        "wishes": _wishes(rng, doctors, templates, start, end,
                          HolidayCalendar(start, end, {dt.date.fromisoformat(h["date"]): h["name"] for h in extra})),
        "extra_holidays": extra,
    }
    base = Scenario.model_validate(data)
    data["pins"] = _pins(rng, base)
    data["history"] = _history(rng, base)
    data["supervision_days"] = _supervision_days(rng, base)
    data["holiday_ledger"] = _holiday_ledger(rng, base)
    return Scenario.model_validate(data)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Skriv Bergen-eksempelet som scenariofil.")
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--months", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2026, 12, 1),
                        help="første dag i perioden (ÅÅÅÅ-MM-DD); samme frø gir de samme legene hver måned")
    parser.add_argument("-o", "--out", type=Path, default=SCENARIO_PATH)
    args = parser.parse_args(argv)
    dump_scenario(build_bergen_scenario(args.scale, args.months, args.seed, args.start), args.out)
    print(f"Skrev {args.out}")


if __name__ == "__main__":
    main()
