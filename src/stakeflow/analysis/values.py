"""Every party's value under one or several structures, by Monte Carlo with common random numbers.

Each structure is projected (:mod:`stakeflow.analysis.projection`) over the same blocks of
paths: block ``i`` of a run with seed ``K`` draws the same revenue shocks and event draws for
every structure, whatever the chunking. A party's value is the mean over paths of its present
value; its standard error is ``s / √N``. Values of several structures are estimated jointly,
so the standard error of a difference uses the paths' covariance:
``Var(X̄_a − X̄_b) = (Var X_a + Var X_b − 2 Cov(X_a, X_b)) / N``, which common random numbers
make small.

Block results are merged in block order (means and co-moment matrices,
:meth:`stakeflow.valuation.moments.Moments.joint`), so results are a function of
``(paths, seed)`` alone.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..scenario.models import Scenario
from ..valuation import _messages as VM
from ..valuation import parameters as P
from ..valuation.moments import Moments
from ..valuation.progress import Advance
from ..valuation.streams import BLOCK, Block, run_blocks
from . import _restructuring_messages as M
from .projection import Curve, Paths, present_values, projection_of, projection_payouts, simulate

if TYPE_CHECKING:
    import pandas as pd

Label = tuple[int, str, str]  # (structure index, party, component)

COMPARE_PATHS = 20_000
"""Paths of a valuation of structures side by side (compare, solve, break-even), unless told."""
COMPARE_SEED = 0
"""Seed of the same, unless told."""


def compare_paths(value: P.Spelled | None, default: int = COMPARE_PATHS, least: int = 2) -> int:
    """The paths of structures valued side by side (compare, solve, sensitivity, run): a whole
    number of at least ``least`` (on the command line two, so that a standard error exists);
    ``default`` where none is given. Unlike ``value --paths``, no most is set."""
    return default if value is None else P.whole(value, M.PATHS, least, VM.PATHS_PARAM, least=least)


@dataclass(frozen=True)
class JointValues:
    """Present values of every (structure, party, component) column, estimated on the same paths."""

    labels: list[Label]
    mean: np.ndarray
    cov: np.ndarray  # covariance of one path's values (divide by n for the mean's)
    paths: int
    seed: int

    def weights(self, terms: Mapping[Label, float]) -> np.ndarray:
        w = np.zeros(len(self.labels))
        index = {lab: i for i, lab in enumerate(self.labels)}
        for lab, x in terms.items():
            if lab in index:
                w[index[lab]] += x
        return w

    def combine(self, w: np.ndarray) -> tuple[float, float]:
        """Estimate and standard error of ``Σ w_k · value_k``."""
        est = float(w @ self.mean)
        var = float(w @ self.cov @ w) / self.paths if self.paths > 1 else 0.0
        return est, float(np.sqrt(max(var, 0.0)))

    def parties(self, structure: int) -> list[str]:
        return list(dict.fromkeys(p for s, p, _ in self.labels if s == structure))

    def components(self, structure: int, party: str) -> list[str]:
        return [c for s, p, c in self.labels if s == structure and p == party]

    def party_weights(self, structure: int, party: str, sign: float = 1.0) -> dict[Label, float]:
        return {(structure, party, c): sign for c in self.components(structure, party)}

    def value(self, structure: int, party: str) -> tuple[float, float]:
        """A party's total value in one structure (all components) and its standard error."""
        return self.combine(self.weights(self.party_weights(structure, party)))

    def component(self, structure: int, party: str, component: str) -> tuple[float, float]:
        return self.combine(self.weights({(structure, party, component): 1.0}))

    def structure_total(self, structure: int) -> tuple[float, float]:
        """What the structure itself distributes, in present value (the entity's equity value)."""
        return self.combine(self.weights({lab: 1.0 for lab in self.labels if lab[0] == structure
                                          and lab[2] == "structure"}))


@dataclass(frozen=True)
class Valuation:
    """Each party's value in one structure, with standard errors and the parts it comes from."""

    entity: str
    currency: str
    parties: list[str]
    values: dict[str, float]
    standard_errors: dict[str, float]
    components: dict[str, dict[str, float]]
    equity_value: float
    equity_value_se: float
    paths: int
    seed: int
    names: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "paths": self.paths,
            "seed": self.seed,
            "equity_value": self.equity_value,
            "equity_value_standard_error": self.equity_value_se,
            "holders": dict(self.values),
            "standard_errors": dict(self.standard_errors),
            "components": {k: dict(v) for k, v in self.components.items()},
        }

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [{"party": p, "name": self.names.get(p, p), "value": self.values[p],
                 "standard_error": self.standard_errors[p]} for p in self.parties]
        return pd.DataFrame(rows, columns=["party", "name", "value", "standard_error"]).set_index("party")

    def _repr_html_(self) -> str:
        caption = f"{self.entity}: present values ({self.currency}, {self.paths:,} paths, seed {self.seed})"
        return str(self.to_frame().style.format({"value": "{:,.0f}", "standard_error": "{:,.0f}"})
                   .set_caption(caption).to_html())


class PathCache:
    """Projected paths kept between valuations whose projection and contracts do not change
    (a solve that moves a holding, say): keyed by the projection, the contracts, the seed and
    the block, least recently used dropped beyond ``size`` blocks."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, int, int, int], Paths] = OrderedDict()

    def paths(self, sc: Scenario, block: Block) -> Paths:
        key = (_projection_key(sc), block.seed, block.paths, block.index)
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
            return hit
        out = simulate(sc, block)
        self._items[key] = out
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return out


def _projection_key(sc: Scenario) -> str:
    proj = projection_of(sc)
    return proj.model_dump_json() + "|" + "|".join(c.model_dump_json() for c in sc.contracts)


def joint_values(
    scenarios: Sequence[Scenario],
    paths: int,
    seed: int,
    *,
    curves: Sequence[Curve | None] | None = None,
    progress: Advance | None = None,
    cache: PathCache | None = None,
) -> JointValues:
    """Value every party of every structure on the same ``paths`` paths drawn from ``seed``.

    ``curves`` may give precompiled payoff curves of each structure's projected entity (the
    exact engine's evaluation, say, for a check); by default each structure's method is picked
    from it (:func:`~stakeflow.analysis.projection.projection_payouts`) and compiled here.
    """
    n = compare_paths(paths, least=1)
    seed = P.seed(seed)
    cs: list[Curve] = [
        (curves[i] if curves is not None and curves[i] is not None else projection_payouts(sc))  # type: ignore[misc]
        for i, sc in enumerate(scenarios)
    ]
    labels: list[Label] | None = None
    acc: Moments | None = None
    for block in run_blocks(n, seed):
        cols: list[np.ndarray] = []
        labs: list[Label] = []
        for i, (sc, curve) in enumerate(zip(scenarios, cs, strict=True)):
            projected = cache.paths(sc, block) if cache is not None else simulate(sc, block)
            lab, x = present_values(sc, projected, curve)
            labs += [(i, p, c) for p, c in lab]
            cols.append(x)
        x_all = np.concatenate(cols, axis=1)
        labels = labs
        m = Moments.joint(x_all)
        acc = m if acc is None else acc.merge(m)
        if progress is not None:
            progress(block.size)
    assert acc is not None and labels is not None
    return JointValues(labels, acc.mean, acc.covariance(), acc.count, seed)


def valuation(joint: JointValues, structure: int, sc: Scenario) -> Valuation:
    """One structure's party values out of a joint estimate."""
    parties = joint.parties(structure)
    values: dict[str, float] = {}
    ses: dict[str, float] = {}
    comps: dict[str, dict[str, float]] = {}
    for p in parties:
        values[p], ses[p] = joint.value(structure, p)
        comps[p] = {c: joint.component(structure, p, c)[0] for c in joint.components(structure, p)}
    eq, eq_se = joint.structure_total(structure)
    proj = projection_of(sc)
    return Valuation(proj.entity, sc.currency, parties, values, ses, comps, eq, eq_se, joint.paths, joint.seed,
                     {p: sc.display_name(p) for p in parties})


def value_parties(sc: Scenario, paths: int, seed: int, progress: Advance | None = None) -> Valuation:
    """Every party's present value under ``sc``'s projection (Monte Carlo, ``paths`` paths)."""
    return valuation(joint_values([sc], paths, seed, progress=progress), 0, sc)


__all__ = [
    "BLOCK",
    "COMPARE_PATHS",
    "COMPARE_SEED",
    "JointValues",
    "Label",
    "PathCache",
    "Valuation",
    "compare_paths",
    "joint_values",
    "valuation",
    "value_parties",
]
