"""Plain-text summary for the terminal: the summary rows side by side, differences marked."""

from __future__ import annotations

from roster.report.build import RosterView, summary_rows, unlike

MARKS = {"bedre": "+", "dårligere": "!", "": " "}


def text_summary(views: list[RosterView]) -> str:
    rows = summary_rows(views)
    width = max(len(r.name) for r in rows)
    cols = [max(12, len(v.label)) for v in views]
    lines = unlike(views)
    lines.append("  ".join([" " * width] + [v.label.rjust(c) for v, c in zip(views, cols)]))
    for r in rows:
        cells = [
            (r.fmt(value) + (f" {MARKS[r.verdict(i)]}" if len(views) > 1 else "")).rjust(c)
            for i, (value, c) in enumerate(zip(r.values, cols))
        ]
        lines.append("  ".join([r.name.ljust(width)] + cells))
    if len(views) > 1:
        lines.append(f"(+ bedre, ! dårligere enn «{views[0].label}»)")
    for v in views:
        if v.unexpected:
            counts = ", ".join(f"{name} {n}" for _rule, name, n in v.violation_counts())
            lines.append(f"{v.label}: {len(v.unexpected)} regelbrudd ({counts})")
        else:
            lines.append(f"{v.label}: ingen regelbrudd")
    return "\n".join(lines)
