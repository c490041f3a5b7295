"""Domain models of a legevakt roster scenario and of a roster.

Pure pydantic v2: no OR-Tools, HTTP or Excel layout here. Enum *values* are the Norwegian words the
managers use (they appear in workbooks and JSON files); member names are English for the code.
Every rule default in ``Rules`` names its source (a law, a regulation, an agreement) or says it is
a local choice (docs/hard-rules.md lists them).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from roster.days import DayType, HolidayCalendar, rotation_holiday
from roster.references import reference_problems
from roster.terms import name_key, number

# --------------------------------------------------------------------------- bounds
# Every number a scenario or roster carries is finite and inside a range far beyond what a
# legevakt needs, yet near enough that absurd input (weights of 1e15, a demand of 10^9, the year 1)
# is refused with its field instead of overflowing the solver or exhausting memory. docs/security.md
# lists them.

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)
MAX_PERIOD_DAYS = 367  # a leap year, both ends included
MAX_DEMAND = 100  # doctors on one shift
MAX_WEIGHT = 10_000_000  # an objective weight (the default open-slot weight is 100 000)
MAX_BURDEN = 100.0  # burden points per hour
MAX_SHIFTS = 1500  # shifts of one doctor in one period (three a day for a year is 1101)
MAX_HOURS = 9000.0  # hours of one doctor in one period (24 × 367 = 8808)
MAX_HISTORY_COUNT = 100_000  # carried shifts, nights, weekends … of one doctor
MAX_HISTORY_HOURS = 1_000_000.0
MAX_HISTORY_POINTS = 10_000_000.0
MAX_SEED = 2**30  # CP-SAT seeds are 32-bit; LNS adds its round number to the seed
MAX_WORKERS = 1024  # CP-SAT threads
MAX_TIME_LIMIT = 7 * 24 * 3600.0  # seconds of search
OSLO_ZONE = ZoneInfo("Europe/Oslo")


OUTSIDE_CALENDAR = f"datoen må ligge mellom {FIRST_DAY:%d.%m.%Y} og {LAST_DAY:%d.%m.%Y}"  # every date's refusal


def _in_calendar(day: dt.date) -> dt.date:
    if not FIRST_DAY <= (day.date() if isinstance(day, dt.datetime) else day) <= LAST_DAY:
        raise ValueError(OUTSIDE_CALENDAR)
    return day


def _wall_clock(moment: dt.datetime) -> dt.datetime:
    """Norwegian wall-clock time: an aware moment becomes its Oslo time (naive means Oslo)."""
    _in_calendar(moment)
    return moment.astimezone(OSLO_ZONE).replace(tzinfo=None) if moment.tzinfo else moment


def _no_number(value: object) -> object:
    """A clock time typed as a number is a misread waiting to happen: pydantic takes 800 as
    seconds after midnight (00:13:20 UTC) and YAML reads an unquoted 16:00 as the number 960."""
    if isinstance(value, (int, float)):
        raise ValueError(f"ventet et klokkeslett som tekst, f.eks. \"16:00\" (fikk tallet {value})")
    return value


def _no_timestamp(value: object) -> object:
    """Pydantic reads a number where a date belongs as seconds since 1970 (86400 is 02.01.1970)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"ventet en dato som tekst, f.eks. \"2026-12-01\" (fikk tallet {value})")
    return value


def _local_clock(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise ValueError("klokkeslett oppgis uten tidssone (norsk tid)")
    return value


# Characters no text may hold: C0/C1 control characters (openpyxl cannot store most of them, and a
# terminal obeys them: ESC recolours it) and the bidirectional overrides, which make one name read
# as another. Tabs and line breaks are allowed in free text, not in ids and names.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAK = re.compile("[\t\n\r\u2028\u2029]")


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X}"


def _printable(value: object) -> object:
    """Every string of a field (also inside lists and as dictionary keys) without control
    characters."""
    if isinstance(value, str):
        if found := _CONTROL.search(value):
            raise ValueError(f"teksten inneholder et usynlig styretegn ({_char_name(found.group())}); fjern det")
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _printable(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _printable(key)
            _printable(item)
    return value


def _one_line(value: str) -> str:
    if found := _LINE_BREAK.search(value):
        raise ValueError(f"kan ikke inneholde linjeskift eller tabulator ({_char_name(found.group())})")
    return value


def _no_list_separator(value: str) -> str:
    """Workbook cells list ids separated by commas, semicolons or lines (roster.excel.cells)."""
    if found := re.search("[,;]", value):
        raise ValueError(f"en id kan ikke inneholde «{found.group()}» (skiller id-er i lister)")
    return value


Id = Annotated[str, Field(min_length=1, max_length=80), AfterValidator(_one_line), AfterValidator(_no_list_separator)]
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line)]
Day = Annotated[dt.date, BeforeValidator(_no_timestamp), AfterValidator(_in_calendar)]
Moment = Annotated[dt.datetime, BeforeValidator(_no_timestamp), AfterValidator(_wall_clock)]
Clock = Annotated[dt.time, BeforeValidator(_no_number), AfterValidator(_local_clock)]
Instant = Annotated[dt.datetime, AfterValidator(_in_calendar)]


def _is_number(annotation: Any) -> bool:
    """``int``/``float``, also optional or annotated."""
    if annotation in (int, float):
        return True
    if get_origin(annotation) in (Annotated, Union) or type(annotation).__name__ == "UnionType":
        return any(_is_number(a) for a in get_args(annotation))
    return False


@cache
def _number_fields(model: type[BaseModel]) -> dict[str, bool]:
    """Field name → whether it is a mapping to numbers (else a number) for every numeric field."""
    out = {}
    for name, info in model.model_fields.items():
        if _is_number(info.annotation):
            out[name] = False
        elif get_origin(info.annotation) is dict and _is_number(get_args(info.annotation)[1]):
            out[name] = True
    return out


def _no_digit_separator(value: object) -> None:
    """Pydantic reads the text "0_5" as the number 5 (Python's digit grouping); in a scenario it is
    a typo for 0,5 or 0.5."""
    if isinstance(value, str) and "_" in value:
        raise ValueError(f"«{value}» er ikke et tall; skriv tallet uten «_» (desimaltegn: punktum)")


class Model(BaseModel):
    """Strict base: unknown keys are errors, so a typo in a scenario file is reported, not ignored;
    NaN and infinity are refused everywhere."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_digit_groups(cls, value: object, info: ValidationInfo) -> object:
        mapping = _number_fields(cls).get(info.field_name)
        if mapping is not None:
            for item in (value.values() if mapping and isinstance(value, dict) else (value,)):
                _no_digit_separator(item)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        return _printable(value)


# --------------------------------------------------------------------------- enums


class StationKind(str, Enum):
    LEGEVAKT = "legevakt"
    DISTRICT = "bydelslegevakt"
    REMOTE = "fjernvakt"  # remote on-call (bakvakt from home); no premises


class Role(str, Enum):
    FASTLEGE = "fastlege"
    ALIS = "ALIS"
    SPECIALIST = "spesialist"
    LIS1 = "LIS1"
    OTHER = "annen"  # other legevakt doctors (employed, locums)


class DutyKind(str, Enum):
    ON_SITE = "tilstedevakt"
    ON_CALL = "bakvakt"


class BurdenCategory(str, Enum):
    EVENING = "kveld"
    NIGHT = "natt"
    WEEKEND = "helg"
    HOLIDAY = "helligdag"


class Employment(str, Enum):
    """Which rest rule binds the doctor (SFS 2305 pkt 7.4 for self-employed GPs, arbeidsmiljøloven
    kap. 10 for employees)."""

    SELF_EMPLOYED = "selvstendig"  # SFS 2305 pkt 7.4
    EMPLOYEE = "ansatt"  # arbeidsmiljøloven §10-8


class Supervision(str, Enum):
    """What kind of bakvakt a doctor who may not work alone needs (akuttmedisinforskriften §7):
    never none, so there is no such value."""

    PHONE = "telefon"
    ON_SITE = "tilstede"


class ExemptionReason(str, Enum):
    """Grounds for refusing 16:00–08:00 duty (fastlegeforskriften §13; Legeforeningen). The age limit is
    ``Rules.exemption_age``, not part of the word: «over 60» and «over 55» in older files mean the
    same ground."""

    OVER_AGE = "over aldersgrensen"
    PREGNANCY = "graviditet"
    BREASTFEEDING = "amming"
    MUNICIPAL = "kommunalt vedtak"

    @classmethod
    def _missing_(cls, value: object) -> ExemptionReason | None:
        if isinstance(value, str) and re.fullmatch(r"\s*over\s+\d+\s*", value.casefold()):
            return cls.OVER_AGE
        return None


class Weekday(str, Enum):
    """Days of the week by their Norwegian names (a GP's practice days)."""

    MONDAY = "mandag"
    TUESDAY = "tirsdag"
    WEDNESDAY = "onsdag"
    THURSDAY = "torsdag"
    FRIDAY = "fredag"
    SATURDAY = "lørdag"
    SUNDAY = "søndag"

    @property
    def index(self) -> int:
        """0 for Monday, as ``date.weekday()``."""
        return list(Weekday).index(self)


class AbsenceKind(str, Enum):
    HOLIDAY = "ferie"
    COURSE = "kurs"
    SICK = "sykdom"
    PARENTAL = "permisjon"
    OTHER = "annet"


# --------------------------------------------------------------------------- period and rules


class Period(Model):
    """First and last day (inclusive). Times inside are Europe/Oslo wall-clock."""

    start: Day
    end: Day

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("siste dag kan ikke være før første dag")
        if (self.end - self.start).days > 366:
            raise ValueError("perioden kan være høyst ett år")
        return self

    def days(self) -> list[dt.date]:
        n = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=i) for i in range(n)]

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class BurdenWeights(Model):
    """Burden points per hour by when the hour falls.

    Defaults assumed from the ratio of an older bakvakt pay scale, 150/200/230 NOK per hour for
    weekday/weekend/holiday. Weekday day hours are not named there; assumed 1.0 like evenings.
    """

    weekday_day: float = Field(1.0, ge=0, le=MAX_BURDEN)
    weekday_evening: float = Field(1.0, ge=0, le=MAX_BURDEN)
    weekday_night: float = Field(1.5, ge=0, le=MAX_BURDEN)
    weekend_day: float = Field(1.33, ge=0, le=MAX_BURDEN)
    weekend_night: float = Field(1.8, ge=0, le=MAX_BURDEN)
    heavy_eve: float = Field(2.0, ge=0, le=MAX_BURDEN)
    on_call_factor: float = Field(
        1 / 7,
        ge=0,
        le=1,
        description="on-call away from the workplace counts as at least 1/7 working time "
        "(arbeidsmiljøloven §10-4(3)); used as the burden factor of bakvakt hours",
    )


class ObjectiveWeights(Model):
    """Weights of the objective terms, in order of importance (issue 2: open slots ≫ fairness >
    spacing > wishes > preferred station). All in one place; solver/objective.py reads them. The
    figures are the product's local choices (no source prices one term against another).

    The solve is lexicographic (issue 13, ``solver.objective.LEVELS``): first the places, the
    doctors left without a shift, over-staffing and each pool's largest deviation, then — with
    those held — everything else. A weight prices its term against the others of its level."""

    open_slot: int = Field(100_000, ge=0, le=MAX_WEIGHT)
    uncovered_bakvakt_hour: int = Field(100_000, ge=0, le=MAX_WEIGHT)
    change: int = Field(
        1000, ge=0, le=MAX_WEIGHT,
        description="re-planning only: per assignment moved away from the published roster (×3 within 48 h, ×2 for uninvolved doctors)",
    )
    participation: int = Field(
        10_000, ge=0, le=MAX_WEIGHT,
        description="per shift an available doctor misses of their pool's least (Fairness.min_shifts)",
    )
    max_deviation: int = Field(
        1000, ge=0, le=MAX_WEIGHT,
        validation_alias=AliasChoices("max_deviation", "max_relative_deviation"),
        description="per point per share of each pool's largest deviation from the capacity-aware target "
        "(read from max_relative_deviation in older files)",
    )
    surplus: int = Field(
        1000, ge=0, le=MAX_WEIGHT,
        description="per doctor beyond a shift's demand_min, where Fairness.overstaffing allows one at all: "
        "an extra doctor must buy at least this much fairness",
    )
    sum_deviation: int = Field(10, ge=0, le=MAX_WEIGHT, description="per point of deviation from the target, summed over doctors")
    category_balance: int = Field(20, ge=0, le=MAX_WEIGHT)
    holiday_repeat: int = Field(
        50, ge=0, le=MAX_WEIGHT,
        description="per shift on Christmas, New Year or Easter for a doctor who worked the same holiday the "
        "year before (no national rule; common local practice alternates them: a local choice)",
    )
    spacing: int = Field(5, ge=0, le=MAX_WEIGHT)
    wish: int = Field(2, ge=0, le=MAX_WEIGHT)
    preferred_station: int = Field(1, ge=0, le=MAX_WEIGHT)


class Overstaffing(str, Enum):
    """Where a shift may have more doctors than its minimum (up to its maximum; issue 13)."""

    NEVER = "aldri"
    LONE = "alene"  # only where the minimum is one doctor: the extra doctor relieves a lone one
    ANY = "alle"


PoolName = Annotated[str, Field(min_length=1, max_length=40)]
DEFAULT_POOLS = {"fastlege": "fastleger", "ALIS": "ALIS", "annen": "ansatte", "LIS1": "ansatte",
                 "spesialist": "spesialister"}


class Fairness(Model):
    """How the burden is shared (issue 13; docs/metrics.md "Targets").

    Doctors are balanced within a *pool*, by default one per role: the fastleger share their duty
    (fastlegeforskriften §13 and SFS 2305: an even spread, adjusted by vaktandel), the
    ALIS, the employed doctors and the specialists on the bakvakt rota each theirs: each pool's
    worst-treated doctor counts on its own, and the history ledger runs per pool. Pools on the same
    duty share one level per share (a share of 3 carries three times a share of 1 in any role)
    unless a pool has a level of its own (``own_level``).
    """

    pools: dict[Role, PoolName] = Field(
        default_factory=lambda: {Role(k): v for k, v in DEFAULT_POOLS.items()},
        description="role → pool; a role left out is a pool of its own, named after the role",
    )
    min_shifts: dict[PoolName, Annotated[int, Field(ge=0, le=31)]] = Field(
        default_factory=lambda: {"fastleger": 1, "ALIS": 1},
        description="pool → the least shifts of every available doctor with a share above 0 (fastleger: "
        "their duty; ALIS: shifts towards the 40 of akuttmedisinforskriften §7); a doctor far ahead still takes part",
    )
    history_half_life: float = Field(
        6.0, gt=0, le=120,
        description="periods after which a period's burden counts half in the ledger (older periods weigh less)",
    )
    history_repay: float = Field(
        0.5, ge=0, le=5,
        description="one period repays (or takes on) at most this share of a normal share of the period's burden",
    )
    overstaffing: Overstaffing = Field(
        Overstaffing.LONE, description="where a shift may have more doctors than its minimum, each priced by `surplus`"
    )
    own_level: list[PoolName] = Field(
        default_factory=list,
        description="pools with a level per share of their own; the others share one level per duty (on site, "
        "bakvakt), so a share means the same in every role that shares the shifts",
    )

    @model_validator(mode="after")
    def _known_pools(self) -> Fairness:
        """Each problem begins with its field's path, so a workbook names the setting's cell."""
        names = set(self.pools.values()) | {r.value for r in Role if r not in self.pools}
        known = ", ".join(sorted(names))
        problems = [f"{key}: ukjent gruppe {', '.join(f'«{u}»' for u in unknown)} (gruppene er {known})"
                    for key, named in (("min_shifts", self.min_shifts), ("own_level", self.own_level))
                    if (unknown := sorted(set(named) - names))]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def pool(self, role: Role) -> str:
        return self.pools.get(role, role.value)


class Succession(Model):
    """A shift labelled ``first`` may not be followed the next date by one labelled ``then``."""

    first: str = Field(min_length=1)
    then: str = Field(min_length=1)


# akuttmedisinforskriften §7 (Helsedirektoratet): every legevakt doctor needs valid courses in
# emergency medicine and in handling violence and abuse; spelled as examples/bergen spells them.
REQUIRED_COURSES = ("akuttmedisin", "vold og overgrep")


def _no_course_separator(value: str) -> str:
    """The workbook lists the required courses in one cell, separated by commas or semicolons."""
    if found := re.search("[,;]", value):
        raise ValueError(f"et kursnavn kan ikke inneholde «{found.group()}» (skiller kursene i en liste)")
    return value


CourseName = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line),
                       AfterValidator(_no_course_separator)]


# Legal floors of the rest settings (arbeidsmiljøloven §10-8, SFS 2305 pkt 7.4): a setting below
# them is refused with its source, never run.
REST_FLOOR_EMPLOYEE = 8.0  # arbeidsmiljøloven §10-8 (1): 11 h, by agreement no lower than 8 h
WEEKLY_REST_FLOOR_EMPLOYEE = 28.0  # arbeidsmiljøloven §10-8 (2): 35 h, by agreement no lower than 28 h
REST_FLOOR_SELF_EMPLOYED = 8.0  # SFS 2305 pkt 7.4: at least 8 h off between two work periods
_FLOORS = {  # field → (floor, Norwegian name, source)
    "rest_hours_employee": (REST_FLOOR_EMPLOYEE, "hviletid for ansatte",
                            "arbeidsmiljøloven §10-8 (1): 11 timer, ved avtale ikke under 8"),
    "weekly_rest_hours_employee": (WEEKLY_REST_FLOOR_EMPLOYEE, "ukehvile for ansatte",
                                   "arbeidsmiljøloven §10-8 (2): 35 timer, ved avtale ikke under 28"),
    "rest_hours_self_employed": (REST_FLOOR_SELF_EMPLOYED, "hviletid for selvstendige",
                                 "SFS 2305 pkt 7.4: minst 8 timer fri mellom to arbeidsperioder"),
}


class Rules(Model):
    """Tunable rules. Every default names its source or says it is a local choice; a
    municipality changes them here, never in code. Rest below the legal floors is refused."""

    legal_floor_override: str = Field(
        "", max_length=500,
        description="why (and on whose approval) rest below the legal floors is accepted; empty: such rest is "
        "refused. Every roster and the web's audit log record it",
    )

    rest_hours_self_employed: float = Field(
        8, ge=0, le=48, description="SFS 2305 pkt 7.4: at least 8 h off between two work periods (11 h preferred)"
    )
    rest_hours_employee: float = Field(
        11, ge=0, le=48, description="arbeidsmiljøloven §10-8: 11 h rest per 24 h (8 h by agreement, no lower)"
    )
    weekly_rest_hours_employee: float = Field(
        35, ge=0, le=168, description="arbeidsmiljøloven §10-8: 35 h continuous rest per 7 days (28 h by agreement, no lower)"
    )
    on_call_counts_as_rest: bool = Field(
        True, description="arbeidsmiljøloven §10-4(3): on-call time without call-out can count as rest"
    )
    sunday_off_after_sunday_work: bool = Field(
        True, description="arbeidsmiljøloven §10-10: an employee who worked a Sunday or holiday has the next one "
        "off (Arbeidstilsynet); off only where an agreement allows it"
    )
    no_night_before_practice_day: bool = Field(
        True, description="an assumption after SFS 2305 pkt 7.4 (more than the least rest preferred): no on-site "
        "night before a GP's practice day, where practice days are given; a manager may switch it off"
    )
    specialist_bakvakt: bool = Field(
        True, description="the pilot (HOD's press release on the legevakt pilot): a specialist on call at every "
        "minute a station is open; needs an on-call shift type; off only outside the pilot"
    )
    max_consecutive_nights: int = Field(
        3, ge=1, le=MAX_PERIOD_DAYS, description="a local choice (no law names a limit); assumed for the Bergen rota"
    )
    min_consecutive_nights: int = Field(
        1, ge=1, le=MAX_PERIOD_DAYS, description="nights come in blocks of at least this many (1: no rule, a local choice); a block at the period's edge may be shorter"
    )
    max_consecutive_days: int | None = Field(
        None, ge=1, le=MAX_PERIOD_DAYS, description="dates in a row with a shift (none: a local choice); a doctor's own value goes first"
    )
    min_consecutive_days: int = Field(
        1, ge=1, le=MAX_PERIOD_DAYS, description="working dates come in runs of at least this many (1: no rule, a local choice); a run at the period's edge may be shorter"
    )
    min_days_off: int = Field(
        1, ge=1, le=MAX_PERIOD_DAYS, description="free dates between two runs of work (rest after a run; 1: no rule, a local choice); edge runs exempt"
    )
    max_weekends: int | None = Field(
        None, ge=0, le=53, description="weekends with a shift starting on the Saturday or Sunday (none: a local choice); "
        "a doctor's own value goes first"
    )
    forbidden_successions: list[Succession] = Field(
        default_factory=list, description="label pairs that may not follow on consecutive dates (none: a local choice)"
    )
    max_shifts_per_7_days: int | None = Field(
        3, ge=1, le=50, description="rolling 7 days; a local choice (Legeforeningen asked for 1 a week)"
    )
    max_hours_per_7_days: float | None = Field(
        48, ge=1, le=168, description="rolling 7 days, real hours; a local choice after the 48-hour week of arbeidsmiljøloven "
        "§10-6 (SFS 2305 §3.2 sets aside kap. 10 for legevakt under the agreement)"
    )
    spacing_target_days: int = Field(
        4, ge=0, le=MAX_PERIOD_DAYS, description="soft: shifts closer than this many days are penalised (a local choice)"
    )
    night_start: Clock = Field(dt.time(23, 0), description="natt 23–08 at Bergen legevakt (assumed, not confirmed)")
    night_end: Clock = Field(dt.time(8, 0), description="natt 23–08 at Bergen legevakt (assumed, not confirmed)")
    evening_start: Clock = Field(dt.time(16, 0), description="kveld 16–23 at Bergen legevakt (assumed, not confirmed)")
    exemption_start: Clock = Field(
        dt.time(16, 0), description="fastlegeforskriften §13: exemption covers 16:00–08:00"
    )
    exemption_end: Clock = Field(dt.time(8, 0), description="fastlegeforskriften §13: exemption covers 16:00–08:00")
    exemption_age: int = Field(
        60, ge=50, le=75, description="fastlegeforskriften §13: a fastlege over this age (from the birthday) is exempt "
        "from 16–08 duty unless they waive it; raised from 55 to 60 in 2013, configurable for the 2026 regulation"
    )
    sunday_type_start: Clock = Field(
        dt.time(18, 0), description="arbeidsmiljøloven §10-10: from 18:00 the day before"
    )
    sunday_type_end: Clock = Field(
        dt.time(22, 0), description="arbeidsmiljøloven §10-10 (1): until 22:00 the day before the next working day"
    )
    heavy_eve_start: Clock = Field(
        dt.time(15, 0), description="arbeidsmiljøloven §10-10: 15:00 on Christmas/Easter/Pentecost eve"
    )
    night_category_min_hours: float = Field(
        3, gt=0, le=24, description="a shift counts as a night with this many night hours (a local choice)"
    )
    doctor_around_the_clock: bool = Field(
        True, description="akuttmedisinforskriften §6c (a doctor available around the clock): name the hours no "
        "shift with a doctor covers; off where the scenario plans only part of the legevakt's hours"
    )
    lis1_temporary_rule: bool = Field(
        False, description="KS temporary rule 2021–2024 (LIS1 without bakvakt); off by default"
    )
    alone_with_bakvakt: bool = Field(
        False, description="a doctor who may not work alone may still be the only doctor on an on-site shift, "
        "with the qualified bakvakt akuttmedisinforskriften §7 asks for (rule veiledning) as at a one-doctor rural "
        "legevakt; off: never without a qualified colleague on the shift (rule alene, Bergen's practice)"
    )
    required_courses: list[CourseName] = Field(
        default_factory=lambda: list(REQUIRED_COURSES), max_length=50,
        description="akuttmedisinforskriften §7: courses every legevakt doctor must hold (names compared without "
        "regard to case and spacing); a doctor with no record of one is kept off duty like one whose course has "
        "expired; empty: no course is required",
    )
    burden: BurdenWeights = Field(default_factory=BurdenWeights)
    weights: ObjectiveWeights = Field(default_factory=ObjectiveWeights)
    fairness: Fairness = Field(default_factory=Fairness)

    @field_validator("required_courses")
    @classmethod
    def _courses_once(cls, value: list[str]) -> list[str]:
        """Two names that match the same course would require it twice."""
        seen: dict[str, str] = {}
        for name in value:
            key = name_key(name)
            if key in seen:
                also = f" (også som «{seen[key]}»)" if seen[key] != name else ""
                raise ValueError(f"kurset «{name}» står to ganger{also}")
            seen[key] = name
        return value

    @field_validator("rest_hours_self_employed", "rest_hours_employee", "weekly_rest_hours_employee")
    @classmethod
    def _legal_floor(cls, value: float, info: ValidationInfo) -> float:
        """Refused below the floor unless an override (declared first, so already read) says why."""
        floor, _, source = _FLOORS[info.field_name or ""]
        if value < floor and not str(info.data.get("legal_floor_override", "")).strip():
            raise ValueError(f"{number(value)} timer er under lovens minstekrav ({source}); rett verdien, eller oppgi "
                             "et begrunnet unntak fra minstekravet")
        return value

    def _below_floors(self) -> list[tuple[str, float, str]]:
        return [(name, getattr(self, field), source) for field, (floor, name, source) in _FLOORS.items()
                if getattr(self, field) < floor]

    def floor_override_notes(self) -> list[str]:
        """Norwegian notes for every rest setting accepted below its legal floor by the override."""
        if not self.legal_floor_override.strip():
            return []
        return [f"Unntak fra lovens minstekrav: {name} {number(value)} timer ({source}). Begrunnelse: "
                f"{self.legal_floor_override.strip()}" for name, value, source in self._below_floors()]


# --------------------------------------------------------------------------- stations and shifts


class Station(Model):
    id: Id
    name: Name
    kind: StationKind
    address: str = Field("", max_length=300)


#: A 24 h duty (a rural døgnvakt 08–08) typed as one row is the likeliest cause, so the message says how.
SAME_START_END = "slutt kan ikke være lik start; et døgn legges inn som to vakttyper, f.eks. 08:00–20:00 og 20:00–08:00"


class ShiftTemplate(Model):
    """A recurring shift. ``end < start`` means the shift crosses midnight; ``end == start`` is
    refused as ambiguous (zero or 24 hours), and the message says a 24 h duty is two templates."""

    id: Id
    station: Id
    label: str = Field(min_length=1, max_length=80, description="dag, kveld, natt, helg, bakvakt …")
    start: Clock
    end: Clock
    day_types: list[DayType] = Field(min_length=1)
    demand_min: int = Field(1, ge=0, le=MAX_DEMAND)
    demand_max: int = Field(1, ge=0, le=MAX_DEMAND)
    min_qualified: int = Field(
        1, ge=0, le=MAX_DEMAND, description="how many of the doctors must be qualified to work alone"
    )
    duty: DutyKind = DutyKind.ON_SITE
    on_call_can_attend: bool = Field(
        False, description="bakvakt only: the doctor on call can come in (on-site supervision)"
    )
    required_skill: str | None = None
    counts_as: list[BurdenCategory] | None = Field(
        None, description="burden categories; derived from the hours when not given. A real night stays a night "
                          "for the night rules whatever this says"
    )
    active_from: Day | None = None
    active_to: Day | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ShiftTemplate:
        if self.start == self.end:
            raise ValueError(SAME_START_END)
        if self.demand_max < self.demand_min:
            raise ValueError("maks antall leger kan ikke være mindre enn min antall")
        if self.duty == DutyKind.ON_SITE and self.min_qualified > self.demand_min:
            raise ValueError("antall som kan gå alene kan ikke være større enn min antall leger")
        if self.active_from and self.active_to and self.active_to < self.active_from:
            raise ValueError("gyldig til kan ikke være før gyldig fra")
        return self

    @property
    def crosses_midnight(self) -> bool:
        return self.end < self.start

    def runs_on(self, day: dt.date, day_type: DayType) -> bool:
        """Whether the shift type runs on a date of this day type (its day types, active dates)."""
        if self.active_from and day < self.active_from:
            return False
        if self.active_to and day > self.active_to:
            return False
        return day_type in self.day_types


# --------------------------------------------------------------------------- doctors


class Competence(Model):
    """Inputs for akuttmedisinforskriften §7. ``qualified`` set explicitly overrides derivation."""

    qualified: bool | None = None
    specialist_general_practice: bool = False
    clinical_months: int = Field(0, ge=0, le=1200, description="months of clinical service after authorisation")
    legevakt_shifts_done: int = Field(0, ge=0, le=MAX_HISTORY_COUNT)
    municipal_gp_years: float = Field(0, ge=0, le=100)
    lis1_completed: bool = False


class Exemption(Model):
    reason: ExemptionReason
    start: Day | None = None
    end: Day | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Exemption:
        if self.start and self.end and self.end < self.start:
            raise ValueError("fritaket slutter før det begynner")
        return self

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


class Doctor(Model):
    id: Id
    name: Name
    role: Role
    competence: Competence = Field(default_factory=Competence)
    courses: dict[CourseName, Day] = Field(
        default_factory=dict,
        description="course name → expiry date; an expired course blocks duty (akuttmedisinforskriften §7)",
    )
    employment: Employment = Employment.SELF_EMPLOYED
    birth_date: Day | None = None
    skills: list[str] = Field(default_factory=list)
    stations: list[Id] = Field(default_factory=list, description="empty: every station")
    shift_labels: list[str] = Field(default_factory=list, description="empty: every label")
    preferred_stations: list[Id] = Field(default_factory=list)
    share: float = Field(1.0, ge=0, le=5, description="vaktandel: 1.0 = a normal share")
    min_shifts: int = Field(0, ge=0, le=MAX_SHIFTS)
    max_shifts: int | None = Field(None, ge=0, le=MAX_SHIFTS)
    max_shifts_by_label: dict[str, Annotated[int, Field(ge=0, le=MAX_SHIFTS)]] = Field(
        default_factory=dict, description="label → most shifts with that label in the period (e.g. natt: 2); 0 forbids"
    )
    min_hours: float = Field(0, ge=0, le=MAX_HOURS, description="agreed hours in the period (on-call hours count by on_call_factor)")
    max_hours: float | None = Field(None, ge=0, le=MAX_HOURS)
    max_consecutive_days: int | None = Field(None, ge=1, le=MAX_PERIOD_DAYS, description="own limit; empty: the rules' limit")
    min_consecutive_days: int | None = Field(None, ge=1, le=MAX_PERIOD_DAYS, description="own minimum run; empty: the rules' minimum")
    min_days_off: int | None = Field(None, ge=1, le=MAX_PERIOD_DAYS, description="own rest after a run; empty: the rules' minimum")
    max_weekends: int | None = Field(None, ge=0, le=53, description="own limit; empty: the rules' limit")
    max_shifts_per_7_days: int | None = Field(
        None, ge=1, le=50, description="own limit in any 7 consecutive dates (a specialist's week of phone bakvakt); "
        "empty: the rules' limit")
    exemptions: list[Exemption] = Field(default_factory=list)
    can_bakvakt: bool = False
    supervision: Supervision = Field(
        Supervision.PHONE,
        description="the bakvakt a non-qualified doctor needs: by phone or able to come in",
    )
    waives_age_exemption: bool = Field(
        False, description="over rules.exemption_age but takes 16–08 duty anyway: fastlegeforskriften §13 gives "
        "a right to refuse, not a duty"
    )
    practice_days: list[Weekday] = Field(
        default_factory=list, max_length=7,
        description="weekdays the GP works in their own practice (a public holiday is none); empty: no practice-day rule",
    )
    phone: str = Field("", max_length=40, description="shown to colleagues on the on-call list; empty: not shown")
    email: str = Field("", max_length=200, description="where change notices are sent; empty: none are sent")

    @field_validator("courses")
    @classmethod
    def _courses_once(cls, value: dict[str, dt.date]) -> dict[str, dt.date]:
        """Two entries of one course (names match as ``name_key`` folds them) would leave which
        expiry date counts to the order they were read in."""
        seen: dict[str, str] = {}
        for name in value:
            key = name_key(name)
            if key in seen:
                raise ValueError(f"kurset «{name}» står to ganger (også som «{seen[key]}»)")
            seen[key] = name
        return value

    @field_validator("name")
    @classmethod
    def _name_without_separator(cls, value: str) -> str:
        """A roster workbook's cell lists its doctors' names separated by lines or semicolons."""
        if ";" in value:
            raise ValueError("et navn kan ikke inneholde «;» (skiller navn i vaktplanens celler)")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError(f"«{value}» er ingen e-postadresse")
        return value

    @model_validator(mode="after")
    def _limits(self) -> Doctor:
        if self.max_shifts is not None and self.max_shifts < self.min_shifts:
            raise ValueError("maks antall vakter kan ikke være mindre enn min antall vakter")
        if self.max_hours is not None and self.max_hours < self.min_hours:
            raise ValueError("maks timer kan ikke være mindre enn min timer")
        if any(n < 0 for n in self.max_shifts_by_label.values()):
            raise ValueError("maks vakter per vakttype kan ikke være negativt")
        return self


# --------------------------------------------------------------------------- events


class Absence(Model):
    """Whole days (``start``/``end`` dates, inclusive) or an exact range (datetimes, Oslo time)."""

    doctor: Id
    start: Moment | Day
    end: Moment | Day
    kind: AbsenceKind = AbsenceKind.HOLIDAY
    note: str = Field("", max_length=1000)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _plain_date(cls, value: object) -> object:
        """A bare "YYYY-MM-DD" is a whole day: without this the union parses it as midnight."""
        if isinstance(value, str) and len(value.strip()) == 10:
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                return value
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Absence:
        if isinstance(self.start, dt.datetime) != isinstance(self.end, dt.datetime):
            raise ValueError("start og slutt må begge være datoer eller begge tidspunkt")
        if self.end < self.start or (isinstance(self.end, dt.datetime) and self.end == self.start):
            raise ValueError("fraværet slutter før det begynner")
        return self


class Wish(Model):
    """A doctor wants (or does not want) a day, or one shift template on that day."""

    doctor: Id
    date: Day
    template: Id | None = None
    wants: bool = False
    weight: int = Field(1, ge=1, le=10)


class DemandChange(Model):
    """Other staffing for one shift on one date: an extra doctor on New Year's Eve, a district
    station closed for a day (0). The shift keeps its key, so a published roster still refers to it."""

    template: Id
    date: Day
    demand_min: int = Field(ge=0, le=MAX_DEMAND)
    demand_max: int | None = Field(None, ge=0, le=MAX_DEMAND, description="empty: the template's, or demand_min if "
                                   "that is more; 0 when demand_min is 0 (the shift is closed that day)")
    min_qualified: int | None = Field(
        None, ge=0, le=MAX_DEMAND, description="empty: the template's, or demand_min if that is less"
    )

    @model_validator(mode="after")
    def _consistent(self) -> DemandChange:
        if self.demand_max is not None and self.demand_max < self.demand_min:
            raise ValueError("maks antall leger kan ikke være mindre enn min antall")
        if self.min_qualified is not None and self.min_qualified > self.demand_min:
            raise ValueError("antall som kan gå alene kan ikke være større enn min antall leger")
        return self

    def staffing(self, template: ShiftTemplate) -> tuple[int, int, int]:
        """(demand_min, demand_max, min_qualified) of the shift on this date. A minimum of 0 with no
        maximum closes the shift: the manager who writes 0 for a district station means it is shut."""
        if self.demand_max is not None:
            high = self.demand_max
        else:
            high = max(template.demand_max, self.demand_min) if self.demand_min else 0
        qualified = self.min_qualified if self.min_qualified is not None else min(template.min_qualified, self.demand_min)
        return self.demand_min, high, qualified


class Pin(Model):
    """A fixed assignment the solver must keep."""

    doctor: Id
    date: Day
    template: Id
    voluntary: bool = Field(
        False, description="the doctor has said yes to this shift although an exemption from 16–08 duty lets them "
        "refuse it (fastlegeforskriften §13 gives a right to refuse, not a ban): the exemption does not keep them "
        "off this one shift")


class History(Model):
    """Burden carried in earlier periods, so fairness runs across months."""

    doctor: Id
    shifts: int = Field(0, ge=0, le=MAX_HISTORY_COUNT)
    hours: float = Field(0, ge=0, le=MAX_HISTORY_HOURS)
    nights: int = Field(0, ge=0, le=MAX_HISTORY_COUNT)
    weekends: int = Field(0, ge=0, le=MAX_HISTORY_COUNT)
    holidays: int = Field(0, ge=0, le=MAX_HISTORY_COUNT)
    points: float = Field(0, ge=0, le=MAX_HISTORY_POINTS)
    periods: int = Field(0, ge=0, le=MAX_HISTORY_COUNT, description="how many earlier periods the figures cover")
    burden_balance: float | None = Field(
        None, ge=-MAX_HISTORY_POINTS, le=MAX_HISTORY_POINTS,
        description="the ledger: points ahead (+) or behind (−) of the fair share in the doctor's pool, older "
        "periods weighing less (roster.targets); empty: derived from points and periods",
    )
    legevakt_shifts_done: int | None = Field(
        None, ge=0, le=MAX_HISTORY_COUNT,
        description="legevakt shifts done up to this period (the doctor's count moved forward, akuttmedisinforskriften "
        "§7: 40 towards working alone); the larger of this and the doctor's own count holds",
    )


# Bounds of what is carried from earlier periods (issue 14's rule: every number bounded).
MAX_CARRY_DAYS = 62  # carried shifts start at most this many days before the period
MAX_CARRIED_SHIFTS = 50_000
MAX_LEDGER_YEARS = 10  # holiday ledger entries reach at most this many years back
MAX_LEDGER_ENTRIES = 100_000
MAX_SUPERVISION_DAYS = 20_000


class CarriedShift(Model):
    """A shift a doctor worked just before the period (last period's roster, or typed in), with its
    own moments: the rules that look back (rest, nights and days in a row, weekly rest, shifts and
    hours per 7 days, spacing) see across the first of the month without this month's templates.
    Naive moments are Oslo wall-clock time."""

    doctor: Id
    start: Moment
    end: Moment
    label: str = Field(min_length=1, max_length=80, description="dag, kveld, natt … (forbidden successions)")
    duty: DutyKind = DutyKind.ON_SITE
    station: str = Field("", max_length=80, description="for reading only: the station need not exist this period")
    night: bool | None = Field(
        None, description="a night shift for nights in a row; empty: from its hours and this period's night rules"
    )
    template: str = Field("", max_length=80, description="for reading only: the shift type it came from")

    @model_validator(mode="after")
    def _ordered(self) -> CarriedShift:
        start, end = _aware(self.start), _aware(self.end)
        if end <= start:
            raise ValueError("vakten slutter før den begynner")
        if end - start > dt.timedelta(hours=24):
            raise ValueError("en vakt kan vare høyst 24 timer")
        return self


class HolidayWork(Model):
    """A shift a doctor worked on Christmas (24–26 Dec), New Year (31 Dec, 1 Jan) or Easter (Maundy
    Thursday to Easter Monday) in an earlier year, by the date it started: the holiday ledger the
    rotation reads (kept apart from the burden history)."""

    doctor: Id
    date: Day


class SupervisionDay(Model):
    """A day of an ALIS's supervision (spesialistforskriften): no night shift the night before."""

    doctor: Id
    date: Day


def _aware(moment: dt.datetime) -> dt.datetime:
    """A naive moment read as Oslo wall-clock time."""
    return moment if moment.tzinfo else moment.replace(tzinfo=OSLO_ZONE)


class ExtraHoliday(Model):
    """A local day treated as a public holiday (julaften, nyttårsaften …): its opening hours, day
    type and burden. It is no helgedag in law unless ``sunday_rest`` says so."""

    date: Day
    name: str = Field(min_length=1)
    sunday_rest: bool = Field(
        False, description="counts as a Sunday or holiday for søndagsfri (arbeidsmiljøloven §10-10); the law's "
        "helgedager are Sundays and the public holidays, so julaften and nyttårsaften do not")


# --------------------------------------------------------------------------- scenario


_REFERENCE_FIELDS = {
    "period", "rules", "stations", "templates", "doctors", "absences", "wishes", "pins", "history", "demand_changes",
    "carry_in", "holiday_ledger", "supervision_days",
}


class Scenario(Model):
    name: Name
    period: Period
    rules: Rules = Field(default_factory=Rules)
    stations: list[Station] = Field(min_length=1)
    templates: list[ShiftTemplate] = Field(min_length=1)
    doctors: list[Doctor] = Field(min_length=1)
    absences: list[Absence] = Field(default_factory=list)
    wishes: list[Wish] = Field(default_factory=list)
    pins: list[Pin] = Field(default_factory=list)
    history: list[History] = Field(default_factory=list)
    extra_holidays: list[ExtraHoliday] = Field(default_factory=list)
    demand_changes: list[DemandChange] = Field(default_factory=list)
    carry_in_from: Day | None = Field(
        None, description="carry_in lists every shift of every doctor from this date to the period's start "
        "(history_out writes it); empty: the carried shifts are known but not complete, so runs at the "
        "period's first date stay exempt from the minimums"
    )
    carry_in: list[CarriedShift] = Field(
        default_factory=list, max_length=MAX_CARRIED_SHIFTS,
        description="the doctors' shifts of the last days before the period (at least the longest look-back of a rule)",
    )
    holiday_ledger: list[HolidayWork] = Field(
        default_factory=list, max_length=MAX_LEDGER_ENTRIES,
        description="who worked Christmas, New Year and Easter in earlier years (the holiday rotation)",
    )
    supervision_days: list[SupervisionDay] = Field(
        default_factory=list, max_length=MAX_SUPERVISION_DAYS,
        description="ALIS supervision days: no night shift the night before",
    )

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        """Cross-references, every problem at once (pydantic collects the list)."""
        problems = reference_problems(self.model_dump(mode="json", include=_REFERENCE_FIELDS))
        if not problems:
            problems = self._idle_demand_changes() + self._pilot_problems() + self._carried_problems()
        if problems:
            raise ValueError("; ".join(problems))
        self._carry_shift_counts_forward()
        return self

    def _pilot_problems(self) -> list[str]:
        """The pilot's specialist bakvakt needs an on-call shift type: without one the rule would
        silently not run."""
        if not self.rules.specialist_bakvakt or any(t.duty == DutyKind.ON_CALL for t in self.templates):
            return []
        return ["rules.specialist_bakvakt: piloten krever en spesialist på bakvakt hvert minutt en stasjon er åpen "
                "(HODs legevaktpilot), men ingen vakttype har vaktform bakvakt (legg til en, eller "
                "slå av regelen for en kommune utenfor piloten)"]

    def _carried_problems(self) -> list[str]:
        """Carried shifts before the period and not far before it; ledger and supervision days
        inside sensible bounds."""
        first = self.period.start
        period_start = dt.datetime.combine(first, dt.time(0), tzinfo=OSLO_ZONE)
        earliest = first - dt.timedelta(days=MAX_CARRY_DAYS)
        out = []
        if self.carry_in_from is not None and not earliest <= self.carry_in_from <= first:
            out.append(f"carry_in_from: må ligge mellom {earliest:%d.%m.%Y} og {first:%d.%m.%Y}")
        for i, c in enumerate(self.carry_in):
            if _aware(c.start) >= period_start:
                out.append(f"carry_in[{i}].start: en tidligere vakt må begynne før perioden ({first:%d.%m.%Y})")
            elif _aware(c.start) < period_start - dt.timedelta(days=MAX_CARRY_DAYS):
                out.append(f"carry_in[{i}].start: høyst {MAX_CARRY_DAYS} dager før perioden")
        oldest = dt.date(first.year - MAX_LEDGER_YEARS, 1, 1)
        for i, h in enumerate(self.holiday_ledger):
            if not oldest <= h.date < first:
                out.append(f"holiday_ledger[{i}].date: må ligge mellom {oldest:%d.%m.%Y} og perioden")
            elif rotation_holiday(h.date) is None:
                out.append(f"holiday_ledger[{i}].date: {h.date:%d.%m.%Y} er ingen jule-, nyttårs- eller påskedag")
        span = dt.timedelta(days=366)
        for i, sday in enumerate(self.supervision_days):
            if not first - span <= sday.date <= self.period.end + span:
                out.append(f"supervision_days[{i}].date: høyst ett år fra perioden")
        return out

    def _carry_shift_counts_forward(self) -> None:
        """A doctor's legevakt shifts done are the larger of their own count and the history's
        (history_out moves the count forward each period)."""
        carried = {h.doctor: h.legevakt_shifts_done for h in self.history if h.legevakt_shifts_done is not None}
        for d in self.doctors:
            if d.id in carried and carried[d.id] > d.competence.legevakt_shifts_done:
                d.competence.legevakt_shifts_done = carried[d.id]

    def _idle_demand_changes(self) -> list[str]:
        """Demand changes for a shift that does not run that date (day type, active dates)."""
        if not self.demand_changes:
            return []
        calendar = self.holiday_calendar()
        templates = {t.id: t for t in self.templates}
        return [
            f"demand_changes[{i}].date: vakttypen «{c.template}» går ikke {c.date:%d.%m.%Y} "
            f"({calendar.day_type(c.date).value})"
            for i, c in enumerate(self.demand_changes)
            if not templates[c.template].runs_on(c.date, calendar.day_type(c.date))
        ]

    def holiday_calendar(self) -> HolidayCalendar:
        """The period's day types, with the scenario's local holidays."""
        return HolidayCalendar(self.period.start, self.period.end, {h.date: h.name for h in self.extra_holidays},
                               {h.date for h in self.extra_holidays if h.sunday_rest})

    # lookups used everywhere; cheap enough to rebuild on demand
    def doctor(self, doctor_id: str) -> Doctor:
        return next(d for d in self.doctors if d.id == doctor_id)

    def station(self, station_id: str) -> Station:
        return next(s for s in self.stations if s.id == station_id)

    def template(self, template_id: str) -> ShiftTemplate:
        return next(t for t in self.templates if t.id == template_id)

    def staffing(self) -> dict[tuple[str, dt.date], DemandChange]:
        """Demand changes by (template, date)."""
        return {(c.template, c.date): c for c in self.demand_changes}


# --------------------------------------------------------------------------- roster (the output)


def shift_key(template_id: str, day: dt.date) -> str:
    """Stable key of one shift instance: ``<template>/<YYYY-MM-DD>`` (start date)."""
    return f"{template_id}/{day.isoformat()}"


class Assignment(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)

    doctor: Id
    template: Id
    date: Day

    @property
    def shift(self) -> str:
        return shift_key(self.template, self.date)


class OpenSlot(Model):
    """A place in a shift left unfilled. Never silent: exported and listed prominently."""

    template: Id
    date: Day
    missing: int = Field(ge=1, le=MAX_DEMAND)
    reason: str = ""


class SolveStatus(str, Enum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"
    MODEL_INVALID = "model_invalid"


class SolvePhase(Model):
    """One phase of a solve (solver.budget): seconds from the start of the solve (model build
    included), seconds it was given and seconds it took."""

    name: str
    start: float = 0.0
    budget: float = 0.0
    used: float = 0.0


class LevelStats(Model):
    """One level of a lexicographic solve (solver.objective.LEVELS): its weighted value and the
    bound the solver proved for it with the levels before held at their values."""

    terms: list[str] = Field(default_factory=list, description="the Norwegian names of its terms (roster.terms)")
    objective: float = 0.0
    bound: float = 0.0
    gap: float | None = None


class SolveStats(Model):
    status: SolveStatus
    objective: float | None = None
    bound: float | None = None
    gap: float | None = Field(None, description="(objective − bound) / max(1, |objective|)")
    wall_time: float = 0.0
    first_feasible_time: float | None = None
    build_time: float = 0.0
    seed: int = Field(0, ge=0, le=MAX_SEED)
    workers: int = Field(0, ge=0, le=MAX_WORKERS)
    time_limit: float = 0.0
    strict: bool = False
    terms: dict[str, float] = Field(default_factory=dict, description="objective term → weighted value")
    levels: list[LevelStats] = Field(
        default_factory=list,
        description="a lexicographic solve's levels; bound and gap are then the first level not proven optimal "
        "(gap_level), else the last",
    )
    gap_level: int | None = Field(None, description="1-based level the bound and gap belong to")
    program_version: str = ""
    variables: int = 0
    constraints: int = 0
    phases: list[SolvePhase] = Field(default_factory=list, description="the phases in order (solver.budget)")
    kept_back: float = Field(0.0, ge=0, description="seconds the phases ended before the time limit: "
                             "CP-SAT's expected lag and the unfilled places' reasons (solver.budget)")

    @property
    def judged_level(self) -> LevelStats | None:
        """The level bound and gap belong to (``gap_level``); None outside a lexicographic solve."""
        return self.levels[self.gap_level - 1] if self.gap_level else None


class Clash(Model):
    """Requirements that cannot all hold (solver.explain), in Norwegian, and the changes the
    solver verified would resolve the clash, each on its own (most preferred first)."""

    summary: str
    requirements: list[str] = Field(default_factory=list)
    fixes: list[str] = Field(default_factory=list)
    minimal: bool = Field(True, description="False when a time limit stopped the shrinking")


class Explanation(Model):
    """Why no complete roster (no open slot, no hour without bakvakt) exists."""

    status: str = Field(description="mulig, konflikter or ukjent")
    clashes: list[Clash] = Field(default_factory=list)
    verified: bool | None = Field(None, description="the first fix of every clash, together, gives a complete roster")
    complete: bool = Field(True, description="False when the search stopped before every clash was found")
    seconds: float = 0.0


class Roster(Model):
    """Assignments for a scenario's period, with open slots and, when solved here, the figures."""

    scenario: str
    period: Period
    assignments: list[Assignment] = Field(default_factory=list)
    open_slots: list[OpenSlot] = Field(default_factory=list)
    uncovered_bakvakt: list[tuple[Instant, Instant]] = Field(
        default_factory=list,
        description="intervals with a station open and no named specialist on call (the pilot's measure)",
    )
    stats: SolveStats | None = None
    warnings: list[str] = Field(default_factory=list, description="Norwegian notes for the manager")
    explanation: Explanation | None = Field(None, description="why the open slots could not be filled")

    def by_doctor(self) -> dict[str, list[Assignment]]:
        out: dict[str, list[Assignment]] = {}
        for a in sorted(self.assignments, key=lambda a: (a.date, a.template)):
            out.setdefault(a.doctor, []).append(a)
        return out


class ProgressEvent(Model):
    """One improving solution, streamed to the caller (CLI progress line, web SSE). ``objective``
    is the whole objective; in a lexicographic solve bound and gap are those of the level being
    solved (``level``, ``level_objective``)."""

    elapsed: float
    level: int = Field(0, description="1-based level of a lexicographic solve; 0: the whole objective")
    level_objective: float | None = Field(None, description="the level's value; bound and gap are the level's")
    objective: float
    bound: float
    gap: float | None
    open_slots: int
    solutions: int

