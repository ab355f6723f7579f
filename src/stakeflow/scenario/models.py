"""The scenario format as immutable pydantic models (SPEC §1–4, §6).

Models check what one object can check on its own (types, exact numbers, kinds, required
fields); :mod:`stakeflow.scenario.validate` checks what needs the whole file (ids, references,
cycles, stranded money).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    Tag,
    WithJsonSchema,
    model_validator,
)

from . import errors as E
from .errors import Problem, ScenarioError
from .numbers import NumberError, parse_number


def _exact(value: Any) -> Fraction:
    try:
        return parse_number(value)
    except NumberError as exc:
        raise ValueError(str(exc)) from None


def _exact_nonneg(value: Any) -> Fraction:
    x = _exact(value)
    if x < 0:
        raise ValueError(E.NEGATIVE.format(value=_show(value)))
    return x


def _show(value: Any) -> str:
    return str(value)


def _serialize(x: Fraction) -> int | str:
    return int(x) if x.denominator == 1 else str(x)


_SCHEMA = WithJsonSchema({"type": ["number", "string"]})

Exact = Annotated[Fraction, PlainValidator(_exact), PlainSerializer(_serialize), _SCHEMA]
"""A number read exactly (any spelling of SPEC §1), possibly negative."""

Amount = Annotated[Fraction, PlainValidator(_exact_nonneg), PlainSerializer(_serialize), _SCHEMA]
"""A non-negative number read exactly: an amount, a share count, a multiple, a weight, a rate."""

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]

HolderKind = Literal["founder", "employee", "investor", "pool", "nonprofit", "company", "other"]
LegalForm = Literal["corporation", "pbc", "llc", "lp", "nonprofit", "trust", "other"]
ClassKind = Literal["common", "preferred", "option", "warrant", "pool", "safe", "note"]
SafeBasis = Literal["post_money", "pre_money"]
Accrual = Literal["simple", "compound"]
AntiDilution = Literal["none", "broad_based", "narrow_based", "full_ratchet"]

_NO_VOTES = ("option", "warrant", "pool", "safe", "note")
# Fields that only some kinds take (the format's extension for instruments, docs/instruments.md).
_KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "valuation_cap": ("safe", "note"),
    "discount": ("safe", "note"),
    "basis": ("safe",),
    "principal": ("note",),
    "interest_rate": ("note",),
    "interest": ("note",),
    "issue_date": ("note",),
    "maturity_date": ("note",),
    "dividend_rate": ("preferred",),
    "dividend": ("preferred",),
    "dividend_start": ("preferred",),
    "anti_dilution": ("preferred",),
    "contingent": ("preferred", "safe", "note"),
}


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, arbitrary_types_allowed=True
    )


class Holder(_Model):
    """A party that owns things but is not modelled inside (a terminal claimant)."""

    id: Id
    name: str | None = None
    kind: HolderKind | None = None


class IfNot(_Model):
    """What a contingent class becomes when its event has not happened by the deadline: its money
    is returned (``returnable``), or only ``invested`` of it stays invested."""

    returnable: bool = False
    invested: Amount | None = None

    @model_validator(mode="after")
    def _one(self) -> IfNot:
        if self.returnable == (self.invested is not None):
            raise ValueError(E.CONTINGENT_IF_NOT)
        return self


class Contingent(_Model):
    """Terms that hold only if ``event`` happens (by ``deadline``); otherwise ``if_not`` applies."""

    event: Id
    deadline: dt.date | None = None
    if_not: IfNot


class StockClass(_Model):
    """A class of an equity entity (SPEC §3); names follow OCF's stock class fields."""

    id: Id
    name: str | None = None
    kind: ClassKind
    price_per_share: Amount | None = None
    invested: Amount | None = None
    liquidation_preference_multiple: Amount = Fraction(1)
    seniority: int = 0
    participating: bool = False
    participation_cap_multiple: Amount | None = None
    conversion_ratio: Amount = Fraction(1)
    votes_per_share: Amount | None = None
    strike: Amount | None = None
    valuation_cap: Amount | None = None
    discount: Amount | None = None
    basis: SafeBasis | None = None
    principal: Amount | None = None
    interest_rate: Amount | None = None
    interest: Accrual | None = None
    issue_date: dt.date | None = None
    maturity_date: dt.date | None = None
    dividend_rate: Amount | None = None
    dividend: Accrual | None = None
    dividend_start: dt.date | None = None
    anti_dilution: AntiDilution | None = None
    contingent: Contingent | None = None

    @model_validator(mode="after")
    def _kind_rules(self) -> StockClass:
        problems: list[str] = self._instrument_rules()
        if self.kind == "preferred":
            if (self.price_per_share is None) == (self.invested is None):
                problems.append(E.PREFERRED_PRICE.format(id=self.id))
            if self.participation_cap_multiple is not None and not self.participating:
                problems.append(E.CAP_NEEDS_PARTICIPATING.format(id=self.id))
            if self.conversion_ratio == 0:
                problems.append(E.CONVERSION_RATIO.format(id=self.id))
        else:
            for field in ("price_per_share", "invested", "participation_cap_multiple"):
                if field == "invested" and self.kind == "safe":
                    continue
                if getattr(self, field) is not None:
                    problems.append(E.FIELD_NOT_FOR_KIND.format(field=field, kind=self.kind, id=self.id))
            if self.participating:
                problems.append(
                    E.FIELD_NOT_FOR_KIND.format(field="participating", kind=self.kind, id=self.id)
                )
        if self.kind in ("option", "warrant"):
            if self.strike is None:
                problems.append(E.STRIKE_REQUIRED.format(kind=self.kind, id=self.id))
        elif self.strike is not None:
            problems.append(E.FIELD_NOT_FOR_KIND.format(field="strike", kind=self.kind, id=self.id))
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _instrument_rules(self) -> list[str]:
        """The rules of the kinds and fields that extend SPEC §3 (docs/instruments.md)."""
        out: list[str] = []
        for field, kinds in _KIND_FIELDS.items():
            if getattr(self, field) is not None and self.kind not in kinds:
                out.append(E.FIELD_NOT_FOR_KIND.format(field=field, kind=self.kind, id=self.id))
        if self.kind in ("safe", "note", "pool"):
            # Terms that only shares have; the instrument's own fields say what it is owed.
            for field in ("liquidation_preference_multiple", "conversion_ratio"):
                if field in self.model_fields_set and not (self.kind == "note" and field[0] == "l"):
                    out.append(E.FIELD_NOT_FOR_KIND.format(field=field, kind=self.kind, id=self.id))
        if self.kind == "safe":
            if self.invested is None:
                out.append(E.SAFE_INVESTED.format(id=self.id))
            if self.valuation_cap is None and self.discount is None:
                out.append(E.SAFE_TERMS.format(id=self.id))
        if self.kind == "note":
            if self.principal is None:
                out.append(E.NOTE_PRINCIPAL.format(id=self.id))
            if self.interest_rate and self.issue_date is None:
                out.append(E.NOTE_ISSUE_DATE.format(id=self.id))
            if self.issue_date and self.maturity_date and self.maturity_date < self.issue_date:
                out.append(E.NOTE_MATURITY.format(id=self.id, maturity=self.maturity_date, issue=self.issue_date))
        if self.discount is not None and self.discount >= 1:
            out.append(E.DISCOUNT_RANGE.format(id=self.id, value=f"{float(self.discount):.2%}"))
        if self.valuation_cap is not None and self.valuation_cap == 0:
            out.append(E.VALUATION_CAP.format(id=self.id))
        if self.kind == "preferred":
            if self.dividend_rate is not None and self.dividend_start is None:
                out.append(E.DIVIDEND_START.format(id=self.id))
            for field in ("dividend", "dividend_start"):
                if getattr(self, field) is not None and self.dividend_rate is None:
                    out.append(E.DIVIDEND_RATE.format(field=field, id=self.id))
        return out

    @property
    def votes(self) -> Fraction:
        """Votes per share: as given, else 1 for stock and 0 for options, warrants, the unissued
        pool, SAFEs and notes."""
        if self.votes_per_share is not None:
            return self.votes_per_share
        return Fraction(0) if self.kind in _NO_VOTES else Fraction(1)

    @property
    def accrues(self) -> str | None:
        """What the class accrues with time ("dividends", "interest"), if anything."""
        if self.kind == "preferred" and self.dividend_rate:
            return "dividends"
        if self.kind == "note" and self.interest_rate:
            return "interest"
        return None


class Holding(_Model):
    """Shares of one class held by one claimant."""

    holder: Id
    class_: Id = Field(alias="class")
    shares: Amount


class CapTerms(_Model):
    """A cap written as a mapping (SPEC §10): exactly one form (``amount``, ``multiple`` of the
    claimant's contributions, ``hurdle`` rate on them), optionally growing at ``growth`` from
    ``from``."""

    amount: Amount | None = None
    multiple: Amount | None = None
    hurdle: Amount | None = None
    growth: Amount | None = None
    from_: dt.date | None = Field(default=None, alias="from")

    @model_validator(mode="after")
    def _one_form(self) -> CapTerms:
        forms = [f for f in ("amount", "multiple", "hurdle") if getattr(self, f) is not None]
        if len(forms) != 1:
            got = " and ".join(repr(f) for f in forms) if forms else "none"
            raise ValueError(E.CAP_FORMS.format(got=got))
        if self.growth is not None and self.hurdle is not None:
            raise ValueError(E.CAP_GROWTH_HURDLE)
        if self.growth is not None and self.amount is not None and self.from_ is None:
            raise ValueError(E.CAP_GROWTH_FROM)
        if self.from_ is not None and self.growth is None:
            raise ValueError(E.CAP_FROM_WITHOUT_GROWTH)
        return self

    @property
    def form(self) -> str:
        return "amount" if self.amount is not None else "multiple" if self.multiple is not None else "hurdle"

    @property
    def timed(self) -> bool:
        """Whether the cap depends on the distribution date."""
        return self.form != "amount" or self.growth is not None


def _cap_kind(value: Any) -> str:
    return "[terms]" if isinstance(value, (dict, CapTerms)) else "[amount]"


Cap = Annotated[
    Annotated[CapTerms, Tag("[terms]")] | Annotated[Amount, Tag("[amount]")],
    Discriminator(_cap_kind),
]
"""A tier cap: an amount (SPEC §4) or a :class:`CapTerms` mapping (SPEC §10)."""


class CatchUp(_Model):
    """A catch-up tier's end (SPEC §10): ``claimant``'s receipts reach ``share`` of the profits."""

    claimant: Id
    share: Amount

    @model_validator(mode="after")
    def _range(self) -> CatchUp:
        if not 0 < self.share < 1:
            raise ValueError(E.CATCH_UP_SHARE.format(value=f"{float(self.share):.2%}"))
        return self


class Tier(_Model):
    """One tier of a profit-sharing program (SPEC §4, §10)."""

    name: str | None = None
    shares: dict[Id, Amount]
    caps: dict[Id, Cap] = Field(default_factory=dict)
    overflow: Id | None = None
    limit: Amount | None = None
    catch_up: CatchUp | None = None

    @model_validator(mode="after")
    def _weights(self) -> Tier:
        if not self.shares:
            raise ValueError(E.EMPTY_TIER)
        if sum(self.shares.values()) == 0:
            raise ValueError(E.ZERO_WEIGHTS)
        return self

    @property
    def timed(self) -> bool:
        """Whether what the tier pays depends on the distribution date (SPEC §10)."""
        return self.catch_up is not None or any(isinstance(c, CapTerms) and c.timed for c in self.caps.values())

    @property
    def bounded(self) -> bool:
        """Whether this tier can end before taking everything left.

        A cap on the tier's own overflow claimant does not count: the overflow claimant has no
        cap in that tier (SPEC §4), so such a cap never ends it.
        """
        return any(k != self.overflow for k in self.caps) or self.limit is not None or self.catch_up is not None


class Contribution(_Model):
    """Capital paid into an entity by one claimant on one date (SPEC §10)."""

    claimant: Id
    date: dt.date
    amount: Amount


class Distribution(_Model):
    """Earlier proceeds of an entity, distributed through its program on ``date`` (SPEC §10)."""

    date: dt.date
    amount: Amount


class Clawback(_Model):
    """The general partner's clawback at a final distribution (docs/funds.md): ``claimant`` keeps
    at most ``share`` of the program's lifetime profits."""

    claimant: Id
    share: Amount

    @model_validator(mode="after")
    def _range(self) -> Clawback:
        if not 0 < self.share < 1:
            raise ValueError(E.CLAWBACK_SHARE.format(value=f"{float(self.share):.2%}"))
        return self


class Appointment(_Model):
    claimant: Id
    seats: int = Field(ge=0)


class Board(_Model):
    seats: int = Field(gt=0)
    appointed_by: list[Appointment] = Field(default_factory=list)


class Governance(_Model):
    """Who controls an entity (SPEC §6)."""

    board: Board | None = None


class Entity(_Model):
    """An organisation whose proceeds the scenario distributes, or a terminal one."""

    id: Id
    name: str | None = None
    legal_form: LegalForm = "other"
    mission: str | None = None
    classes: list[StockClass] | None = None
    holdings: list[Holding] | None = None
    distribution: list[Tier] | None = None
    contributions: list[Contribution] | None = None
    history: list[Distribution] | None = None
    clawback: Clawback | None = None
    governance: Governance | None = None

    @property
    def is_equity(self) -> bool:
        return bool(self.classes)

    @property
    def is_tiered(self) -> bool:
        return bool(self.distribution)

    @property
    def timed(self) -> bool:
        """Whether the entity's program needs a distribution date (SPEC §10)."""
        return bool(self.history) or any(t.timed for t in self.distribution or ())

    @property
    def distributes(self) -> bool:
        """Whether money reaching this entity flows on (else it is a terminal claimant)."""
        return self.is_equity or self.is_tiered

    def stock_class(self, class_id: str) -> StockClass:
        for c in self.classes or ():
            if c.id == class_id:
                return c
        raise KeyError(class_id)

    def class_shares(self, class_id: str) -> Fraction:
        return sum((h.shares for h in self.holdings or () if h.class_ == class_id), Fraction(0))

    @model_validator(mode="after")
    def _post_money_safes(self) -> Entity:
        # Post-money SAFEs convert into purchase/cap of the company each; at 100% or more
        # together they would need infinitely many shares.
        total = sum(
            (c.invested / c.valuation_cap for c in self.classes or ()
             if c.kind == "safe" and (c.basis or "post_money") == "post_money"
             and c.invested is not None and c.valuation_cap),
            Fraction(0),
        )
        if total >= 1:
            raise ValueError(E.SAFES_TOO_LARGE.format(id=self.id, total=float(total)))
        return self


class Exit(_Model):
    entity: Id | None = None
    value: Amount | None = None
    date: dt.date | None = None


# The optional sections below build on the types above, so they are imported here.
from .contracts import Contract  # noqa: E402
from .projection import Projection  # noqa: E402


class Scenario(_Model):
    """A whole scenario file, validated. Build with :func:`stakeflow.load` or directly.

    ``projection``, ``contracts`` and ``sources`` are optional extensions of the format
    (``docs/restructuring.md``): an operating entity's profits over the years, agreements such
    as revenue shares, and the source of each figure, keyed by field path.
    """

    stakeflow: Literal[1]
    name: str | None = None
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    as_of: dt.date | None = None
    holders: list[Holder] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    exit: Exit | None = None
    projection: Projection | None = None
    contracts: list[Contract] = Field(default_factory=list)
    sources: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _whole_file(self) -> Scenario:
        from .validate import check_scenario

        check_scenario(self)
        return self

    @model_validator(mode="after")
    def _extensions(self) -> Scenario:
        from .validate_extensions import check_extensions

        check_extensions(self)
        return self

    @model_validator(mode="after")
    def _accrual_date(self) -> Scenario:
        # Dividends and interest accrue to a date: without one, the amounts owed are unknown.
        if self.as_of is not None or (self.exit is not None and self.exit.date is not None):
            return self
        problems = [
            Problem(f"entities[{i}].classes[{j}]", E.ACCRUAL_DATE.format(id=c.id, what=c.accrues))
            for i, e in enumerate(self.entities)
            for j, c in enumerate(e.classes or ())
            if c.accrues
        ]
        if problems:
            raise ScenarioError(problems)
        return self

    # --- look-ups ---------------------------------------------------------------------------
    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)

    @property
    def entity_ids(self) -> list[str]:
        return [e.id for e in self.entities]

    @property
    def holder_ids(self) -> list[str]:
        return [h.id for h in self.holders]

    def display_name(self, claimant: str) -> str:
        for h in self.holders:
            if h.id == claimant:
                return h.name or h.id
        for e in self.entities:
            if e.id == claimant:
                return e.name or e.id
        return claimant
