"""Small scenarios with projections, shared by the restructuring tests (imported by name)."""

from __future__ import annotations

from pathlib import Path

import stakeflow as sf

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "stakeflow" / "data" / "openai"
FLAGSHIP_MAP = {"openai_nonprofit": "openai_foundation", "other_investors": "employees_and_investors"}

# An investor takes everything until it has received 50 in all; a nonprofit takes the rest.
CAPPED = """
stakeflow: 1
holders: [{{id: inv}}]
entities:
  - {{id: np, legal_form: nonprofit}}
  - id: co
    distribution:
      - {{shares: {{inv: 1}}, caps: {{inv: 50}}}}
      - {{shares: {{np: 1}}}}
projection:
{projection}
{contracts}
"""

# One class of common stock held 60/40: the structure of a plain company after a conversion.
EQUITY = """
stakeflow: 1
holders: [{{id: inv}}]
entities:
  - {{id: np, legal_form: nonprofit}}
  - id: co
    classes: [{{id: common, kind: common}}]
    holdings:
      - {{holder: inv, class: common, shares: {inv_shares}}}
      - {{holder: np, class: common, shares: {np_shares}}}
projection:
{projection}
{contracts}
"""

PROJECTION = """  entity: co
  start: 2026
  horizon: {horizon}
  revenue: {{initial: 100, growth: {growth}, volatility: {volatility}}}
  margin: {margin}
  discount_rate: 10%
  terminal: {{value: {terminal}}}
  events: {events}"""


def projection(horizon: int = 3, growth: str = "10%", volatility: str = "0", margin: str = "20%",
               terminal: str = "100", events: str = "[]") -> str:
    return PROJECTION.format(horizon=horizon, growth=growth, volatility=volatility, margin=margin,
                             terminal=terminal, events=events)


def capped(contracts: str = "", **kw: str | int) -> sf.Scenario:
    return sf.loads(CAPPED.format(projection=projection(**kw), contracts=contracts))  # type: ignore[arg-type]


def equity(inv_shares: int | str = 60, np_shares: int | str = 40, contracts: str = "", **kw: str | int) -> sf.Scenario:
    text = EQUITY.format(projection=projection(**kw), contracts=contracts,  # type: ignore[arg-type]
                         inv_shares=inv_shares, np_shares=np_shares)
    return sf.loads(text)


def flagship() -> tuple[sf.Scenario, sf.Scenario]:
    return sf.load(DATA / "capped_profit_2025.yaml"), sf.load(DATA / "pbc_2025.yaml")
