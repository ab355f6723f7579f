"""libyaml (C) and PyYAML's Python parser read every file alike: the same tree, the same lines, the
same problems and the same error messages, on the bad-file corpus, on the examples and on the
examples mutated as in tests/cli/test_fuzz.py. The C parser only makes reading faster
(benchmarks/bench_reader.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from stakeflow.scenario import ScenarioError, _yaml, load

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([*(ROOT / "tests" / "bad").glob("*.yaml"), *(ROOT / "tests" / "bad").glob("*.json"),
                *(ROOT / "examples").rglob("*.yaml")])

pytestmark = pytest.mark.skipif(not _yaml.LIBYAML, reason="PyYAML was built without libyaml: one parser only")


@contextmanager
def parser(libyaml: bool) -> Iterator[None]:
    old = _yaml.LIBYAML
    _yaml.LIBYAML = libyaml
    try:
        yield
    finally:
        _yaml.LIBYAML = old


def outcome(path: Path) -> Any:
    try:
        return ("ok", load(path).model_dump())
    except ScenarioError as exc:
        return ("error", exc.lines())


def test_the_c_parser_is_the_one_in_use() -> None:
    calls = []
    real = _yaml._CComposer.get_single_node

    def spy(self: Any) -> Any:
        calls.append(1)
        return real(self)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_yaml._CComposer, "get_single_node", spy)
        _yaml.read_tree("stakeflow: 1\n")
    assert calls == [1]


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_both_parsers_read_a_file_alike(path: Path) -> None:
    with parser(True):
        c = outcome(path)
        c_tree = _yaml.read_tree(path.read_text(encoding="utf-8", errors="replace"))
    with parser(False):
        py = outcome(path)
        py_tree = _yaml.read_tree(path.read_text(encoding="utf-8", errors="replace"))
    assert c == py
    assert c_tree == py_tree


def test_errors_that_only_the_python_parser_words_are_identical() -> None:
    # A control character, a tab where indentation is expected, an unclosed flow: libyaml words
    # these its own way; the reader reports PyYAML's wording and line with either parser.
    texts = ["stakeflow: 1\nname: a\x00b\n", "stakeflow: 1\nholders:\n\t- id: a\n", "stakeflow: 1\nholders: [\n",
             "stakeflow: 1\n  name: x\n", "stakeflow: 1\nname: *nowhere\n", "\ufeffstakeflow: 1\r\nname: x\r\n"]
    for text in texts:
        with parser(True):
            c = _yaml.read_tree(text)
        with parser(False):
            py = _yaml.read_tree(text)
        assert c == py, text


def _mutated() -> Any:
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "cli"))
    from test_fuzz import mutated

    return mutated()


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_mutated())
def test_both_parsers_read_mutated_examples_alike(case: tuple[str, str]) -> None:
    _, text = case
    with parser(True):
        c = _yaml.read_tree(text)
    with parser(False):
        py = _yaml.read_tree(text)
    assert c == py
