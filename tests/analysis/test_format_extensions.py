"""The projection, contracts and sources sections: located errors, field paths."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from restructuring_cases import capped, flagship
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.cli import app
from stakeflow.scenario.fields import FieldPathError, get_number, locate, numeric_fields, replace

BASE = """stakeflow: 1
holders: [{id: a}, {id: b}]
entities:
  - id: co
    classes: [{id: common, kind: common}]
    holdings: [{holder: a, class: common, shares: 1}, {holder: b, class: common, shares: 1}]
"""

PROJ = """projection:
  entity: co
  start: 2026
  horizon: 3
  revenue: {initial: 10M, growth: 10%}
  margin: 20%
  discount_rate: 10%
"""


def errors(tmp_path: Path, text: str) -> list[str]:
    f = tmp_path / "s.yaml"
    f.write_text(text)
    out = CliRunner().invoke(app, ["validate", str(f)])
    assert out.exit_code == 2, out.output
    return out.stderr.strip().splitlines()


def test_unknown_keys_are_located(tmp_path: Path) -> None:
    lines = errors(tmp_path, BASE + PROJ.replace("growth: 10%", "growth: 10%, volatilty: 3%"))
    assert lines == [f"error: {tmp_path / 's.yaml'}:11: projection.revenue.volatilty: unknown key 'volatilty' "
                     "(valid keys here: initial, growth, volatility, values, paths)"]
    contract = "contracts:\n  - {id: rs, kind: revenue_share, payer: co, payee: a, rate: 5%, rat: 1}\n"
    lines = errors(tmp_path, BASE + PROJ + contract)
    assert len(lines) == 1 and "contracts[0].rat: unknown key 'rat'" in lines[0] and ":15:" in lines[0]


def test_projection_rules(tmp_path: Path) -> None:
    lines = "\n".join(errors(tmp_path, BASE + PROJ.replace("horizon: 3", "horizon: 0")))
    assert "horizon must be a whole number of years between 1 and 100, got 0" in lines
    text = BASE + PROJ.replace("discount_rate: 10%", "discount_rate: 10%\n  terminal: {value: 1, revenue_multiple: 2}")
    lines = "\n".join(errors(tmp_path, text))
    assert "give exactly one of 'revenue_multiple', 'profit_multiple' or 'value'" in lines
    lines = "\n".join(errors(tmp_path, BASE + PROJ.replace("growth: 10%", "growth: [10%, -100%]")))
    assert "growth must be above -100% in every year" in lines
    lines = "\n".join(errors(tmp_path, BASE + PROJ.replace("revenue: {initial: 10M, growth: 10%}",
                                                          "revenue: {values: [1, 2]}")))
    assert "revenue path 0 has 2 years; the projection's horizon is 3 years" in lines
    lines = "\n".join(errors(tmp_path, BASE + PROJ.replace("entity: co", "entity: a")))
    assert "projection entity 'a' must be an entity with classes or a distribution" in lines


def test_contract_rules(tmp_path: Path) -> None:
    contracts = """contracts:
  - {id: rs, kind: revenue_share, payer: co, payee: zed, rate: 20%, end_event: agi}
  - {id: pay, kind: payment, payer: a, payee: b, total: 5M}
  - {id: lic, kind: licence, licensor: co, licensee: a, rate: 5%}
  - {id: rs, kind: revenue_share, payer: co, payee: a, rate: 5%, start: 2027-01-01, end: 2026-01-01}
"""
    lines = "\n".join(errors(tmp_path, BASE + PROJ + contracts))
    assert "payment contract 'pay' needs 'start' and 'end' with 'total'" in lines
    assert "'rate' does not apply to a licence contract ('lic')" in lines
    assert "contract 'rs' ends (2026-01-01) before it starts (2027-01-01)" in lines
    dates = "total: 5M, start: 2026-01-01, end: 2026-12-31}"
    fixed = contracts.replace(", rate: 5%}", "}").replace("total: 5M}", dates)
    fixed = fixed.replace("start: 2027-01-01, end: 2026-01-01", "start: 2026-01-01")
    lines = "\n".join(errors(tmp_path, BASE + PROJ + fixed))
    assert "contracts[0].payee: unknown claimant 'zed'" in lines
    assert "contracts[0].end_event: unknown event 'agi'" in lines
    assert "contract 'pay' is paid by 'a', which is not the projected entity 'co'" in lines
    assert "contracts[3].id: duplicate contract id 'rs' (also at contracts[0].id)" in lines
    no_projection = "contracts:\n  - {id: rs, kind: revenue_share, payer: co, payee: a, rate: 5%}\n"
    assert "needs a 'projection' section" in "\n".join(errors(tmp_path, BASE + no_projection))


def test_sources_must_name_fields(tmp_path: Path) -> None:
    text = BASE + PROJ + 'sources:\n  "projection.discount_rate": "assumption"\n  "projection.nope": "x"\n'
    lines = errors(tmp_path, text)
    assert len(lines) == 1
    assert "sources: 'projection.nope' names no field of this scenario" in lines[0]


def test_field_paths() -> None:
    _, after = flagship()
    assert get_number(after, "entities[openai_group].holdings[microsoft].shares") == 2_700_000_000
    assert get_number(after, "entities[1].holdings[1].shares") == 2_700_000_000
    assert get_number(after, "contracts[revenue_share].rate") == Fraction(1, 5)
    assert locate(after, "projection.revenue.growth").value[0] == 1
    assert get_number(after, "projection.revenue.growth[1]") == Fraction(7, 10)
    with pytest.raises(FieldPathError, match="is ambiguous: name one of"):
        locate(after, "entities[openai_group].holdings[openai_foundation].shares")
    with pytest.raises(FieldPathError, match="cannot read field path"):
        locate(after, "[0].x")
    before, _ = flagship()
    assert get_number(before, "entities[openai_global].distribution[Capped sharing].caps.microsoft") == 105 * 10**9
    changed = replace(after, "projection.discount_rate", Fraction(1, 5))
    assert changed.projection is not None and changed.projection.discount_rate == Fraction(1, 5)
    with pytest.raises(sf.ScenarioError, match="must not be negative"):
        replace(after, "entities[openai_group].holdings[microsoft].shares", -1)
    paths = [f.path for f in numeric_fields(capped())]
    assert "entities[co].distribution[0].caps.inv" in paths and "projection.revenue.growth" in paths
