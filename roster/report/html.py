"""The self-contained HTML report (Jinja2; charts inline as SVG, no scripts, no network)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from roster.calendar import OSLO
from roster.metrics import coarse_note
from roster.report import charts
from roster.report.build import (
    GROUP_STATS,
    RosterView,
    group_differs,
    group_rows,
    most_loaded,
    moved_targets,
    summary_rows,
    unlike,
)
from roster.report.pages import pages

MAX_LISTED_VIOLATIONS = 200  # per roster; the counts per rule above the list are always complete


def render_html(views: list[RosterView], title: str = "Sammenligning av vaktplaner") -> str:
    template = pages.get_template("report.html.j2")
    return template.render(
        title=title,
        created=dt.datetime.now(OSLO).strftime("%d.%m.%Y %H:%M"),
        views=views,
        unlike=unlike(views),
        group_stats=GROUP_STATS,
        group_differs=group_differs,
        most_loaded=most_loaded,
        moved_targets=moved_targets,
        coarse_note=coarse_note,
        rows=summary_rows(views),
        groups=group_rows(views),
        max_listed=MAX_LISTED_VIOLATIONS,
        colours=[charts.colour(i) for i in range(len(views))],
        burden_svg=charts.burden_chart(views),
        nights_svg=charts.nights_chart(views),
        weekends_svg=charts.weekends_chart(views),
        frequency_svg=charts.frequency_chart(views),
    )


def write_html(views: list[RosterView], path: str | Path, title: str = "Sammenligning av vaktplaner") -> Path:
    p = Path(path)
    p.write_text(render_html(views, title), encoding="utf-8")
    return p
