"""Whole-file checks of the ``projection``, ``contracts`` and ``sources`` sections."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import _extension_messages as X
from . import errors as E
from .errors import Problem, ScenarioError
from .fields import FieldPathError, locate

if TYPE_CHECKING:
    from .models import Scenario


def check_extensions(sc: Scenario) -> None:
    """Raise :class:`ScenarioError` with every problem of the extension sections, or return."""
    problems = find_extension_problems(sc)
    if problems:
        raise ScenarioError(problems)


def find_extension_problems(sc: Scenario) -> list[Problem]:
    problems: list[Problem] = []
    claimants = set(sc.holder_ids) | set(sc.entity_ids)
    distributing = {e.id for e in sc.entities if e.distributes}
    proj = sc.projection
    events = {ev.id for ev in proj.events} if proj is not None else set()
    if proj is not None and proj.entity not in distributing:
        problems.append(
            Problem("projection.entity", X.PROJECTION_ENTITY.format(id=proj.entity, known=E.join_ids(distributing)))
        )
    seen: dict[str, str] = {}
    for i, c in enumerate(sc.contracts):
        at = f"contracts[{i}]"
        if c.id in seen:
            problems.append(Problem(f"{at}.id", X.DUPLICATE_CONTRACT.format(id=c.id, other=seen[c.id])))
        seen.setdefault(c.id, f"{at}.id")
        for role in ("payer", "payee", "licensor", "licensee"):
            cid = getattr(c, role)
            if cid is not None and cid not in claimants:
                problems.append(Problem(f"{at}.{role}", E.UNKNOWN_CLAIMANT.format(id=cid, known=E.join_ids(claimants))))
        if c.is_cash:
            if proj is None:
                problems.append(Problem(at, X.CONTRACT_NO_PROJECTION.format(id=c.id)))
            elif c.payer in claimants and c.payer != proj.entity:
                problems.append(
                    Problem(f"{at}.payer", X.CONTRACT_PAYER.format(id=c.id, payer=c.payer, entity=proj.entity))
                )
            if c.payee in distributing:
                problems.append(Problem(f"{at}.payee", X.CONTRACT_PAYEE_DISTRIBUTES.format(id=c.id, payee=c.payee)))
        if c.end_event is not None and c.end_event not in events:
            known = E.join_ids(events)
            problems.append(Problem(f"{at}.end_event", X.UNKNOWN_EVENT.format(id=c.end_event, known=known)))
    if sc.sources:
        for path in sc.sources:
            try:
                locate(sc, path)
            except FieldPathError as exc:
                problems.append(Problem(f"sources.{path}", X.SOURCE_PATH.format(path=path, detail=exc)))
    return problems
