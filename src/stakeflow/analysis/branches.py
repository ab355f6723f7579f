"""The conversion as a bet: each party's value if it goes through and if it fails, and weighted.

Money raised in view of a conversion often depends on it: investors get it back, or pay in less,
if the conversion fails. The structure before the change, as it stood, is then not what a party
would have had without the change. This module values three structures on the same paths
(common random numbers, :func:`stakeflow.analysis.values.joint_values`):

- **before**: the old structure as it stood;
- **fails**: the old structure with the contracts that failure triggers added (money returned
  to investors, an investment cut), each a payment out of the company to the party who keeps the
  money;
- **converts**: the new structure;

and, for each weight ``w`` (the probability that the conversion goes through; none is reported,
so several are shown), the probability-weighted value of the two outcomes, as in PWERM:
``V_w(p) = w · V_converts(p) + (1 − w) · V_fails(p)``. Every difference and weighted value has
the paired standard error of the same paths.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..scenario.contracts import Contract
from ..scenario.errors import InputError, ScenarioError
from ..scenario.fields import raw
from ..scenario.loader import from_tree
from ..scenario.models import Amount, Scenario
from . import _restructuring_messages as M
from .solve import party_value_weights
from .values import COMPARE_PATHS, COMPARE_SEED, PathCache, joint_values


class NoConversion(BaseModel):
    """What failure of the conversion changes in the old structure: contracts in the format of
    the ``contracts`` section, their ``sources``, and the weights to show."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str = "The conversion fails"
    contracts: list[dict[str, Any]]
    sources: dict[str, str] = Field(default_factory=dict)
    weights: list[Amount] = Field(default_factory=lambda: [0.25, 0.5, 0.75])  # type: ignore[arg-type, return-value]

    @field_validator("weights")
    @classmethod
    def _probabilities(cls, weights: list[Amount]) -> list[Amount]:
        # A weight is the chance that the conversion fails: the value is x·(failed) + (1 − x)·(after).
        for w in weights:
            if not 0 <= w <= 1:
                raise ValueError(M.NO_CONVERSION_WEIGHT.format(value=float(w)))
        return weights


def _failed_tree(before: Scenario, spec: NoConversion) -> dict[str, Any]:
    tree = raw(before)
    tree["contracts"] = [*tree.get("contracts", []), *spec.contracts]
    tree["sources"] = {**tree.get("sources", {}), **spec.sources}
    tree["name"] = f"{before.name or 'before'}: {spec.label.lower()}"
    return tree


def failure_problems(before: Scenario, spec: NoConversion) -> list[tuple[str, str]]:
    """What is wrong with the contracts that failure triggers, as ``(path, message)`` with the
    path in the plan (``no_conversion.contracts[1].payee``): every problem at once, for a plan's
    located lines."""
    tree = _failed_tree(before, spec)
    try:
        from_tree(tree)
        return []
    except ScenarioError as exc:
        first = len(tree["contracts"]) - len(spec.contracts)
        return [(_in_plan(p.path, first), p.message) for p in exc.problems]


def _in_plan(path: str, first: int) -> str:
    # contracts[k]… of the merged structure is no_conversion.contracts[k − first]… of the plan.
    m = re.match(r"contracts\[(\d+)\](.*)", path)
    if m and int(m.group(1)) >= first:
        return f"no_conversion.contracts[{int(m.group(1)) - first}]{m.group(2)}"
    return "no_conversion.sources" if path.startswith("sources") else "no_conversion"


def failed(before: Scenario, spec: NoConversion) -> Scenario:
    """``before`` with the contracts that failure triggers, validated like a file."""
    tree = _failed_tree(before, spec)
    try:
        return Scenario.model_validate(tree)
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False))
        raise InputError(M.NO_CONVERSION_CONTRACTS.format(detail=detail)) from None
    except ScenarioError as exc:
        lines = [x.removeprefix("error: ").removeprefix("<scenario>: ") for x in str(exc).splitlines()]
        raise InputError(M.NO_CONVERSION_CONTRACTS.format(detail="; ".join(lines))) from None


@dataclass(frozen=True)
class Estimate:
    """A value and its standard error."""

    value: float
    standard_error: float

    def to_json(self) -> dict[str, float]:
        return {"value": self.value, "standard_error": self.standard_error}


@dataclass(frozen=True)
class PartyBranches:
    """One party (named by its id after the change) in each outcome."""

    party: str
    before: Estimate
    fails: Estimate
    converts: Estimate
    fails_less_before: Estimate  # what failure would have changed against the old structure as it stood
    converts_less_fails: Estimate  # what the conversion is worth to the party against its failure
    weighted: dict[float, Estimate]

    def to_json(self) -> dict[str, Any]:
        return {"before": self.before.to_json(), "fails": self.fails.to_json(), "converts": self.converts.to_json(),
                "fails_less_before": self.fails_less_before.to_json(),
                "converts_less_fails": self.converts_less_fails.to_json(),
                "weighted": [{"weight": w, **e.to_json()} for w, e in self.weighted.items()]}


@dataclass(frozen=True)
class Branches:
    """Every party in both outcomes, with the contracts failure triggers."""

    label: str
    fails: Scenario
    triggered: list[Contract]
    parties: dict[str, PartyBranches]
    weights: list[float]
    paths: int
    seed: int
    names: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "paths": self.paths, "seed": self.seed, "weights": list(self.weights),
                "contracts": [{"id": c.id, "name": c.name, "payee": c.payee,
                               "total": float(c.total) if c.total is not None else None} for c in self.triggered],
                "parties": {p: b.to_json() for p, b in self.parties.items()}}


def branches(
    before: Scenario,
    after: Scenario,
    spec: NoConversion,
    *,
    mapping: Mapping[str, str] | None = None,
    paths: int = COMPARE_PATHS,
    seed: int = COMPARE_SEED,
    cache: PathCache | None = None,
) -> Branches:
    """Value every party of ``after`` (and every unmapped party of ``before``) in the three
    structures on the same paths (see the module)."""
    mapping = dict(mapping or {})
    fails = failed(before, spec)
    joint = joint_values([before, fails, after], paths, seed, cache=cache)
    parties = list(joint.parties(2))
    for q in [*joint.parties(0), *joint.parties(1)]:
        if mapping.get(q, q) not in parties:
            parties.append(mapping.get(q, q))
    weights = [float(w) for w in spec.weights]
    out: dict[str, PartyBranches] = {}
    for p in parties:
        w = [party_value_weights(joint, s, p, "total", mapping if s < 2 else {}) for s in range(3)]
        b, f, c = (joint.weights(x) for x in w)
        est = {key: Estimate(*joint.combine(vec)) for key, vec in
               (("b", b), ("f", f), ("c", c), ("fb", f - b), ("cf", c - f))}
        weighted = {x: Estimate(*joint.combine(x * c + (1 - x) * f)) for x in weights}
        out[p] = PartyBranches(p, est["b"], est["f"], est["c"], est["fb"], est["cf"], weighted)
    after_ids = set(after.holder_ids) | set(after.entity_ids)
    names = {p: after.display_name(p) if p in after_ids else before.display_name(p) for p in out}
    added = {c.get("id") for c in spec.contracts}
    triggered = [c for c in fails.contracts if c.id in added]
    return Branches(spec.label, fails, triggered, out, weights, joint.paths, seed, names)


__all__ = ["Branches", "Estimate", "NoConversion", "PartyBranches", "branches", "failed"]
