"""Time, intervals and Norwegian wording of the checker.

All arithmetic is on UTC instants, so durations are real hours across daylight-saving changes;
times are shown in Oslo wall-clock time.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
UTC = dt.timezone.utc
DAY = dt.timedelta(days=1)
EPS = 1e-9

Interval = tuple[dt.datetime, dt.datetime]


def instant(day: dt.date, time: dt.time) -> dt.datetime:
    """Oslo wall-clock time on a day as a UTC instant (a time skipped in March lands an hour later)."""
    return dt.datetime.combine(day, time, tzinfo=OSLO).astimezone(UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Naive datetimes in scenario files and rosters are Oslo wall-clock times."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=OSLO)
    return moment.astimezone(UTC)


def hours_between(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 3600


def num(x: float) -> str:
    """Norwegian number: decimal comma, at most two decimals."""
    return f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def hm(moment: dt.datetime) -> str:
    return moment.astimezone(OSLO).strftime("%H:%M")


def dmy(moment: dt.datetime | dt.date) -> str:
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(OSLO)
    return moment.strftime("%d.%m.%Y")


def span(start: dt.datetime, end: dt.datetime) -> str:
    """``03.12.2026 14:00–16:00``, or with both dates when the interval crosses midnight."""
    if end.astimezone(OSLO).date() == start.astimezone(OSLO).date():
        return f"{dmy(start)} {hm(start)}–{hm(end)}"
    return f"{dmy(start)} {hm(start)}–{dmy(end)} {hm(end)}"


def union(intervals: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def subtract(base: list[Interval], cut: list[Interval]) -> list[Interval]:
    """Parts of ``base`` not inside ``cut`` (both merged and sorted)."""
    out: list[Interval] = []
    j = 0
    for s, e in base:
        while j < len(cut) and cut[j][1] <= s:
            j += 1
        k, cur = j, s
        while k < len(cut) and cut[k][0] < e:
            if cut[k][0] > cur:
                out.append((cur, cut[k][0]))
            cur = max(cur, cut[k][1])
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        s, e = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if s < e:
            out.append((s, e))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def leger(n: int) -> str:
    return "lege" if n == 1 else "leger"


def vakter(n: int) -> str:
    return "vakt" if n == 1 else "vakter"


def helger(n: int) -> str:
    return "helg" if n == 1 else "helger"
