"""Charts for the report as inline SVG (matplotlib, Agg; no pyplot state, no network).

Every chart draws all rosters with the same axes and colours, so a reader compares shapes, not
scales.
"""

from __future__ import annotations

import functools
import io
from collections import Counter
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from roster.metrics import OVER_TARGET_MARGIN  # noqa: E402
from roster.report.build import RosterView  # noqa: E402
from roster.terms import number  # noqa: E402

COLOURS = ("#c0392b", "#1f6fb2", "#2e8b57", "#8e44ad", "#d68910", "#566573")
# Text stays text in the SVG (small, searchable); a fixed salt keeps ids stable between runs.
STYLE = {"svg.fonttype": "none", "svg.hashsalt": "legevakt", "font.size": 9}


def _styled(draw: Callable[..., str]) -> Callable[..., str]:
    """Apply STYLE to one chart only, leaving matplotlib's global settings to other users."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs) -> str:
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)

    return wrapper


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and doctype: the SVG sits inside HTML


NORWEGIAN = FuncFormatter(lambda value, _position: number(value, 2))  # «1,25» as in the tables, not «1.25»


def colour(i: int) -> str:
    return COLOURS[i % len(COLOURS)]


@_styled
def burden_chart(views: list[RosterView]) -> str:
    """Per doctor, burden against target, sorted: one panel per roster, fair share at 1.0."""
    fig = Figure(figsize=(4.2 * len(views), 3.2))
    axes = fig.subplots(1, len(views), sharey=True, squeeze=False)[0]
    for i, (ax, v) in enumerate(zip(axes, views)):
        values = sorted(m.normalised_burden for m in v.metrics if m.normalised_burden is not None)
        if values:  # one filled step outline instead of hundreds of bars: crisp at any zoom, small SVG
            ax.fill_between(range(len(values) + 1), values + values[-1:], step="post", color=colour(i), linewidth=0)
        ax.axhline(1.0, color="black", linewidth=1)
        ax.axhline(1 + OVER_TARGET_MARGIN, color="black", linewidth=0.8, linestyle="--")
        ax.set_title(v.label)
        ax.set_xlabel("leger, sortert etter belastning")
        ax.set_xlim(0, max(len(values), 1))
    axes[0].set_ylabel("belastning / mål")
    axes[0].yaxis.set_major_formatter(NORWEGIAN)
    return _svg(fig)


@_styled
def _count_bars(views: list[RosterView], values_of, xlabel: str, title: str) -> str:
    """Grouped bars: how many doctors have 0, 1, 2 … of something, per roster."""
    fig = Figure(figsize=(6.4, 3.0))
    ax = fig.subplots()
    counts = [Counter(values_of(v)) for v in views]
    top = max((k for c in counts for k in c), default=0)
    width = 0.8 / len(views)
    for i, (v, c) in enumerate(zip(views, counts)):
        xs = [k + (i - (len(views) - 1) / 2) * width for k in range(top + 1)]
        ax.bar(xs, [c.get(k, 0) for k in range(top + 1)], width=width, color=colour(i), label=v.label)
    ax.set_xticks(range(top + 1))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # doctors come whole: no «1.75 leger»
    ax.set_xlabel(xlabel)
    ax.set_ylabel("antall leger")
    ax.set_title(title)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1, 1))  # beside the bars, never over them
    return _svg(fig)


def nights_chart(views: list[RosterView]) -> str:
    return _count_bars(views, lambda v: [m.nights for m in v.metrics], "nattevakter per lege", "Nattevakter")


def weekends_chart(views: list[RosterView]) -> str:
    return _count_bars(views, lambda v: [m.weekends for m in v.metrics], "helgevakter per lege", "Helgevakter")


@_styled
def frequency_chart(views: list[RosterView]) -> str:
    """Days between a doctor's consecutive shifts, all doctors pooled, with the spacing target."""
    fig = Figure(figsize=(6.4, 3.0))
    ax = fig.subplots()
    gaps = [v.gaps() for v in views]
    top = min(max((g for gs in gaps for g in gs), default=0), 31)
    width = 0.8 / len(views)
    for i, (v, gs) in enumerate(zip(views, gaps)):
        c = Counter(min(g, top) for g in gs)
        xs = [k + (i - (len(views) - 1) / 2) * width for k in range(top + 1)]
        ax.bar(xs, [c.get(k, 0) for k in range(top + 1)], width=width, color=colour(i), label=v.label)
    # named in the legend, not written beside the line, where the legend could cover it; rule sets
    # that differ in the target (roster compare) get a line each, in their own colour
    targets = [v.scenario.rules.spacing_target_days for v in views]
    distinct = len(set(targets)) > 1
    for i, (v, target) in enumerate(zip(views, targets)):
        if distinct or i == 0:
            ax.axvline(target - 0.5, color=colour(i) if distinct else "black", linestyle="--", linewidth=0.8,
                       label=f"mål for {v.label}: minst {target} dager" if distinct else f"mål: minst {target} dager")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("dager mellom to vakter for samme lege")
    ax.set_ylabel("antall vaktpar")
    ax.set_title("Vakthyppighet")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    return _svg(fig)
