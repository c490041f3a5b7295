"""The one map between workbook layout and the scenario model.

Each sheet column names the model field it fills (a path inside one list item), its kind (how a
cell is parsed and written), a Norwegian header, help text and an example. Template, reader and
instructions sheet all read these tables, so a column can never mean one thing in the template and
another in the import. Nested model parts are flattened: rules are a key/value sheet, a doctor's
competence fields are plain columns, courses and exemptions get their own sheets, lists are
comma-separated cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from roster.models import (
    SAME_START_END,
    AbsenceKind,
    BurdenCategory,
    DayType,
    DutyKind,
    Employment,
    ExemptionReason,
    Overstaffing,
    Role,
    StationKind,
    Supervision,
    Weekday,
)
from roster.terms import weight_label

# Workbook limits (documented in docs/excel.md and docs/security.md): a workbook is a zip of XML
# files, so the unpacked size is checked as well, against zip bombs; the sheets are bounded by what
# a legevakt needs (the Bergen example: 295 doctors, about 18 000 cells, 0.84 MB unpacked; a year of 1000
# doctors stays below 5000 rows a sheet), so a workbook cannot keep a process busy for minutes.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 1000
MAX_SHEETS = 50
MAX_ROWS = 20_000  # the last row with a value, per sheet
MAX_COLUMNS = 400  # the last column with a value (Per lege: a year of days and a name)
MAX_CELLS = 200_000  # cell elements in all sheets, empty formatted ones included (some 4 s to load)

YES = ("ja", "j", "yes", "y", "true", "sann", "x", "1")
NO = ("nei", "n", "no", "false", "usann", "0", "-")
NONE_WORDS = ("ingen", "none", "av")  # an optional limit switched off

DATE_FORMAT = "dd.mm.yyyy"
TIME_FORMAT = "hh:mm"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"


class Kind(str, Enum):
    """How a cell is parsed (reader) and written (template)."""

    TEXT = "text"
    ID = "id"  # text; numbers typed as ids (101, 101.0) become "101"
    DOCTOR = "doctor"  # reference to Leger.ID (also matched by name, case-insensitive)
    STATION = "station"  # reference to Stasjoner.ID
    TEMPLATE = "template"  # reference to Vakttyper.ID
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"
    TIME = "time"
    DATE_OR_DATETIME = "date_or_datetime"
    DATETIME = "datetime"  # a moment: date and time both
    ENUM = "enum"
    ENUM_LIST = "enum_list"
    TEXT_LIST = "text_list"
    STATION_LIST = "station_list"
    LABEL_LIMITS = "label_limits"  # "natt=2, helg=1" ↔ {"natt": 2, "helg": 1}
    SUCCESSIONS = "successions"  # "natt>kveld, natt>dag" ↔ [{"first": "natt", "then": "kveld"}, …]
    ROLE_POOLS = "role_pools"  # "fastlege=fastleger, annen=ansatte" ↔ {"fastlege": "fastleger", …}
    POOL_COUNTS = "pool_counts"  # "fastleger=1, ALIS=1" ↔ {"fastleger": 1, "ALIS": 1}


@dataclass(frozen=True)
class Column:
    header: str
    field: tuple[str, ...]
    kind: Kind
    help: str
    example: str
    enum: type[Enum] | None = None
    noun: str = "verdi"  # "ukjent <noun> «x»"
    required: bool = False
    nullable: bool = False  # "ingen" means None (optional limits)
    width: int = 14

    @property
    def path(self) -> str:
        return ".".join(self.field)


@dataclass(frozen=True)
class Table:
    """One sheet, one row per item of a scenario list (or, with ``parent``, of a doctor's list)."""

    title: str
    key: str
    columns: tuple[Column, ...]
    help: str
    required: bool = False  # the sheet must exist and have rows
    # model-level errors of an item (pydantic model validators) → the column they are about
    row_errors: dict[str, str] = field(default_factory=dict)


def _enum_values(enum: type[Enum]) -> list[str]:
    return [str(m.value) for m in enum]


# --------------------------------------------------------------------------- settings sheet

SETTINGS_TITLE = "Periode og regler"


@dataclass(frozen=True)
class Setting:
    label: str
    path: tuple[str, ...]  # from the scenario root
    kind: Kind
    help: str
    nullable: bool = False  # «ingen» switches it off (``off``)
    required: bool = False
    example: str = ""  # for the instructions; other settings show their default there
    aliases: tuple[str, ...] = ()  # earlier labels, still read from older workbooks
    enum: type[Enum] | None = None  # Kind.ENUM: the allowed values

    @property
    def off(self) -> Any:
        """The value «ingen» stands for: no item of a list or of pairs (an empty cell gives the
        default), else None."""
        return [] if self.kind == Kind.TEXT_LIST else {} if self.kind == Kind.POOL_COUNTS else None


SETTINGS: tuple[Setting, ...] = (
    Setting("Navn på planen", ("name",), Kind.TEXT, "Vises i overskriften på vaktplanen.", required=True,
            example="Bergen legevakt desember 2026"),
    Setting("Første dag", ("period", "start"), Kind.DATE, "Første dag i perioden (dd.mm.åååå).", required=True,
            example="01.12.2026"),
    Setting("Siste dag", ("period", "end"), Kind.DATE, "Siste dag i perioden, tatt med.", required=True,
            example="31.12.2026"),
    Setting("Hviletid selvstendige (timer)", ("rules", "rest_hours_self_employed"), Kind.FLOAT,
            "Minst så mange timer fri mellom to vakter (SFS 2305 pkt 7.4: 8; lavere avvises)."),
    Setting("Hviletid ansatte (timer)", ("rules", "rest_hours_employee"), Kind.FLOAT,
            "For ansatte leger (arbeidsmiljøloven §10-8: 11, ved avtale ned til 8; lavere avvises)."),
    Setting("Ukehvile ansatte (timer)", ("rules", "weekly_rest_hours_employee"), Kind.FLOAT,
            "Sammenhengende fri per 7 dager for ansatte (arbeidsmiljøloven §10-8: 35, ved avtale ned til 28; "
            "lavere avvises)."),
    Setting("Bakvakt teller som hvile", ("rules", "on_call_counts_as_rest"), Kind.BOOL,
            "ja: bakvakt uten utrykning regnes som hvile (arbeidsmiljøloven §10-4(3))."),
    Setting("Maks netter på rad", ("rules", "max_consecutive_nights"), Kind.INT, "Flest nattevakter etter hverandre."),
    Setting("Maks vakter per 7 dager", ("rules", "max_shifts_per_7_days"), Kind.INT,
            "Flest vakter i løpet av 7 dager; «ingen» slår grensen av.", nullable=True),
    Setting("Maks timer per 7 dager", ("rules", "max_hours_per_7_days"), Kind.FLOAT,
            "Flest arbeidstimer i løpet av 7 dager (bakvakt teller 1/7); «ingen» slår grensen av.", nullable=True),
    Setting("Ønsket avstand mellom vakter (dager)", ("rules", "spacing_target_days"), Kind.INT,
            "Vakter tettere enn dette unngås om mulig."),
    Setting("Natt starter", ("rules", "night_start"), Kind.TIME, "Klokkeslett (tt:mm)."),
    Setting("Natt slutter", ("rules", "night_end"), Kind.TIME, "Klokkeslett (tt:mm)."),
    Setting("Kveld starter", ("rules", "evening_start"), Kind.TIME, "Klokkeslett (tt:mm)."),
    Setting("Fritak gjelder fra", ("rules", "exemption_start"), Kind.TIME,
            "Fritatte leger tar ikke vakt fra dette klokkeslettet (fastlegeforskriften §13: 16:00)."),
    Setting("Fritak gjelder til", ("rules", "exemption_end"), Kind.TIME,
            "... til dette klokkeslettet neste dag (08:00)."),
    Setting("Aldersgrense for fritak", ("rules", "exemption_age"), Kind.INT,
            "Fastleger fra denne alderen (fødselsdato i Leger) er fritatt for vakt 16–08 om de ikke tar vakt "
            "likevel (fastlegeforskriften §13: 60 år)."),
    Setting("Søndagstid fra (dagen før)", ("rules", "sunday_type_start"), Kind.TIME,
            "Helgetid begynner dagen før søn- og helligdag (arbeidsmiljøloven §10-10: 18:00)."),
    Setting("Søndagstid til", ("rules", "sunday_type_end"), Kind.TIME,
            "Helgetid slutter på søn- og helligdagen (arbeidsmiljøloven §10-10: 22:00); vakt i helgetiden er "
            "søndagsarbeid."),
    Setting("Høytidsaften fra", ("rules", "heavy_eve_start"), Kind.TIME,
            "Julaften, nyttårsaften, påske- og pinseaften fra dette klokkeslettet (15:00)."),
    Setting("Nattetimer for å telle som natt", ("rules", "night_category_min_hours"), Kind.FLOAT,
            "En vakt med minst så mange nattetimer teller som nattevakt."),
    Setting("Lege tilgjengelig hele døgnet", ("rules", "doctor_around_the_clock"), Kind.BOOL,
            "ja: timer ingen vakt med lege dekker, nevnes på vaktplanen og i forhåndskontrollen "
            "(akuttmedisinforskriften §6c); nei der andre dekker dem etter avtale."),
    Setting("LIS1 uten bakvakt (midlertidig regel)", ("rules", "lis1_temporary_rule"), Kind.BOOL,
            "KS' midlertidige regel 2021–2024; normalt nei."),
    Setting("Lege som ikke kan gå alene, kan være eneste lege med bakvakt", ("rules", "alone_with_bakvakt"),
            Kind.BOOL, "ja: en lege som ikke er vaktkompetent kan være alene på en tilstedevakt når en kvalifisert "
            "bakvakt dekker hele vakten (akuttmedisinforskriften §7), som på en liten legevakt med én lege; nei "
            "(standard): alltid sammen med en som kan gå alene."),
    Setting("Påkrevde kurs", ("rules", "required_courses"), Kind.TEXT_LIST,
            "Kommaliste over kurs hver lege må ha gyldig i arket Kurs (store og små bokstaver og mellomrom teller "
            "ikke). En lege som mangler et av dem, får ingen vakt, som ved utløpt kurs. «ingen»: ingen kurs kreves.",
            nullable=True),
    Setting("Min netter i en blokk", ("rules", "min_consecutive_nights"), Kind.INT,
            "Netter kommer i blokker på minst så mange (1 = ingen regel); ved periodens start og slutt kan en blokk være kortere."),
    Setting("Maks arbeidsdager på rad", ("rules", "max_consecutive_days"), Kind.INT,
            "Flest datoer på rad med vakt; «ingen» slår grensen av. Legens egen verdi i Leger går foran.", nullable=True),
    Setting("Min arbeidsdager på rad", ("rules", "min_consecutive_days"), Kind.INT,
            "Vakter kommer i perioder på minst så mange datoer (1 = ingen regel)."),
    Setting("Min fridager mellom arbeidsperioder", ("rules", "min_days_off"), Kind.INT,
            "Minst så mange datoer uten vakt mellom to perioder med vakt (1 = ingen regel)."),
    Setting("Maks helger", ("rules", "max_weekends"), Kind.INT,
            "Flest helger med vakt (lørdag eller søndag) i perioden; «ingen» slår grensen av.", nullable=True),
    Setting("Vakttyper som ikke kan følge hverandre", ("rules", "forbidden_successions"), Kind.SUCCESSIONS,
            "Kommaliste «natt>kveld»: en kveldsvakt kan ikke komme dagen etter en nattevakt (betegnelser fra Vakttyper).",
            example="natt>kveld"),
    Setting("Belastning: hverdag dag", ("rules", "burden", "weekday_day"), Kind.FLOAT, "Poeng per time."),
    Setting("Belastning: hverdag kveld", ("rules", "burden", "weekday_evening"), Kind.FLOAT, "Poeng per time."),
    Setting("Belastning: hverdag natt", ("rules", "burden", "weekday_night"), Kind.FLOAT, "Poeng per time."),
    Setting("Belastning: helg/helligdag dag", ("rules", "burden", "weekend_day"), Kind.FLOAT, "Poeng per time."),
    Setting("Belastning: helg/helligdag natt", ("rules", "burden", "weekend_night"), Kind.FLOAT, "Poeng per time."),
    Setting("Belastning: høytidsaften", ("rules", "burden", "heavy_eve"), Kind.FLOAT, "Poeng per time."),
    Setting("Belastning: faktor for bakvakt", ("rules", "burden", "on_call_factor"), Kind.FLOAT,
            "Bakvakttimer ganges med dette (arbeidsmiljøloven §10-4(3): minst 1/7)."),
    Setting("Fordelingsgrupper", ("rules", "fairness", "pools"), Kind.ROLE_POOLS,
            "Hvilke roller som deler belastningen seg imellom: rolle=gruppe, kommaliste. En rolle som ikke står "
            "her, er en gruppe for seg. Vaktandeler sammenlignes innen en gruppe."),
    Setting("Minst vakter for tilgjengelige leger", ("rules", "fairness", "min_shifts"), Kind.POOL_COUNTS,
            "gruppe=antall: hver lege i gruppen som kan ta vakt og har andel over 0, får minst så mange vakter "
            "(også den som ligger langt foran). Tomt: standard (fastleger=1, ALIS=1); «ingen» slår regelen av, "
            "gruppe=0 for én gruppe.", nullable=True),
    Setting("Grupper med eget nivå", ("rules", "fairness", "own_level"), Kind.TEXT_LIST,
            "Kommaliste over grupper som ikke deler nivå per andel med andre grupper på samme slags vakt "
            "(vakt på stedet eller bakvakt). Belastningen jevnes da ut bare innen gruppen: hvor mye gruppen bærer "
            "til sammen, veies ikke mot de andre gruppene. Tomt: en andel betyr like mye i alle grupper som deler vaktene."),
    Setting("Historikk: halveringstid (perioder)", ("rules", "fairness", "history_half_life"), Kind.FLOAT,
            "Eldre perioder teller mindre: etter så mange perioder teller en periode halvt."),
    Setting("Historikk: mest tilbakebetalt per periode", ("rules", "fairness", "history_repay"), Kind.FLOAT,
            "Én periode jevner ut høyst denne andelen av en vanlig andel (0,5 = en halv måneds andel)."),
    Setting("Overbemanning", ("rules", "fairness", "overstaffing"), Kind.ENUM,
            "Hvor en vakt kan få flere leger enn min antall: alene (bare der én lege ellers er alene), aldri eller alle.",
            enum=Overstaffing),
    *(Setting(weight_label(term), ("rules", "weights", term), Kind.INT, help, aliases=aliases)
      for term, aliases, help in (
          ("open_slot", ("Vekt: ubesatt plass", "Vekt: ledig plass"), "Straff per ubesatt plass."),
          ("uncovered_bakvakt_hour", ("Vekt: time uten bakvakt",),
           "Straff per time uten navngitt spesialist på bakvakt."),
          ("participation", (), "Straff per vakt en tilgjengelig lege mangler av gruppens minste antall."),
          ("max_deviation", ("Vekt: største avvik fra rettferdig andel", "Vekt: største overskridelse av andel (prosent)"),
           "Straff per poeng per andel i hver gruppes største avvik fra målet."),
          ("sum_deviation", ("Vekt: sum avvik fra rettferdig andel", "Vekt: sum avvik fra andel (poeng)"),
           "Straff per poeng i summen av alle legers avvik fra målet: jevner ut også under gruppens største avvik."),
          ("category_balance", ("Vekt: balanse kveld/natt/helg",),
           "Straff per vakt en lege har for mye eller for lite av netter, helger og helligdager hver for seg, "
           "etter andel innen gruppen."),
          ("spacing", ("Vekt: avstand mellom vakter",),
           "Straff for vakter tett i tett: i hvert vindu på «Ønsket avstand mellom vakter (dager)» dager koster "
           "legens vakt nummer to 1 og hver vakt etter den 2 til."),
          ("wish", ("Vekt: ønsker",),
           "Ganges med ønskets egen vekt (1–10, arket Ønsker) for hvert ønske som ikke innfris."),
          ("preferred_station", ("Vekt: foretrukket stasjon",),
           "Straff per vakt utenfor legens foretrukne stasjoner (kolonnen i Leger); den svakeste, avgjør bare likt."),
          ("change", ("Vekt: endring ved omplanlegging",),
           "Straff per vakt flyttet fra publisert plan (roster replan); ×3 innen 48 timer, ×2 for andre leger."),
          ("surplus", ("Vekt: lege utover behovet",),
           "Straff per lege utover min antall på en vakt, der overbemanning er tillatt (se Overbemanning)."),
          ("holiday_repeat", (), "Straff per vakt i jul, nyttår eller påske for en lege som hadde samme høytid i fjor."),
      )),
    Setting("Unntak fra lovens hviletid (begrunnelse)", ("rules", "legal_floor_override"), Kind.TEXT,
            "Tom: hviletid under lovens minstekrav avvises. Fylt ut (hvorfor og hvem som har godkjent): godtas, "
            "og unntaket står på hver vaktplan og i loggen."),
    Setting("Fri søn-/helligdag etter søndagsarbeid", ("rules", "sunday_off_after_sunday_work"), Kind.BOOL,
            "ja: en ansatt som har vakt en søn- eller helligdag, har fri den neste (arbeidsmiljøloven §10-10); "
            "nei bare der en avtale tillater det."),
    Setting("Ingen natt før praksisdag", ("rules", "no_night_before_practice_day"), Kind.BOOL,
            "ja: ingen nattevakt på stasjon natten før en fastleges praksisdag (praksisdager i Leger; "
            "en antagelse etter SFS 2305 pkt 7.4)."),
    Setting("Spesialist på bakvakt (piloten)", ("rules", "specialist_bakvakt"), Kind.BOOL,
            "ja: en spesialist på bakvakt hvert minutt en stasjon er åpen (HODs legevaktpilot); krever en "
            "vakttype med vaktform bakvakt. nei: kommune utenfor piloten."),
    Setting("Tidligere vakter komplette fra", ("carry_in_from",), Kind.DATE,
            "Arket Tidligere vakter har alle vakter fra denne datoen til perioden (lim inn fra forrige "
            "vaktplan); tom: ikke komplett."),
)

# --------------------------------------------------------------------------- table sheets

C = Column

STATIONS = Table(
    "Stasjoner", "stations",
    (
        C("ID", ("id",), Kind.ID, "Kort, unik kode for stasjonen.", "BLV", required=True, width=12),
        C("Navn", ("name",), Kind.TEXT, "Navnet som vises i vaktplanen.", "Bergen legevakt", required=True, width=24),
        C("Type", ("kind",), Kind.ENUM, "legevakt, bydelslegevakt eller fjernvakt (bakvakt hjemmefra).",
          "legevakt", StationKind, "stasjonstype", required=True),
        C("Adresse", ("address",), Kind.TEXT, "Valgfritt.", "Solheimsgaten 9", width=28),
    ),
    "Én rad per legevaktstasjon. Bakvakt hjemmefra legges på en egen stasjon av typen fjernvakt.",
    required=True,
)

TEMPLATES = Table(
    "Vakttyper", "templates",
    (
        C("ID", ("id",), Kind.ID, "Kort, unik kode; brukes som vaktkode i «Per lege».", "BLV-kveld",
          required=True, width=14),
        C("Stasjon", ("station",), Kind.STATION, "ID fra arket Stasjoner.", "BLV", noun="stasjon", required=True),
        C("Betegnelse", ("label",), Kind.TEXT, "dag, kveld, natt, bakvakt …", "kveld", required=True),
        C("Start", ("start",), Kind.TIME, "Klokkeslett (tt:mm).", "16:00", required=True, width=9),
        C("Slutt", ("end",), Kind.TIME, "Klokkeslett; før start betyr over midnatt. Kan ikke være lik start.",
          "23:00", required=True, width=9),
        C("Dagtyper", ("day_types",), Kind.ENUM_LIST, "Kommaliste: hverdag, lørdag, søndag, helligdag.",
          "hverdag, lørdag, søndag, helligdag", DayType, "dagtype", required=True, width=34),
        C("Min leger", ("demand_min",), Kind.INT, "Så mange leger trengs (standard 1).", "2", width=10),
        C("Maks leger", ("demand_max",), Kind.INT, "Flest leger på vakten (standard 1).", "2", width=10),
        C("Min vaktkompetente", ("min_qualified",), Kind.INT,
          "Så mange må kunne gå alene (akuttmedisinforskriften §7; standard 1).", "1", width=12),
        C("Vaktform", ("duty",), Kind.ENUM, "tilstedevakt eller bakvakt.", "tilstedevakt", DutyKind, "vaktform"),
        C("Bakvakt kan møte", ("on_call_can_attend",), Kind.BOOL, "Bare bakvakt: kan rykke ut til stasjonen (ja/nei).",
          "nei", width=10),
        C("Krav til ferdighet", ("required_skill",), Kind.TEXT, "Bare leger med denne ferdigheten (se Leger).",
          "barn", width=14),
        C("Teller som", ("counts_as",), Kind.ENUM_LIST,
          "Valgfritt: kveld, natt, helg, helligdag. Tom: regnes ut fra klokkeslettene.", "",
          BurdenCategory, "kategori", width=16),
        C("Gyldig fra", ("active_from",), Kind.DATE, "Valgfritt: første dag vakten finnes.", "", width=12),
        C("Gyldig til", ("active_to",), Kind.DATE, "Valgfritt: siste dag vakten finnes.", "", width=12),
    ),
    "Én rad per vakt som går igjen. Et døgn er to eller tre vakttyper (dag, kveld, natt).",
    required=True,
    row_errors={
        SAME_START_END: "end",
        "maks antall leger kan ikke være mindre enn min antall": "demand_max",
        "antall som kan gå alene kan ikke være større enn min antall leger": "min_qualified",
        "gyldig til kan ikke være før gyldig fra": "active_to",
    },
)

DOCTORS = Table(
    "Leger", "doctors",
    (
        C("ID", ("id",), Kind.ID, "Kort, unik kode (f.eks. initialer eller ansattnummer).", "kari.n",
          required=True, width=12),
        C("Navn", ("name",), Kind.TEXT, "Navnet som vises i vaktplanen.", "Kari Nordmann", required=True, width=22),
        C("Rolle", ("role",), Kind.ENUM, "fastlege, ALIS, spesialist, LIS1 eller annen.", "fastlege", Role, "rolle",
          required=True, width=12),
        C("Tilknytning", ("employment",), Kind.ENUM,
          "selvstendig (SFS 2305: 8 t hvile) eller ansatt (arbeidsmiljøloven: 11 t hvile).",
          "selvstendig", Employment, "tilknytning", width=12),
        C("Fødselsdato", ("birth_date",), Kind.DATE,
          "Valgfritt; for fastleger gir den fritak 16–08 fra aldersgrensen (fastlegeforskriften §13).",
          "15.03.1970", width=12),
        C("Kan gå alene", ("competence", "qualified"), Kind.BOOL,
          "ja/nei; tom: regnes ut fra kolonnene til høyre (akuttmedisinforskriften §7).", "", width=10),
        C("Spesialist i allmennmedisin", ("competence", "specialist_general_practice"), Kind.BOOL, "ja/nei.",
          "ja", width=12),
        C("Klinisk tjeneste (mnd)", ("competence", "clinical_months"), Kind.INT,
          "Måneder klinisk tjeneste etter autorisasjon (krav: 30).", "120", width=10),
        C("Legevakter gjort", ("competence", "legevakt_shifts_done"), Kind.INT, "Antall legevakter (krav: 40).",
          "200", width=10),
        C("År som kommunelege", ("competence", "municipal_gp_years"), Kind.FLOAT, "År (krav: 1).", "8", width=10),
        C("LIS1 fullført", ("competence", "lis1_completed"), Kind.BOOL, "ja/nei.", "ja", width=10),
        C("Kan ta bakvakt", ("can_bakvakt",), Kind.BOOL, "ja/nei (må også kunne gå alene).", "nei", width=10),
        C("Veiledning", ("supervision",), Kind.ENUM,
          "Bakvakt en lege som ikke kan gå alene trenger: telefon eller tilstede.", "telefon",
          Supervision, "veiledning", width=11),
        C("Ferdigheter", ("skills",), Kind.TEXT_LIST, "Kommaliste, f.eks. barn.", "", width=14),
        C("Stasjoner", ("stations",), Kind.STATION_LIST, "Kommaliste med stasjons-ID; tom: alle.", "BLV, FANA",
          noun="stasjon", width=14),
        C("Vakttyper", ("shift_labels",), Kind.TEXT_LIST, "Kommaliste med betegnelser; tom: alle.", "", width=14),
        C("Foretrukne stasjoner", ("preferred_stations",), Kind.STATION_LIST, "Kommaliste med stasjons-ID.",
          "FANA", noun="stasjon", width=14),
        C("Vaktandel", ("share",), Kind.FLOAT, "1 = vanlig andel, 0,5 = halv (standard 1).", "1", width=10),
        C("Min vakter", ("min_shifts",), Kind.INT, "Minst så mange vakter i perioden.", "0", width=9),
        C("Maks vakter", ("max_shifts",), Kind.INT, "Flest vakter i perioden; tom: ingen grense.", "", width=9),
        C("Maks per vakttype", ("max_shifts_by_label",), Kind.LABEL_LIMITS,
          "Kommaliste betegnelse=antall, f.eks. natt=2; 0 = aldri den vakttypen.", "natt=2", width=14),
        C("Min timer", ("min_hours",), Kind.FLOAT, "Avtalte timer i perioden (bakvakt teller som i uketimene).", "",
          width=9),
        C("Maks timer", ("max_hours",), Kind.FLOAT, "Flest timer i perioden; tom: ingen grense.", "", width=9),
        C("Maks dager på rad", ("max_consecutive_days",), Kind.INT, "Egen grense; tom: regelen i Periode og regler.",
          "", width=9),
        C("Min dager på rad", ("min_consecutive_days",), Kind.INT, "Egen korteste arbeidsperiode; tom: regelen.", "",
          width=9),
        C("Min fridager", ("min_days_off",), Kind.INT, "Egne fridager mellom arbeidsperioder; tom: regelen.", "",
          width=9),
        C("Maks helger", ("max_weekends",), Kind.INT, "Egen grense for helger med vakt; tom: regelen.", "", width=9),
        C("Telefon", ("phone",), Kind.TEXT, "Valgfritt: vises for kolleger på listen over hvem som har vakt.",
          "55 55 55 55", width=13),
        C("E-post", ("email",), Kind.TEXT, "Valgfritt: hit sendes varsel når legens vakter endres.",
          "kari@example.no", width=22),
        C("Tar vakt 16–08 over aldersgrensen", ("waives_age_exemption",), Kind.BOOL,
          "ja: fastlegen bruker ikke retten til fritak etter alder (standard nei).", "nei", width=12),
        C("Praksisdager", ("practice_days",), Kind.ENUM_LIST,
          "Kommaliste med ukedager i egen praksis, f.eks. mandag, tirsdag; ingen nattevakt natten før.",
          "mandag, tirsdag, onsdag, torsdag, fredag", Weekday, "ukedag", width=20),
        C("Maks vakter per 7 dager", ("max_shifts_per_7_days",), Kind.INT,
          "Egen grense, f.eks. 7 for en spesialist med en uke bakvakt; tom: regelen i Periode og regler.", "",
          width=10),
    ),
    "Én rad per lege i vaktordningen. Kurs og fritak føres i egne ark.",
    required=True,
    row_errors={
        "maks antall vakter kan ikke være mindre enn min antall vakter": "max_shifts",
        "maks timer kan ikke være mindre enn min timer": "max_hours",
        "maks vakter per vakttype kan ikke være negativt": "max_shifts_by_label",
    },
)

COURSES = Table(
    "Kurs", "courses",
    (
        C("Lege", ("doctor",), Kind.DOCTOR, "ID fra arket Leger.", "kari.n", noun="lege", required=True),
        C("Kurs", ("name",), Kind.TEXT, "Kursets navn, skrevet som i «Påkrevde kurs» i Periode og regler.",
          "akuttmedisin", required=True, width=22),
        C("Gyldig til", ("expires",), Kind.DATE, "Utløpsdato; utløpt kurs stenger for vakt.", "31.12.2027",
          required=True, width=12),
    ),
    "Kurs med utløpsdato, én rad per lege og kurs. Hver lege må ha kursene i «Påkrevde kurs» (Periode og regler; "
    "standard akuttmedisin og vold og overgrep); et kurs som mangler eller har gått ut, stenger for vakt.",
)

EXEMPTIONS = Table(
    "Fritak", "exemptions",
    (
        C("Lege", ("doctor",), Kind.DOCTOR, "ID fra arket Leger.", "ola.h", noun="lege", required=True),
        C("Grunn", ("reason",), Kind.ENUM,
          "over aldersgrensen, graviditet, amming eller kommunalt vedtak (fastleger over aldersgrensen med "
          "fødselsdato er fritatt uten rad her).", "graviditet",
          ExemptionReason, "fritaksgrunn", required=True, width=16),
        C("Fra", ("start",), Kind.DATE, "Valgfritt: første dag.", "", width=12),
        C("Til", ("end",), Kind.DATE, "Valgfritt: siste dag.", "", width=12),
    ),
    "Fritak fra vakt 16–08 (fastlegeforskriften §13).",
    row_errors={"fritaket slutter før det begynner": "end"},
)

ABSENCES = Table(
    "Fravær", "absences",
    (
        C("Lege", ("doctor",), Kind.DOCTOR, "ID fra arket Leger.", "kari.n", noun="lege", required=True),
        C("Fra", ("start",), Kind.DATE_OR_DATETIME, "Dato (hele dager) eller dato og klokkeslett.", "21.12.2026",
          required=True, width=17),
        C("Til", ("end",), Kind.DATE_OR_DATETIME, "Dato (tatt med) eller dato og klokkeslett.", "27.12.2026",
          required=True, width=17),
        C("Type", ("kind",), Kind.ENUM, "ferie, kurs, sykdom, permisjon eller annet.", "ferie", AbsenceKind,
          "fraværstype"),
        C("Merknad", ("note",), Kind.TEXT, "Valgfritt.", "", width=24),
    ),
    "Ferie, kurs og annet fravær. Legen får ingen vakt som overlapper.",
    row_errors={
        "fraværet slutter før det begynner": "end",
        "start og slutt må begge være datoer eller begge tidspunkt": "end",
    },
)

WISHES = Table(
    "Ønsker", "wishes",
    (
        C("Lege", ("doctor",), Kind.DOCTOR, "ID fra arket Leger.", "kari.n", noun="lege", required=True),
        C("Dato", ("date",), Kind.DATE, "En dag i perioden.", "24.12.2026", required=True, width=12),
        C("Vakttype", ("template",), Kind.TEMPLATE, "Valgfritt: ID fra Vakttyper; tom: hele dagen.", "",
          noun="vakttype"),
        C("Ønsker vakt", ("wants",), Kind.BOOL, "ja: vil ha vakten; nei: vil ikke (standard nei).", "nei", width=10),
        C("Vekt", ("weight",), Kind.INT, "1–10, hvor viktig ønsket er (standard 1).", "3", width=7),
    ),
    "Ønsker for og mot vakter. Oppfylles så langt det går.",
)

PINS = Table(
    "Låste vakter", "pins",
    (
        C("Lege", ("doctor",), Kind.DOCTOR, "ID fra arket Leger.", "kari.n", noun="lege", required=True),
        C("Dato", ("date",), Kind.DATE, "Startdagen for vakten.", "01.12.2026", required=True, width=12),
        C("Vakttype", ("template",), Kind.TEMPLATE, "ID fra Vakttyper.", "BLV-kveld", noun="vakttype", required=True),
        C("Frivillig", ("voluntary",), Kind.BOOL, "ja: legen har sagt ja til vakten selv om et fritak for 16–08 gir "
          "rett til å nekte (standard nei).", "nei", width=10),
    ),
    "Vakter som allerede er avtalt og skal stå.",
)

HISTORY = Table(
    "Historikk", "history",
    (
        C("Lege", ("doctor",), Kind.DOCTOR, "ID fra arket Leger.", "kari.n", noun="lege", required=True),
        C("Vakter", ("shifts",), Kind.INT, "Vakter i tidligere perioder.", "14", width=9),
        C("Timer", ("hours",), Kind.FLOAT, "Timer.", "98", width=9),
        C("Netter", ("nights",), Kind.INT, "Nattevakter.", "4", width=9),
        C("Helger", ("weekends",), Kind.INT, "Helgevakter.", "3", width=9),
        C("Helligdager", ("holidays",), Kind.INT, "Vakter på helligdager.", "1", width=11),
        C("Poeng", ("points",), Kind.FLOAT, "Belastningspoeng.", "120,5", width=9),
        C("Perioder", ("periods",), Kind.INT, "Hvor mange perioder tallene dekker.", "6", width=9),
        C("Legevakter totalt", ("legevakt_shifts_done",), Kind.INT,
          "Legevakter gjort til nå (flyttes frem hver periode; det største av dette og Leger-tallet gjelder).",
          "38", width=10),
        C("Hovedbok", ("burden_balance",), Kind.FLOAT,
          "Poeng foran (+) eller bak (−) rettferdig andel i gruppen, eldre perioder teller mindre (fra «Historikk ut»). "
          "Tomt: regnes ut fra poeng og perioder.", "-4,5", width=10),
    ),
    "Belastning fra tidligere perioder, så fordelingen blir rettferdig over tid. "
    "Lim inn arket «Historikk ut» fra forrige måneds vaktplan.",
)

EXTRA_HOLIDAYS = Table(
    "Ekstra helligdager", "extra_holidays",
    (
        C("Dato", ("date",), Kind.DATE, "En lokal fridag som regnes som helligdag.", "24.12.2026", required=True,
          width=12),
        C("Navn", ("name",), Kind.TEXT, "Navnet som vises i vaktplanen.", "Julaften", required=True, width=20),
        C("Helgedag i loven", ("sunday_rest",), Kind.BOOL,
          "ja: regnes som søn-/helgedag for fri etter søndagsarbeid (arbeidsmiljøloven §10-10). Julaften og "
          "nyttårsaften er ikke helgedager i loven. Tom: nei.", "nei", width=12),
    ),
    "Valgfritt: lokale dager som skal regnes som helligdag (offentlige helligdager er med fra før).",
)

DEMAND_CHANGES = Table(
    "Bemanning per dag", "demand_changes",
    (
        C("Vakttype", ("template",), Kind.TEMPLATE, "ID fra Vakttyper.", "BLV-kveld", noun="vakttype", required=True),
        C("Dato", ("date",), Kind.DATE, "Startdagen for vakten.", "31.12.2026", required=True, width=12),
        C("Min leger", ("demand_min",), Kind.INT, "Så mange leger trengs denne dagen (0 = stengt).", "3",
          required=True, width=10),
        C("Maks leger", ("demand_max",), Kind.INT, "Tom: som vakttypen, eller min leger om det er flere; 0 når min leger er 0 (stengt).", "3",
          width=10),
        C("Min vaktkompetente", ("min_qualified",), Kind.INT, "Tom: som vakttypen (høyst min leger).", "", width=12),
    ),
    "Valgfritt: annen bemanning for én vakt en bestemt dag, f.eks. en ekstra lege nyttårsaften "
    "eller en bydelslegevakt stengt en dag.",
    row_errors={
        "maks antall leger kan ikke være mindre enn min antall": "demand_max",
        "antall som kan gå alene kan ikke være større enn min antall leger": "min_qualified",
    },
)

CARRY_IN = Table(
    "Tidligere vakter", "carry_in",
    (
        C("Lege", ("doctor",), Kind.DOCTOR, "ID fra arket Leger.", "kari.n", noun="lege", required=True),
        C("Start", ("start",), Kind.DATETIME, "Dato og klokkeslett vakten begynte.", "30.11.2026 23:00",
          required=True, width=17),
        C("Slutt", ("end",), Kind.DATETIME, "Dato og klokkeslett vakten sluttet.", "01.12.2026 08:00",
          required=True, width=17),
        C("Betegnelse", ("label",), Kind.TEXT, "dag, kveld, natt, bakvakt …", "natt", required=True),
        C("Vaktform", ("duty",), Kind.ENUM, "tilstedevakt eller bakvakt.", "tilstedevakt", DutyKind, "vaktform"),
        C("Stasjon", ("station",), Kind.TEXT, "Valgfritt (til lesing).", "BLV"),
        C("Natt", ("night",), Kind.BOOL, "ja/nei; tom: regnes ut fra klokkeslettene.", "ja", width=8),
        C("Vakttype", ("template",), Kind.TEXT, "Valgfritt (til lesing).", "BLV-natt"),
    ),
    "Vaktene legene hadde de siste dagene før perioden, så hvile, netter på rad, ukehvile og grensene "
    "per 7 dager gjelder over månedsskiftet. Lim inn arket «Tidligere vakter ut» fra forrige vaktplan.",
    row_errors={"vakten slutter før den begynner": "end", "en vakt kan vare høyst 24 timer": "end"},
)

HOLIDAY_LEDGER = Table(
    "Høytidsvakter", "holiday_ledger",
    (
        C("Lege", ("doctor",), Kind.DOCTOR, "ID fra arket Leger.", "kari.n", noun="lege", required=True),
        C("Dato", ("date",), Kind.DATE, "Dagen vakten begynte: 24.–26.12, 31.12, 1.1 eller i påsken.",
          "24.12.2025", required=True, width=12),
    ),
    "Hvem som hadde vakt i jul, nyttår og påske tidligere år, så høytidene går på omgang. "
    "Lim inn arket «Høytidsvakter ut» fra forrige vaktplan.",
)

SUPERVISION_DAYS = Table(
    "Veiledningsdager", "supervision_days",
    (
        C("Lege", ("doctor",), Kind.DOCTOR, "ID fra arket Leger.", "alis001", noun="lege", required=True),
        C("Dato", ("date",), Kind.DATE, "En dag med veiledning.", "15.12.2026", required=True, width=12),
    ),
    "Valgfritt: veiledningsdager for ALIS (spesialistforskriften). Ingen nattevakt natten før.",
)

TABLES: tuple[Table, ...] = (
    STATIONS, TEMPLATES, DOCTORS, COURSES, EXEMPTIONS, ABSENCES, WISHES, PINS, HISTORY, CARRY_IN, HOLIDAY_LEDGER,
    SUPERVISION_DAYS, EXTRA_HOLIDAYS, DEMAND_CHANGES,
)
INSTRUCTIONS_TITLE = "Instruksjoner"
LISTS_TITLE = "Lister"

# Dropdown sources: enum columns get their values, references the ID column of their sheet.
REFERENCE_SHEETS = {Kind.DOCTOR: DOCTORS, Kind.STATION: STATIONS, Kind.TEMPLATE: TEMPLATES}
DAY_TYPE_CHOICES = (
    "hverdag, lørdag, søndag, helligdag",
    "hverdag",
    "lørdag, søndag, helligdag",
    "lørdag",
    "søndag, helligdag",
    "hverdag, lørdag",
)


def enum_values(column: Column | Setting) -> list[str]:
    enum = getattr(column, "enum", None)
    return _enum_values(enum) if enum else []


def normalise(text: object) -> str:
    """Header/name comparison key: case, soft hyphens, runs of spaces and line breaks ignored."""
    return " ".join(str(text).replace("\u00ad", "").split()).casefold()
