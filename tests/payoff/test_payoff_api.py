"""The curve object's interface: evaluation on arrays, exact reads, SPEC §7 JSON, frames."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest

import stakeflow as sf
from stakeflow.engine import reference_waterfall as waterfall
from stakeflow.payoff import PayoffCurve

CASES = Path(__file__).resolve().parents[1] / "cases"
MERCER = Path(__file__).resolve().parent / "cases" / "mercer_complexco.yaml"


@pytest.fixture(scope="module")
def curve() -> PayoffCurve:
    return sf.payoff_curve(sf.load(CASES / "venturesouth_capped.yaml"))


def test_public_names() -> None:
    assert sf.payoff_curve is sf.payoff.payoff_curve
    assert sf.PayoffCurve is PayoffCurve


def test_importing_stakeflow_does_not_import_numba() -> None:
    code = "import sys, stakeflow; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_evaluate_shape_order_and_values(curve: PayoffCurve) -> None:
    x = np.array([0.0, 1e6, 2e6, 10e6, 26e6, 31e6, 33e6, 1e9])
    out = curve.evaluate(x)
    assert out.shape == (8, 2) and out.dtype == np.float64
    for i, v in enumerate(x):
        res = waterfall(sf.load(CASES / "venturesouth_capped.yaml"), F(v), explain=False)
        assert list(out[i]) == pytest.approx([float(res.holders[h]) for h in curve.holders], rel=1e-12)


def test_evaluate_large_array_uses_the_parallel_path_and_agrees(curve: PayoffCurve) -> None:
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 50e6, 200_000)
    out = curve.evaluate(x)
    small = np.concatenate([curve.evaluate(x[i:i + 1000]) for i in range(0, x.size, 1000)])
    np.testing.assert_array_equal(out, small)
    np.testing.assert_allclose(out.sum(axis=1), x, rtol=1e-12)


def test_evaluate_into_a_preallocated_array(curve: PayoffCurve) -> None:
    x = np.linspace(0, 40e6, 1001)
    out = np.empty((1001, 2))
    got = curve.evaluate(x, out=out)
    assert got is out
    np.testing.assert_allclose(out, curve.evaluate(x), rtol=0, atol=0)


def test_evaluate_rejects_bad_input(curve: PayoffCurve) -> None:
    with pytest.raises(ValueError, match="proceeds must be >= 0"):
        curve.evaluate(np.array([1.0, -5.0]))
    with pytest.raises(ValueError, match="one-dimensional"):
        curve.evaluate(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="out= must be"):
        curve.evaluate(np.zeros(3), out=np.zeros((3, 5)))
    with pytest.raises(ValueError, match="out= must be"):
        curve.evaluate(np.zeros(3), out=np.zeros((3, 2), dtype=np.float32))


def test_evaluate_nan_in_nan_out_and_empty(curve: PayoffCurve) -> None:
    out = curve.evaluate(np.array([np.nan, 5e6]))
    assert np.isnan(out[0]).all() and not np.isnan(out[1]).any()
    assert curve.evaluate(np.array([])).shape == (0, 2)
    assert curve.evaluate([1e6, 2e6]).shape == (2, 2)  # any array-like


def test_evaluate_classes_matches_class_totals() -> None:
    curve = sf.payoff_curve(sf.load(MERCER))
    out = curve.evaluate_classes(np.array([2500.0, 8000.0, 30000.0]))
    assert curve.classes == ["class_a", "class_b", "common", "warrants"]
    want = [[float(v) for v in curve.class_value_at(x).values()] for x in (2500, 8000, 30000)]
    np.testing.assert_allclose(out, want, rtol=1e-12)
    assert curve.class_shares == {"class_a": 500, "class_b": 300, "common": 1500, "warrants": 250}


def test_value_at_reads_any_spelling_exactly(curve: PayoffCurve) -> None:
    assert curve.value_at("10M") == {"founders": F(6_000_000), "investor": F(4_000_000)}
    assert curve.value_at(F(33_000_000)) == {"founders": F(24_750_000), "investor": F(8_250_000)}
    with pytest.raises(sf.StakeflowError):
        curve.value_at("-1")


def test_json_is_spec_section_7(curve: PayoffCurve) -> None:
    doc = curve.to_json()
    assert doc == {
        "entity": "company",
        "breakpoints": [0.0, 2e6, 26e6, 32e6],
        "holders": {
            "founders": {"values": [0.0, 0.0, 18e6, 24e6], "slope_after": 0.75},
            "investor": {"values": [0.0, 2e6, 8e6, 8e6], "slope_after": 0.25},
        },
    }
    json.dumps(doc, allow_nan=False)


def test_frame_lists_tranches_with_each_holders_share(curve: PayoffCurve) -> None:
    frame = curve.to_frame()
    assert list(frame.columns) == ["from", "to", "founders", "investor"]
    assert frame["from"].tolist() == [0.0, 2e6, 26e6, 32e6]
    assert frame["to"].tolist() == [2e6, 26e6, 32e6, float("inf")]
    assert frame["investor"].tolist() == [1.0, 0.25, 0.0, 0.25]
    assert (frame[["founders", "investor"]].sum(axis=1) == 1.0).all()
    assert "tranche" in curve._repr_html_() or "from" in curve._repr_html_()


def test_tier_entity_has_no_classes() -> None:
    curve = sf.payoff_curve(sf.load(CASES / "capped_profit_tiers.yaml"))
    assert curve.classes == [] and curve.evaluate_classes(np.array([1e9])).shape == (1, 0)
    assert curve.holders == ["microsoft", "openai_nonprofit", "other_investors"]


def test_unknown_entity_is_an_input_error() -> None:
    with pytest.raises(sf.StakeflowError, match="nope"):
        sf.payoff_curve(sf.load(CASES / "nested_holdco.yaml"), "nope")
