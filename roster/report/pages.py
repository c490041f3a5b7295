"""The Jinja2 environment of the HTML reports (``html`` for rosters side by side, ``sweep`` for a
sweep's medians): one set of templates, one number format, no matplotlib needed to load it."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from roster.terms import decimal, status_word

pages = Environment(
    loader=PackageLoader("roster.report", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


pages.filters["num"] = lambda value, decimals=2: decimal(value, decimals)
pages.filters["status"] = status_word
