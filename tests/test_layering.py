"""Import direction and cycles, read from the source (every import, also inside functions):
``roster`` (the domain) imports nothing from ``solver`` or ``api``, ``solver`` nothing from ``api``,
and no module, the web service included, hides an import cycle behind a late import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("roster", "solver", "api")


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, root: Path, modules: set[str]) -> set[str]:
    """The project modules a file imports anywhere in it: ``from a.b import c`` is ``a.b.c`` when
    that is a module, else ``a.b``."""
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        found.update(n for n in names if n.split(".")[0] in PACKAGES)
    return found


def _graph(root: Path) -> dict[str, set[str]]:
    files = {_module_name(p, root): p for pkg in PACKAGES for p in (root / pkg).rglob("*.py")}
    return {name: _imports(path, root, set(files)) for name, path in files.items()}


GRAPH = _graph(ROOT)


def _violations(graph: dict[str, set[str]], lower: str, upper: tuple[str, ...]) -> list[str]:
    return sorted(f"{m} → {i}" for m, imported in graph.items() if m.split(".")[0] == lower
                  for i in imported if i.split(".")[0] in upper)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_domain_imports_neither_the_engine_nor_the_faces() -> None:
    assert _violations(GRAPH, "roster", ("solver", "api")) == []


def test_the_engine_does_not_import_the_faces() -> None:
    assert _violations(GRAPH, "solver", ("api",)) == []


def test_no_import_cycles_anywhere() -> None:
    assert _cycles(GRAPH) == []


@pytest.mark.parametrize(("graph", "broken"), [
    ({"roster.a": {"solver.b"}, "solver.b": set()}, ["roster.a → solver.b"]),
    ({"roster.a": {"roster.b"}, "roster.b": set()}, []),
])
def test_a_domain_module_importing_the_engine_is_found(graph: dict[str, set[str]], broken: list[str]) -> None:
    assert _violations(graph, "roster", ("solver", "api")) == broken


def test_a_cycle_through_a_late_import_is_found(tmp_path: Path) -> None:
    """The reader sees an import inside a function as well as one at the top."""
    (tmp_path / "roster").mkdir()
    (tmp_path / "roster" / "a.py").write_text("import roster.b\n", encoding="utf-8")
    (tmp_path / "roster" / "b.py").write_text("def f():\n    from roster import a\n", encoding="utf-8")
    assert _cycles(_graph(tmp_path)) == [["roster.a", "roster.b"]]
    assert _cycles({"roster.a": {"roster.b"}, "roster.b": set()}) == []


def test_the_checker_uses_the_models_and_nothing_else_of_the_domain() -> None:
    """The checker's day types, competence and shift times are its own (roster.check), so a
    mistake in the calendar, the eligibility rules or the targets cannot fool it as well."""
    checker = {m for m in GRAPH if m == "roster.check" or m.startswith("roster.check.")}
    used = {i for m in checker for i in GRAPH[m]} - checker
    assert used == {"roster.models"}
