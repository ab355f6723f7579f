"""Look-through across entities (SPEC §2): money reaching an entity flows on through its own
classes or tier program; terminal claimants keep what they receive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from ..scenario import errors as E
from ..scenario.errors import InputError, NoExitValue, StructureError
from ..scenario.models import Entity, Exit, Scenario
from ..scenario.numbers import DateSpelled, NumberError, Spelled, parse_number
from ..scenario.validate import children
from .claims import claims_of
from .compiled import compiled, kept, tier_claimants
from .conversion import equilibrium
from .equity import split
from .instruments import accrual_date
from .ledger import Step
from .result import EquityFlow, TierFlow, WaterfallResult
from .tiers import TierPaid, clawback, program, split_tiers


def read_amount(value: Any, error: Callable[[Any, str], Exception]) -> Fraction:
    """An amount as the user wrote it (any spelling of SPEC §1), non-negative; else
    ``error(value, detail)`` is raised, ``detail`` saying what is wrong."""
    try:
        v = parse_number(value)
    except NumberError as exc:
        raise error(value, str(exc)) from None
    if v < 0:
        raise error(value, "must not be negative")
    return v


def exit_amount(value: Spelled, label: str = "exit value") -> Fraction:
    """An exit value as the user wrote it (any spelling of SPEC §1), non-negative; ``label`` names
    it in a message."""
    return read_amount(value, lambda v, detail: InputError(E.EXIT_VALUE.format(label=label, value=v, detail=detail)))


def exit_value_for(sc: Scenario, given: Spelled | None = None) -> Spelled:
    """The exit value a command works at (SPEC §7): ``given`` when it is, else the scenario's
    ``exit.value``; :class:`~stakeflow.scenario.errors.NoExitValue` when neither is set. The value
    is returned as written, for :func:`exit_amount` to read."""
    if given is not None and str(given).strip():
        return given
    if sc.exit is not None and sc.exit.value is not None:
        return sc.exit.value
    raise NoExitValue(E.NO_EXIT)


def exit_value_of(sc: Scenario, entity: str) -> Fraction | None:
    """The scenario's ``exit.value`` when it is ``entity``'s proceeds (``exit.entity`` unset or
    ``entity``), else None: where a chart of ``entity``'s payoffs marks or starts."""
    ex = sc.exit
    if ex is None or ex.value is None or ex.entity not in (None, entity):
        return None
    return ex.value


def distribution_date(value: DateSpelled) -> dt.date:
    """A distribution date as the user wrote it (``YYYY-MM-DD``, or a date)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(E.BAD_DATE.format(value=value)) from None


def at_date(sc: Scenario, date: Any = None) -> Scenario:
    """``sc`` with its proceeds distributed on ``date`` (SPEC §10: ``--date``, ``date=``), which
    takes the place of ``exit.date``; ``sc`` itself is unchanged. ``None`` keeps the file's date."""
    if date is None:
        return sc
    when = distribution_date(date)
    ex = sc.exit.model_copy(update={"date": when}) if sc.exit is not None else Exit(date=when)
    return sc.model_copy(update={"exit": ex})


def resolve_entity(sc: Scenario, entity: str | None = None) -> Entity:
    """The entity a command works on: the one named, else ``exit.entity``, else the single root."""
    dist = [e for e in sc.entities if e.distributes]
    if entity is not None:
        try:
            ent = sc.entity(entity)
        except KeyError:
            raise StructureError(E.UNKNOWN_ENTITY.format(id=entity, known=E.join_ids(sc.entity_ids))) from None
        if not ent.distributes:
            raise StructureError(E.NOT_DISTRIBUTING.format(id=entity, known=E.join_ids(e.id for e in dist)))
        return ent
    if sc.exit is not None and sc.exit.entity is not None:
        return sc.entity(sc.exit.entity)
    held = {c for e in sc.entities for c in children(e)}
    roots = [e for e in dist if e.id not in held]
    if not roots:
        raise StructureError(E.NO_ROOT)
    if len(roots) > 1:
        raise StructureError(E.SEVERAL_ROOTS.format(ids=", ".join(e.id for e in roots)))
    return roots[0]


def reachable(sc: Scenario, root: Entity) -> tuple[list[Entity], list[str]]:
    """Distributing entities reachable from ``root`` in topological order, and the terminal
    claimants reachable from it in order of first appearance."""
    ents = {e.id: e for e in sc.entities}
    order: list[str] = []
    terminals: list[str] = []
    seen: set[str] = set()

    def visit(eid: str) -> None:
        seen.add(eid)
        for c in children(ents[eid]):
            if c in ents and ents[c].distributes:
                if c not in seen:
                    visit(c)
            elif c not in terminals:
                terminals.append(c)
        order.append(eid)

    visit(root.id)
    order.reverse()
    return [ents[i] for i in order], terminals


def waterfall(sc: Scenario, exit_value: Spelled, entity: str | None = None, explain: bool = True,
              date: DateSpelled | None = None) -> WaterfallResult:
    """Who receives what, exactly, when ``entity``'s proceeds are ``exit_value``, distributed on
    ``date`` (default: ``exit.date``, else ``as_of``; SPEC §10).

    Read off each entity's compiled regimes (:mod:`.compiled`), kept with the scenario; the
    explain ledger (``steps``) is the plain engine's, worked out when first asked for.
    """
    dated = at_date(sc, date)
    root = resolve_entity(dated, entity)
    value = exit_amount(exit_value)
    as_of = accrual_date(dated)
    order, terminals = kept(sc, ("reachable", root.id), lambda: reachable(sc, root))
    proceeds: dict[str, Fraction] = {e.id: Fraction(0) for e in order}
    proceeds[root.id] = value
    holders: dict[str, Fraction] = {t: Fraction(0) for t in terminals}
    flows: dict[str, EquityFlow | TierFlow] = {}
    for ent in order:
        ce = compiled(sc, ent, as_of)
        if ce is None:
            return reference_waterfall(dated, value, root.id, explain)
        v = proceeds[ent.id]
        amounts = ce.at(v)
        for claimant, _, j, share in ce.payees:
            amt = amounts[j] * share if share != 1 else amounts[j]
            if claimant in proceeds:
                proceeds[claimant] += amt
            else:
                holders[claimant] += amt
        if ce.is_equity:
            conv = ce.converted_at(v)
            flows[ent.id] = EquityFlow(
                proceeds=v,
                classes={str(cid): a for (cid, _), a in zip(ce.parts, amounts, strict=True)},
                converted=[str(cid) for cid, _ in ce.parts if cid in conv],
                price_per_share=ce.price_at(v),
                holdings=[(h, str(cid), amounts[j] * share) for h, cid, j, share in ce.payees],
            )
        else:
            tiers = ent.distribution or ()
            paid: list[dict[str, Fraction]] = [{} for _ in tiers]
            totals = dict.fromkeys(tier_claimants(ent), Fraction(0))
            for (i, k), a in zip(ce.parts, amounts, strict=True):
                assert isinstance(i, int) and k is not None
                paid[i][k] = a
                totals[k] += a
            prog = ce.program
            back = clawback(ent, prog, totals) if prog is not None else None
            flows[ent.id] = TierFlow(proceeds=v, tiers=[TierPaid(t.name or f"tier {i + 1}", paid[i])
                                                        for i, t in enumerate(tiers)], totals=totals,
                                     history=None if prog is None else prog.history,
                                     clawback=None if back is None or ent.clawback is None
                                     else (ent.clawback.claimant, back))
    names = kept(sc, ("names", root.id, *flows), lambda: {t: sc.display_name(t) for t in [*holders, *flows]})
    return WaterfallResult(entity=root.id, exit_value=value, currency=sc.currency, holders=holders,
                           entities=flows, names=dict(names),
                           ledger=(lambda: reference_waterfall(dated, value, root.id).steps) if explain else None)


def reference_waterfall(sc: Scenario, exit_value: Any, entity: str | None = None,
                        explain: bool = True, date: Any = None) -> WaterfallResult:
    """The plain engine: the conversion equilibrium solved and every split worked out at
    ``exit_value`` itself, recording the explain ledger. The reference every fast path is checked
    against, and what writes the ledger."""
    sc = at_date(sc, date)
    root = resolve_entity(sc, entity)
    value = exit_amount(exit_value)
    order, terminals = reachable(sc, root)
    proceeds: dict[str, Fraction] = {e.id: Fraction(0) for e in order}
    proceeds[root.id] = value
    holders: dict[str, Fraction] = {t: Fraction(0) for t in terminals}
    flows: dict[str, EquityFlow | TierFlow] = {}
    steps: list[Step] = []
    distributing = {e.id for e in order}

    def pay(src: str, claimant: str, amount: Fraction, via: str) -> None:
        if claimant in distributing:
            proceeds[claimant] += amount
            if explain and amount:
                text = f"{via} passes through to entity {claimant}"
                steps.append(Step(src, "pass_through", text, amount, claimant=claimant))
        else:
            holders[claimant] += amount
            if explain and amount:
                steps.append(Step(src, "received", f"{claimant} receives via {via}", amount, claimant=claimant))

    for ent in order:
        v = proceeds[ent.id]
        if explain:
            steps.append(Step(ent.id, "proceeds", f"proceeds of {ent.id}", v))
        if ent.is_equity:
            claims = claims_of(ent, accrual_date(sc))
            conv = equilibrium(ent.id, claims, v)
            if explain:
                for cid in sorted(conv):
                    text = f"{cid} converts to common (worth more than its preference)"
                    steps.append(Step(ent.id, "conversion", text, None, class_id=cid))
            sp = split(ent.id, claims, v, conv, record=explain)
            steps.extend(sp.steps)
            by_holding: list[tuple[str, str, Fraction]] = []
            for c in claims:
                for h in ent.holdings or ():
                    if h.class_ != c.id or c.shares == 0:
                        continue
                    amt = sp.amounts[c.id] * h.shares / c.shares
                    by_holding.append((h.holder, c.id, amt))
                    pay(ent.id, h.holder, amt, f"{c.id}")
            flows[ent.id] = EquityFlow(
                proceeds=v,
                classes=dict(sp.amounts),
                converted=[c.id for c in claims if c.id in conv],
                price_per_share=sp.price_per_share,
                holdings=by_holding,
            )
        else:
            prog = program(ent, accrual_date(sc))
            if explain:
                for past in ent.history or ():
                    text = f"earlier distribution of {ent.id} on {past.date}"
                    steps.append(Step(ent.id, "history", text, past.amount))
                for k, amt in (prog.history or {}).items():
                    if amt:
                        steps.append(Step(ent.id, "history", f"{k} received from earlier distributions", amt,
                                          claimant=k))
            ts = split_tiers(ent.id, ent.distribution or [], v, record=explain, context=prog.context)
            steps.extend(ts.steps)
            for k, amt in ts.totals.items():
                pay(ent.id, k, amt, "the tier program")
            back = clawback(ent, prog, ts.totals)
            if explain and back is not None and ent.clawback is not None:
                text = f"{ent.clawback.claimant} must return (clawback)"
                steps.append(Step(ent.id, "clawback", text, back, claimant=ent.clawback.claimant))
            flows[ent.id] = TierFlow(proceeds=v, tiers=ts.tiers, totals=ts.totals, history=prog.history,
                                     clawback=None if back is None or ent.clawback is None
                                     else (ent.clawback.claimant, back))
    return WaterfallResult(
        entity=root.id,
        exit_value=value,
        currency=sc.currency,
        holders=holders,
        entities=flows,
        ledger=(lambda: steps),
        names={t: sc.display_name(t) for t in [*holders, *flows]},
    )
