"""Checks that need the whole scenario: ids, references, cycles, stranded money (SPEC §1–4, §8)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import TYPE_CHECKING

from . import errors as E
from .errors import Problem, ScenarioError

if TYPE_CHECKING:
    from .models import Entity, Scenario


def check_scenario(sc: Scenario) -> None:
    """Raise :class:`ScenarioError` with every problem found, or return quietly."""
    problems = find_problems(sc)
    if problems:
        raise ScenarioError(problems)


def find_problems(sc: Scenario) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    named = [("holders", i, h.id) for i, h in enumerate(sc.holders)]
    named += [("entities", i, e.id) for i, e in enumerate(sc.entities)]
    for kind, i, item_id in named:
        path = f"{kind}[{i}].id"
        if item_id in seen:
            problems.append(Problem(path, E.DUPLICATE_ID.format(id=item_id, other=seen[item_id])))
        else:
            seen[item_id] = path
    claimants = set(seen)
    entities = {e.id: e for e in sc.entities}
    for i, ent in enumerate(sc.entities):
        problems += _check_entity(ent, f"entities[{i}]", claimants)
        problems += _check_time(ent, f"entities[{i}]", _distribution_date(sc))
    problems += _check_cycles(sc)
    if sc.exit is not None and sc.exit.entity is not None:
        target = entities.get(sc.exit.entity)
        if target is None:
            problems.append(
                Problem("exit.entity", E.UNKNOWN_ENTITY.format(id=sc.exit.entity, known=E.join_ids(entities)))
            )
        elif not target.distributes:
            known = E.join_ids(e.id for e in sc.entities if e.distributes)
            problems.append(Problem("exit.entity", E.NOT_DISTRIBUTING.format(id=target.id, known=known)))
    return problems


def _claimant(cid: str, path: str, claimants: set[str], owner: str) -> list[Problem]:
    if cid == owner:
        return [Problem(path, E.SELF_CLAIM.format(id=owner))]
    if cid not in claimants:
        return [Problem(path, E.UNKNOWN_CLAIMANT.format(id=cid, known=E.join_ids(claimants)))]
    return []


def _check_entity(ent: Entity, at: str, claimants: set[str]) -> list[Problem]:
    out: list[Problem] = []
    if ent.classes and ent.distribution:
        out.append(Problem(at, E.BOTH_PROGRAMS.format(id=ent.id)))
    if ent.holdings and not ent.classes:
        out.append(Problem(f"{at}.holdings", E.HOLDINGS_WITHOUT_CLASSES.format(id=ent.id)))
    if ent.classes:
        class_ids: set[str] = set()
        for j, c in enumerate(ent.classes):
            if c.id in class_ids:
                out.append(Problem(f"{at}.classes[{j}].id", E.DUPLICATE_CLASS.format(id=c.id, entity=ent.id)))
            class_ids.add(c.id)
        if not any(c.is_common for c in ent.classes):
            out.append(Problem(f"{at}.classes", E.NO_COMMON.format(id=ent.id)))
        for j, h in enumerate(ent.holdings or ()):
            out += _claimant(h.holder, f"{at}.holdings[{j}].holder", claimants, ent.id)
            if h.class_ not in class_ids:
                out.append(
                    Problem(
                        f"{at}.holdings[{j}].class",
                        E.UNKNOWN_CLASS.format(id=h.class_, entity=ent.id, known=E.join_ids(class_ids)),
                    )
                )
    if ent.distribution:
        tiers = ent.distribution
        for t, tier in enumerate(tiers):
            tp = f"{at}.distribution[{t}]"
            for cid in tier.shares:
                out += _claimant(cid, f"{tp}.shares.{cid}", claimants, ent.id)
            for cid in tier.caps:
                if cid not in tier.shares:
                    out.append(
                        Problem(f"{tp}.caps.{cid}", E.CAP_NOT_IN_SHARES.format(id=cid, known=E.join_ids(tier.shares)))
                    )
                elif tier.shares[cid] == 0 and cid != tier.overflow:
                    # A claimant with no weight never receives anything in the tier, so its cap could
                    # never be reached and the tier would never end: the program would be misread.
                    out.append(Problem(f"{tp}.caps.{cid}", E.CAP_ON_ZERO_WEIGHT.format(id=cid)))
            if tier.overflow is not None:
                out += _claimant(tier.overflow, f"{tp}.overflow", claimants, ent.id)
        first_unbounded = next((t for t, tier in enumerate(tiers) if not tier.bounded), None)
        if first_unbounded is None:
            out.append(Problem(f"{at}.distribution", E.STRANDED.format(id=ent.id)))
        elif first_unbounded < len(tiers) - 1:
            out.append(
                Problem(
                    f"{at}.distribution[{first_unbounded + 1}]",
                    E.UNREACHABLE_TIER.format(index=first_unbounded + 1, id=ent.id, before=first_unbounded),
                )
            )
    if ent.governance is not None and ent.governance.board is not None:
        board = ent.governance.board
        for j, ap in enumerate(board.appointed_by):
            out += _claimant(ap.claimant, f"{at}.governance.board.appointed_by[{j}].claimant", claimants, ent.id)
        total = sum(ap.seats for ap in board.appointed_by)
        if total > board.seats:
            out.append(Problem(f"{at}.governance.board", E.BOARD_SEATS.format(total=total, seats=board.seats)))
    return out


def _distribution_date(sc: Scenario) -> dt.date | None:
    if sc.exit is not None and sc.exit.date is not None:
        return sc.exit.date
    return sc.as_of


def _check_time(ent: Entity, at: str, when: dt.date | None) -> list[Problem]:
    """The rules of SPEC §10: contributions, history, cap forms and catch-up tiers."""
    out: list[Problem] = []
    for field in ("contributions", "history", "clawback"):
        if getattr(ent, field) is not None and not ent.distribution:
            out.append(Problem(f"{at}.{field}", E.TIME_WITHOUT_PROGRAM.format(field=field, id=ent.id)))
    program = children(ent)
    contributors = {c.claimant for c in ent.contributions or ()}
    for j, c in enumerate(ent.contributions or ()):
        if ent.distribution and c.claimant not in program:
            known = E.join_ids(program)
            out.append(Problem(f"{at}.contributions[{j}].claimant",
                               E.CONTRIBUTION_CLAIMANT.format(id=c.claimant, entity=ent.id, known=known)))
    history = ent.history or ()
    for j in range(1, len(history)):
        if history[j].date < history[j - 1].date:
            out.append(Problem(f"{at}.history[{j}].date",
                               E.HISTORY_ORDER.format(date=history[j].date, before=history[j - 1].date)))
    if when is not None:
        for j, h in enumerate(history):
            if h.date > when:
                out.append(Problem(f"{at}.history[{j}].date", E.HISTORY_AFTER_DATE.format(date=h.date, when=when)))
    if ent.clawback is not None and ent.distribution and ent.clawback.claimant not in program:
        out.append(Problem(f"{at}.clawback.claimant", E.CLAWBACK_CLAIMANT.format(
            id=ent.clawback.claimant, entity=ent.id, known=E.join_ids(program))))
    for t, tier in enumerate(ent.distribution or ()):
        tp = f"{at}.distribution[{t}]"
        for cid, cap in tier.caps.items():
            # A cap is an amount (a Fraction) or a mapping of terms with a form.
            if not isinstance(cap, Fraction) and cap.form != "amount" and cid not in contributors:
                out.append(Problem(f"{tp}.caps.{cid}", E.NO_CONTRIBUTIONS.format(form=cap.form, id=cid, entity=ent.id)))
        cu = tier.catch_up
        if cu is None:
            continue
        for field in ("caps", "limit", "overflow"):
            if getattr(tier, field):
                out.append(Problem(f"{tp}.{field}", E.CATCH_UP_ALONE.format(field=field)))
        if cu.claimant not in tier.shares:
            out.append(Problem(f"{tp}.catch_up.claimant",
                               E.CATCH_UP_NOT_IN_SHARES.format(id=cu.claimant, known=E.join_ids(tier.shares))))
        else:
            fraction = tier.shares[cu.claimant] / sum(tier.shares.values())
            if fraction <= cu.share:
                out.append(Problem(f"{tp}.catch_up", E.CATCH_UP_FRACTION.format(
                    id=cu.claimant, fraction=f"{float(fraction):.2%}", share=f"{float(cu.share):.2%}")))
    return out


def children(ent: Entity) -> list[str]:
    """The claimants that receive money directly from ``ent``, in file order, once each."""
    out: list[str] = []
    for h in ent.holdings or ():
        out.append(h.holder)
    for tier in ent.distribution or ():
        out.extend(tier.shares)
        if tier.overflow is not None:
            out.append(tier.overflow)
    return list(dict.fromkeys(out))


def _check_cycles(sc: Scenario) -> list[Problem]:
    ents = {e.id: e for e in sc.entities}
    index = {e.id: i for i, e in enumerate(sc.entities)}
    state: dict[str, int] = {}
    problems: list[Problem] = []
    reported: set[frozenset[str]] = set()

    def visit(eid: str, stack: list[str]) -> None:
        state[eid] = 1
        stack.append(eid)
        for child in children(ents[eid]):
            if child not in ents or child == eid:
                continue
            if state.get(child) == 1:
                cyc = [*stack[stack.index(child):], child]
                key = frozenset(cyc)
                if key not in reported:
                    reported.add(key)
                    problems.append(
                        Problem(f"entities[{index[child]}]", E.CYCLE.format(path=" -> ".join(cyc)))
                    )
            elif state.get(child) is None:
                visit(child, stack)
        stack.pop()
        state[eid] = 2

    for e in sc.entities:
        if e.id not in state:
            visit(e.id, [])
    return problems
