"""Reading a scenario from a file or text, with every problem located (SPEC §8)."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import errors as E
from ._yaml import Loc, line_of, read_tree
from .errors import Problem, ScenarioError
from .models import Scenario


def load(path: str | Path) -> Scenario:
    """Read and validate the scenario file at ``path`` (YAML or JSON)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem("", "no such file")], str(p)) from None
    except IsADirectoryError:
        raise ScenarioError([Problem("", "is a folder, not a scenario file")], str(p)) from None
    except UnicodeDecodeError:
        raise ScenarioError([Problem("", "not a text file (UTF-8 expected)")], str(p)) from None
    except OSError as exc:
        raise ScenarioError([Problem("", f"cannot be read: {exc.strerror}")], str(p)) from None
    return loads(text, source=str(p))


def loads(text: str, source: str = "<string>") -> Scenario:
    """Read and validate a scenario from YAML or JSON text."""
    tree, lines, problems = read_tree(text)
    if problems:
        raise ScenarioError(problems, source)
    if tree is None:
        raise ScenarioError([Problem("", E.EMPTY_FILE, 1)], source)
    if not isinstance(tree, dict):
        raise ScenarioError([Problem("", E.NOT_A_MAPPING, 1)], source)
    try:
        return Scenario.model_validate(tree)
    except ValidationError as exc:
        raise ScenarioError(_from_pydantic(exc, tree, lines), source) from None
    except ScenarioError as exc:
        located = [Problem(p.path, p.message, line_of(lines, parse_path(p.path))) for p in exc.problems]
        raise ScenarioError(located, source) from None


_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def parse_path(path: str) -> Loc:
    """``entities[0].holdings[3].class`` -> ``("entities", 0, "holdings", 3, "class")``."""
    out: list[str | int] = []
    for m in _PART.finditer(path):
        out.append(int(m.group(1)) if m.group(1) is not None else m.group(2))
    return tuple(out)


def _from_pydantic(exc: ValidationError, tree: Any, lines: dict[Loc, int]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for err in exc.errors(include_url=False):
        raw = tuple(err["loc"])
        # pydantic marks a problem with a mapping's key (a claimant id in `shares`) by "[key]".
        in_key = bool(raw) and raw[-1] == "[key]"
        loc = _drop_union_tags(raw, tree)
        msg = E.BAD_ID.format(value=err.get("input")) if in_key else _message(err, loc, tree)
        key = (E.path_str(loc), msg)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(E.path_str(loc), msg, line_of(lines, loc)))
    return problems


def _drop_union_tags(loc: tuple[Any, ...], tree: Any) -> Loc:
    """The location without the names pydantic adds for union members (``function-plain[...]``,
    ``[key]``); a part that is a key of the file (``functional:``, ``x[1]:``) is kept."""
    out: list[str | int] = []
    node = tree
    for part in loc:
        present = (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        )
        if not present and isinstance(part, str) and ("[" in part or part.startswith("function")):
            continue
        out.append(part)
        node = node[part] if present else None
    return tuple(out)


def _message(err: Any, loc: Loc, tree: Any) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        valid = ", ".join(_keys(model)) if model is not None else "see the format"
        return E.UNKNOWN_KEY.format(key=loc[-1], valid=valid)
    if kind == "missing":
        return E.MISSING_KEY.format(key=loc[-1])
    id_fields = ("id", "holder", "class", "claimant", "overflow", "entity")
    if kind == "string_pattern_mismatch" and loc and loc[-1] in id_fields:
        return E.BAD_ID.format(value=err.get("input"))
    if kind == "string_pattern_mismatch" and loc == ("currency",):
        return E.CURRENCY.format(value=err.get("input"))
    if kind == "literal_error":
        return f"{err.get('input')!r} is not valid here; expected {err['ctx']['expected']}"
    if kind == "value_error":
        return str(err["ctx"]["error"])
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number, got {err.get('input')!r}"
    if kind == "bool_type" or kind == "bool_parsing":
        return f"expected true or false, got {err.get('input')!r}"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        want = {"list_type": "a list", "dict_type": "a mapping"}.get(kind, "a mapping")
        return f"expected {want}, got {_describe(err.get('input'))}"
    return str(err["msg"])


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class that the value at ``loc`` is read as, if any."""
    tp: Any = Scenario
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            args = typing.get_args(tp)
            tp = args[0] if args else None
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            field = next(
                (f for name, f in tp.model_fields.items() if part in (name, f.alias)), None
            )
            tp = field.annotation if field is not None else None
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0]
        elif origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        else:
            return tp
