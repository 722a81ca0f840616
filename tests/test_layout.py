"""The package layout reads as the data flow, and its arrows run one way.

Stages are the subpackages of ``crawler`` (``frontier``, ``fetch``, ``warc``, ``text``,
``adapters``, ``extract``, ``store``, ``replay``, ``browse``, ``demo``, ``spiders``...) and the
few modules at its root. Every import between them counts, function-level imports too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "crawler"
MAX_LINES = 470  # "about 450"
# The demo site's page builders: long HTML templates of the five fixture pages.
LONG_MODULES = {"demo/site/pages.py"}
MAX_ROOT_MODULES = 10


def stage_of(module: str) -> str | None:
    """``crawler.store.db`` -> ``store``; ``crawler`` itself (its version) -> None."""
    parts = module.split(".")
    if parts[0] != "crawler" or len(parts) < 2:
        return None
    stage = parts[1]
    if not (PACKAGE / stage).is_dir() and not (PACKAGE / f"{stage}.py").is_file():
        return None  # a name of crawler/__init__.py (__version__)
    return stage


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def stage_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        source = stage_of(module_name(path))
        if source is None:
            continue
        targets = {stage_of(name) for name in imports_of(path)}
        graph.setdefault(source, set()).update(t for t in targets if t and t != source)
    return graph


def test_no_two_stages_import_each_other():
    graph = stage_graph()
    mutual = sorted({tuple(sorted((a, b))) for a, targets in graph.items() for b in targets
                     if a in graph.get(b, set())})
    assert not mutual, f"stages importing each other: {mutual}"


def test_stage_imports_have_no_cycle():
    graph = stage_graph()
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> None:
        if node in done:
            return
        if node in visiting:
            cycle = visiting[visiting.index(node):] + [node]
            pytest.fail("import cycle between stages: " + " -> ".join(cycle))
        visiting.append(node)
        for target in sorted(graph.get(node, ())):
            visit(target)
        visiting.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)


def test_text_and_adapters_sit_below_the_dispatch():
    graph = stage_graph()
    assert "extract" not in graph.get("adapters", set())
    assert not graph.get("text", set()) - {"faults"}, graph.get("text")
    assert {"adapters", "text"} <= graph["extract"]


def test_root_holds_few_modules():
    root = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(root) <= MAX_ROOT_MODULES, root


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path):
    relative = path.relative_to(PACKAGE).as_posix()
    if relative in LONG_MODULES:
        return
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{relative} has {lines} lines: two ideas?"
