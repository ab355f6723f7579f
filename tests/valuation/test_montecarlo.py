"""Monte Carlo against the option pricing method and the exact engine, and its reproducibility.

Every random test states its seed and checks agreement within 4 standard errors (plus 1e-9 of
the equity value for columns that are almost surely zero, where the standard error is 0).
"""

from __future__ import annotations

import functools
import math
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import stakeflow as sf
from stakeflow.engine.result import EquityFlow
from stakeflow.scenario.errors import InputError, ScenarioError
from stakeflow.valuation import _messages as M
from stakeflow.valuation.curves import pricing_curve
from stakeflow.valuation.distributions import Discrete, Lognormal
from stakeflow.valuation.moments import Moments
from stakeflow.valuation.montecarlo import value_montecarlo
from stakeflow.valuation.opm import value_opm
from stakeflow.valuation.streams import BLOCK

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seed.yaml"
STACKED = ROOT / "examples" / "venture_stacked.yaml"
TIERS = ROOT / "tests" / "cases" / "capped_profit_tiers.yaml"


@functools.cache
def load(path: Path) -> sf.Scenario:
    return sf.load(path)


def within(mc: dict[str, float], se: dict[str, float], want: dict[str, float], scale: float) -> None:
    for k, w in want.items():
        assert abs(mc[k] - w) <= 4 * se[k] + 1e-9 * scale, (k, mc[k], w, se[k])


@pytest.mark.parametrize(("path", "v"), [(SEED, 12e6), (STACKED, 200e6), (TIERS, 150e9)])
@pytest.mark.parametrize("antithetic", [False, True])
def test_within_four_standard_errors_of_opm(path: Path, v: float, antithetic: bool) -> None:
    sc = load(path)
    mc = value_montecarlo(sc, v, "60%", 3, "4%", paths=200_000, seed=20251028, antithetic=antithetic)
    opm = value_opm(sc, v, "60%", 3, "4%")
    assert mc.standard_errors is not None and mc.class_standard_errors is not None
    within(mc.holders, mc.standard_errors, opm.holders, v)
    within(mc.classes, mc.class_standard_errors, opm.classes, v)
    assert mc.equity_value == v and mc.inputs["seed"] == 20251028
    # The estimate is informative: standard errors are small against the values.
    assert max(mc.standard_errors.values()) < 0.01 * v


def test_same_seed_same_numbers_whatever_the_chunking_or_workers() -> None:
    from dask.distributed import Client, LocalCluster

    sc = load(SEED)
    args = (sc, "12M", "60%", 3, "4%")
    paths = 5 * BLOCK + 123
    base = value_montecarlo(*args, paths=paths, seed=7, chunk_size=BLOCK, workers=1)
    # Two Dask workers of one thread each, in this process (worker processes: tests/valuation/test_cluster.py).
    with LocalCluster(n_workers=2, processes=False, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        for chunk, on in [(4 * BLOCK, None), (2 * BLOCK, client), (BLOCK, client), (10**9, None)]:
            other = value_montecarlo(*args, paths=paths, seed=7, chunk_size=chunk, client=on)
            assert other.holders == base.holders, (chunk, on)
            assert other.standard_errors == base.standard_errors
            assert other.classes == base.classes
    assert value_montecarlo(*args, paths=paths, seed=8).holders != base.holders


def test_progress_counts_every_path() -> None:
    seen: list[int] = []
    value_montecarlo(load(SEED), "12M", "60%", 3, "4%", paths=3 * BLOCK + 5, seed=1, chunk_size=2 * BLOCK,
                     progress=seen.append)
    assert sorted(seen) == [BLOCK + 5, 2 * BLOCK]  # as chunks finish, on threads in any order


def engine_payouts(sc: sf.Scenario, x: float) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
    res = sf.waterfall(sc, Fraction(x), explain=False)
    flow = res.entities[res.entity]
    return res.holders, (flow.classes if isinstance(flow, EquityFlow) else {})


def test_sample_file_is_the_exact_average(tmp_path: Path) -> None:
    # A sample file's paths are its values: the value is e^{−rT} times the mean of the exact
    # engine's payouts over them, and the standard error is s/√n of those payouts.
    sc = load(SEED)
    xs = [0.0, 1e6, 2.5e6, 4.1e6, 11.7e6, 50e6, 123456789.0]
    (tmp_path / "s.csv").write_text("exit_value\n" + "\n".join(f"{x!r}" for x in xs) + "\n")
    np.save(tmp_path / "s.npy", np.array(xs))
    disc = math.exp(-0.04 * 2)
    exact = [engine_payouts(sc, x) for x in xs]
    for name in ("s.csv", "s.npy"):
        res = value_montecarlo(sc, term=2, rate="4%", distribution=tmp_path / name)
        assert res.inputs["paths"] == len(xs)
        for h in res.holders:
            col = np.array([float(e[0][h]) for e in exact])
            assert res.holders[h] == pytest.approx(disc * col.mean(), rel=1e-12)
            assert res.standard_errors is not None
            assert res.standard_errors[h] == pytest.approx(disc * col.std(ddof=1) / math.sqrt(len(xs)), rel=1e-9)
        for c, per in res.classes.items():
            col = np.array([float(e[1][c]) for e in exact])
            assert per == pytest.approx(disc * col.mean() / float(res.class_shares[c]), rel=1e-12)
    (tmp_path / "plain.txt").write_text("\n".join(f"{x!r}" for x in xs))
    res = value_montecarlo(sc, term=2, rate="4%", distribution=tmp_path / "plain.txt")
    assert res.inputs["paths"] == len(xs)


def test_user_lognormal_matches_closed_form(tmp_path: Path) -> None:
    # E[payout(X)] for lognormal X is a strip of undiscounted Black calls (closed form).
    sc = load(STACKED)
    (tmp_path / "d.yaml").write_text("distribution: lognormal\nmedian: 150M\nvolatility: 45%\n")
    res = value_montecarlo(sc, term=4, rate="20%", distribution=tmp_path / "d.yaml", paths=200_000, seed=3)
    law = Lognormal(150e6, 0.45, 4.0)
    pc = pricing_curve(sc)
    want = math.exp(-0.8) * pc.holders.expected(law.mean, 0.45 * 2.0)
    assert res.standard_errors is not None
    within(res.holders, res.standard_errors, pc.by_holder(want), 150e6)
    (tmp_path / "m.yaml").write_text("distribution: lognormal\nmean: 150M\nvolatility: 45%\n")
    res = value_montecarlo(sc, term=4, rate="20%", distribution=tmp_path / "m.yaml", paths=BLOCK, seed=3)
    assert res.inputs["median"] == pytest.approx(150e6 * math.exp(-0.5 * 0.45**2 * 4))


def test_discrete_law_matches_exact_expectation(tmp_path: Path) -> None:
    sc = load(SEED)
    (tmp_path / "d.yaml").write_text("distribution: discrete\nvalues: [2M, 10M, 60M]\nprobabilities: [50%, 30%, 20%]\n")
    res = value_montecarlo(sc, term=1, rate=0, distribution=tmp_path / "d.yaml", paths=100_000, seed=11)
    law = Discrete((2e6, 10e6, 60e6), (0.5, 0.3, 0.2))
    assert law.mean == pytest.approx(16e6)
    want = {h: sum(p * float(engine_payouts(sc, x)[0][h]) for x, p in zip(law.values, law.probabilities,
                                                                            strict=True)) for h in res.holders}
    assert res.standard_errors is not None
    within(res.holders, res.standard_errors, want, 16e6)


def test_moments_merge_is_the_pooled_variance() -> None:
    # Chan–Golub–LeVeque merge equals the two-pass statistics of the pooled sample.
    rng = np.random.default_rng(5)
    y = rng.lognormal(0, 1, size=(1000, 3))
    merged = Moments.of(y[:300]).merge(Moments.of(y[300:]))
    np.testing.assert_allclose(merged.mean, y.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(merged.m2, ((y - y.mean(axis=0)) ** 2).sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(merged.standard_error(), y.std(axis=0, ddof=1) / math.sqrt(1000), rtol=1e-12)


def test_bad_inputs(tmp_path: Path) -> None:
    sc = load(SEED)
    args = (sc, "12M", "60%", 3, "4%")
    with pytest.raises(InputError, match=r"^paths must be a positive whole number, got 0$"):
        value_montecarlo(*args, paths=0)
    with pytest.raises(InputError, match=r"^paths must be a positive whole number, got 1\.5$"):
        value_montecarlo(*args, paths="1.5")
    with pytest.raises(InputError, match="even number of paths"):
        value_montecarlo(*args, paths=1001, antithetic=True)
    with pytest.raises(InputError, match=re.escape(M.NOT_POSITIVE.format(name="volatility", value="-0.2"))):
        value_montecarlo(sc, "12M", "-0.2", 3, "4%")
    with pytest.raises(InputError, match=r"^method montecarlo needs volatility$"):
        value_montecarlo(sc, "12M", None, 3, "4%")
    bad = tmp_path / "bad.csv"
    bad.write_text("1000\n-5\n")
    with pytest.raises(InputError, match=r"value 2 \(-5\.0\) is not a finite non-negative number"):
        value_montecarlo(sc, term=1, rate=0, distribution=bad)
    words = tmp_path / "words.csv"
    words.write_text("value\n10\nabc\n")
    with pytest.raises(InputError, match=r"value 3 \('abc'\)"):
        value_montecarlo(sc, term=1, rate=0, distribution=words)
    with pytest.raises(InputError, match="no such file"):
        value_montecarlo(sc, term=1, rate=0, distribution=tmp_path / "missing.csv")
    spec = tmp_path / "d.yaml"
    spec.write_text("distribution: discrete\nvalues: [1M, 2M]\nprobabilities: [50%, 40%]\n")
    with pytest.raises(ScenarioError, match=re.escape(M.EMPIRICAL_PROBABILITIES_SUM.format(total=0.9))):
        value_montecarlo(sc, term=1, rate=0, distribution=spec)
    spec.write_text("distribution: lognormal\nmedian: 1M\nmean: 2M\nvolatility: 50%\n")
    with pytest.raises(ScenarioError, match="exactly one of 'mean' or 'median'"):
        value_montecarlo(sc, term=1, rate=0, distribution=spec)
    spec.write_text("distribution: weibull\n")
    with pytest.raises(ScenarioError, match="must be 'lognormal' or 'discrete'"):
        value_montecarlo(sc, term=1, rate=0, distribution=spec)


def test_large_sample_files_agree(tmp_path: Path) -> None:
    # Several blocks: CSV (read in chunks) and NPY (memory-mapped) give bitwise the same result.
    xs = np.random.default_rng(4).lognormal(math.log(20e6), 1.0, 2 * BLOCK + 3)
    np.save(tmp_path / "s.npy", xs)
    (tmp_path / "s.csv").write_text("\n".join(repr(float(x)) for x in xs))
    sc = load(SEED)
    a = value_montecarlo(sc, term=1, rate=0, distribution=tmp_path / "s.npy")
    b = value_montecarlo(sc, term=1, rate=0, distribution=tmp_path / "s.csv")
    assert a.holders == b.holders and a.standard_errors == b.standard_errors
    assert a.inputs["paths"] == 2 * BLOCK + 3
