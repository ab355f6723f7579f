"""The base types of the format: exact numbers, ids, read-only mappings and the frozen model.

A leaf module: every model of :mod:`stakeflow.scenario` builds on these, and they import nothing
else of the package but its messages and its number reader, so the models, the optional
sections (contracts, projection) and the checks can import each other one way only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    SerializerFunctionWrapHandler,
    WithJsonSchema,
    WrapSerializer,
)

from . import errors as E
from .numbers import NumberError, parse_number


def _exact(value: Any) -> Fraction:
    try:
        return parse_number(value)
    except NumberError as exc:
        raise ValueError(str(exc)) from None


def _exact_nonneg(value: Any) -> Fraction:
    x = _exact(value)
    if x < 0:
        raise ValueError(E.NEGATIVE.format(value=value))
    return x


def _serialize(x: Fraction) -> int | str:
    return int(x) if x.denominator == 1 else str(x)


_SCHEMA = WithJsonSchema({"type": ["number", "string"]})

Exact = Annotated[Fraction, PlainValidator(_exact), PlainSerializer(_serialize), _SCHEMA]
"""A number read exactly (any spelling of SPEC §1), possibly negative."""

Amount = Annotated[Fraction, PlainValidator(_exact_nonneg), PlainSerializer(_serialize), _SCHEMA]
"""A non-negative number read exactly: an amount, a share count, a multiple, a weight, a rate."""

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A read-only mapping: looked up like a ``dict``, never changed (no ``[key] = value``, no
    ``update``); it pickles and copies, so scenarios travel to worker processes."""

    __slots__ = ("_items",)
    _items: dict[K, V]

    def __init__(self, items: Mapping[K, V] | None = None) -> None:
        object.__setattr__(self, "_items", dict(items or {}))

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._items,))


EMPTY: Mapping[Any, Any] = FrozenMap()
"""The empty read-only mapping (a default)."""


def _freeze(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return FrozenMap(value)


def _thaw(value: Mapping[Any, Any], handler: SerializerFunctionWrapHandler) -> Any:
    return handler(dict(value))


ReadOnlyMap = Annotated[Mapping[K, V], AfterValidator(_freeze), WrapSerializer(_thaw)]
"""A mapping read like a ``dict`` and kept read-only (:class:`FrozenMap`); it dumps as a
plain mapping, so ``model_dump``, YAML and OCF export see what the file said."""


class _Model(BaseModel):
    """A frozen model that forbids unknown keys: a validated scenario cannot be changed, only
    copied (``model_copy(update=...)``) or rebuilt."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, arbitrary_types_allowed=True
    )
