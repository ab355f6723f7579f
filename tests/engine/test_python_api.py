"""The Python API of SPEC §9: load / loads / waterfall, exact results, pandas and notebooks."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

import stakeflow as sf
from stakeflow.engine import EquityFlow

README_SCENARIO = """\
stakeflow: 1
name: Example Inc. after Series A
currency: USD
holders:
  - id: founders
  - id: acme_ventures
    name: Acme Ventures LP
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - id: series_a
        kind: preferred
        price_per_share: 1.00
        liquidation_preference_multiple: 1
        participating: false
    holdings:
      - {holder: founders, class: common, shares: 8M}
      - {holder: acme_ventures, class: series_a, shares: 2M}
"""


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    p = tmp_path / "mycap.yaml"
    p.write_text(README_SCENARIO)
    return p


def test_load_and_loads_give_the_same_scenario(scenario_file: Path) -> None:
    a = sf.load(scenario_file)
    b = sf.loads(README_SCENARIO)
    assert isinstance(a, sf.Scenario)
    assert a == b
    assert sf.load(str(scenario_file)) == a


def test_waterfall_holders_are_exact_fractions(scenario_file: Path) -> None:
    # The README's numbers: at $20M the Series A converts and takes 20%; at $5M it takes its $2M.
    res = sf.waterfall(sf.load(scenario_file), exit_value="20M")
    assert res.holders == {"founders": Fraction(16_000_000), "acme_ventures": Fraction(4_000_000)}
    assert all(type(v) is Fraction for v in res.holders.values())
    flow = res.entities["company"]
    assert isinstance(flow, EquityFlow)
    assert flow.classes == {"common": 16_000_000, "series_a": 4_000_000}
    assert flow.converted == ["series_a"]
    assert sf.waterfall(sf.load(scenario_file), "5M").holders == {"founders": 3_000_000, "acme_ventures": 2_000_000}


@pytest.mark.parametrize(
    "spelling", ["20M", "20_000_000", "20,000,000", 20_000_000, 2e7, Fraction(20_000_000), "0.02B"]
)
def test_exit_value_in_any_spelling(spelling: object) -> None:
    res = sf.waterfall(sf.loads(README_SCENARIO), spelling)
    assert res.exit_value == 20_000_000


def test_scenario_can_be_built_directly() -> None:
    sc = sf.Scenario(
        stakeflow=1,
        holders=[{"id": "founders"}, {"id": "acme_ventures"}],  # type: ignore[list-item]
        entities=[  # type: ignore[list-item]
            {
                "id": "company",
                "classes": [{"id": "common", "kind": "common"},
                            {"id": "series_a", "kind": "preferred", "price_per_share": "1.00"}],
                "holdings": [{"holder": "founders", "class": "common", "shares": "8M"},
                             {"holder": "acme_ventures", "class": "series_a", "shares": "2M"}],
            }
        ],
    )
    assert sf.waterfall(sc, "20M").holders == sf.waterfall(sf.loads(README_SCENARIO), "20M").holders
    with pytest.raises(sf.ScenarioError):
        sf.Scenario(stakeflow=1, entities=[{"id": "x", "holdings": [{"holder": "y", "class": "c", "shares": 1}]}])  # type: ignore[list-item]


def test_to_frame_is_a_dataframe_of_the_holders() -> None:
    res = sf.waterfall(sf.loads(README_SCENARIO), "20M")
    df = res.to_frame()
    assert isinstance(df, pd.DataFrame)
    assert list(df.index) == ["founders", "acme_ventures"]
    assert df.loc["acme_ventures", "name"] == "Acme Ventures LP"
    assert df["amount"].tolist() == [16_000_000.0, 4_000_000.0]
    assert df["share"].tolist() == [0.8, 0.2]


def test_repr_html_shows_the_amounts() -> None:
    res = sf.waterfall(sf.loads(README_SCENARIO), "20M")
    html = res._repr_html_()
    assert html.lstrip().startswith("<")
    assert "<table" in html
    for text in ("16,000,000.00", "4,000,000.00", "Acme Ventures LP", "80.00%", "USD 20,000,000.00"):
        assert text in html, text


def test_to_json_has_the_shape_of_spec_7() -> None:
    res = sf.waterfall(sf.loads(README_SCENARIO), "20M")
    assert res.to_json() == {
        "entity": "company",
        "exit_value": 20_000_000.0,
        "holders": {"founders": 16_000_000.0, "acme_ventures": 4_000_000.0},
        "entities": {"company": {"classes": {"common": 16_000_000.0, "series_a": 4_000_000.0},
                                 "converted": ["series_a"]}},
    }


def test_bad_exit_values_raise_stakeflow_errors() -> None:
    sc = sf.loads(README_SCENARIO)
    for bad, why in [("abc", "is not a number"), ("-5", "must not be negative"), (None, "expected a number")]:
        with pytest.raises(sf.StakeflowError) as exc:
            sf.waterfall(sc, bad)
        assert why in str(exc.value)
