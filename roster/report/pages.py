"""The Jinja2 environment of the HTML reports (``html`` for rosters side by side, ``sweep`` for a
sweep's medians): one set of templates, one number format, no matplotlib needed to load it."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

pages = Environment(
    loader=PackageLoader("roster.report", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def num(value: float | None, decimals: int = 2) -> str:
    """A number as a Norwegian reader writes it (decimal comma), or – when there is none."""
    return "–" if value is None else f"{value:.{decimals}f}".replace(".", ",")


pages.filters["num"] = num
