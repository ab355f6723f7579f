"""Parameter objects: read from every spelling of SPEC §1, checked when made, frozen."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from stakeflow.io.flags import error_lines, flag
from stakeflow.scenario.errors import InputError
from stakeflow.valuation.errors import Param, Params
from stakeflow.valuation.parameters import DEFAULT_CHUNK, DEFAULT_PATHS, MarketInputs, MonteCarloSettings, seed, whole


def test_market_inputs_from_every_spelling() -> None:
    m = MarketInputs.read("25M", "60%", 3, "4%")
    assert m == MarketInputs(25e6, 0.6, 3.0, 0.04)
    assert MarketInputs.read(Fraction(25_000_000), 0.6, "3", 0.04) == m
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.volatility = 0.5  # type: ignore[misc]


def test_market_inputs_are_checked_when_made_directly() -> None:
    with pytest.raises(InputError, match=r"^volatility 60 means 6,000% a year"):
        MarketInputs(1e6, 60, 3, 0.04)
    with pytest.raises(InputError, match=r"^term must be positive, got 0"):
        MarketInputs(1e6, 0.6, 0, 0.04)
    with pytest.raises(InputError, match=r"^rate must be above -100%"):
        MarketInputs(1e6, 0.6, 1, -1)


def test_monte_carlo_settings_defaults_and_spellings() -> None:
    s = MonteCarloSettings.read()
    assert (s.paths, s.seed, s.chunk_size, s.workers, s.scheduler, s.antithetic) == (
        DEFAULT_PATHS, 0, DEFAULT_CHUNK, 1, None, False)
    assert MonteCarloSettings.read("1M", "7", "65_536", 2).paths == 1_000_000
    assert MonteCarloSettings.read(paths="2.5M").paths == 2_500_000


@pytest.mark.parametrize(("kwargs", "said", "command_line"), [
    ({"paths": 0}, "paths must be a positive whole number, got 0", "--paths must be a positive whole number, got 0"),
    ({"paths": "1.5"}, "paths must be a positive whole number, got 1.5",
     "--paths must be a positive whole number, got 1.5"),
    ({"seed": -1}, "seed must be a non-negative whole number, got -1",
     "--seed must be a non-negative whole number, got -1"),
    ({"chunk_size": "x"}, "chunk_size must be a positive whole number, got x",
     "--chunk-size must be a positive whole number, got x"),
    ({"workers": 0}, "workers must be a positive whole number, got 0",
     "--workers must be a positive whole number, got 0"),
])
def test_monte_carlo_settings_errors_in_each_callers_terms(kwargs: dict[str, object], said: str,
                                                           command_line: str) -> None:
    with pytest.raises(InputError) as err:
        MonteCarloSettings.read(**kwargs)  # type: ignore[arg-type]
    assert str(err.value) == said
    assert error_lines(err.value) == [f"error: {command_line}"]


def test_settings_made_directly_take_whole_numbers_only() -> None:
    with pytest.raises(InputError, match=r"^paths must be a positive whole number, got 1.5$"):
        MonteCarloSettings(paths=1.5)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"^seed must be a non-negative whole number, got True$"):
        MonteCarloSettings(seed=True)


def test_flags_of_parameters() -> None:
    assert flag(Param("chunk_size")) == "--chunk-size"
    assert flag(Param("volatility", "S")) == "--volatility S"
    assert flag(Param("volatility", "S"), False) == "--volatility"
    assert flag(Params((Param("backsolve_class", "CLASS"), Param("price", "P")))) == "--backsolve CLASS --price P"


def test_seed_is_a_whole_number_from_zero_in_any_spelling() -> None:
    assert seed(None) == 0 and seed(None, 2025) == 2025
    assert seed("7") == 7 and seed("1M") == 1_000_000 and seed(0) == 0
    for bad in ("-1", "1.5", "x"):
        with pytest.raises(InputError) as exc:
            seed(bad)
        assert str(exc.value) == f"seed must be a non-negative whole number, got {bad}"
        assert error_lines(exc.value) == [f"error: --seed must be a non-negative whole number, got {bad}"]


def test_whole_reads_any_spelling_and_says_its_callers_message() -> None:
    assert whole("2.5K", "{name} {value}", 1, "count") == 2500
    with pytest.raises(InputError) as exc:
        whole("2.5", "--grid {name}={spec}: COUNT is {value!r}", 2, "term", spec="1:2:2.5")
    assert str(exc.value) == "--grid term=1:2:2.5: COUNT is '2.5'"
