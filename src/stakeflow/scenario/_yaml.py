"""YAML (and JSON) reading that keeps numbers exact and remembers where each value stood.

PyYAML would turn ``0.1`` into the nearest double; we build the tree from the composed nodes
instead, turning floats into :class:`~decimal.Decimal` spelled as written, and record the line
of every key and item so that errors can name it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import yaml

from . import errors as E
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


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    # YAML 1.1 reads 010 as octal 8, 0x10 as 16 and 1:30 as 90; the format reads numbers in
    # decimal as written (SPEC §1), so a leading zero is just a zero and the rest stay text.
    text = str(node.value).replace("_", "")
    if text.lstrip("+-").isdigit():
        return int(text, 10)
    return str(node.value)


if getattr(yaml, "__with_libyaml__", False):

    class _CComposer(yaml.CSafeLoader):  # type: ignore[misc,name-defined]
        """libyaml's parser and composer with PyYAML's resolver: the same tags on the same nodes."""

_Constructor.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Constructor.add_constructor("tag:yaml.org,2002:int", _construct_int)


LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))
"""Whether documents are composed by libyaml (C, about ten times faster on large files) rather
than by PyYAML's own Python parser; both give the same nodes, and the same errors (below)."""

_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree. libyaml composes it when it can; a document it rejects, or one
    with a character PyYAML does not accept, is composed again by PyYAML, whose error (with its
    wording and line) is the one reported: the C parser only ever makes reading faster."""
    # libyaml skips a byte order mark anywhere; PyYAML only at the start (elsewhere it is text).
    if LIBYAML and not _NON_PRINTABLE.search(text) and "\ufeff" not in text[1:]:
        try:
            c_loader = _CComposer(text)
            try:
                return c_loader.get_single_node()  # type: ignore[no-any-return]
            finally:
                c_loader.dispose()
        except (yaml.YAMLError, RecursionError):
            pass  # the Python parser below gives the error, as it would without libyaml
    loader = _Constructor(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


def read_tree(text: str) -> tuple[Any, dict[Loc, int], list[Problem]]:
    """Parse ``text``; return (tree, {field path: 1-based line}, problems)."""
    lines: dict[Loc, int] = {}
    problems: list[Problem] = []
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        return None, lines, [_parse_problem(exc)]
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (a NUL, a control character): its line, on one line.
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character
        code = f"#x{char if isinstance(char, int) else ord(char):04x}"
        return None, lines, [Problem("", E.BAD_CHARACTER.format(code=code), line)]
    except yaml.YAMLError as exc:
        return None, lines, [Problem("", f"not valid YAML or JSON: {exc}")]
    except RecursionError:
        return None, lines, [Problem("", E.TOO_DEEP)]
    if node is None:
        return None, lines, []

    budget = [MAX_VALUES]
    on_path: set[int] = set()

    def walk(n: yaml.Node, loc: Loc) -> Any:
        lines.setdefault(loc, n.start_mark.line + 1)
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooLarge(n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode | yaml.SequenceNode):
            # An alias may point back at one of its own ancestors: that value never ends.
            if id(n) in on_path:
                raise _SelfReference(n.start_mark.line + 1)
            on_path.add(id(n))
            try:
                return _walk_collection(n, loc)
            finally:
                on_path.discard(id(n))
        return _text(_scalar(n), loc, n)

    def _text(value: Any, loc: Loc, n: yaml.Node) -> Any:
        # An escape such as "\ud800" makes half a surrogate pair: not a character, and no
        # terminal, JSON, YAML or Excel writer can show it. Reported, then kept escaped.
        if isinstance(value, str) and _SURROGATE.search(value):
            code = _SURROGATE.search(value).group().encode("utf-8", "backslashreplace").decode()  # type: ignore[union-attr]
            problems.append(Problem(path_str(loc), E.SURROGATE.format(code=code), n.start_mark.line + 1))
            return value.encode("utf-8", "backslashreplace").decode()
        return value

    def _walk_collection(n: yaml.MappingNode | yaml.SequenceNode, loc: Loc) -> Any:
        if isinstance(n, yaml.SequenceNode):
            return [walk(item, (*loc, i)) for i, item in enumerate(n.value)]
        own = sum(1 for k, _ in n.value if k.tag != "tag:yaml.org,2002:merge")
        loader.flatten_mapping(n)  # type: ignore[no-untyped-call]  # YAML merge keys (<<: *base)
        merged = len(n.value) - own  # the first `merged` pairs come from merge keys
        out: dict[Any, Any] = {}
        inherited: set[Any] = set()
        for i, (k, v) in enumerate(n.value):
            key = _scalar(k) if isinstance(k, yaml.ScalarNode) else None
            if not isinstance(key, str):
                # Keys are names and ids: `on:` or `1:` mean the text, not a boolean or a number.
                key = str(k.value) if isinstance(k, yaml.ScalarNode) else "?"
            key = _text(key, (*loc, key.encode("utf-8", "backslashreplace").decode()), k)
            if key in out and key not in inherited:
                problems.append(Problem(path_str((*loc, key)), f"duplicate key {key!r}", k.start_mark.line + 1))
            inherited.discard(key)
            if i < merged:
                inherited.add(key)  # a key given beside a merge key overrides the merged one
            lines[(*loc, key)] = k.start_mark.line + 1
            out[key] = walk(v, (*loc, key))
        return out

    def _scalar(n: yaml.Node) -> Any:
        try:
            return loader.construct_object(n, deep=True)  # type: ignore[no-untyped-call]
        except yaml.MarkedYAMLError:
            raise
        except yaml.YAMLError as exc:
            raise yaml.MarkedYAMLError(problem=f"cannot read this value ({exc})", problem_mark=n.start_mark) from None
        except (ValueError, TypeError, OverflowError):
            # A date such as 2025-13-45 or an integer longer than Python reads: keep the text,
            # so that the field it stands in reports it along with the file's other problems.
            return str(n.value)

    loader = _Constructor("")
    try:
        tree = walk(node, ())
    except yaml.MarkedYAMLError as exc:
        return None, {}, [_parse_problem(exc)]
    except _TooLarge as exc:
        return None, {}, [Problem("", E.TOO_LARGE.format(most=f"{MAX_VALUES:,}"), exc.line)]
    except _SelfReference as exc:
        return None, {}, [Problem("", E.SELF_REFERENCE, exc.line)]
    except RecursionError:
        return None, {}, [Problem("", E.TOO_DEEP)]
    return tree, lines, problems


_SURROGATE = re.compile("[\ud800-\udfff]")

MAX_VALUES = 1_000_000
"""Most values a document may expand to; aliases repeated within aliases could otherwise
make a few lines stand for billions of values."""


class _SelfReference(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _TooLarge(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _parse_problem(exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark
    line = mark.line + 1 if mark is not None else None
    return Problem("", f"not valid YAML or JSON: {exc.problem or exc}", line)


def line_of(lines: Mapping[Loc, int], loc: Loc) -> int | None:
    """The line of ``loc`` or of its nearest ancestor that has one."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())
