"""Pydantic's validation errors as located problems (SPEC §8): the field path as in the file,
its line, and what would be valid there.

A leaf module: it knows the models only through the root model it is given, so the reader
(:mod:`.loader`) and field paths (:mod:`.fields`) share it without importing each other.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from . import errors as E
from ._yaml import Loc, line_of
from .errors import Problem

TAG = "kind"
"""The key that says which model a mapping is read as, where there are several (a class)."""


def from_pydantic(exc: ValidationError, tree: Any, lines: dict[Loc, int], root: type[BaseModel]) -> list[Problem]:
    """Every problem of ``exc``, raised validating ``tree`` as ``root``, once each."""
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for err in exc.errors(include_url=False):
        raw = tuple(err["loc"])
        # pydantic marks a problem with a mapping's key (a claimant id in `shares`) by "[key]".
        in_key = bool(raw) and raw[-1] == "[key]"
        loc = _drop_union_tags(raw, tree, missing=err["type"] == "missing")
        if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            # A class without a valid `kind`: the problem is its `kind` key.
            loc = (*loc, str(err["ctx"]["discriminator"]).strip("'"))
        msg = E.BAD_ID.format(value=err.get("input")) if in_key else _message(err, loc, root)
        key = (E.path_str(loc), msg)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(E.path_str(loc), msg, line_of(lines, loc)))
    return problems


def _drop_union_tags(loc: tuple[Any, ...], tree: Any, missing: bool = False) -> Loc:
    """The location without the names pydantic adds for union members (``function-plain[...]``,
    ``[key]``, a class's kind); a part that is a key of the file (``functional:``, ``x[1]:``) is
    kept."""
    out: list[str | int] = []
    node = tree
    for i, part in enumerate(loc):
        present = (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        )
        if not present and isinstance(part, str) and ("[" in part or part.startswith("function")):
            continue
        if not present and isinstance(node, dict) and node.get(TAG) == part and not (missing and i == len(loc) - 1):
            # The tag of a discriminated union (the value of the node's `kind`); the last part of
            # a missing key is the key itself, even where `kind` happens to name it.
            continue
        out.append(part)
        node = node[part] if present else None
    return tuple(out)


def _message(err: Any, loc: Loc, root: type[BaseModel]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        keys = _keys_at(root, loc[:-1])
        valid = ", ".join(keys) if keys is not None else "see the format"
        return E.UNKNOWN_KEY.format(key=loc[-1], valid=valid)
    if kind in ("missing", "union_tag_not_found"):
        return E.MISSING_KEY.format(key=loc[-1])
    id_fields = ("id", "holder", "class", "claimant", "overflow", "entity")
    if kind == "string_pattern_mismatch" and loc and loc[-1] in id_fields:
        return E.BAD_ID.format(value=err.get("input"))
    if kind == "string_pattern_mismatch" and loc == ("currency",):
        return E.CURRENCY.format(value=err.get("input"))
    if kind == "literal_error":
        return E.NOT_VALID_HERE.format(value=err.get("input"), expected=err["ctx"]["expected"])
    if kind == "union_tag_invalid":
        return E.NOT_VALID_HERE.format(value=err["ctx"]["tag"], expected=_or_list(err["ctx"]["expected_tags"]))
    if kind == "value_error":
        return str(err["ctx"]["error"])
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number, got {err.get('input')!r}"
    if kind in ("float_parsing", "float_type"):
        return f"expected a number, got {err.get('input')!r}"
    if kind == "bool_type" or kind == "bool_parsing":
        return f"expected true or false, got {err.get('input')!r}"
    if kind == "string_type":
        return f"expected text, got {_describe(err.get('input'))}"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type", "tuple_type"):
        want = {"list_type": "a list", "tuple_type": "a list", "dict_type": "a mapping"}.get(kind, "a mapping")
        return f"expected {want}, got {_describe(err.get('input'))}"
    return str(err["msg"])


def _or_list(tags: str) -> str:
    """``'a', 'b', 'c'`` -> ``'a', 'b' or 'c'`` (as pydantic writes the choices of a literal)."""
    head, _, last = tags.rpartition(", ")
    return f"{head} or {last}" if head else last


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _keys_at(root: type[BaseModel], loc: Loc) -> list[str] | None:
    """The keys the value at ``loc`` may have, if it is read as a model (or as one of several,
    by a tag: then those the union declares, as ``union_keys`` of its members' base)."""
    tp: Any = root
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            args = typing.get_args(tp)
            tp = args[0] if args else None
        elif _members(tp):
            fields = (f for m in _members(tp) for name, f in m.model_fields.items() if part in (name, f.alias))
            field = next(fields, None)
            tp = field.annotation if field is not None else None
        elif typing.get_origin(tp) in (dict, Mapping):
            tp = typing.get_args(tp)[1]
        else:
            return None
    members = _members(tp)
    if len(members) > 1:
        declared = getattr(members[0], "union_keys", None)
        if declared is not None:
            return list(declared)
        return list(dict.fromkeys(k for m in members for k in _keys(m)))
    return _keys(members[0]) if members else None


def _keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _members(tp: Any) -> list[type[BaseModel]]:
    """The models a value of type ``tp`` is read as (several for a union of models, however the
    union is wrapped: an optional, discriminated union of a number and a model is that model)."""
    tp = _unwrap(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(tp) if a is not type(None) for m in _members(a)]
    return [tp] if isinstance(tp, type) and issubclass(tp, BaseModel) else []


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) > 1:
                return tp
            tp = args[0]
        elif origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        else:
            return tp
