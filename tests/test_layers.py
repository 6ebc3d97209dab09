"""The rule of flow, read from the source: imports point down the layers, never round.

Layers, highest first (a module may import its own layer or any lower one):

    __main__ > cli > app > {render, compute} > io > catalog > contract > model
    > {i18n, errors} > kpi_tritue (the package's `__init__`: the version, nothing else)

`render` and `compute` share a rank but must not import each other: a renderer only
formats numbers that compute put on a model type, and computing must not load a renderer.

What counts as an import: every `import` and `from … import` anywhere in a module, at the
top, inside functions (the CLI's lazy imports are still a dependency) and under
`if TYPE_CHECKING:`. A name imported for an annotation is a name the module depends on:
the type belongs to a layer, and the direction of the arrow is the same whether Python
executes the import or only mypy does. The implicit import of a parent package (importing
`kpi_tritue.i18n.lang` runs `kpi_tritue/i18n/__init__.py` first) is not an edge: only what
the source names is, so `i18n/__init__` gathering its tables, which import `i18n.lang`,
is no cycle.

The other checks: no module over 700 lines; importing every module of `compute/` loads
neither rich nor openpyxl nor typer (measured in a fresh interpreter); only `render/`
imports rich or openpyxl, only `cli/` imports typer.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src"
PACKAGE = SRC / "kpi_tritue"

MAX_LINES = 700

# Rank of each layer: a module may import a module of the same or a lower rank.
RANKS: dict[str, int] = {
    "__main__": 9,
    "cli": 8,
    "app": 7,
    "app_inputs": 7,
    "render": 6,
    "compute": 6,
    "io": 5,
    "catalog": 4,
    "contract": 3,
    "model": 2,
    "i18n": 1,
    "errors": 1,
    "": 0,  # kpi_tritue/__init__.py
}
# Same rank, yet neither may import the other.
APART = {frozenset({"render", "compute"})}

# Third-party packages that belong to one room only.
ONLY_IN: dict[str, set[str]] = {
    "rich": {"render"},
    "openpyxl": {"render"},
    "typer": {"cli"},
}
NOT_IN_COMPUTE = ("rich", "openpyxl", "typer")


@dataclass(frozen=True)
class Import:
    source: str  # dotted name of the importing module
    target: str  # dotted name imported: a module of ours, or a third-party top-level name
    path: Path
    line: int

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str:
    """The layer of a dotted name of ours: its first part under `kpi_tritue`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports(module: str, path: Path, known: set[str]) -> Iterator[Import]:
    """Every import the source of `module` names: ours as modules, others by top-level name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, _ours_or_top(alias.name, known), path, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, path, node)
            if base != "kpi_tritue" and not base.startswith("kpi_tritue."):
                yield Import(module, base.split(".")[0], path, node.lineno)
                continue
            for alias in node.names:
                # `from kpi_tritue.render import gate`: the module `render.gate` if there is one.
                child = f"{base}.{alias.name}"
                target = child if child in known else _ours_or_top(base, known)
                yield Import(module, target, path, node.lineno)


def _ours_or_top(name: str, known: set[str]) -> str:
    if name == "kpi_tritue" or name.startswith("kpi_tritue."):
        while name not in known and "." in name:
            name = name.rsplit(".", 1)[0]
        return name
    return name.split(".")[0]


def all_imports() -> list[Import]:
    found = modules()
    known = set(found)
    return [edge for module, path in found.items() for edge in imports(module, path, known)]


def internal_edges() -> list[Import]:
    known = set(modules())
    return [edge for edge in all_imports() if edge.target in known and edge.target != edge.source]


# --- the checks --------------------------------------------------------------------------


def test_the_scan_sees_the_package() -> None:
    found = modules()
    assert {"kpi_tritue", "kpi_tritue.cli", "kpi_tritue.compute.engine"} <= set(found)
    edges = internal_edges()
    assert len(edges) > 50
    # Lazy imports inside functions and TYPE_CHECKING imports are read too.
    assert any(e.source == "kpi_tritue.cli" and layer(e.target) == "compute" for e in edges)


def test_every_module_sits_in_a_known_layer() -> None:
    strays = [name for name in modules() if layer(name) not in RANKS]
    assert strays == [], f"modules in no layer (add them to RANKS or move them): {strays}"


def test_imports_point_down_only() -> None:
    upward = []
    for edge in internal_edges():
        low, high = layer(edge.target), layer(edge.source)
        if low not in RANKS or high not in RANKS:
            continue  # reported by test_every_module_sits_in_a_known_layer
        if RANKS[low] > RANKS[high] or frozenset({low, high}) in APART:
            upward.append(f"{edge.where}: {edge.source} imports {edge.target}")
    assert upward == [], "imports against the flow:\n" + "\n".join(sorted(set(upward)))


def test_no_import_cycle() -> None:
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    for edge in internal_edges():
        graph[edge.source].add(edge.target)
    cycles = [" -> ".join([*cycle, cycle[0]]) for cycle in _cycles(graph)]
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)


def test_no_module_over_the_line_limit() -> None:
    long = [
        f"{path.relative_to(ROOT)}: {count} lines"
        for path in modules().values()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert long == [], f"modules over {MAX_LINES} lines:\n" + "\n".join(long)


def test_third_party_packages_stay_in_their_room() -> None:
    misplaced = [
        f"{edge.where}: {edge.source} imports {edge.target}"
        for edge in all_imports()
        if edge.target in ONLY_IN and layer(edge.source) not in ONLY_IN[edge.target]
    ]
    assert misplaced == [], "rich/openpyxl outside render/, typer outside cli/:\n" + "\n".join(
        misplaced
    )


def test_importing_the_compute_layer_loads_no_renderer_nor_cli() -> None:
    """In a fresh interpreter, import every module of compute/ in turn; name the first
    that brings in each forbidden package."""
    compute = sorted(name for name in modules() if layer(name) == "compute")
    assert len(compute) > 3
    script = (
        "import importlib, sys\n"
        f"forbidden = {NOT_IN_COMPUTE!r}\n"
        "seen = set()\n"
        f"for name in {compute!r}:\n"
        "    importlib.import_module(name)\n"
        "    for package in forbidden:\n"
        "        if package in sys.modules and package not in seen:\n"
        "            seen.add(package)\n"
        "            print(f'importing {name} loads {package}')\n"
    )
    paths = [str(SRC), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == []


# --- helpers -----------------------------------------------------------------------------


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One shortest cycle through each strongly connected component of more than one module."""
    cycles = []
    for component in _components(graph):
        if len(component) < 2:
            continue
        cycle = _shortest_cycle(graph, min(component), component)
        if len(component) > len(cycle):
            cycle[-1] += f" (-> {cycle[0]}; all of: {', '.join(sorted(component))})"
        cycles.append(cycle)
    return sorted(cycles)


def _components(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components, without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found


def _shortest_cycle(graph: dict[str, set[str]], start: str, within: set[str]) -> list[str]:
    """Breadth-first from `start` back to itself, inside one component."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & within):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return path[::-1]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # a component of 2+ always has one
