"""``sf.value``: the one way in that the command line and the web API share."""

from __future__ import annotations

from pathlib import Path

import pytest

import stakeflow as sf
from stakeflow.scenario.errors import InputError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def seed_sc() -> sf.Scenario:
    return sf.load(EXAMPLES / "seed.yaml")


def test_opm_is_value_opm(seed_sc: sf.Scenario) -> None:
    got = sf.value(seed_sc, "opm", equity_value="12M", volatility="60%", term=3, rate="4%")
    want = sf.value_opm(seed_sc, "12M", "60%", 3, "4%")
    assert got.to_json() == want.to_json()


def test_backsolve_is_backsolve(seed_sc: sf.Scenario) -> None:
    cls = next(c.id for c in seed_sc.entities[0].classes or () if c.kind == "preferred")
    got = sf.value(seed_sc, "opm", backsolve_class=cls, price="1.2", volatility="60%", term=3, rate="4%")
    want = sf.backsolve(seed_sc, cls, "1.2", "60%", 3, "4%")
    assert got.equity_value == want.equity_value
    assert got.to_json() == want.to_json()


def test_montecarlo_is_value_montecarlo(seed_sc: sf.Scenario) -> None:
    # Seed 11, 20,000 paths: the same seed must give bitwise the same numbers either way in.
    got = sf.value(seed_sc, "montecarlo", equity_value="12M", volatility="60%", term=3, rate="4%",
                   paths=20_000, seed=11)
    want = sf.value_montecarlo(seed_sc, "12M", "60%", 3, "4%", paths=20_000, seed=11)
    assert got.to_json() == want.to_json()


@pytest.mark.parametrize(("method", "options", "message"), [
    ("opm", {"volatility": "60%", "term": 3, "rate": "4%", "paths": 10},
     "--paths does not apply to --method opm"),
    ("opm", {"equity_value": "12M", "term": 3, "rate": "4%"}, "--method opm needs --volatility S"),
    ("montecarlo", {"equity_value": "12M", "volatility": "60%", "term": 3, "rate": "4%", "backsolve_class": "x"},
     "--backsolve does not apply to --method montecarlo"),
    ("pwerm", {}, "--method pwerm needs --scenarios FILE"),
    ("binomial", {}, "unknown method 'binomial' (valid: opm, montecarlo, pwerm)"),
])
def test_bad_combinations(seed_sc: sf.Scenario, method: str, options: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        sf.value(seed_sc, method, **options)  # type: ignore[arg-type]
