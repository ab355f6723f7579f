"""Field paths: naming one value of a scenario, to read it, change it, or cite its source.

A path is a dotted list of keys, as in the file, where list items are chosen in brackets by
position or by what identifies them::

    entities[openai_group].holdings[microsoft].shares      # a holding, by its holder
    entities[openai_group].holdings[openai_foundation/common].shares   # holder/class
    entities[openai_global].distribution[1].caps.microsoft # a tier by position (or by name)
    projection.discount_rate
    projection.revenue.growth[0]                           # one year of a schedule
    contracts[revenue_share].rate                          # a contract by id

Items are identified by ``id`` (entities, holders, classes, contracts, events), ``holder`` (or
``holder/class``) for holdings, ``claimant`` for board appointments and ``name`` for tiers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from ._located import from_pydantic
from .errors import InputError, ScenarioError

if TYPE_CHECKING:
    from .models import Scenario

_TOKEN = re.compile(r"\[([^\[\]]*)\]|\.?([^.\[\]]+)")
_KEYS = ("id", "holder", "claimant", "name")


class FieldPathError(InputError):
    """A field path that names no value of the scenario."""


@dataclass(frozen=True)
class Field:
    """One value of a scenario: its path (ids where items have them), position and value."""

    path: str
    loc: tuple[str | int, ...]
    value: Any


def raw(obj: Any) -> Any:
    """A model as the plain tree it was read from (explicitly set fields only, numbers exact)."""
    if isinstance(obj, BaseModel):
        out: dict[str, Any] = {}
        for name, info in type(obj).model_fields.items():
            if name in obj.model_fields_set:
                out[info.alias or name] = raw(getattr(obj, name))
        return out
    if isinstance(obj, list | tuple):
        return [raw(x) for x in obj]
    if isinstance(obj, Mapping):
        return {k: raw(v) for k, v in obj.items()}
    return obj


def parse(path: str) -> list[tuple[str, str]]:
    """``a[b].c`` -> ``[("key", "a"), ("item", "b"), ("key", "c")]``."""
    text = path.strip()
    if not text:
        raise FieldPathError("empty field path")
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() != pos:
            break
        pos = m.end()
        if m.group(1) is not None:
            out.append(("item", m.group(1).strip()))
        else:
            out.append(("key", m.group(2).strip()))
    if pos != len(text) or not out or out[0][0] != "key":
        example = "entities[company].holdings[founders].shares"
        raise FieldPathError(f"cannot read field path {path!r} (write e.g. {example})")
    return out


def _item_key(item: Any) -> str | None:
    if not isinstance(item, Mapping):
        return None
    if "holder" in item and "class" in item:
        return f"{item['holder']}/{item['class']}"
    for k in _KEYS:
        if k in item:
            return str(item[k])
    return None


def _select(items: list[Any], sel: str, where: str) -> int:
    if sel.lstrip("-").isdigit():
        i = int(sel)
        if not 0 <= i < len(items):
            raise FieldPathError(f"{where}[{sel}]: no item {i} (there are {len(items)})")
        return i
    hits = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            continue
        if sel == _item_key(item) or any(str(item.get(k)) == sel for k in _KEYS if k in item):
            hits.append(i)
    if len(hits) == 1:
        return hits[0]
    known = ", ".join(k for k in (_item_key(x) for x in items) if k) or f"positions 0 to {len(items) - 1}"
    if not hits:
        raise FieldPathError(f"{where}[{sel}]: no such item (items: {known})")
    raise FieldPathError(f"{where}[{sel}] is ambiguous: name one of {known}")


def _shallow(node: Any) -> Any:
    """A model's set fields as a mapping (by the names the file uses), one level deep."""
    if isinstance(node, BaseModel):
        return {info.alias or name: getattr(node, name) for name, info in type(node).model_fields.items()
                if name in node.model_fields_set}
    if isinstance(node, tuple):
        return list(node)
    return node


def locate(sc: Scenario, path: str) -> Field:
    """The value that ``path`` names in ``sc`` (raises :class:`FieldPathError` with what is valid)."""
    return locate_in(sc, path)


def locate_in(tree: Any, path: str) -> Field:
    """:func:`locate` in a scenario or its plain tree (see :func:`raw`); only the nodes on the
    path are looked at."""
    node: Any = tree
    loc: list[str | int] = []
    where = ""
    for kind, tok in parse(path):
        node = _shallow(node)
        if kind == "key":
            if not isinstance(node, Mapping):
                raise FieldPathError(f"{where or path}: has no key {tok!r} (it is not a mapping)")
            if tok not in node:
                valid = ", ".join(map(str, node)) or "(none set)"
                here = f"{where}.{tok}" if where else tok
                raise FieldPathError(f"{here}: not set in this scenario (keys here: {valid})")
            node = node[tok]
            loc.append(tok)
            where = f"{where}.{tok}" if where else tok
        else:
            if not isinstance(node, list):
                raise FieldPathError(f"{where}[{tok}]: {where} is not a list")
            i = _select([_shallow(x) for x in node], tok, where)
            node = node[i]
            loc.append(i)
            where = f"{where}[{tok}]"
    return Field(path, tuple(loc), raw(node))


def get_number(sc: Scenario, path: str) -> Fraction:
    """The number at ``path`` (an amount, a share count, a rate, ...)."""
    value = locate(sc, path).value
    if isinstance(value, bool) or not isinstance(value, Fraction | int):
        raise FieldPathError(f"{path}: is not a number (it is {type(value).__name__})")
    return Fraction(value)


def replace(sc: Scenario, path: str, value: Any) -> Scenario:
    """A copy of ``sc`` with the value at ``path`` replaced, validated like a file."""
    return replace_all(sc, [(path, value)])


def replace_all(sc: Scenario, changes: Sequence[tuple[str, Any]]) -> Scenario:
    """A copy of ``sc`` with every ``(path, value)`` of ``changes`` set, validated once, like a file."""
    tree = raw(sc)
    for path, value in changes:
        f = locate_in(tree, path)
        node = tree
        for part in f.loc[:-1]:
            node = node[part]
        node[f.loc[-1]] = value
    try:
        return type(sc).model_validate(tree)
    except ValidationError as exc:
        context = ", ".join(f"{path} = {value}" for path, value in changes)
        raise ScenarioError(from_pydantic(exc, tree, {}, type(sc)), context) from None


def _walk(node: Any, loc: tuple[str | int, ...], path: str, out: list[Field]) -> None:
    if isinstance(node, Mapping):
        for k, v in node.items():
            _walk(v, (*loc, k), f"{path}.{k}" if path else str(k), out)
    elif isinstance(node, list) and node and all(is_number(x) for x in node):
        out.append(Field(path, loc, list(node)))  # a schedule: one value per year
    elif isinstance(node, list):
        keys = [_item_key(x) for x in node]
        firsts = [k.split("/")[0] if k else None for k in keys]
        for i, item in enumerate(node):
            key = keys[i]
            if key is not None and "/" in key and firsts.count(firsts[i]) == 1:
                key = firsts[i]  # a holder with one holding here is named alone
            plain = key is not None and keys.count(keys[i]) == 1 and " " not in key and "." not in key
            sel = key if plain and key is not None else str(i)
            _walk(item, (*loc, i), f"{path}[{sel}]", out)
    elif is_number(node) or isinstance(node, dt.date):
        out.append(Field(path, loc, node))


def is_number(x: Any) -> bool:
    """Whether a field's value (as :func:`raw` gives it) is one number: not a schedule, a date,
    a flag or text."""
    return isinstance(x, Fraction | int) and not isinstance(x, bool)


def kind_of(value: Any) -> str:
    """What a field's value is, said for a message about a field that should be a number."""
    if isinstance(value, dict):
        return f"a mapping (its keys: {', '.join(map(str, value)) or 'none'})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return f"text ({value!r})"
    return f"a {type(value).__name__}"


SECTIONS = ("entities", "projection", "contracts", "exit")


def numeric_fields(sc: Scenario, sections: tuple[str, ...] = SECTIONS) -> list[Field]:
    """Every number, schedule and date set in the given sections, with the path that names it."""
    tree = raw(sc)
    out: list[Field] = []
    for sec in sections:
        if sec in tree:
            _walk(tree[sec], (sec,), sec, out)
    return out


__all__ = ["Field", "FieldPathError", "get_number", "is_number", "kind_of", "locate", "locate_in", "numeric_fields",
           "parse", "raw", "replace", "replace_all"]
