"""The value transfer of a restructuring: every party valued under two structures on the same paths.

Each party's value before and after comes from :func:`stakeflow.analysis.values.joint_values`
run on both structures with one seed, so both see the same revenue paths and events (common
random numbers). The transfer to party ``p`` is ``Δ_p = V_after(p) − Σ_{q ↦ p} V_before(q)``,
where ``q ↦ p`` are the parties of the first structure that became ``p`` (the identity unless a
mapping renames them, e.g. ``openai_nonprofit ↦ openai_foundation``). Its standard error is
that of the paired difference, path by path, which is why it is small. Comparing a structure
with itself gives exactly zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..scenario.models import Scenario
from ..valuation.errors import ParameterError
from ..valuation.progress import Advance
from . import _restructuring_messages as M
from .values import COMPARE_PATHS, COMPARE_SEED, JointValues, PathCache, Valuation, joint_values, valuation

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Transfer:
    """One party's value before and after, and the difference, each with its standard error."""

    party: str
    before: float
    before_se: float
    after: float
    after_se: float
    change: float
    change_se: float
    was: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "before": self.before, "before_standard_error": self.before_se,
            "after": self.after, "after_standard_error": self.after_se,
            "change": self.change, "change_standard_error": self.change_se,
            "before_ids": list(self.was),
        }


@dataclass(frozen=True)
class Comparison:
    """Who gains and who loses from replacing ``before`` by ``after``, and by how much."""

    before_name: str
    after_name: str
    currency: str
    mapping: dict[str, str]
    transfers: dict[str, Transfer]
    before: Valuation
    after: Valuation
    paths: int
    seed: int
    names: dict[str, str] = field(default_factory=dict)

    @property
    def gainers(self) -> list[str]:
        return [p for p, t in self.transfers.items() if t.change > 0]

    @property
    def losers(self) -> list[str]:
        return [p for p, t in self.transfers.items() if t.change < 0]

    def to_json(self) -> dict[str, Any]:
        return {
            "before": {"name": self.before_name, **self.before.to_json()},
            "after": {"name": self.after_name, **self.after.to_json()},
            "map": dict(self.mapping),
            "paths": self.paths,
            "seed": self.seed,
            "parties": {p: t.to_json() for p, t in self.transfers.items()},
        }

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [{"party": p, "name": self.names.get(p, p), "before": t.before, "before_se": t.before_se,
                 "after": t.after, "after_se": t.after_se, "change": t.change, "change_se": t.change_se}
                for p, t in self.transfers.items()]
        cols = ["party", "name", "before", "before_se", "after", "after_se", "change", "change_se"]
        return pd.DataFrame(rows, columns=cols).set_index("party")

    def _repr_html_(self) -> str:
        cols = ("before", "before_se", "after", "after_se", "change", "change_se")
        fmt: dict[Any, Any] = {c: "{:,.0f}" for c in cols}
        caption = f"value transfer, {self.before_name} → {self.after_name} ({self.currency}; {self.paths:,} paths)"
        return str(self.to_frame().style.format(fmt).set_caption(caption).to_html())


def parse_mapping(items: list[str] | None) -> dict[str, str]:
    """``["old=new", ...]`` or ``["old=new,old=new"]`` (the command line's ``--map``, the web's
    ``map``) as a mapping."""
    out: dict[str, str] = {}
    for item in items or ():
        for part in item.split(","):
            part = part.strip()
            if not part:
                continue
            old, sep, new = part.partition("=")
            if not sep or not old.strip() or not new.strip():
                raise ParameterError(M.MAP_ITEM, mapping=M.MAPPING, item=part)
            out[old.strip()] = new.strip()
    return out


def mapping_problems(mapping: Mapping[str, str], before: Scenario, after: Scenario) -> dict[str, str]:
    """What is wrong with each entry of ``mapping``, by old id: an old id that is not a party of
    ``before``, or a new id that is not one of ``after``."""
    b = set(before.holder_ids) | set(before.entity_ids)
    a = set(after.holder_ids) | set(after.entity_ids)
    out: dict[str, str] = {}
    for old, new in mapping.items():
        for party, parties, which in ((old, b, "BEFORE"), (new, a, "AFTER")):
            if party not in parties:
                out[old] = M.NOT_A_PARTY.format(id=party, which=which, known=", ".join(sorted(parties)))
                break
    return out


def check_mapping(mapping: Mapping[str, str], before: Scenario, after: Scenario) -> None:
    """Every old id is a party of ``before``, every new id one of ``after``."""
    for old, detail in mapping_problems(mapping, before, after).items():
        raise ParameterError(M.MAP_UNKNOWN, mapping=M.MAPPING, item=f"{old}={mapping[old]}", detail=detail)


def transfers(joint: JointValues, mapping: Mapping[str, str], before: int = 0,
              after: int = 1) -> dict[str, Transfer]:
    """The transfer to every party of structure ``after`` and to every unmapped party of ``before``."""
    parties = joint.parties(after)
    for q in joint.parties(before):
        p = mapping.get(q, q)
        if p not in parties:
            parties.append(p)
    out: dict[str, Transfer] = {}
    for p in parties:
        was = tuple(q for q in joint.parties(before) if mapping.get(q, q) == p)
        wb: dict[tuple[int, str, str], float] = {}
        for q in was:
            wb.update(joint.party_weights(before, q))
        wa = joint.party_weights(after, p) if p in joint.parties(after) else {}
        b, b_se = joint.combine(joint.weights(wb))
        a, a_se = joint.combine(joint.weights(wa))
        diff = joint.weights(wa) - joint.weights(wb)
        d, d_se = joint.combine(diff)
        out[p] = Transfer(p, b, b_se, a, a_se, d, d_se, was)
    return out


def compare(
    before: Scenario,
    after: Scenario,
    mapping: Mapping[str, str] | None = None,
    *,
    paths: int = COMPARE_PATHS,
    seed: int = COMPARE_SEED,
    progress: Advance | None = None,
    cache: PathCache | None = None,
) -> Comparison:
    """Value every party under ``before`` and ``after`` with the same random numbers."""
    mapping = dict(mapping or {})
    check_mapping(mapping, before, after)
    joint = joint_values([before, after], paths, seed, progress=progress, cache=cache)
    tr = transfers(joint, mapping)
    after_ids = set(after.holder_ids) | set(after.entity_ids)
    names = {p: after.display_name(p) if p in after_ids else before.display_name(p) for p in tr}
    return Comparison(
        before.name or "before", after.name or "after", after.currency, mapping, tr,
        valuation(joint, 0, before), valuation(joint, 1, after), joint.paths, seed, names,
    )


__all__ = ["Comparison", "Transfer", "check_mapping", "compare", "mapping_problems", "parse_mapping", "transfers"]
