"""The scenario reader: locations of problems, YAML corners, and no traceback for any input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Discriminator, Tag

import stakeflow as sf
from stakeflow.scenario import _yaml
from stakeflow.scenario.errors import ScenarioError
from stakeflow.scenario.loader import parse_model, read_text

GOOD = """\
stakeflow: 1
holders:
  - id: founders
  - id: fund
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - {id: series_a, kind: preferred, price_per_share: 1}
    holdings:
      - {holder: founders, class: common, shares: 8M}
      - {holder: fund, class: series_a, shares: 2M}
"""


def problems(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ScenarioError) as exc:
        sf.loads(text)
    return [(p.line, p.path, p.message) for p in exc.value.problems]


def test_a_good_file_loads_from_yaml_and_from_json() -> None:
    sc = sf.loads(GOOD)
    assert sf.loads(json.dumps(yaml.safe_load(GOOD))) == sc


def test_error_lines_name_the_file_line_and_field_path(tmp_path: Path) -> None:
    p = tmp_path / "cap.yaml"
    p.write_text(GOOD.replace("class: series_a, shares: 2M", "class: series_b, shares: 2M"))
    with pytest.raises(ScenarioError) as exc:
        sf.load(p)
    assert exc.value.lines() == [
        f"error: {p}:12: entities[0].holdings[1].class: unknown class 'series_b' in entity 'company' "
        "(its classes: common, series_a)"
    ]


def test_a_folder_is_not_a_scenario(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as exc:
        sf.load(tmp_path)
    assert exc.value.lines() == [f"error: {tmp_path}: is a folder, not a scenario file"]


def test_another_format_is_read_with_the_readers_words(tmp_path: Path) -> None:
    # One reader of files (scenario/loader.py): another format of the package says "a file" where
    # a scenario says "a scenario file", and is otherwise read and located alike.
    for path, line in ((tmp_path / "missing.yaml", "no such file"), (tmp_path, "is a folder, not a file")):
        with pytest.raises(ScenarioError) as exc:
            read_text(path)
        assert exc.value.lines() == [f"error: {path}: {line}"]
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ScenarioError) as exc:
        read_text(latin)
    assert exc.value.lines() == [f"error: {latin}: not a text file (UTF-8 expected)"]


class _Law(BaseModel):
    model_config = ConfigDict(extra="forbid")
    median: float
    volatility: float


def _amount_or_law(value: Any) -> str:
    return "[law]" if isinstance(value, dict) else "[amount]"


class _Outcome(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    value: Annotated[Annotated[float, Tag("[amount]")] | Annotated[_Law, Tag("[law]")],
                     Discriminator(_amount_or_law)] | None = None


class _Outcomes(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcomes: list[_Outcome]


def test_parse_model_locates_problems_inside_an_optional_union_of_a_number_and_a_model() -> None:
    text = "outcomes:\n  - name: a\n    value: {median: 1, volatility: 2, spread: 3}\n  - [1]\n"
    with pytest.raises(ScenarioError) as exc:
        parse_model(text, _Outcomes, "o.yaml")
    assert exc.value.lines() == [
        "error: o.yaml:3: outcomes[0].value.spread: unknown key 'spread' (valid keys here: median, volatility)",
        "error: o.yaml:4: outcomes[1]: expected a mapping, got a list",
    ]
    assert parse_model("outcomes: [{name: b, value: 2}]", _Outcomes, "o.yaml").outcomes[0].value == 2


def test_yaml_merge_keys_share_terms_and_may_be_overridden() -> None:
    text = GOOD.replace(
        "      - {id: series_a, kind: preferred, price_per_share: 1}",
        "      - &a {id: series_a, kind: preferred, price_per_share: 1, seniority: 1}\n"
        "      - {<<: *a, id: series_b, price_per_share: 2}",
    )
    sc = sf.loads(text)
    b = sc.entity("company").stock_class("series_b")
    assert (b.kind, b.price_per_share, b.seniority) == ("preferred", 2, 1)
    # A key repeated outside a merge is still a duplicate.
    assert problems(text.replace("price_per_share: 2}", "price_per_share: 2, id: series_c}")) == [
        (10, "entities[0].classes[2].id", "duplicate key 'id'")
    ]


def test_keys_are_read_as_text() -> None:
    # YAML 1.1 reads `on`, `no` and `1` as a boolean and a number; as keys they are names.
    text = GOOD + "  - id: program\n    distribution:\n      - shares: {on: 1, fund: 1}\n"
    assert problems(text) == [
        (15, "entities[1].distribution[0].shares.on",
         "unknown claimant 'on' (known holders and entities: company, founders, fund, program)")
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("stakeflow: 1\nname: !secret x\n", 2,
         "not valid YAML or JSON: could not determine a constructor for the tag '!secret'"),
        ("stakeflow: 1\nholders: &h [*h]\n", 2,
         "not valid as a scenario: an alias (*name) refers to a value that contains it"),
        ("stakeflow: 1\nx: " + "[" * 5000 + "]" * 5000 + "\n", None,
         "not valid as a scenario: the document is nested too deeply"),
    ],
    ids=["unknown_tag", "self_alias", "deep"],
)
def test_yaml_that_used_to_raise_a_traceback(text: str, line: int | None, message: str) -> None:
    assert problems(text) == [(line, "", message)]


def test_aliases_that_expand_beyond_the_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Nine aliases of nine aliases of ...: a few lines that stand for 9^6 values.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 7):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    monkeypatch.setattr(_yaml, "MAX_VALUES", 10_000)
    # The line is that of the value being expanded when the limit is passed (here a0's list).
    assert problems("\n".join(lines)) == [
        (1, "", "not valid as a scenario: the document expands to more than 10,000 values (aliases repeated)")
    ]


def test_values_python_cannot_build_are_reported_with_the_other_problems() -> None:
    text = GOOD.replace("stakeflow: 1\n", "stakeflow: 1\nas_of: 2025-13-45\n").replace("8M", "1" + "0" * 5000)
    assert problems(text) == [
        (2, "as_of", "Input should be a valid date or datetime, month value is outside expected range of 1-12"),
        (12, "entities[0].holdings[0].shares",
         "'1000000000000000...00000000' is out of range: numbers must lie between 1e-30 and 1e30 in size"),
    ]


def test_an_unknown_key_names_the_valid_ones() -> None:
    text = GOOD.replace("  - id: fund\n", "  - id: fund\n    nmae: Fund\n")
    ((line, path, message),) = problems(text)
    assert (line, path) == (5, "holders[1].nmae")
    assert message == "unknown key 'nmae' (valid keys here: id, name, kind)"


@pytest.mark.parametrize(
    ("text", "path", "key"),
    [("stakeflow: 1\nfunction: 1\n", "function", "'function'"),
     ("stakeflow: 1\n'x[1]': 2\n", "x[1]", "'x[1]'")],
)
def test_unknown_keys_that_look_like_pydantic_tags(text: str, path: str, key: str) -> None:
    # These keys were taken for pydantic's own location tags and dropped: an IndexError.
    ((line, got_path, message),) = problems(text)
    assert (line, got_path) == (2, path)
    assert message.startswith(f"unknown key {key} (valid keys here: stakeflow, name, ")


def test_structural_and_reference_problems() -> None:
    # Structural problems (types, keys, required terms) are all reported together; references
    # between objects (ids, cycles, stranded money) are checked once the structure is sound.
    text = GOOD.replace("kind: preferred, price_per_share: 1", "kind: preferred").replace("shares: 8M", "shares: x")
    assert [p[1] for p in problems(text)] == ["entities[0].classes[1]", "entities[0].holdings[0].shares"]


# --- no traceback, whatever the input --------------------------------------------------------
VOCABULARY = [
    "stakeflow", "name", "currency", "as_of", "holders", "entities", "exit", "id", "kind", "classes",
    "holdings", "distribution", "governance", "board", "seats", "appointed_by", "claimant", "holder",
    "class", "shares", "caps", "overflow", "limit", "price_per_share", "invested", "strike",
    "participating", "participation_cap_multiple", "conversion_ratio", "seniority", "value", "entity",
    "common", "preferred", "option", "warrant", "founders", "company", "fund", "1", "0", "-1", "2.5M", "49%",
    "3x", "0.1", "true", "null", "~", "USD", "2025-10-28", "1e999", ".inf", "x", "A",
]
TOKENS = [
    *VOCABULARY, ": ", ":", "\n", "\n  ", "\n    ", "- ", "[", "]", "{", "}", ", ", "&a ", "*a", "!!str ", "!x ",
    "'", '"', "#", "<<: ", "? ", "|", ">", "%", "---\n", "...\n", "\t", "@", "`",
]


@st.composite
def yamlish(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(st.sampled_from(TOKENS), max_size=60)))


def scalars() -> st.SearchStrategy[object]:
    return st.one_of(
        st.sampled_from(VOCABULARY), st.integers(-5, 10**7), st.floats(allow_nan=True), st.booleans(), st.none(),
        st.text(max_size=5),
    )


documents = st.recursive(
    scalars(),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(VOCABULARY), inner, max_size=5),
    ),
    max_leaves=30,
)


def shaped(doc: object) -> str:
    """A document with a plausible top level, so that the reader gets past the first checks."""
    top = {"stakeflow": 1, "entities": doc} if not isinstance(doc, dict) else {"stakeflow": 1, **doc}
    return yaml.safe_dump(top)


def reads_or_reports(text: str) -> None:
    try:
        sf.loads(text)
    except ScenarioError as exc:
        assert exc.problems
        for line in exc.lines():
            assert line.startswith("error: <string>")


@settings(max_examples=150)
@given(yamlish())
def test_random_yaml_never_gives_a_traceback(text: str) -> None:
    reads_or_reports(text)


def test_a_kind_named_like_a_missing_key_is_no_union_tag() -> None:
    # Found by the random documents below: a top-level `kind: stakeflow` once hid the missing
    # `stakeflow` key as if it were a union member's tag.
    with pytest.raises(sf.ScenarioError) as err:
        sf.loads('{"kind": "stakeflow"}')
    lines = err.value.lines()
    assert any("stakeflow" in line and "missing" in line for line in lines), lines


@settings(max_examples=150)
@given(documents)
def test_random_documents_never_give_a_traceback(doc: object) -> None:
    reads_or_reports(shaped(doc))
    reads_or_reports(json.dumps(doc, default=str))


@settings(max_examples=60)
@given(st.data())
def test_mutated_good_files_never_give_a_traceback(data: st.DataObject) -> None:
    lines = GOOD.splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        lines[i] = data.draw(st.one_of(st.sampled_from(TOKENS), st.just(lines[i] + data.draw(st.sampled_from(TOKENS)))))
    reads_or_reports("\n".join(lines))
