"""The packages of app/ import each other without cycles, and app.core imports no domain.

Every `import app.x…` and `from app.x… import …` counts, at module level or inside a function.
The application factory (app/__init__.py) wires every package and is left out of the graph;
app/extensions.py is a leaf that must import nothing from app/.
"""

import ast
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent.parent / "app"


def _imported_packages(path: Path) -> set[str]:
    """Top-level names under app/ (`app.<name>`) that the module at `path` imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"app.{alias.name}" for alias in node.names] if node.module == "app" else [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "app" and len(parts) > 1:
                found.add(parts[1])
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in APP_DIR.rglob("*.py"):
        relative = path.relative_to(APP_DIR)
        if relative == Path("__init__.py"):
            continue
        source = relative.parts[0].removesuffix(".py")
        targets = _imported_packages(path) - {source}
        graph.setdefault(source, set()).update(targets)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of packages that import each other, directly or not (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def _path(graph: dict[str, set[str]], start: str, members: set[str]) -> list[str]:
    """A cycle through `start` inside one strongly connected group, for the failure message."""
    paths = [[start]]
    seen = {start}
    while paths:
        path = paths.pop(0)
        for target in sorted(graph.get(path[-1], ())):
            if target == start:
                return [*path, start]
            if target in members and target not in seen:
                seen.add(target)
                paths.append([*path, target])
    return [start]


def test_the_graph_sees_every_package():
    graph = _graph()
    assert {"accounts", "core", "needs", "admin", "extensions"} <= set(graph)
    assert "core" in graph["accounts"]


def test_no_import_cycle_between_packages():
    graph = _graph()
    cycles = _cycles(graph)
    two_way = sorted(f"{a} <-> {b}" for a in graph for b in graph[a] if a < b and a in graph.get(b, set()))
    assert not cycles, (
        "import cycles: "
        + "; ".join(" -> ".join(_path(graph, group[0], set(group))) for group in cycles)
        + f" (packages in cycles: {cycles}; two-way imports: {two_way})"
    )


def test_core_and_extensions_import_no_domain():
    graph = _graph()
    assert graph["core"] <= {"extensions"}, f"app.core imports {sorted(graph['core'] - {'extensions'})}"
    assert not graph["extensions"], f"app.extensions imports {sorted(graph['extensions'])}"
