"""The no-conversion branch: closed forms on the small structures, and the flagship's terms."""

from __future__ import annotations

from fractions import Fraction

import pytest
from restructuring_cases import FLAGSHIP_MAP, capped, equity, flagship

from stakeflow.analysis.branches import NoConversion, branches, failed
from stakeflow.analysis.restructuring import flagship_plan, read_plan
from stakeflow.scenario.errors import InputError

F = Fraction
# Zero volatility, one path is exact: profits 22, 24.2, 26.62 in years 1-3, terminal value 100
# at year 3, discount 10%; before, the investor takes the first 50 dollars distributed.
V = [F(1) / F(11, 10) ** t for t in (1, 2, 3)]
WHOLE = 22 * V[0] + F(242, 10) * V[1] + (F(2662, 100) + 100) * V[2]

REFUND = NoConversion(contracts=[{"id": "refund", "kind": "payment", "payer": "co", "payee": "inv", "total": "10",
                                  "start": "2026-06-30", "end": "2026-06-30", "payee_margin": "100%"}],
                      weights=[F(1, 2)])


def test_money_returned_on_failure_in_closed_form() -> None:
    # Failure returns 10 to the investor in year 1, out of the company's profit: distributions
    # become 12, 36.2, 62.82 (+100). The investor still fills its cap of 50 in year 3:
    # 12·v1 + 24.2·v2 + 13.8·v3 from the structure, plus 10·v1 in cash; the nonprofit receives
    # 112.82·v3 instead of 122.82·v3: it pays for the refund, two years later.
    res = branches(capped(), equity(), REFUND, paths=2, seed=0)
    inv, np_ = res.parties["inv"], res.parties["np"]
    assert inv.before.value == pytest.approx(float(22 * V[0] + F(242, 10) * V[1] + F(38, 10) * V[2]), rel=1e-12)
    assert inv.fails.value == pytest.approx(float(22 * V[0] + F(242, 10) * V[1] + F(138, 10) * V[2]), rel=1e-12)
    assert np_.fails.value == pytest.approx(float(F(11282, 100) * V[2]), rel=1e-12)
    assert np_.fails_less_before.value == pytest.approx(float(-10 * V[2]), rel=1e-9)
    assert inv.converts.value == pytest.approx(float(F(6, 10) * WHOLE), rel=1e-12)
    # Weighted half and half, exactly between the two outcomes.
    assert inv.weighted[0.5].value == pytest.approx((inv.fails.value + inv.converts.value) / 2, rel=1e-12)
    assert inv.converts_less_fails.value == pytest.approx(inv.converts.value - inv.fails.value, rel=1e-12)
    assert [c.id for c in res.triggered] == ["refund"]


def test_flagship_terms_and_who_they_favour() -> None:
    # The plan's terms: the $6.6B of October 2024 returned ($1B of it to Microsoft) and SoftBank
    # keeping $10B. Both sums go to the investors, paid out of the company's profits, which the
    # nonprofit, holding the residual, bears. 3,000 paths, seed 8: each sign is many standard
    # errors from zero.
    before, after = flagship()
    plan, _ = read_plan(flagship_plan())
    assert plan.no_conversion is not None
    res = branches(before, after, plan.no_conversion, mapping=FLAGSHIP_MAP, paths=3_000, seed=8)
    assert sum(float(c.total or 0) for c in res.triggered) == pytest.approx(16.6e9)
    gain = {p: b.fails_less_before for p, b in res.parties.items()}
    assert gain["openai_foundation"].value < -5 * gain["openai_foundation"].standard_error
    assert gain["microsoft"].value > 5 * gain["microsoft"].standard_error
    assert gain["employees_and_investors"].value > 5 * gain["employees_and_investors"].standard_error
    # What the investors keep is cash: worth at most its face value today.
    assert gain["employees_and_investors"].value < 15.6e9


def test_bad_terms_are_an_input_error() -> None:
    bad = NoConversion(contracts=[{"id": "refund", "kind": "payment", "payer": "co", "payee": "nobody",
                                   "total": "10", "start": "2026-06-30", "end": "2026-06-30"}])
    with pytest.raises(InputError, match=r"^no_conversion: contracts\[0\]\.payee: unknown claimant .nobody."):
        failed(capped(), bad)
