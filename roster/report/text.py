"""Plain-text summary for the terminal: the summary rows side by side, differences marked."""

from __future__ import annotations

from roster.report.build import Row, RosterView, summary_rows, unlike

MARKS = {"bedre": "+", "dårligere": "!", "": " "}


def rows_text(rows: list[Row], labels: list[str]) -> list[str]:
    """The rows as lines, one column per label, each value marked better or worse than the first
    column's (the same verdicts the HTML colours)."""
    width = max(len(r.name) for r in rows)
    cols = [max(12, len(label)) for label in labels]
    lines = ["  ".join([" " * width] + [label.rjust(c) for label, c in zip(labels, cols)])]
    for r in rows:
        cells = [
            (r.fmt(value) + (f" {MARKS[r.verdict(i)]}" if len(labels) > 1 else "")).rjust(c)
            for i, (value, c) in enumerate(zip(r.values, cols))
        ]
        lines.append("  ".join([r.name.ljust(width)] + cells))
    if len(labels) > 1:
        lines.append(f"(+ bedre, ! dårligere enn «{labels[0]}»)")
    return lines


def text_summary(views: list[RosterView]) -> str:
    lines = unlike(views) + rows_text(summary_rows(views), [v.label for v in views])
    for v in views:
        if v.unexpected:
            counts = ", ".join(f"{name} {n}" for _rule, name, n in v.violation_counts())
            lines.append(f"{v.label}: {len(v.unexpected)} regelbrudd ({counts})")
        else:
            lines.append(f"{v.label}: ingen regelbrudd")
    return "\n".join(lines)
