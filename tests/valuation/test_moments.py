"""``Moments``: the one moments type of every Monte Carlo run, per column or jointly."""

from __future__ import annotations

import itertools
import math

import numpy as np

from stakeflow.valuation.moments import Moments, merge_in_order


def test_joint_moments_merged_are_the_pooled_covariance() -> None:
    # The merged co-moment matrix over 5 uneven blocks equals numpy's covariance of the pooled
    # sample (an independent two-pass computation), to rounding.
    rng = np.random.default_rng(17)
    x = rng.lognormal(0, 1, size=(2000, 4))
    x[:, 3] = x[:, 0] - 0.5 * x[:, 1]  # correlated columns: the off-diagonal terms matter
    cuts = [0, 100, 700, 701, 1500, 2000]
    merged = merge_in_order([Moments.joint(x[a:b]) for a, b in itertools.pairwise(cuts)])
    assert merged.count == 2000
    np.testing.assert_allclose(merged.mean, x.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(merged.covariance(), np.cov(x, rowvar=False), rtol=1e-11)
    np.testing.assert_allclose(merged.standard_error(), x.std(axis=0, ddof=1) / math.sqrt(2000), rtol=1e-11)


def test_per_column_and_joint_moments_agree_on_the_variances() -> None:
    rng = np.random.default_rng(3)
    y = rng.normal(5, 2, size=(1000, 3))
    per = Moments.of(y[:400]).merge(Moments.of(y[400:]))
    joint = Moments.joint(y[:400]).merge(Moments.joint(y[400:]))
    np.testing.assert_allclose(per.m2, np.diagonal(joint.m2), rtol=1e-12)
    np.testing.assert_allclose(per.standard_error(), joint.standard_error(), rtol=1e-12)


def test_per_column_moments_have_no_covariance() -> None:
    import pytest

    with pytest.raises(ValueError, match="no covariance"):
        Moments.of(np.ones((3, 2))).covariance()
