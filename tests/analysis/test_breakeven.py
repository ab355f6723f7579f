"""Break-even levers: closed forms on small structures, the exact static valuation, and each
answer checked by comparing the two structures again with the lever set to it."""

from __future__ import annotations

from fractions import Fraction

import pytest
from restructuring_cases import FLAGSHIP_MAP, capped, equity, flagship

from stakeflow.analysis.breakeven import BreakEven, breakeven, caps_of, growing_caps, static_roots
from stakeflow.analysis.compare import compare
from stakeflow.analysis.sensitivity import FairStake
from stakeflow.analysis.solve import cap_paths, holding_stake, with_stake
from stakeflow.analysis.values import joint_values
from stakeflow.scenario.errors import InputError
from stakeflow.scenario.fields import get_number, replace

F = Fraction
NP = "entities[co].holdings[np].shares"
INV = "entities[co].holdings[inv].shares"
FOUNDATION = "entities[openai_group].holdings[openai_foundation/common].shares"
MS = "entities[openai_group].holdings[microsoft].shares"

# The small structures of restructuring_cases, zero volatility (one path is exact): profits 22,
# 24.2 and 26.62 in years 1-3, the terminal value 100 at year 3, discount 10% a year. Before, the
# investor takes the first 50 dollars distributed and the nonprofit the rest; after, one class of
# common stock held 60/40.
V = [F(1) / F(11, 10) ** t for t in (1, 2, 3)]
WHOLE = 22 * V[0] + F(242, 10) * V[1] + (F(2662, 100) + 100) * V[2]
PROFITS = 22 * V[0] + F(242, 10) * V[1] + F(2662, 100) * V[2]


def first_dollars(x: Fraction) -> Fraction:
    """Present value of the first x dollars distributed, for 46.2 ≤ x ≤ 172.82 (the rest of year
    3's profit and the terminal value arrive together at year 3)."""
    return 22 * V[0] + F(242, 10) * V[1] + (x - F(462, 10)) * V[2]


def levers_of(found: list, party: str) -> dict[str, BreakEven]:  # type: ignore[type-arg]
    return {b.lever.key: b for s in found if s.target.party == party for b in s.levers}


def test_closed_forms_on_the_small_structures() -> None:
    # The nonprofit at its 40%: worth 0.4·E after, E − PV(first 50) before.
    # - caps × k: PV(first 50k) = 0.6·E, so 50k = 46.2 + (0.6 E − 40)·1.331;
    # - value × m (revenue, hence profits, × m; the terminal value is a fixed 100 here):
    #   0.4·(m·P + 100·v3) = E − PV(first 50);
    # - the investor's caps alone are all the caps: the same k;
    # - read once: the nonprofit's share of V is (V − 50)/V = 40% at V = 50/0.6.
    target = FairStake("np", NP, "total", 0.4, "np")
    found = breakeven(capped(), equity(), [target], paths=2, seed=0)
    got = levers_of(found, "np")
    assert list(got) == ["caps", "value", "static"]  # np has no caps; no date, so no growing caps
    k = (F(462, 10) + (F(6, 10) * WHOLE - 22 * V[0] - F(242, 10) * V[1]) / V[2]) / 50
    assert got["caps"].bound == "root" and got["caps"].value == pytest.approx(float(k), rel=1e-5)
    before_np = WHOLE - first_dollars(F(50))
    m = (before_np / F(4, 10) - 100 * V[2]) / PROFITS
    assert got["value"].bound == "root" and got["value"].value == pytest.approx(float(m), rel=1e-5)
    assert got["static"].value == pytest.approx(50 / 0.6, rel=1e-12) and got["static"].standard_error == 0.0
    # One path of a deterministic projection: nothing to be uncertain about.
    assert got["caps"].standard_error == 0.0 and got["value"].standard_error == 0.0


def test_a_lever_with_no_root_says_so() -> None:
    # The investor at its 60% is worth 0.6·E ≈ 81 after, PV(first 50) ≈ 42.9 before: shrinking
    # the new company cannot bring it down to 42.9, since the fixed terminal value alone gives it
    # 0.6 · 100 · v3 ≈ 45.1 at m = 0. No root: the lower end, marked, never an answer.
    target = FairStake("inv", INV, "total", 0.6, "inv")
    got = levers_of(breakeven(capped(), equity(), [target], paths=2, seed=0), "inv")
    value = got["value"]
    assert value.bound == "lower" and not value.is_root and value.value == 0.0
    assert value.reached == pytest.approx(float(F(6, 10) * 100 * V[2]), rel=1e-9)
    assert value.text().startswith("none: even at the lower end")
    assert got["caps"].is_root and got["caps_of:inv"].value == pytest.approx(got["caps"].value, rel=1e-9)


def test_static_valuation_of_the_flagship_in_closed_form() -> None:
    # Above both caps ($105B for Microsoft, $150B for the other investors) the nonprofit takes
    # everything: its share of V is 1 − 255B/V, 26% at V = 255B/0.74; Microsoft's is 105B/V,
    # 27% at V = 105B/0.27 (Fortune, Jan 2023 terms; hand computation).
    before, _ = flagship()
    assert static_roots(before, ["openai_nonprofit"], F(26, 100)) == [F(255 * 10**9) / F(74, 100)]
    assert static_roots(before, ["microsoft"], F(27, 100)) == [F(105 * 10**9) / F(27, 100)]
    # 25% is the nonprofit's share all through the first tier (Microsoft 75% until $13B): the
    # share is 25% on the whole piece, which is reported by its end, 13B/0.75; and again above
    # the caps, at 255B/0.75.
    assert static_roots(before, ["openai_nonprofit"], F(25, 100)) == [F(13 * 10**9) / F(75, 100),
                                                                       F(255 * 10**9) / F(75, 100)]


@pytest.fixture(scope="module")
def flagship_breakeven():  # type: ignore[no-untyped-def]
    before, after = flagship()
    targets = [FairStake("openai_foundation", FOUNDATION, "total", 0.26, "foundation"),
               FairStake("microsoft", MS, "structure", 0.27, "microsoft, claims alone")]
    return before, after, breakeven(before, after, targets, mapping=FLAGSHIP_MAP, paths=2_000, seed=8)


def _moved(before, after, b: BreakEven):  # type: ignore[no-untyped-def]
    """The two structures with the lever set to its answer, built without the solver."""
    k = F(b.value).limit_denominator(10**12)  # type: ignore[arg-type]
    if b.lever.key in ("caps", "cap_growth") or b.lever.key.startswith("caps_of:"):
        if b.lever.key == "cap_growth":
            return growing_caps(before, k), after
        paths = cap_paths(before) if b.lever.key == "caps" else caps_of(before, [b.lever.key.split(":")[1]])
        for p in paths:
            before = replace(before, p, get_number(before, p) * k)
        return before, after
    assert b.lever.key == "value"
    p = "projection.revenue.initial"
    return before, replace(after, p, get_number(after, p) * k)


@pytest.mark.parametrize("party", ["openai_foundation", "microsoft"])
def test_each_answer_makes_the_reported_stake_fair_when_compared_again(flagship_breakeven, party: str) -> None:  # type: ignore[no-untyped-def]
    # 2,000 paths, seed 8: with the lever at its answer, compare (an independent run over both
    # structures) finds the party's transfer at the reported stake zero within one standard error
    # of the paired difference (in fact to Brent's tolerance, the paths being the same); with the
    # lever four of its own standard errors away, the transfer is more than two of its standard
    # errors away (the answer's error is the difference's error over the slope, so about four).
    before, after, found = flagship_breakeven
    got = levers_of(found, party)
    assert {"caps", "cap_growth", "value", "caps_of:microsoft"} <= set(got)
    for key in ("caps", "cap_growth", "value", "caps_of:microsoft"):
        b = got[key]
        assert b.is_root and b.value is not None and b.standard_error is not None and b.standard_error > 0, key
        for shift, fair in ((0.0, True), (4.0, False), (-4.0, False)):
            at = b.value + shift * b.standard_error
            off = BreakEven(b.target, b.lever, at, b.standard_error, b.bound, b.paths, b.seed)
            bb, aa = _moved(before, after, off)
            again = compare(bb, aa, FLAGSHIP_MAP, paths=2_000, seed=8)
            if b.target.basis == "total":
                t = again.transfers[party]
                change, se = t.change, t.change_se
            else:
                # What the structure alone pays: its paired difference on the same paths.
                j = joint_values([bb, aa], 2_000, 8)
                w = j.weights({(1, party, "structure"): 1.0, (0, party, "structure"): -1.0})
                change, se = j.combine(w)
                assert change == pytest.approx(again.after.components[party]["structure"]
                                               - again.before.components[party]["structure"], rel=1e-9, abs=1.0)
            if fair:
                assert abs(change) < se, (key, change, se)
            else:
                assert abs(change) > 2 * se, (key, change, se)


def test_the_flagship_answers_in_words(flagship_breakeven) -> None:  # type: ignore[no-untyped-def]
    _, _, found = flagship_breakeven
    got = levers_of(found, "openai_foundation")
    # The caps would have to be many times larger, the company worth more after the change.
    assert got["caps"].value > 5 and got["value"].value > 1  # type: ignore[operator]
    assert got["caps"].text().startswith("×") and " ± " in got["caps"].text()
    assert got["static"].text() == "$344.6B (exact)"
    assert got["cap_growth"].text().endswith("%") and "a year ±" in got["cap_growth"].text()


def test_with_stake_sets_the_holding_and_nothing_else() -> None:
    _, after = flagship()
    moved = with_stake(after, FOUNDATION, 0.5)
    assert holding_stake(moved, FOUNDATION) == pytest.approx(0.5, rel=1e-12)
    assert get_number(moved, MS) == get_number(after, MS)
    assert with_stake(after, FOUNDATION, 0.26) is after
    with pytest.raises(InputError, match="is not a stock holding's share count"):
        with_stake(after, "projection.discount_rate", 0.5)
