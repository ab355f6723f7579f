"""PWERM and the hybrid method on hand-computed cases.

The case: Gust's 1x participating example (tests/cases/gust_participating.yaml: $2M invested
for 3M of 10M shares). Hand computation with annual discounting (1 + d)^{−t}:

    IPO          p = 40%, X = $20M, t = 2, d = 25%: investor 2M + 30%·18M = 7.4M, founders 12.6M,
                 factor 1/1.25² = 0.64  ->  4.736M and 8.064M
    Sale         p = 50%, X = $10M, t = 1, d = 25%: investor 2M + 30%·8M = 4.4M, founders 5.6M,
                 factor 0.8            ->  3.52M and 4.48M
    Dissolution  p = 10%, X = $1M, t = 0.5, d = 0%: investor 1M (its preference), founders 0

    investor = 0.4·4.736M + 0.5·3.52M + 0.1·1M = 3.7544M;  founders = 3.2256M + 2.24M = 5.4656M
    equity   = 0.4·12.8M + 0.5·8M + 0.1·1M = 9.22M; per share: series_a 3.7544M/3M, common 5.4656M/7M
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

import stakeflow as sf
from stakeflow.scenario.errors import ScenarioError
from stakeflow.valuation import _messages as M
from stakeflow.valuation.opm import value_opm
from stakeflow.valuation.pwerm import value_pwerm

ROOT = Path(__file__).resolve().parents[2]
GUST = ROOT / "tests" / "cases" / "gust_participating.yaml"

HAND = """\
scenarios:
  - name: IPO
    probability: 40%
    exit_value: 20M
    years: 2
    discount_rate: 25%
  - name: Sale
    probability: 50%
    exit_value: 10M
    years: 1
    discount_rate: 25%
  - name: Dissolution
    probability: 10%
    exit_value: 1M
    years: 0.5
    discount_rate: 0
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "scenarios.yaml"
    p.write_text(text)
    return p


def test_hand_computed_pwerm(tmp_path: Path) -> None:
    res = value_pwerm(sf.load(GUST), write(tmp_path, HAND))
    assert res.method == "pwerm"
    assert res.holders["investor"] == pytest.approx(3_754_400, rel=1e-12)
    assert res.holders["founders"] == pytest.approx(5_465_600, rel=1e-12)
    assert res.equity_value == pytest.approx(9_220_000, rel=1e-12)
    assert res.classes["series_a"] == pytest.approx(3_754_400 / 3_000_000, rel=1e-12)
    assert res.classes["common"] == pytest.approx(5_465_600 / 7_000_000, rel=1e-12)
    ipo = res.scenarios[0]
    assert ipo.holders["investor"] == pytest.approx(4_736_000, rel=1e-12)
    doc = res.to_json()
    assert [s["name"] for s in doc["scenarios"]] == ["IPO", "Sale", "Dissolution"]


def test_continuous_compounding(tmp_path: Path) -> None:
    text = "compounding: continuous\n" + HAND
    res = value_pwerm(sf.load(GUST), write(tmp_path, text))
    want = 0.4 * 7.4e6 * math.exp(-0.5) + 0.5 * 4.4e6 * math.exp(-0.25) + 0.1 * 1e6
    assert res.holders["investor"] == pytest.approx(want, rel=1e-12)


def test_hybrid_opm_scenario(tmp_path: Path) -> None:
    # Hybrid: 60% a sale at $10M in one year, 40% stay private valued by the OPM.
    text = """\
scenarios:
  - {name: Sale, probability: 60%, exit_value: 10M, years: 1, discount_rate: 25%}
  - {name: Stay private, probability: 40%, method: opm, equity_value: 6M, volatility: 70%, term: 3, rate: 4%}
"""
    sc = sf.load(GUST)
    res = value_pwerm(sc, write(tmp_path, text))
    opm = value_opm(sc, "6M", "70%", 3, "4%")
    assert res.method == "hybrid"
    for h in ("investor", "founders"):
        sale = {"investor": 4.4e6, "founders": 5.6e6}[h] * 0.8
        assert res.holders[h] == pytest.approx(0.6 * sale + 0.4 * opm.holders[h], rel=1e-12)
    assert res.classes["common"] == pytest.approx(0.6 * 5.6e6 * 0.8 / 7e6 + 0.4 * opm.classes["common"], rel=1e-12)


def test_lognormal_exit_is_the_opm_under_risk_neutral_inputs(tmp_path: Path) -> None:
    # A lognormal exit with mean V·e^{rT}, volatility σ over T years, discounted continuously at
    # r, is exactly the OPM's risk-neutral valuation (SPEC §7).
    v, s, t, r = 8e6, 0.5, 2.0, 0.05
    text = f"""\
compounding: continuous
scenarios:
  - name: Exit
    probability: 1
    exit_value: {{mean: {v * math.exp(r * t)!r}, volatility: {s}}}
    years: {t}
    discount_rate: {r}
"""
    sc = sf.load(ROOT / "examples" / "seed.yaml")
    res = value_pwerm(sc, write(tmp_path, text))
    opm = value_opm(sc, v, s, t, r)
    for h, want in opm.holders.items():
        assert res.holders[h] == pytest.approx(want, rel=1e-11)
    assert res.equity_value == pytest.approx(v, rel=1e-12)


def test_tiny_volatility_is_the_fixed_exit(tmp_path: Path) -> None:
    text = """\
scenarios:
  - {name: a, probability: 1, exit_value: {median: 10M, volatility: 0.0001%}, years: 1, discount_rate: 0}
"""
    res = value_pwerm(sf.load(GUST), write(tmp_path, text))
    assert res.holders["investor"] == pytest.approx(4.4e6, rel=1e-6)


@pytest.mark.parametrize(("text", "message"), [
    (HAND.replace("probability: 10%", "probability: 20%"), M.SCENARIOS_PROBABILITY_SUM.format(total="1.1")),
    (HAND.replace("    years: 2\n", ""), M.SCENARIO_NEEDS.format(method="exit", keys="'years'")),
    (HAND.replace("discount_rate: 0\n", "discount_rate: 0\n    volatility: 50%\n"),
     M.SCENARIO_FORBIDS.format(method="exit", keys="'volatility'")),
    (HAND.replace("exit_value: 1M", "exit_value: -1M"), M.NOT_POSITIVE.format(name="exit_value", value=-1e6)),
    (HAND.replace("years: 0.5", "yeers: 0.5"), "unknown key 'yeers'"),
    ("scenarios: []\n", "at least 1 item"),
    (HAND.replace("name: Sale", "name: IPO"), M.DUPLICATE_SCENARIO.format(name="IPO")),
])
def test_bad_scenarios_files(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(message)) as exc:
        value_pwerm(sf.load(GUST), write(tmp_path, text))
    assert all(line.startswith("error: ") and "scenarios.yaml" in line for line in exc.value.lines())


def test_probability_error_names_the_line(tmp_path: Path) -> None:
    text = HAND.replace("probability: 10%", "probability: 20%")
    with pytest.raises(ScenarioError) as exc:
        value_pwerm(sf.load(GUST), write(tmp_path, text))
    assert exc.value.lines() == [f"error: {tmp_path / 'scenarios.yaml'}:1: "
                                 + M.SCENARIOS_PROBABILITY_SUM.format(total="1.1")]


def test_scenarios_files_are_read_by_the_scenario_reader(tmp_path: Path) -> None:
    # One reader (scenario/loader.parse_model): a law's unknown key lists the law's keys, a list where
    # a scenario belongs is said as in a scenario file, each problem on its line.
    text = HAND.replace("exit_value: 10M", "exit_value: {median: 10M, volatility: 50%, spread: 1}") + "  - [1]\n"
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as exc:
        value_pwerm(sf.load(GUST), path)
    assert exc.value.lines() == [
        f"error: {path}:9: scenarios[1].exit_value.spread: unknown key 'spread' (valid keys here: distribution, "
        "median, mean, volatility)",
        f"error: {path}:17: scenarios[3]: expected a mapping, got a list",
    ]
    with pytest.raises(ScenarioError) as exc:
        value_pwerm(sf.load(GUST), tmp_path)
    assert exc.value.lines() == [f"error: {tmp_path}: is a folder, not a file"]
