"""``sf.value``: the one way in that the command line and the web API share."""

from __future__ import annotations

from pathlib import Path

import pytest

import stakeflow as sf
from stakeflow.io.flags import error_lines
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


@pytest.mark.parametrize(("method", "options", "said", "command_line"), [
    ("opm", {"volatility": "60%", "term": 3, "rate": "4%", "paths": 10},
     "paths does not apply to method opm", "--paths does not apply to --method opm"),
    ("opm", {"equity_value": "12M", "term": 3, "rate": "4%"},
     "method opm needs volatility", "--method opm needs --volatility S"),
    ("opm", {"volatility": "60%", "term": 3, "rate": "4%"},
     "method opm needs equity_value (or backsolve_class and price)",
     "--method opm needs --equity-value V (or --backsolve CLASS --price P)"),
    ("opm", {"equity_value": "12M", "volatility": "60%", "term": 3, "rate": "4%", "price": 1},
     "price needs backsolve_class", "--price needs --backsolve CLASS"),
    ("montecarlo", {"equity_value": "12M", "volatility": "60%", "term": 3, "rate": "4%", "backsolve_class": "x"},
     "backsolve_class does not apply to method montecarlo", "--backsolve does not apply to --method montecarlo"),
    ("montecarlo", {"equity_value": "12M", "volatility": "60%", "term": 3, "rate": "4%", "seed": -1},
     "seed must be a non-negative whole number, got -1", "--seed must be a non-negative whole number, got -1"),
    ("montecarlo", {"equity_value": "12M", "volatility": "60%", "term": 3, "rate": "4%", "chunk_size": "1.5"},
     "chunk_size must be a positive whole number, got 1.5", "--chunk-size must be a positive whole number, got 1.5"),
    ("montecarlo", {"volatility": "60%", "term": 3, "rate": "4%"},
     "method montecarlo needs equity_value (or distribution)",
     "--method montecarlo needs --equity-value V (or --distribution FILE)"),
    ("montecarlo", {"equity_value": "12M", "term": 3, "rate": "4%", "distribution": EXAMPLES / "law.yaml"},
     "equity_value does not apply with a lognormal distribution: give its mean or median",
     "--equity-value does not apply with a lognormal --distribution: give its mean or median"),
    ("pwerm", {}, "method pwerm needs scenarios", "--method pwerm needs --scenarios FILE"),
    ("binomial", {}, "unknown method 'binomial' (valid: opm, montecarlo, pwerm)",
     "unknown method 'binomial' (valid: opm, montecarlo, pwerm)"),
])
def test_bad_combinations(seed_sc: sf.Scenario, method: str, options: dict[str, object], said: str,
                          command_line: str) -> None:
    # The library names parameters as the Python API spells them; the command line (and the web
    # API, which answers with its lines) as its flags.
    with pytest.raises(InputError) as err:
        sf.value(seed_sc, method, **options)  # type: ignore[arg-type]
    assert str(err.value) == said
    assert error_lines(err.value) == [f"error: {command_line}"]


def test_a_parameter_error_survives_pickling_for_worker_processes(seed_sc: sf.Scenario) -> None:
    import pickle

    with pytest.raises(InputError) as err:
        sf.value(seed_sc, "montecarlo", equity_value="12M", volatility="60%", term=3, rate="4%", paths=0)
    again = pickle.loads(pickle.dumps(err.value))
    assert str(again) == str(err.value) == "paths must be a positive whole number, got 0"
    assert error_lines(again) == ["error: --paths must be a positive whole number, got 0"]
