"""The real timeline of a model, cut at every shift start and end into elementary segments: inside
a segment the set of running shifts is constant, so "at every minute" becomes "in every segment".
"""

from __future__ import annotations

import bisect
import datetime as dt

from ortools.sat.python import cp_model

from roster.calendar import ShiftInstance


def build_segments(shifts: list[ShiftInstance]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Elementary intervals between consecutive shift boundaries (UTC)."""
    cuts = sorted({s.start_utc for s in shifts} | {s.end_utc for s in shifts})
    return list(zip(cuts, cuts[1:], strict=False))


class Cover:
    """Per segment: whether a station is open, the on-call shifts running, and lazily a boolean
    "a named bakvakt is here".

    A station is open while an on-site shift with demand_min > 0 runs (``open``) or while a doctor
    works an optional on-site shift, demand_min 0 (``optional``: open only when staffed). The pilot
    counts only the ``specialists`` on call (``specialists_on_call``); supervision any qualified
    bakvakt (``flag``)."""

    def __init__(self, model: cp_model.CpModel, shifts: list[ShiftInstance],
                 by_shift: dict[str, list[tuple[str, cp_model.IntVar]]], specialists: frozenset[str]):
        self.model = model
        self.by_shift = by_shift
        self.specialists = specialists
        self.segments = build_segments(shifts)
        self.starts = [a for a, _ in self.segments]
        n = len(self.segments)
        self.on_call: list[list[ShiftInstance]] = [[] for _ in range(n)]
        self.open: list[bool] = [False] * n
        self.optional: list[list[ShiftInstance]] = [[] for _ in range(n)]
        for s in shifts:
            for i in self.range(s):
                if not s.on_site:
                    self.on_call[i].append(s)
                elif s.demand_min > 0:
                    self.open[i] = True
                else:
                    self.optional[i].append(s)
        self._flags: dict[tuple[int, bool], cp_model.IntVar | int] = {}

    def range(self, shift: ShiftInstance) -> range:
        """Indices of the segments a shift covers (it is exactly their union)."""
        lo = bisect.bisect_left(self.starts, shift.start_utc)
        return range(lo, bisect.bisect_left(self.starts, shift.end_utc, lo))

    def on_call_vars(self, seg: int, specialist: bool) -> list[cp_model.IntVar]:
        """Assignments to the on-call shifts of a segment, of specialists or of the other doctors."""
        return [v for s in self.on_call[seg] for d, v in self.by_shift[s.key] if (d in self.specialists) == specialist]

    def optional_vars(self, seg: int) -> list[cp_model.IntVar]:
        """Assignments to the optional on-site shifts of a segment: each one opens the station."""
        return [v for s in self.optional[seg] for _, v in self.by_shift[s.key]]

    def flag(self, seg: int, attend: bool) -> cp_model.IntVar | int:
        """1 only if some doctor is on an on-call shift in the segment (that can come in, if asked)."""
        key = (seg, attend)
        if key not in self._flags:
            shifts = [s for s in self.on_call[seg] if s.on_call_can_attend or not attend]
            vs = [v for s in shifts for _, v in self.by_shift[s.key]]
            if not vs:
                self._flags[key] = 0
            else:
                f = self.model.new_bool_var(f"bakvakt[{seg},{int(attend)}]")
                self.model.add(sum(vs) >= f)
                self._flags[key] = f
        return self._flags[key]
