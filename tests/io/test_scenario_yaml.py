"""Scenario files written back: exact numbers that the reader (parse_number) reads as written,
comments where asked, and a stated rounding for the rationals a decimal cannot hold."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

import stakeflow as sf
from stakeflow.io.decimals import decimal_text, fraction_text, rounded_text
from stakeflow.io.scenario_yaml import SIGNIFICANT_DIGITS, dump_scenario, number_text
from stakeflow.scenario.numbers import parse_number

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([*ROOT.glob("examples/**/*.yaml"), *ROOT.glob("tests/cases/*.yaml"),
                Path(__file__).resolve().parent / "instruments.yaml"])


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_example_reads_back_equal(path: Path) -> None:
    sc = sf.load(path)
    text, rounded = dump_scenario(sc, header=["a header line"])
    assert rounded == []
    assert text.startswith("# a header line\n")
    assert sf.loads(text) == sc


@pytest.mark.parametrize(("x", "text"), [
    (Fraction(8_000_000), "8_000_000"), (Fraction(9999), "9999"), (Fraction(1, 8), "0.125"),
    (Fraction(-3, 20), "-0.15"), (Fraction(123456789, 10**12), "0.000123456789"),
])
def test_exact_spellings_read_back(x: Fraction, text: str) -> None:
    assert number_text(x) == (text, True)
    assert parse_number(text) == x


def test_non_terminating_rational_is_rounded_and_said() -> None:
    text, exact = number_text(Fraction(2, 3))
    assert not exact and text == "0." + "6" * (SIGNIFICANT_DIGITS - 1) + "7"
    assert abs(parse_number(text) - Fraction(2, 3)) < Fraction(1, 10**SIGNIFICANT_DIGITS)
    sc = sf.loads("""
stakeflow: 1
holders: [{id: a}, {id: b}]
entities:
  - id: co
    classes:
      - {id: common, kind: common}
      - {id: p, kind: preferred, price_per_share: 1}
    holdings: [{holder: a, class: common, shares: 1}, {holder: b, class: p, shares: 1}]
""")
    cls = sc.entities[0].classes[1].model_copy(update={"conversion_ratio": Fraction(2, 3)})
    ent = sc.entities[0].model_copy(update={"classes": [sc.entities[0].classes[0], cls]})
    odd = sc.model_copy(update={"entities": [ent]})
    text, rounded = dump_scenario(odd)
    assert [(r.path, r.exact) for r in rounded] == [("entities[0].classes[1].conversion_ratio", Fraction(2, 3))]
    assert "= 2/3 exactly; rounded to 30 significant digits" in text
    ratio = sf.loads(text).entities[0].classes[1].conversion_ratio
    assert abs(ratio - Fraction(2, 3)) < Fraction(1, 10**SIGNIFICANT_DIGITS)


def test_comments_on_lines() -> None:
    sc = sf.load(ROOT / "tests" / "cases" / "gust_participating.yaml")
    text, _ = dump_scenario(sc, notes={("holders", 1): "the investor", ("entities", 0, "holdings", 0): "founders"})
    lines = text.splitlines()
    assert "  - id: investor  # the investor" in lines
    assert "      - {holder: founders, class: common, shares: 7_000_000}  # founders" in lines


def test_decimals() -> None:
    assert decimal_text(Fraction(1, 3)) is None
    assert rounded_text(Fraction(2, 3), 10) == ("0.6666666667", False)
    # Half to even: 0.5, 2.5 and 1.5 units of the 10th place give 0, 2 and 2 units.
    assert rounded_text(Fraction(1, 2 * 10**10), 10) == ("0", False)
    assert rounded_text(Fraction(5, 2 * 10**10), 10) == ("0.0000000002", False)
    assert rounded_text(Fraction(15, 10**11), 10) == ("0.0000000002", False)
    assert fraction_text(Fraction(2, 3)) == "2/3" and Fraction(fraction_text(Fraction(2, 3))) == Fraction(2, 3)
    assert fraction_text(Fraction(1, 1024)) == "0.0009765625"
