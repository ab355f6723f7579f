"""Texts refused before they are read (SPEC §11: hostile input gets 422 within a second and
never runs): documents nested deeper than 100 levels, aliases that refer to themselves, and
aliases that multiply the document (a "billion laughs" bomb).

The check composes the YAML node graph with libyaml (where PyYAML has it), in which an alias is
the same node as its anchor, and measures the graph's depth and the size it would expand to
without expanding it: linear in the text. Tags are left to the reader, whose safe loader
constructs no Python object (``!!python/...`` is an error there).
"""

from __future__ import annotations

import yaml

from ..scenario import errors as E

MAX_DEPTH = 100
MAX_ALIASED = 100_000
"""Most values that aliases may add to a document in the web app; the reader's own limit (a
million values) is meant for files on one's own disk, and costs seconds to reach."""

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TOO_MANY_ALIASED = ("not valid as a scenario: aliases (*name) would repeat more than {most:,} values "
                    "(the web app refuses documents that expand like this)")


def _line(text: str) -> str:
    return f"error: scenario:1: {text}"


def refuse(text: str) -> list[str] | None:
    """The ``error:`` lines refusing ``text``, or None when it may be read."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        if "nesting depth" in str(exc):
            return [_line(E.TOO_DEEP)]
        return None  # the reader says where and what
    except RecursionError:
        return [_line(E.TOO_DEEP)]
    if root is None:
        return None
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        kids = _children(node)
        if finished:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = (1 + max((depth[id(k)] for k in kids), default=0)) if _is_collection(node) else 0
            if depth[key] > MAX_DEPTH:
                return [_line(E.TOO_DEEP)]
            continue
        if key in size:
            continue
        on_path.add(key)
        stack.append((node, True))
        for k in kids:
            if id(k) in on_path:
                return [_line(E.SELF_REFERENCE)]
            if id(k) not in size:
                stack.append((k, False))
    distinct = len(size)
    if size[id(root)] - distinct > MAX_ALIASED:
        return [_line(TOO_MANY_ALIASED.format(most=MAX_ALIASED))]
    return None


def _is_collection(node: yaml.Node) -> bool:
    return isinstance(node, yaml.MappingNode | yaml.SequenceNode)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []
