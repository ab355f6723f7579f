"""The scenario package imports one way (docs/internals.md): its modules form no cycle, even
through imports inside functions, and it imports nothing of the stages after it."""

from __future__ import annotations

import ast
from pathlib import Path

import stakeflow.scenario

PACKAGE = Path(stakeflow.scenario.__file__).parent


def _runtime_imports(tree: ast.AST) -> list[ast.ImportFrom | ast.Import]:
    """Every import that runs (at module level or in a function), not those for type checkers."""
    out: list[ast.ImportFrom | ast.Import] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return out


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        name = path.stem
        edges[name] = set()
        for imp in _runtime_imports(ast.parse(path.read_text())):
            if isinstance(imp, ast.ImportFrom) and imp.level == 1:
                if imp.module:
                    edges[name].add(imp.module.split(".")[0])
                else:
                    edges[name].update(a.name for a in imp.names)
            elif isinstance(imp, ast.ImportFrom) and imp.level > 1:
                edges[name].add("..")
            elif isinstance(imp, ast.ImportFrom) and (imp.module or "").startswith("stakeflow"):
                edges[name].add("..")
    return edges


def test_the_scenario_package_imports_nothing_of_the_later_stages() -> None:
    assert [m for m, deps in graph().items() if ".." in deps] == []


def test_the_scenario_modules_import_one_another_without_a_cycle() -> None:
    edges = {m: {d for d in deps if d != ".."} for m, deps in graph().items() if m != "__init__"}
    assert edges["models"] >= {"_base", "contracts", "projection", "validate", "validate_extensions"}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        for d in sorted(edges.get(m, ())):
            if state.get(d) == 1 and not cycle:
                cycle.extend([*stack[stack.index(d):], d] if d in stack else [m, d])
            elif d not in state:
                visit(d, [*stack, d])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [m])
    assert cycle == []


def test_the_base_types_are_a_leaf() -> None:
    assert graph()["_base"] <= {"errors", "numbers"}
    assert graph()["_located"] <= {"errors", "_yaml"}
