"""Imports run one way (DESIGN section 6): no module of ``tracer`` imports, however indirectly,
one that imports it back. The graph is read from the source with :mod:`ast`, so an import inside a
function or under ``TYPE_CHECKING`` counts as much as one at the top: each is a dependency a reader
must follow."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import tracer

ROOT = Path(tracer.__file__).parent


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = ROOT) -> nx.DiGraph:
    """Module -> each tracer module it imports (``from pkg import mod`` names the module ``mod``
    when there is one, else ``pkg``). A package is not counted as imported by its submodules:
    Python runs ``pkg/__init__.py`` first, but that is loading, not a dependency."""
    modules = {_module_name(p, root): p for p in root.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    child = f"{target}.{alias.name}"
                    found = child if child in modules else target if target in modules else None
                    if found and found != name:
                        graph.add_edge(name, found)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules and alias.name != name:
                        graph.add_edge(name, alias.name)
    return graph


def test_the_import_graph_sees_every_module_and_real_edges():
    graph = import_graph()
    assert {"tracer.tracing", "tracer.model.format", "tracer.cli.app"} <= set(graph)
    assert graph.has_edge("tracer.tracing", "tracer.graph")
    assert graph.has_edge("tracer.model.loading", "tracer.model.format")


def test_no_module_imports_one_that_imports_it_back():
    cycles = [sorted(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    assert cycles == []


def test_a_cycle_is_found_when_there_is_one(tmp_path):
    package = tmp_path / "tracer"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import x\n")
    (package / "b.py").write_text("def f():\n    from tracer import a\n")
    graph = import_graph(package)
    assert sorted(next(c for c in nx.strongly_connected_components(graph) if len(c) > 1)) == [
        "tracer.a",
        "tracer.b",
    ]
