"""SPEC §1, "Numbers": every amount is read exactly as written, in decimal, in every spelling."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stakeflow as sf
from stakeflow.scenario.numbers import NumberError, parse_number

SPELLINGS = [
    (8_000_000, F(8_000_000)),
    ("8_000_000", F(8_000_000)),
    ("8,000,000", F(8_000_000)),
    ("8000000", F(8_000_000)),
    ("2.5M", F(2_500_000)),
    ("2.5m", F(2_500_000)),
    ("250k", F(250_000)),
    ("250K", F(250_000)),
    ("13B", F(13 * 10**9)),
    ("13b", F(13 * 10**9)),
    ("1.5T", F(15 * 10**11)),
    ("1.5t", F(15 * 10**11)),
    ("49%", F(49, 100)),
    ("0.5%", F(1, 200)),
    ("3x", F(3)),
    ("1.5x", F(3, 2)),
    ("3X", F(3)),
    ("0.1", F(1, 10)),
    (0.1, F(1, 10)),
    (Decimal("0.1"), F(1, 10)),
    ("1e3", F(1000)),
    ("2.5e-1", F(1, 4)),
    (".5", F(1, 2)),
    ("  7 ", F(7)),
    ("1,234.5", F(12345, 10)),
    (F(1, 3), F(1, 3)),
]


@pytest.mark.parametrize(("text", "value"), SPELLINGS, ids=[repr(t) for t, _ in SPELLINGS])
def test_every_spelling_is_read_exactly(text: object, value: F) -> None:
    got = parse_number(text)
    assert got == value and type(got) is F


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "'abc' is not a number (write e.g. 2500000, 2_500_000, 2.5M, 13B, 49% or 3x)"),
        ("", "'' is not a number (write e.g. 2500000, 2_500_000, 2.5M, 13B, 49% or 3x)"),
        ("M", "'M' is not a number (write e.g. 2500000, 2_500_000, 2.5M, 13B, 49% or 3x)"),
        ("5MM", "'5MM' is not a number (write e.g. 2500000, 2_500_000, 2.5M, 13B, 49% or 3x)"),
        ("5M%", "'5M%' is not a number (write e.g. 2500000, 2_500_000, 2.5M, 13B, 49% or 3x)"),
        ("1/3", "'1/3' is not a number (write e.g. 2500000, 2_500_000, 2.5M, 13B, 49% or 3x)"),
        ("nan", "'nan' is not a number (write e.g. 2500000, 2_500_000, 2.5M, 13B, 49% or 3x)"),
        (None, "expected a number, got None"),
        (True, "expected a number, got True"),
        ([1], "expected a number, got list"),
        (float("inf"), "expected a finite number, got inf"),
        (Decimal("NaN"), "expected a finite number, got NaN"),
        # A mistyped exponent must not ask for a billion-digit integer (it used to hang).
        ("1e999999999", "'1e999999999' is out of range: numbers must lie between 1e-30 and 1e30 in size"),
        ("1e-31", "'1e-31' is out of range: numbers must lie between 1e-30 and 1e30 in size"),
    ],
)
def test_non_numbers_are_rejected_with_the_message(text: object, message: str) -> None:
    with pytest.raises(NumberError) as exc:
        parse_number(text)
    assert str(exc.value) == message


def holding(shares: str) -> str:
    return f"""
stakeflow: 1
holders: [{{id: founders}}]
entities:
  - id: company
    classes: [{{id: common, kind: common}}]
    holdings:
      - {{holder: founders, class: common, shares: {shares}}}
"""


def test_one_tenth_stays_one_tenth_through_the_whole_load() -> None:
    # 0.1 as a YAML number, a JSON number, a string, and a percentage.
    text = """
stakeflow: 1
holders: [{id: founders}, {id: fund}]
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - id: series_a
        kind: preferred
        price_per_share: 0.1
        liquidation_preference_multiple: "0.1"
        participating: true
        participation_cap_multiple: 10%
        conversion_ratio: 1.1
    holdings:
      - {holder: founders, class: common, shares: 0.1}
      - {holder: fund, class: series_a, shares: 10}
exit: {value: 0.1}
"""
    sc = sf.loads(text)
    a = sc.entity("company").stock_class("series_a")
    assert a.price_per_share == F(1, 10)
    assert a.liquidation_preference_multiple == F(1, 10)
    assert a.participation_cap_multiple == F(1, 10)
    assert a.conversion_ratio == F(11, 10)
    assert sc.entity("company").holdings[0].shares == F(1, 10)  # type: ignore[index]
    assert sc.exit is not None and sc.exit.value == F(1, 10)
    as_json = sf.loads(json.dumps({"stakeflow": 1, "exit": {"value": 0.1}}))
    assert as_json.exit is not None and as_json.exit.value == F(1, 10)
    # And through the engine: the preference is 10 × 0.1 × 0.1 = 1/10 exactly.
    r = sf.waterfall(sc, "0.1")
    assert r.holders == {"founders": 0, "fund": F(1, 10)}


def test_unquoted_underscores_and_quoted_commas_in_a_file() -> None:
    for spelled in ("8_000_000", '"8,000,000"', '"8M"', "8000000.0", '"8_000_000"'):
        sc = sf.loads(holding(spelled))
        assert sc.entity("company").holdings[0].shares == 8_000_000  # type: ignore[index]


@pytest.mark.parametrize("spelled", ["-5", '"-5M"', "-0.5"])
def test_negative_amounts_are_rejected_with_the_message(spelled: str) -> None:
    with pytest.raises(sf.ScenarioError) as exc:
        sf.loads(holding(spelled))
    shown = spelled.strip('"')
    assert [(p.path, p.message, p.line) for p in exc.value.problems] == [
        ("entities[0].holdings[0].shares", f"must not be negative, got {shown}", 8)
    ]


def test_a_non_number_in_a_file_is_rejected_with_the_message() -> None:
    with pytest.raises(sf.ScenarioError) as exc:
        sf.loads(holding("lots"))
    assert exc.value.lines() == [
        "error: <string>:8: entities[0].holdings[0].shares: 'lots' is not a number "
        "(write e.g. 2500000, 2_500_000, 2.5M, 13B, 49% or 3x)"
    ]


@settings(max_examples=100)
@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**15), max_value=10**15, places=6))
def test_any_decimal_spelled_out_reads_back_exactly(d: Decimal) -> None:
    assert parse_number(str(d)) == F(d)
    assert parse_number(f"{d:,}") == F(d)
    assert parse_number(f"{d}M") == F(d) * 10**6


@settings(max_examples=100)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_is_read_as_its_shortest_decimal_spelling(x: float) -> None:
    if x == 0 or 1e-30 <= abs(x) <= 1e30:
        assert parse_number(x) == F(Decimal(repr(x)))
        assert float(parse_number(x)) == x
    else:
        with pytest.raises(NumberError, match="out of range: numbers must lie between 1e-30 and 1e30"):
            parse_number(x)


@pytest.mark.parametrize("text", ["1e30", "-1e30", "1e-30", "1000000000000000000T", "0e999"])
def test_the_ends_of_the_range_are_read(text: str) -> None:
    assert abs(parse_number(text)) in (0, F(10) ** 30, F(1, 10**30))


@pytest.mark.parametrize("text", ["1.0000000001e30", "1000000000000000001T", "1e31", "0.99e-30", "1e400", "1e-400",
                                  "1" + "0" * 5000, "1e999999999", "1e-999999999"])
def test_past_the_ends_of_the_range_is_an_error(text: str) -> None:
    with pytest.raises(NumberError, match="out of range"):
        parse_number(text)


@pytest.mark.parametrize(("spelled", "value"), [("010", 10), ("08", 8), ("+5", 5), ("1_000", 1000)])
def test_integers_are_decimal_whatever_yaml_1_1_says(spelled: str, value: int) -> None:
    # YAML 1.1 reads an unquoted 010 as octal 8; the format reads decimal as written.
    assert sf.loads(holding(spelled)).entity("company").holdings[0].shares == value  # type: ignore[index]


@pytest.mark.parametrize("spelled", ["0x10", "0b11", "1:30"])
def test_hexadecimal_binary_and_sexagesimal_are_not_numbers(spelled: str) -> None:
    with pytest.raises(sf.ScenarioError) as exc:
        sf.loads(holding(spelled))
    assert [p.message for p in exc.value.problems] == [
        f"'{spelled}' is not a number (write e.g. 2500000, 2_500_000, 2.5M, 13B, 49% or 3x)"
    ]


@pytest.mark.parametrize("value", [10**30 + 1, -(10**30) - 1, 10**400, 10**5000], ids=["1e30+1", "-1e30-1", "1e400",
                                                                                    "1e5000"])
def test_an_integer_past_the_range_is_an_error(value: int) -> None:
    # YAML reads a long integer as a Python int, which must meet the same range as any spelling.
    with pytest.raises(NumberError, match="out of range"):
        parse_number(value)
    assert parse_number(10**30) == 10**30


def test_a_long_integer_in_a_file_is_reported_at_its_field() -> None:
    with pytest.raises(sf.ScenarioError) as exc:
        sf.loads(holding("1" + "0" * 400))
    assert exc.value.lines() == [
        "error: <string>:8: entities[0].holdings[0].shares: '1000000000000000...00000000' is out of range: "
        "numbers must lie between 1e-30 and 1e30 in size"
    ]
