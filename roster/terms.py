"""The Norwegian words every face uses for the same thing, so the web pages, the command line, the
workbook, the report and the CSV never call one concept by two names.

An *unfilled place* is one doctor missing on a shift (``OpenSlot.missing`` counts them): a shift
for two doctors with one assigned has one unfilled place. It is «ubesatt plass» everywhere; the
single-word mark in a workbook cell or a CSV row is «UBESATT».
"""

from __future__ import annotations

OPEN_PLACE = "ubesatt plass"
OPEN_PLACES = "ubesatte plasser"
OPEN_MARK = "UBESATT"  # in a Vaktplan cell and the CSV's doctor column, once per missing doctor
OLD_OPEN_MARKS = ("LEDIG", "ÅPEN VAKT")  # what earlier versions wrote; still read back


def open_places(n: int) -> str:
    """«1 ubesatt plass», «3 ubesatte plasser»."""
    return f"{n} {OPEN_PLACE if n == 1 else OPEN_PLACES}"
