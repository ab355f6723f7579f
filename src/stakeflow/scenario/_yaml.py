"""YAML (and JSON) reading that keeps numbers exact and remembers where each value stood.

PyYAML would turn ``0.1`` into the nearest double; we build the tree from the composed nodes
instead, turning floats into :class:`~decimal.Decimal` spelled as written, and record the line
of every key and item so that errors can name it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from .errors import Problem, path_str

Loc = tuple[str | int, ...]


class _Constructor(yaml.SafeLoader):
    pass


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | str:
    text = str(node.value).replace("_", "")
    try:
        d = Decimal(text)
    except Exception:
        return str(node.value)  # .inf / .nan: left as text, rejected where a number is wanted
    return d if d.is_finite() else str(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:float", _construct_float)


def read_tree(text: str) -> tuple[Any, dict[Loc, int], list[Problem]]:
    """Parse ``text``; return (tree, {field path: 1-based line}, problems)."""
    lines: dict[Loc, int] = {}
    problems: list[Problem] = []
    try:
        loader = _Constructor(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        detail = f"not valid YAML or JSON: {exc.problem or exc}"
        return None, lines, [Problem("", detail, line)]
    except yaml.YAMLError as exc:
        return None, lines, [Problem("", f"not valid YAML or JSON: {exc}")]
    if node is None:
        return None, lines, []

    def walk(n: yaml.Node, loc: Loc) -> Any:
        lines.setdefault(loc, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for k, v in n.value:
                key = loader.construct_object(k, deep=True)  # type: ignore[no-untyped-call]
                if not isinstance(key, str | int):
                    key = str(key)
                if key in out:
                    problems.append(
                        Problem(path_str((*loc, key)), f"duplicate key {key!r}", k.start_mark.line + 1)
                    )
                lines[(*loc, key)] = k.start_mark.line + 1
                out[key] = walk(v, (*loc, key))
            return out
        if isinstance(n, yaml.SequenceNode):
            return [walk(item, (*loc, i)) for i, item in enumerate(n.value)]
        return loader.construct_object(n, deep=True)  # type: ignore[no-untyped-call]

    loader = _Constructor("")
    tree = walk(node, ())
    return tree, lines, problems


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of ``loc`` or of its nearest ancestor that has one."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())
