"""Reading the valuation's own YAML files (PWERM scenarios, distributions) with located errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..scenario import errors as E
from ..scenario._yaml import line_of, read_tree
from ..scenario.errors import Problem, ScenarioError

ModelT = TypeVar("ModelT", bound=BaseModel)


def read_text(path: str | Path) -> str:
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem("", "no such file")], str(p)) from None
    except IsADirectoryError:
        raise ScenarioError([Problem("", "is a folder, not a file")], str(p)) from None
    except UnicodeDecodeError:
        raise ScenarioError([Problem("", "not a text file (UTF-8 expected)")], str(p)) from None
    except OSError as exc:
        raise ScenarioError([Problem("", f"cannot be read: {exc.strerror}")], str(p)) from None


def load_model(model: type[ModelT], text: str, source: str) -> ModelT:
    """Validate YAML/JSON ``text`` as ``model``; every problem located by line and field path."""
    tree, lines, problems = read_tree(text)
    if problems:
        raise ScenarioError(problems, source)
    if not isinstance(tree, dict):
        raise ScenarioError([Problem("", E.NOT_A_MAPPING, 1)], source)
    try:
        return model.model_validate(tree)
    except ValidationError as exc:
        out: list[Problem] = []
        for err in exc.errors(include_url=False):
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function"))))
            out.append(Problem(E.path_str(loc), _message(err, loc, model), line_of(lines, loc)))
        raise ScenarioError(out, source) from None


def _message(err: Any, loc: tuple[Any, ...], model: type[BaseModel]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return E.UNKNOWN_KEY.format(key=loc[-1], valid=_valid_keys(model, loc[:-1]))
    if kind == "missing":
        return E.MISSING_KEY.format(key=loc[-1])
    if kind == "value_error":
        return str(err["ctx"]["error"])
    if kind == "literal_error":
        return f"{err.get('input')!r} is not valid here; expected {err['ctx']['expected']}"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        return f"expected {'a list' if kind == 'list_type' else 'a mapping'}, got {err.get('input')!r}"
    return str(err["msg"])


def _valid_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    tp: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(tp, type) and issubclass(tp, BaseModel)):
            return "see the format"
        field = tp.model_fields.get(str(part))
        if field is None:
            return "see the format"
        tp = _inner_model(field.annotation)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return ", ".join(tp.model_fields)
    return "see the format"


def _inner_model(annotation: Any) -> Any:
    import typing

    stack = [annotation]
    while stack:
        tp = stack.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return tp
        stack.extend(typing.get_args(tp))
    return None


__all__ = ["load_model", "read_text"]
