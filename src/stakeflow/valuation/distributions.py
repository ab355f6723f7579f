"""Laws of the entity's proceeds at the liquidity event, for Monte Carlo.

* :class:`RiskNeutralLognormal` — the option pricing method's law (SPEC §7):
  ``S_T = V · exp((r − σ²/2) T + σ √T Z)``, Z standard normal, so ``E[e^{−rT} S_T] = V``.
* :class:`Lognormal` — a user's own view: ``X = m · exp(σ √T Z)`` with median m (or mean
  ``m · e^{σ²T/2}``) and annual volatility σ over the term T.
* :class:`Discrete` — values with probabilities (equal unless given).
* :class:`Sample` — a file of terminal values (CSV/TXT: first column, optional header; NPY: a
  1-D array), used as it stands: every value is one path, read a block at a time so the file
  may be larger than memory.

Only the first is risk-neutral: with a user's law, the ``rate`` that discounts the payouts is
the user's discount rate for that risk.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from ..scenario._yaml import line_of, read_tree
from ..scenario.errors import InputError, Problem, ScenarioError
from ..scenario.loader import parse_model, read_text
from ..scenario.numbers import NumberError, parse_number
from . import _messages as M
from .black_scholes import FloatArray
from .parameters import MAX_VOLATILITY, spread
from .streams import BLOCK


def _normals(gen: np.random.Generator, n: int, antithetic: bool, out: FloatArray | None) -> FloatArray:
    """n standard normals into ``out``; antithetic: the second half is minus the first."""
    z = np.empty(n) if out is None else out[:n]
    if not antithetic:
        gen.standard_normal(out=z)
        return z
    half = n // 2
    gen.standard_normal(out=z[:half])
    # Path i and path i + n/2 are a pair (z, −z); the estimator averages within pairs.
    np.negative(z[:half], out=z[half:])
    return z


def _lognormal(z: FloatArray, scale: float, drift: float, spread: float) -> FloatArray:
    """scale · exp(drift + spread · z), in place."""
    z *= spread
    z += drift
    np.exp(z, out=z)
    z *= scale
    return z


@dataclass(frozen=True)
class RiskNeutralLognormal:
    """The OPM's lognormal terminal value under the risk-neutral measure."""

    equity_value: float
    volatility: float
    term: float
    rate: float
    supports_antithetic = True

    def draw(self, gen: np.random.Generator, n: int, antithetic: bool = False,
             out: FloatArray | None = None) -> FloatArray:
        """n terminal values (into ``out`` when given)."""
        z = _normals(gen, n, antithetic, out)
        drift = (self.rate - 0.5 * self.volatility**2) * self.term
        return _lognormal(z, self.equity_value, drift, self.volatility * math.sqrt(self.term))

    @property
    def mean(self) -> float:
        return self.equity_value * math.exp(self.rate * self.term)

    def to_json(self) -> dict[str, Any]:
        return {"distribution": "risk_neutral_lognormal", "equity_value": self.equity_value,
                "volatility": self.volatility, "term": self.term, "rate": self.rate}


@dataclass(frozen=True)
class Lognormal:
    """A lognormal terminal value with median ``median`` and log-standard deviation σ√T."""

    median: float
    volatility: float
    term: float
    supports_antithetic = True

    def draw(self, gen: np.random.Generator, n: int, antithetic: bool = False,
             out: FloatArray | None = None) -> FloatArray:
        """n terminal values (into ``out`` when given)."""
        z = _normals(gen, n, antithetic, out)
        return _lognormal(z, self.median, 0.0, self.volatility * math.sqrt(self.term))

    @property
    def mean(self) -> float:
        return self.median * math.exp(0.5 * self.volatility**2 * self.term)

    def to_json(self) -> dict[str, Any]:
        return {"distribution": "lognormal", "median": self.median, "mean": self.mean,
                "volatility": self.volatility, "term": self.term}


@dataclass(frozen=True)
class Discrete:
    """Terminal values ``values`` with probabilities ``probabilities``."""

    values: tuple[float, ...]
    probabilities: tuple[float, ...]
    supports_antithetic = False

    def draw(self, gen: np.random.Generator, n: int, antithetic: bool = False,
             out: FloatArray | None = None) -> FloatArray:
        """n terminal values (into ``out`` when given)."""
        x = np.asarray(gen.choice(np.array(self.values), size=n, p=np.array(self.probabilities)), dtype=np.float64)
        if out is None:
            return x
        out[:n] = x
        return out[:n]

    @property
    def mean(self) -> float:
        return float(np.dot(self.values, self.probabilities))

    def to_json(self) -> dict[str, Any]:
        return {"distribution": "discrete", "values": list(self.values), "probabilities": list(self.probabilities)}


@dataclass(frozen=True)
class Sample:
    """Terminal values stored in a file, one path each, read ``BLOCK`` values at a time."""

    path: Path

    def blocks(self) -> Iterator[FloatArray]:
        """The sample in consecutive blocks of ``BLOCK`` values, each checked finite and ≥ 0."""
        suffix = self.path.suffix.lower()
        if suffix == ".npy":
            source = self._npy_blocks()
        elif suffix in (".csv", ".txt"):
            source = self._csv_blocks()
        else:
            raise InputError(M.SAMPLE_FORMAT.format(path=self.path))
        start, empty = 0, True
        for block in source:
            bad = ~(np.isfinite(block) & (block >= 0))
            if bad.any():
                i = int(np.argmax(bad))
                raise InputError(M.SAMPLE_BAD_VALUE.format(path=self.path, index=start + i + 1, value=float(block[i])))
            start += len(block)
            empty = empty and len(block) == 0
            if len(block):
                yield block
        if empty:
            raise InputError(M.SAMPLE_EMPTY.format(path=self.path))

    def _npy_blocks(self) -> Iterator[FloatArray]:
        try:
            arr = np.load(self.path, mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise InputError(M.SAMPLE_FILE.format(path=self.path, detail=exc)) from None
        if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.number):
            raise InputError(M.SAMPLE_FILE.format(
                path=self.path, detail=f"expected a 1-D numeric array, got shape {arr.shape} of {arr.dtype}"))
        for i in range(0, arr.shape[0], BLOCK):
            yield np.array(arr[i : i + BLOCK], dtype=np.float64)

    def _csv_blocks(self) -> Iterator[FloatArray]:
        import pandas as pd

        try:
            with open(self.path, encoding="utf-8") as fh:
                first = fh.readline().split(",")[0].strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(M.SAMPLE_FILE.format(path=self.path, detail=exc)) from None
        try:
            float(first)
            header = None
        except ValueError:
            header = 0  # a column name
        offset = 1 if header == 0 else 0
        reader = pd.read_csv(self.path, header=header, usecols=[0], chunksize=BLOCK, dtype=str,
                             skip_blank_lines=True)
        row = 0
        for frame in reader:
            col = frame.iloc[:, 0]
            values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64)
            bad = np.isnan(values)
            if bad.any():
                i = int(np.argmax(bad))
                raise InputError(M.SAMPLE_BAD_VALUE.format(path=self.path, index=row + i + 1 + offset,
                                                           value=col.iloc[i]))
            row += len(values)
            yield values

    def to_json(self) -> dict[str, Any]:
        return {"distribution": "sample", "file": str(self.path)}


Distribution = RiskNeutralLognormal | Lognormal | Discrete


def _exact(value: Any) -> Fraction:
    if isinstance(value, Fraction):
        return value
    try:
        return parse_number(value if not isinstance(value, float) else Decimal(repr(value)))
    except NumberError as exc:
        raise ValueError(str(exc)) from None


class LognormalLaw(BaseModel):
    """A lognormal law of values: its ``median`` or its ``mean`` (one of them), and the annual
    ``volatility`` of its logarithm; used for user distributions and for PWERM exit values."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    distribution: Literal["lognormal"] = "lognormal"
    median: Fraction | None = None
    mean: Fraction | None = None
    volatility: Fraction

    @field_validator("median", "mean", "volatility", mode="before")
    @classmethod
    def _num(cls, v: Any) -> Any:
        return None if v is None else _exact(v)

    @model_validator(mode="after")
    def _one_centre(self) -> LognormalLaw:
        if (self.median is None) == (self.mean is None):
            raise ValueError(M.MEAN_XOR_MEDIAN)
        for name in ("median", "mean", "volatility"):
            v = getattr(self, name)
            if v is not None and v <= 0:
                raise ValueError(M.NOT_POSITIVE.format(name=name, value=float(v)))
        if self.volatility > MAX_VOLATILITY:
            raise ValueError(M.VOLATILITY_TOO_HIGH.format(value=f"{float(self.volatility):g}",
                                                          percent=100 * float(self.volatility)))
        return self


class _DiscreteSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    distribution: Literal["discrete"]
    values: list[Fraction]
    probabilities: list[Fraction] | None = None

    @field_validator("values", "probabilities", mode="before")
    @classmethod
    def _nums(cls, v: Any) -> Any:
        return [_exact(x) for x in v] if isinstance(v, list) else v

    @model_validator(mode="after")
    def _check(self) -> _DiscreteSpec:
        if not self.values:
            raise ValueError("'values' needs at least one value")
        if any(v < 0 for v in self.values):
            raise ValueError(M.NEGATIVE.format(name="a value", value=float(min(self.values))))
        if self.probabilities is not None:
            if len(self.probabilities) != len(self.values):
                raise ValueError(M.EMPIRICAL_PROBABILITIES.format(got=len(self.probabilities), want=len(self.values)))
            if any(p < 0 for p in self.probabilities):
                raise ValueError(M.NEGATIVE.format(name="a probability", value=float(min(self.probabilities))))
            if sum(self.probabilities) != 1:
                raise ValueError(M.EMPIRICAL_PROBABILITIES_SUM.format(total=float(sum(self.probabilities))))
        return self


_SPECS: dict[str, type[LognormalLaw] | type[_DiscreteSpec]] = {"lognormal": LognormalLaw,
                                                                   "discrete": _DiscreteSpec}


def read_distribution(path: str | Path, term: float) -> Distribution | Sample:
    """The law in ``path``: a sample file (``.csv``, ``.txt``, ``.npy``) or a YAML description::

        distribution: lognormal      # median (or mean) and annual volatility over --term
        median: 200M
        volatility: 60%

        distribution: discrete       # values with probabilities (equal if omitted)
        values: [10M, 50M, 200M]
        probabilities: [50%, 30%, 20%]
    """
    p = Path(path)
    if p.suffix.lower() in (".csv", ".txt", ".npy"):
        if not p.is_file():
            raise InputError(M.SAMPLE_FILE.format(path=p, detail="no such file"))
        return Sample(p)
    if p.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise InputError(M.SAMPLE_FORMAT.format(path=p))
    text = read_text(p)
    tree, lines, _ = read_tree(text)
    kind = tree.get("distribution") if isinstance(tree, dict) else None
    model = _SPECS.get(kind) if isinstance(kind, str) else None
    if model is None:
        line = line_of(lines, ("distribution",)) if isinstance(tree, dict) and "distribution" in tree else 1
        raise ScenarioError([Problem("distribution", M.DISTRIBUTION_KIND.format(got=kind), line)], str(p))
    spec = parse_model(text, model, str(p))
    if isinstance(spec, LognormalLaw):
        vol = float(spec.volatility)
        try:
            spread(vol, term)
        except InputError as exc:
            raise ScenarioError([Problem("volatility", str(exc), line_of(lines, ("volatility",)))], str(p)) from None
        median = float(spec.median) if spec.median is not None else float(spec.mean or 0) * math.exp(
            -0.5 * vol * vol * term)
        return Lognormal(median, vol, term)
    assert isinstance(spec, _DiscreteSpec)
    n = len(spec.values)
    probs = spec.probabilities or [Fraction(1, n)] * n
    return Discrete(tuple(float(v) for v in spec.values), tuple(float(q) for q in probs))


__all__ = ["Discrete", "Distribution", "Lognormal", "RiskNeutralLognormal", "Sample", "read_distribution"]
