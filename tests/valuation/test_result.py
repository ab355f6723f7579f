"""Valuation results where analysts work: the public API, pandas frames, notebook HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

import stakeflow as sf

ROOT = Path(__file__).resolve().parents[2]


def test_public_api_and_frames() -> None:
    sc = sf.load(ROOT / "examples" / "seed.yaml")
    res = sf.value_opm(sc, "12M", "60%", 3, "4%", dlom="put")
    assert isinstance(res, sf.ValuationResult)
    frame = res.to_frame()
    assert list(frame.index) == ["founders", "employees", "seed_investors"]
    assert frame.loc["founders", "value"] == res.holders["founders"]
    assert frame["share"].sum() == pytest.approx(1.0, rel=1e-12)
    assert frame.loc["founders", "value_after_dlom"] == pytest.approx(
        res.holders["founders"] * (1 - res.dlom.discount))  # type: ignore[union-attr]
    classes = res.classes_frame()
    assert classes.loc["seed", "per_share"] == res.classes["seed"]
    assert classes.loc["seed", "shares"] == 2_500_000
    html = res._repr_html_()
    assert "Founders (two, combined)" in html and "options_2024" in html
    with pytest.raises(AttributeError):
        res.equity_value = 1.0  # type: ignore[misc]


def test_montecarlo_frame_has_standard_errors() -> None:
    sc = sf.load(ROOT / "examples" / "seed.yaml")
    res = sf.value_montecarlo(sc, "12M", "60%", 3, "4%", paths=65_536, seed=1)
    assert res.standard_errors is not None
    assert res.to_frame().loc["founders", "standard_error"] == res.standard_errors["founders"]
    assert "per_share_standard_error" in res.classes_frame().columns
