"""Jinja2 filters for Norwegian display (Oslo times, decimal commas, percentages, counts with their
noun) and for free text in addresses; a form's one-time token."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from urllib.parse import quote

from jinja2 import Environment

from api.orm import as_utc

from roster.calendar import OSLO, WEEKDAY_NAMES, month_year
from roster.terms import count, open_places, rounded


def oslo(value: dt.datetime | None, fmt: str = "%d.%m.%Y %H:%M") -> str:
    if value is None:
        return "–"
    return as_utc(value).astimezone(OSLO).strftime(fmt)


def num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{rounded(value, digits):,.{digits}f}".replace(",", " ").replace(".", ",")


def pct(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else num(100 * value, digits) + " %"


def weekday(value: dt.date) -> str:
    return WEEKDAY_NAMES[value.weekday()]


def urlpart(value: object) -> str:
    """Free text (a station's or doctor's id) as one part of an address: every reserved character
    encoded, ``/`` included (Jinja's urlencode leaves it)."""
    return quote(str(value), safe="")


def install_filters(env: Environment) -> None:
    env.filters.update(oslo=oslo, num=num, pct=pct, weekday=weekday, month_year=month_year, counted=count,
                       open_places=open_places, urlpart=urlpart)
    env.globals["form_token"] = form_token


FORM_TOKEN = re.compile(r"[0-9a-f]{32}")  # what form_token writes: anything else is no token


def form_token() -> str:
    """A token new each time a form is shown, so the service can tell a second press of its button
    (the same token) from a new request (``api.jobs.form_submission``)."""
    return uuid.uuid4().hex
