"""The scenario a new user pastes from docs/format.md gives the amounts the page works out by hand."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

import stakeflow as sf

DOCS = Path(__file__).resolve().parents[2] / "docs"


def format_example() -> sf.Scenario:
    text = (DOCS / "format.md").read_text()
    m = re.search(r"Save this as `example.yaml`.*?```yaml\n(.*?)```", text, re.S)
    assert m, "docs/format.md lost its complete example"
    return sf.loads(m.group(1), source="docs/format.md")


def test_the_complete_example_loads_and_uses_its_exit_defaults() -> None:
    sc = format_example()
    r = sf.waterfall(sc, sc.exit.value if sc.exit else None)
    assert r.entity == "company" and r.exit_value == 60_000_000


@pytest.mark.parametrize(
    ("v", "want"),
    [
        (5_000_000, {"fund_investors": 5_000_000}),
        # P = 1.35: 8P + 2P + 4P + (P − 0.25) = 20 (docs/format.md, "What to expect").
        (30_000_000, {"founders": 10_800_000, "seed_angels": 2_700_000, "employees": 1_100_000,
                      "fund_investors": 14_320_000, "fund_manager": 1_080_000}),
        # P = 13.35; the fund's $53.4M: 10 + 20 + 10 + 5.9 to the investors, 5 to the manager,
        # 2.5 overflow to the charity.
        (200_000_000, {"founders": 106_800_000, "seed_angels": 26_700_000, "employees": 13_100_000,
                       "fund_investors": 45_900_000, "fund_manager": 5_000_000, "charity": 2_500_000}),
    ],
)
def test_the_complete_example_pays_what_the_page_says(v: int, want: dict[str, int]) -> None:
    r = sf.waterfall(format_example(), v)
    assert {k: x for k, x in r.holders.items() if x} == {k: Fraction(x) for k, x in want.items()}


def test_every_yaml_block_in_format_md_that_is_a_whole_scenario_loads() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", (DOCS / "format.md").read_text(), re.S)
    whole = [b for b in blocks if b.startswith("stakeflow: 1")]
    assert whole
    for b in whole:
        sf.loads(b)
