"""The objective's terms: the Norwegian name of each ``ObjectiveWeights`` field, in its order.

The one table the solver's figures (``SolveStats.terms``), the summary, the workbook's Sammendrag
and the settings list ("Vekt: …") all name the terms from.
"""

from __future__ import annotations

TERM_NAMES: dict[str, str] = {
    "open_slot": "åpne vakter",
    "uncovered_bakvakt_hour": "timer uten bakvakt",
    "change": "endringer fra publisert plan",
    "max_relative_deviation": "største overskridelse av andel (prosent)",
    "sum_deviation": "sum avvik fra andel (poeng)",
    "category_balance": "skjevhet netter/helger/helligdager",
    "spacing": "vakter tett i tett",
    "wish": "ønsker ikke innfridd",
    "preferred_station": "vakter utenfor foretrukket stasjon",
    "surplus": "leger utover behovet",
}


def weight_label(term: str) -> str:
    """The settings row of a term's weight (workbook template and Regler brukt)."""
    return f"Vekt: {TERM_NAMES[term]}"
