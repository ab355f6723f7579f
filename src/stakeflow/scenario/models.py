"""The scenario format as immutable pydantic models (SPEC §1–4, §6).

Models check what one object can check on its own (types, exact numbers, kinds, required
fields); :mod:`stakeflow.scenario.validate` checks what needs the whole file (ids, references,
cycles, stranded money).
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Mapping
from fractions import Fraction
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Discriminator, Field, ModelWrapValidatorHandler, PrivateAttr, Tag, TypeAdapter, model_validator

from . import errors as E
from ._base import EMPTY, Amount, FrozenMap, Id, ReadOnlyMap, _Model
from .contracts import Contract
from .errors import Problem, ScenarioError
from .projection import Projection
from .validate import check_scenario
from .validate_extensions import check_extensions

HolderKind = Literal["founder", "employee", "investor", "pool", "nonprofit", "company", "other"]
LegalForm = Literal["corporation", "pbc", "llc", "lp", "nonprofit", "trust", "other"]
ClassKind = Literal["common", "preferred", "option", "warrant", "pool", "safe", "note"]
SafeBasis = Literal["post_money", "pre_money"]
Accrual = Literal["simple", "compound"]
AntiDilution = Literal["none", "broad_based", "narrow_based", "full_ratchet"]



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


# --- classes: one model per kind (SPEC §3, docs/instruments.md) ------------------------------
#
# A class is read as the model of its ``kind``. Each model has the fields its kind takes and
# checks them; a term of another kind (a ``strike`` on a common class) is read too, so that the
# message can say that it does not apply to this kind rather than that the key is unknown.
# Problems are reported in one order whatever the kind: other kinds' instrument terms first,
# then the kind's own instrument checks, then share terms, then the strike.
_FOREIGN_RANK: dict[str, int] = {
    **dict.fromkeys(
        ("valuation_cap", "discount", "basis", "principal", "interest_rate", "interest", "issue_date",
         "maturity_date", "dividend_rate", "dividend", "dividend_start", "anti_dilution", "contingent",
         "liquidation_preference_multiple", "conversion_ratio"),
        0,
    ),
    **dict.fromkeys(("price_per_share", "invested", "participation_cap_multiple", "participating"), 2),
    "strike": 3,
}
_INSTRUMENT, _SHARE_TERMS, _STRIKE = 1, 2, 3

CLASS_KEYS = (
    "id", "name", "kind", "price_per_share", "invested", "liquidation_preference_multiple", "seniority",
    "participating", "participation_cap_multiple", "conversion_ratio", "votes_per_share", "strike",
    "valuation_cap", "discount", "basis", "principal", "interest_rate", "interest", "issue_date",
    "maturity_date", "dividend_rate", "dividend", "dividend_start", "anti_dilution", "contingent",
)
"""Every key a class of some kind takes, in the order messages list them (a term of one kind on
a class of another is reported as not applying to it, not as unknown)."""


class StockClass(_Model):
    """A class of an equity entity (SPEC §3): the base of every kind's model; names follow OCF's
    stock class fields.

    What a kind means to the rest of the code is said here, by its model, never by comparing
    ``kind`` to a name: ``is_preferred_like``, ``is_stock``, ``capitalization_shares``,
    ``stated_seniority``, ``is_post_money``, ``accrues`` and ``votes``.
    """

    id: Id
    name: str | None = None
    kind: ClassKind
    seniority: int = 0
    votes_per_share: Amount | None = None

    union_keys: ClassVar[tuple[str, ...]] = CLASS_KEYS
    default_votes: ClassVar[Fraction] = Fraction(0)
    """Votes per share when ``votes_per_share`` is not given."""
    is_preferred_like: ClassVar[bool] = False
    """Paid a preference unless it converts (preferred stock, SAFEs and notes)."""
    is_common: ClassVar[bool] = False
    """Common stock (an equity entity has at least one such class)."""
    is_stock: ClassVar[bool] = False
    """Issued shares of stock (common and preferred): what a stake or a vote is counted in."""
    counts_in_fixed_capitalization: ClassVar[bool] = False
    """Counted in the fully diluted capitalization that pre-money SAFEs and notes convert
    against (common, options and warrants, preferred as converted)."""
    is_right_to_buy_common: ClassVar[bool] = False
    """A right to buy common at a strike (options and warrants)."""
    is_convertible_instrument: ClassVar[bool] = False
    """A SAFE or a note: an amount owed that converts in a priced round."""
    is_pool: ClassVar[bool] = False
    """The unissued option pool: reserved shares, granted later."""

    @model_validator(mode="wrap")
    @classmethod
    def _own_terms(cls, data: Any, handler: ModelWrapValidatorHandler[StockClass]) -> StockClass:
        if not isinstance(data, dict):
            return handler(data)
        own = {f.alias or n for n, f in cls.model_fields.items()}
        foreign = [k for k in _FOREIGN_RANK if k in data and k not in own]
        model = handler({k: v for k, v in data.items() if k not in foreign})
        ranked = [(_FOREIGN_RANK[k], model._not_for_kind(k)) for k in foreign if _is_set(data[k])]
        ranked += model._checks()
        ranked.sort(key=lambda p: p[0])
        if ranked:
            raise ValueError("; ".join(msg for _, msg in ranked))
        return model

    def _checks(self) -> list[tuple[int, str]]:
        """The kind's own rules, each with its place in the order of problems."""
        return []

    def _not_for_kind(self, field: str) -> str:
        return E.FIELD_NOT_FOR_KIND.format(field=field, kind=self.kind, id=self.id)

    @property
    def votes(self) -> Fraction:
        """Votes per share: as given, else 1 for stock and 0 for options, warrants, the unissued
        pool, SAFEs and notes."""
        return self.votes_per_share if self.votes_per_share is not None else self.default_votes

    @property
    def accrues(self) -> str | None:
        """What the class accrues with time ("dividends", "interest"), if anything."""
        return None

    @property
    def stated_seniority(self) -> int | None:
        """The rank the class's preference is paid at, where the class takes one of its own
        (a note that states none ranks above every other preference)."""
        return None

    @property
    def is_post_money(self) -> bool:
        """Whether the class is a capped SAFE that converts on the post-money basis."""
        return False

    @property
    def contingency(self) -> Contingent | None:
        """The class's contingent terms, if its kind takes them and they are given."""
        return None

    @property
    def post_money_stake(self) -> Fraction:
        """The part of the company a post-money SAFE converts into (purchase amount over cap)."""
        return Fraction(0)

    def capitalization_shares(self, shares: Fraction) -> Fraction:
        """``shares`` of the class as common shares in the fully diluted capitalization (zero
        for what is not counted there)."""
        return shares if self.counts_in_fixed_capitalization else Fraction(0)

    def fully_diluted_shares(self, shares: Fraction) -> Fraction:
        """``shares`` of the class as counted when a round is priced: the fully diluted
        capitalization and the unissued pool (SAFEs and notes convert in the round)."""
        return self.capitalization_shares(shares)


def _is_set(value: Any) -> bool:
    # A term written as null, or `participating: false`, says nothing: accepted on any kind.
    return value is not None and value is not False


class _ShareTerms(StockClass):
    """Terms every class of shares or rights on shares accepts (a preferred class uses them; on
    common stock, options and warrants they have no effect)."""

    liquidation_preference_multiple: Amount = Fraction(1)
    conversion_ratio: Amount = Fraction(1)


class CommonClass(_ShareTerms):
    """Common stock: shares in the residual, one vote per share by default."""

    kind: Literal["common"]
    default_votes: ClassVar[Fraction] = Fraction(1)
    is_common: ClassVar[bool] = True
    is_stock: ClassVar[bool] = True
    counts_in_fixed_capitalization: ClassVar[bool] = True


class PreferredClass(_ShareTerms):
    """Preferred stock: a preference by seniority, optional participation with a cap, and
    conversion to common; optional cumulative dividends and anti-dilution protection."""

    kind: Literal["preferred"]
    price_per_share: Amount | None = None
    invested: Amount | None = None
    participating: bool = False
    participation_cap_multiple: Amount | None = None
    dividend_rate: Amount | None = None
    dividend: Accrual | None = None
    dividend_start: dt.date | None = None
    anti_dilution: AntiDilution | None = None
    contingent: Contingent | None = None

    default_votes: ClassVar[Fraction] = Fraction(1)
    is_preferred_like: ClassVar[bool] = True
    is_stock: ClassVar[bool] = True
    counts_in_fixed_capitalization: ClassVar[bool] = True

    def _checks(self) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        if self.dividend_rate is not None and self.dividend_start is None:
            out.append((_INSTRUMENT, E.DIVIDEND_START.format(id=self.id)))
        for field in ("dividend", "dividend_start"):
            if getattr(self, field) is not None and self.dividend_rate is None:
                out.append((_INSTRUMENT, E.DIVIDEND_RATE.format(field=field, id=self.id)))
        if (self.price_per_share is None) == (self.invested is None):
            out.append((_SHARE_TERMS, E.PREFERRED_PRICE.format(id=self.id)))
        if self.participation_cap_multiple is not None and not self.participating:
            out.append((_SHARE_TERMS, E.CAP_NEEDS_PARTICIPATING.format(id=self.id)))
        if self.conversion_ratio == 0:
            out.append((_SHARE_TERMS, E.CONVERSION_RATIO.format(id=self.id)))
        return out

    @property
    def accrues(self) -> str | None:
        return "dividends" if self.dividend_rate else None

    @property
    def contingency(self) -> Contingent | None:
        return self.contingent

    def issue_amount(self, shares: Fraction) -> Fraction:
        """The class's original issue amount: ``invested``, or ``shares × price_per_share``."""
        return self.invested if self.invested is not None else shares * (self.price_per_share or 0)

    def issue_price(self, shares: Fraction) -> Fraction:
        """The original issue price per share: ``price_per_share``, or ``invested / shares``."""
        if self.price_per_share is not None:
            return self.price_per_share
        return (self.invested or Fraction(0)) / shares if shares else Fraction(0)

    @property
    def stated_seniority(self) -> int | None:
        return self.seniority

    def capitalization_shares(self, shares: Fraction) -> Fraction:
        return shares * self.conversion_ratio


class _RightClass(_ShareTerms):
    """A right to buy common at ``strike`` per share."""

    strike: Amount | None = None
    is_right_to_buy_common: ClassVar[bool] = True
    counts_in_fixed_capitalization: ClassVar[bool] = True

    def _checks(self) -> list[tuple[int, str]]:
        if self.strike is None:
            return [(_STRIKE, E.STRIKE_REQUIRED.format(kind=self.kind, id=self.id))]
        return []


class OptionClass(_RightClass):
    """Granted options: exercised when the common price exceeds the strike."""

    kind: Literal["option"]


class WarrantClass(_RightClass):
    """Warrants: like options, exercised when the common price exceeds the strike."""

    kind: Literal["warrant"]


class PoolClass(StockClass):
    """The unissued option pool: reserved, not granted; counted when a round is priced, paid
    nothing at an exit."""

    kind: Literal["pool"]
    is_pool: ClassVar[bool] = True

    def fully_diluted_shares(self, shares: Fraction) -> Fraction:
        return shares


class InstrumentClass(StockClass):
    """A SAFE or a note: owed an amount, or the proceeds of that amount converted at its cap or
    discount, whichever is greater."""

    valuation_cap: Amount | None = None
    discount: Amount | None = None
    contingent: Contingent | None = None
    is_preferred_like: ClassVar[bool] = True
    is_convertible_instrument: ClassVar[bool] = True

    @property
    def contingency(self) -> Contingent | None:
        return self.contingent

    @property
    def conversion_basis(self) -> str:
        """The capitalization the instrument's cap is measured against in a priced round:
        ``post_money`` or ``pre_money`` (a SAFE's basis), or ``note``."""
        raise NotImplementedError

    def _terms_checks(self) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        if self.discount is not None and self.discount >= 1:
            out.append((_INSTRUMENT, E.DISCOUNT_RANGE.format(id=self.id, value=f"{float(self.discount):.2%}")))
        if self.valuation_cap is not None and self.valuation_cap == 0:
            out.append((_INSTRUMENT, E.VALUATION_CAP.format(id=self.id)))
        return out


class SafeClass(InstrumentClass):
    """A SAFE: ``invested`` converts at its ``valuation_cap`` (post-money by default) or
    ``discount``."""

    kind: Literal["safe"]
    invested: Amount | None = None
    basis: SafeBasis | None = None

    def _checks(self) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        if self.invested is None:
            out.append((_INSTRUMENT, E.SAFE_INVESTED.format(id=self.id)))
        if self.valuation_cap is None and self.discount is None:
            out.append((_INSTRUMENT, E.SAFE_TERMS.format(id=self.id)))
        return out + self._terms_checks()

    @property
    def stated_seniority(self) -> int | None:
        return self.seniority

    @property
    def is_post_money(self) -> bool:
        return self.valuation_cap is not None and (self.basis or "post_money") == "post_money"

    @property
    def conversion_basis(self) -> str:
        return self.basis or "post_money"

    @property
    def post_money_stake(self) -> Fraction:
        if not self.is_post_money or self.invested is None or not self.valuation_cap:
            return Fraction(0)
        return self.invested / self.valuation_cap


class NoteClass(InstrumentClass):
    """A convertible note: ``principal`` with interest from ``issue_date``, owed times its
    ``liquidation_preference_multiple``; debt, so senior to equity unless a seniority is given."""

    kind: Literal["note"]
    liquidation_preference_multiple: Amount = Fraction(1)
    principal: Amount | None = None
    interest_rate: Amount | None = None
    interest: Accrual | None = None
    issue_date: dt.date | None = None
    maturity_date: dt.date | None = None

    def _checks(self) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        if self.principal is None:
            out.append((_INSTRUMENT, E.NOTE_PRINCIPAL.format(id=self.id)))
        if self.interest_rate and self.issue_date is None:
            out.append((_INSTRUMENT, E.NOTE_ISSUE_DATE.format(id=self.id)))
        if self.issue_date and self.maturity_date and self.maturity_date < self.issue_date:
            out.append((_INSTRUMENT, E.NOTE_MATURITY.format(
                id=self.id, maturity=self.maturity_date, issue=self.issue_date)))
        return out + self._terms_checks()

    @property
    def accrues(self) -> str | None:
        return "interest" if self.interest_rate else None

    @property
    def stated_seniority(self) -> int | None:
        return self.seniority if "seniority" in self.model_fields_set else None

    @property
    def conversion_basis(self) -> str:
        return "note"


ClassModel = CommonClass | PreferredClass | OptionClass | WarrantClass | PoolClass | SafeClass | NoteClass
"""A class of some kind."""

AnyClass = Annotated[ClassModel, Field(discriminator="kind")]
"""A class as read from a file: the model of its ``kind``."""

CLASS_MODELS: Mapping[str, type[StockClass]] = FrozenMap({
    typing.get_args(m.model_fields["kind"].annotation)[0]: m
    for m in typing.get_args(typing.get_args(AnyClass)[0])
})
"""The model of each kind."""

_CLASS = TypeAdapter(AnyClass)


def make_class(fields: Mapping[str, Any]) -> ClassModel:
    """The class that ``fields`` (as in a file, ``kind`` included) describe, validated."""
    return _CLASS.validate_python(dict(fields))

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
    shares: ReadOnlyMap[Id, Amount]
    caps: ReadOnlyMap[Id, Cap] = EMPTY
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
    appointed_by: tuple[Appointment, ...] = ()


class Governance(_Model):
    """Who controls an entity (SPEC §6)."""

    board: Board | None = None


class Entity(_Model):
    """An organisation whose proceeds the scenario distributes, or a terminal one."""

    # Shares per class, kept with the holdings they were summed from (a copy with other
    # holdings sums its own).
    _shares_by_class: tuple[object, dict[str, Fraction]] | None = PrivateAttr(default=None)

    id: Id
    name: str | None = None
    legal_form: LegalForm = "other"
    mission: str | None = None
    classes: tuple[AnyClass, ...] | None = None
    holdings: tuple[Holding, ...] | None = None
    distribution: tuple[Tier, ...] | None = None
    contributions: tuple[Contribution, ...] | None = None
    history: tuple[Distribution, ...] | None = None
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
        """The class's shares: the sum of its holdings (worked out for every class at once, and kept)."""
        kept = self._shares_by_class
        if kept is None or kept[0] is not self.holdings:
            totals: dict[str, Fraction] = {}
            for h in self.holdings or ():
                totals[h.class_] = totals.get(h.class_, Fraction(0)) + h.shares
            kept = self._shares_by_class = (self.holdings, totals)
        return kept[1].get(class_id, Fraction(0))

    @model_validator(mode="after")
    def _post_money_safes(self) -> Entity:
        # Post-money SAFEs convert into purchase/cap of the company each; at 100% or more
        # together they would need infinitely many shares.
        total = sum((c.post_money_stake for c in self.classes or ()), Fraction(0))
        if total >= 1:
            raise ValueError(E.SAFES_TOO_LARGE.format(id=self.id, total=float(total)))
        return self


class Exit(_Model):
    entity: Id | None = None
    value: Amount | None = None
    date: dt.date | None = None


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
    holders: tuple[Holder, ...] = ()
    entities: tuple[Entity, ...] = ()
    exit: Exit | None = None
    projection: Projection | None = None
    contracts: tuple[Contract, ...] = ()
    sources: ReadOnlyMap[str, str] = EMPTY

    @model_validator(mode="after")
    def _whole_file(self) -> Scenario:
        check_scenario(self)
        return self

    @model_validator(mode="after")
    def _extensions(self) -> Scenario:
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
