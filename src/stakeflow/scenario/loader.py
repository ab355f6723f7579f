"""Reading a scenario from a file or text, with every problem located (SPEC §8)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import errors as E
from ._base import FrozenMap
from ._located import from_pydantic
from ._yaml import Loc, line_of, read_tree
from .errors import Problem, ScenarioError
from .models import Scenario

Model = TypeVar("Model", bound=BaseModel)


def load(path: str | Path) -> Scenario:
    """Read and validate the scenario file at ``path`` (YAML or JSON)."""
    return loads(read_text(path, "scenario file"), source=str(Path(path)))


def read_text(path: str | Path, what: str = "file") -> str:
    """The text of the file at ``path`` (a ``what``: a scenario file, say); a file that cannot be
    read is a :class:`ScenarioError` naming it."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem("", E.NO_SUCH_FILE)], str(p)) from None
    except IsADirectoryError:
        raise ScenarioError([Problem("", E.A_FOLDER.format(what=what))], str(p)) from None
    except UnicodeDecodeError:
        raise ScenarioError([Problem("", E.NOT_TEXT)], str(p)) from None
    except OSError as exc:
        raise ScenarioError([Problem("", E.CANNOT_READ.format(detail=exc.strerror))], str(p)) from None


def loads(text: str, source: str = "<string>") -> Scenario:
    """Read and validate a scenario from YAML or JSON text."""
    tree, lines = _mapping(text, source, E.EMPTY_FILE)
    return from_tree(tree, source, lines)


def from_tree(tree: dict[str, Any], source: str = "<scenario>", lines: Mapping[Loc, int] | None = None) -> Scenario:
    """Validate a scenario given as its tree (a file's mapping, or :func:`~stakeflow.scenario.fields.raw`
    of another scenario, changed): a :class:`ScenarioError` with every problem by its field path,
    on its line where ``lines`` says."""
    where = dict(lines or {})
    try:
        return Scenario.model_validate(tree)
    except ValidationError as exc:
        raise ScenarioError(from_pydantic(exc, tree, where, Scenario), source) from None
    except ScenarioError as exc:
        located = [Problem(p.path, p.message, line_of(where, parse_path(p.path))) for p in exc.problems]
        raise ScenarioError(located, source) from None


def _mapping(text: str, source: str, empty: str) -> tuple[dict[str, Any], dict[Loc, int]]:
    """The top-level mapping of YAML or JSON ``text`` and the line of every field path; an empty
    text is the problem ``empty``."""
    tree, lines, problems = read_tree(text)
    if problems:
        raise ScenarioError(problems, source)
    if tree is None:
        raise ScenarioError([Problem("", empty, 1)], source)
    if not isinstance(tree, dict):
        raise ScenarioError([Problem("", E.NOT_A_MAPPING, 1)], source)
    return tree, lines


def parse_model(text: str, model: type[Model], source: str) -> Model:
    """Read YAML or JSON ``text`` as ``model`` (another file format of the package: an analysis
    plan, PWERM scenarios, a law of terminal values), every problem located as in a scenario
    file: a :class:`ScenarioError` whose lines are ``error: SOURCE:LINE: path: message``."""
    return parse_located(text, model, source)[0]


@dataclass(frozen=True)
class Located:
    """Where the fields of a file read by :func:`parse_located` lie, so that a problem found
    after reading (a plan's party that is not in the structure it names) is located like the
    reader's own."""

    source: str
    lines: Mapping[Loc, int]

    def error(self, problems: Iterable[tuple[str, str]]) -> ScenarioError:
        """``(field path, message)`` pairs as one :class:`ScenarioError`, each on its field's line."""
        return ScenarioError([Problem(path, message, line_of(self.lines, parse_path(path)))
                              for path, message in problems], self.source)


def parse_located(text: str, model: type[Model], source: str) -> tuple[Model, Located]:
    """:func:`parse_model`, with where each field of ``text`` lies."""
    tree, lines = _mapping(text, source, E.NOT_A_MAPPING)
    try:
        return model.model_validate(tree), Located(source, FrozenMap(lines))
    except ValidationError as exc:
        raise ScenarioError(from_pydantic(exc, tree, lines, model), source) from None


_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def parse_path(path: str) -> Loc:
    """``entities[0].holdings[3].class`` -> ``("entities", 0, "holdings", 3, "class")``."""
    out: list[str | int] = []
    for m in _PART.finditer(path):
        out.append(int(m.group(1)) if m.group(1) is not None else m.group(2))
    return tuple(out)
