"""The Norwegian words every face uses for the same thing, so the web pages, the command line, the
workbook, the report and the CSV never call one concept by two names.

An *unfilled place* is one doctor missing on a shift (``OpenSlot.missing`` counts them): a shift
for two doctors with one assigned has one unfilled place. It is «ubesatt plass» everywhere; the
single-word mark in a workbook cell or a CSV row is «UBESATT».

The objective's terms have one name each (``TERM_NAMES``, in the order of ``ObjectiveWeights``'
fields): the solver's figures (``SolveStats.terms``), the summary, the workbook's Sammendrag and
the settings list ("Vekt: …") all take it from there.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

OPEN_PLACE = "ubesatt plass"
OPEN_PLACES = "ubesatte plasser"
OPEN_MARK = "UBESATT"  # in a Vaktplan cell and the CSV's doctor column, once per missing doctor
OLD_OPEN_MARKS = ("LEDIG", "ÅPEN VAKT")  # what earlier versions wrote; still read back

TERM_NAMES: dict[str, str] = {
    "open_slot": OPEN_PLACES,
    "uncovered_bakvakt_hour": "timer uten bakvakt",
    "change": "endringer fra publisert plan",
    "participation": "vakter som mangler for at alle skal ta del",
    "max_deviation": "største avvik fra mål per gruppe (poeng per andel)",
    "surplus": "leger utover behovet",
    "sum_deviation": "sum avvik fra mål (poeng)",
    "category_balance": "skjevhet netter/helger/helligdager",
    "holiday_repeat": "samme høytid som i fjor",
    "spacing": "vakter tett i tett",
    "wish": "ønsker ikke innfridd",
    "preferred_station": "vakter utenfor foretrukket stasjon",
}


# The solver's status (``SolveStatus``' value, also a sweep result's ``status``) in one Norwegian
# word, for tables and notes; the summary's longer sentences are ``roster.output.STATUS_TEXT``.
STATUS_WORDS = {"optimal": "optimal", "feasible": "gyldig", "infeasible": "umulig", "unknown": "ukjent",
                "model_invalid": "modellfeil"}


def status_word(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def count(n: int, one: str, many: str) -> str:
    """«1 vakt», «3 vakter», «0 vakter»: a count with its noun in the number Norwegian wants."""
    return f"{n} {one if n == 1 else many}"


def count_doctors(n: int) -> str:
    return count(n, "lege", "leger")


def count_shifts(n: int) -> str:
    return count(n, "vakt", "vakter")


def genitive(name: str) -> str:
    """«Karis», «Lars'»: a name ending in s, x or z takes an apostrophe, not another s."""
    return name + ("'" if name[-1:].casefold() in ("s", "x", "z") else "s")


def open_places(n: int) -> str:
    """«1 ubesatt plass», «3 ubesatte plasser»."""
    return count(n, OPEN_PLACE, OPEN_PLACES)


def rounded(x: float, decimals: int) -> Decimal | float:
    """``x`` rounded as Excel shows it: the number as written (2.675, not its binary 2.67499…), a
    half away from zero, and no minus sign on what rounds to zero. Python's half-to-even printed
    3,25 as «3,2» in the terminal and the HTML beside «3,3» in the workbook's cell of the figure."""
    if not math.isfinite(x):
        return x
    out = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return abs(out) if out == 0 else out


def decimal(x: float | None, decimals: int = 1, signed: bool = False) -> str:
    """«12,50», «+3,0»: a figure with a fixed number of decimals (so a column's figures line up) and
    a decimal comma, or – when there is none; a figure that rounds to zero has no minus sign."""
    if x is None:
        return "–"
    return f"{rounded(x, decimals):{'+' if signed else ''}.{decimals}f}".replace(".", ",")


def number(x: float, decimals: int = 2) -> str:
    """«10 000 000», «12,5», «-3»: a number as Norwegian text writes it (a space between thousands,
    decimal comma, no trailing zeros), so a bound in a message never reads «10000000.0». An integer
    stays exact (through a float, 2⁶³ − 1 read 9 223 372 036 854 775 808)."""
    text = f"{x:,}" if isinstance(x, int) else f"{rounded(x, decimals):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", " ").replace(".", ",")
    return "0" if text == "-0" else text


def weight_label(term: str) -> str:
    """The settings row of a term's weight (workbook template and Regler brukt)."""
    return f"Vekt: {TERM_NAMES[term]}"


def name_key(name: str) -> str:
    """Names (of courses, of doctors) match as a manager reads them: «Vold og  Overgrep» is «vold
    og overgrep», «ANNE  aas» is «Anne Aas»."""
    return " ".join(name.split()).casefold()
