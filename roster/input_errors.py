"""Bad input as Norwegian messages: the error every reader raises (scenario and roster files,
workbooks, change files, rule sets) and the translation of pydantic's English errors.

Managers get a line per problem with the JSON path (``doctors[3].role``) or the cell, and what was
expected instead.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from roster.terms import number


class InputError(Exception):
    """Bad input: a list of Norwegian messages, each naming where (path or cell) and what is wrong."""

    def __init__(self, problems: list[str], source: str = ""):
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + f"{len(problems)} feil i inndata:\n" + "\n".join(f"  - {p}" for p in problems))


_TYPE_MESSAGES = {
    "missing": "mangler",
    "extra_forbidden": "ukjent felt (skrivefeil?)",
    "bool_parsing": "ventet ja/nei (true/false)",
    "bool_type": "ventet ja/nei (true/false)",
    "int_parsing": "ventet et heltall",
    "int_type": "ventet et heltall",
    "int_from_float": "ventet et heltall",
    "float_parsing": "ventet et tall",
    "float_type": "ventet et tall",
    "date_parsing": "ventet en dato (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "ventet en dato (ÅÅÅÅ-MM-DD)",
    "date_type": "ventet en dato (ÅÅÅÅ-MM-DD)",
    "datetime_parsing": "ventet et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)",
    "datetime_from_date_parsing": "ventet et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)",
    "time_parsing": "ventet et klokkeslett (tt:mm)",
    "time_type": "ventet et klokkeslett (tt:mm)",
    "string_type": "ventet tekst",
    "string_too_short": "kan ikke være tom",
    "string_too_long": "er for lang",
    "list_type": "ventet en liste",
    "dict_type": "ventet et objekt (nøkkel: verdi)",
    "model_type": "ventet et objekt (nøkkel: verdi)",
    "too_short": "for få elementer (minst ett)",
    "too_long": "for mange elementer",
    "finite_number": "ventet et endelig tall (ikke NaN eller uendelig)",
    "int_parsing_size": "tallet er for stort",
    "date_from_datetime_inexact": "ventet en dato uten klokkeslett",
    "datetime_type": "ventet et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)",
    "datetime_object_invalid": "ugyldig tidspunkt",
    "time_delta_parsing": "ventet en varighet",
    "tuple_type": "ventet en liste",
    "mapping_type": "ventet et objekt (nøkkel: verdi)",
    "is_instance_of": "ugyldig type",
    "literal_error": "ugyldig verdi",
    "union_tag_invalid": "ugyldig verdi",
    "string_pattern_mismatch": "ugyldig tekst",
    "multiple_of": "ugyldig tall",
    "recursion_loop": "verdien refererer til seg selv",
    "json_invalid": "ugyldig JSON",
    "model_attributes_type": "ventet et objekt (nøkkel: verdi)",
    "missing_argument": "mangler",
    "bytes_type": "ventet en fil",
    "value_error_file": "ventet en fil",
}
GENERIC_MESSAGE = "ugyldig verdi"
DATE_OR_MOMENT_PARTS = {"ventet en dato (ÅÅÅÅ-MM-DD)", "ventet et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)"}
DATE_OR_MOMENT = "ventet en dato (ÅÅÅÅ-MM-DD) eller et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)"
SHOWN_CHARS = 60  # of a bad value quoted back in a message


def json_path(loc: tuple[Any, ...]) -> str:
    """``doctors[0].courses["akutt, medisin"]`` for a mapping's key that fails (pydantic puts
    ``[key]`` after the key), so a key is told from a field."""
    out = ""
    for part, after in zip(loc, (*loc[1:], None)):
        if part == "[key]":
            continue
        if after == "[key]":
            out += f'["{part}"]'
        elif isinstance(part, int):
            out += f"[{part}]"
        elif str(part).startswith(("function-after", "function-before", "union[")):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out or "(rot)"


def shown(value: Any) -> str:
    """A bad value as quoted back to the user: short, on one line."""
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + f"… ({len(text)} tegn)"


_BOUND_WORDS = {
    "greater_than_equal": "må være minst",
    "greater_than": "må være større enn",
    "less_than_equal": "kan være høyst",
    "less_than": "må være mindre enn",
}


def _bound(value: Any) -> str:
    return number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _message(err: dict[str, Any]) -> str:
    """Norwegian for one pydantic error; an error type without a translation gets a generic
    Norwegian text, never pydantic's English."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    got = shown(err.get("input"))
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", GENERIC_MESSAGE))
    if kind == "enum":
        return f"ugyldig verdi «{got}»; gyldige verdier: " + str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
    if kind in _BOUND_WORDS:
        bound = next(ctx[key] for key in ("ge", "gt", "le", "lt") if key in ctx)
        return f"{_BOUND_WORDS[kind]} {_bound(bound)} (fikk {got})"
    if kind == "string_too_long":
        return f"er for lang (høyst {ctx.get('max_length')} tegn, fikk {len(str(err.get('input', '')))})"
    base = _TYPE_MESSAGES.get(kind, GENERIC_MESSAGE)
    if kind not in ("missing", "extra_forbidden") and "input" in err and not isinstance(err["input"], (dict, list)):
        return f"{base} (fikk «{got}»)"
    return base


# A JSON path as cross-reference problems begin ("doctors[2].stations", "rules.specialist_bakvakt",
# "carry_in_from"): a word with an index, a dot or an underscore, which Norwegian text never has.
_PATH = re.compile(r"[a-z_]+(\[\d+\])*(\.[a-z_]+(\[\d+\])*)*")


def _is_path(text: str) -> bool:
    return bool(_PATH.fullmatch(text)) and any(c in text for c in "[._")


def validation_problems(exc: ValidationError) -> list[str]:
    """Norwegian one-liners for a pydantic ValidationError, path first, duplicates merged."""
    out: list[str] = []
    for err in exc.errors():
        loc = json_path(err["loc"])
        msg = _message(err)
        if err["type"] == "value_error" and ": " in msg and _is_path(msg.split(": ", 1)[0]):
            # cross-reference problems already carry their own paths, joined by "; "
            for part in msg.split("; "):
                out.append(part if loc == "(rot)" else f"{loc}.{part}")
        else:
            out.append(f"{loc}: {msg}")
    # A union (date | datetime) reports the same place twice: say both in one line.
    unique: dict[str, str] = {}
    for p in out:
        key = p.split(": ", 1)[0]
        if key in unique and ("dato" in p or "tidspunkt" in p):
            if all(part in unique[key] + p for part in DATE_OR_MOMENT_PARTS):
                got = p.rsplit(" (fikk ", 1)[1] if " (fikk " in p else ""
                unique[key] = f"{key}: {DATE_OR_MOMENT}" + (f" (fikk {got}" if got else "")
            continue
        unique.setdefault(key, p)
    return list(unique.values())
