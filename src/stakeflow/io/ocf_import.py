"""Open Cap Table Format → scenario: one equity entity, the issuer, and its holders.

What is read (docs/data.md has the full table):

- the issuer becomes the entity; every stakeholder a holder;
- stock classes become ``common`` and ``preferred`` classes: price per share (the original
  issue price), ``liquidation_preference_multiple``, ``seniority``, votes per share; OCF has no
  participation flag, so a preferred class participates exactly when it has a
  ``participation_cap_multiple`` (its cap); the conversion ratio is that of its ratio
  conversion right into common (where there are several, into the common class with the
  fewest non-zero votes per share, the rule of the OCF law-firm working group's OCX reports);
- stock issuances become holdings, net of the cancellations, repurchases, retractions,
  transfers, conversions, reissuances and consolidations recorded against them (the shares
  such transactions move elsewhere appear as the new securities they name); splits scale the
  shares issued before them (and the price per share, conversion ratios into the class and
  option strikes, so that no claim changes in value);
- options, RSUs and stock appreciation rights become ``option`` classes, one per stock plan and
  exercise price (RSUs at exercise price 0), net of cancellations, exercises, releases,
  transfers, retractions and repricings; warrants become ``warrant`` classes, one per exercise
  price;
- SAFEs and convertible notes become ``safe`` and ``note`` classes where the scenario format
  has those kinds and the terms fit (see :func:`.ocf_issuances._convertible_terms`).

Everything else is listed by object type and id with the reason — as *unmapped* when it could
change the payouts, as *ignored* when it cannot (acceptances, vesting, authorized shares) —
and never dropped silently.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..scenario.errors import InputErrors, ScenarioError
from . import _messages as M
from .ocf_build import Build
from .ocf_classes import StockClasses
from .ocf_events import Events
from .ocf_imported import OcfImport, OcfItem
from .ocf_issuances import Issuances
from .ocf_package import read_package
from .ocf_state import ISSUANCES, id_candidates, ocf_date


def import_ocf(path: str | Path) -> OcfImport:
    """Read the OCF package at ``path`` (a .zip, a folder or a manifest) as a scenario."""
    cap = read_package(path)
    return from_captable(cap, str(path))


class _Importer(StockClasses, Issuances, Events, Build):
    """Reads one cap table: each kind of OCF object by its part, in the order the format needs."""

    # --- the pieces ----------------------------------------------------------------------------
    def run(self) -> OcfImport:
        cap = self.cap
        issuer = cap.manifest.issuer
        for obj in cap.stakeholders:
            self.holder_of[obj.id] = self.ids.take(id_candidates(obj.id, obj.name.legal_name), "holder")
        entity_id = self.ids.take(id_candidates(issuer.id, issuer.legal_name), "company")
        for obj in cap.stock_classes:
            self._stock_class(obj)
        for group, reason in (
            (cap.valuations, M.NO_EFFECT_VALUATION), (cap.documents, M.NO_EFFECT_DOCUMENT),
            (cap.stock_legend_templates, M.NO_EFFECT_DOCUMENT), (cap.vesting_terms, M.NO_EFFECT_DOCUMENT),
            (cap.financings, M.NO_EFFECT_FINANCING),
        ):
            for obj in group:
                self.ignore(obj, reason)
        txs = list(cap.transactions)
        for tx in txs:
            if tx.object_type in ISSUANCES:
                self._issuance(tx)
        self._infer_prices()
        self._pools()
        order = sorted(range(len(txs)), key=lambda i: (ocf_date(txs[i].date) or dt.date.min, i))
        for i in order:
            tx = txs[i]
            if tx.object_type not in ISSUANCES:
                self._event(tx)
        return self._build(entity_id)


def from_captable(cap: Any, source: str) -> OcfImport:
    """The scenario of a pyocf :class:`~pyocf.captable.Captable`."""
    try:
        return _Importer(cap, source).run()
    except ScenarioError as exc:
        details = [f"{p.path}: {p.message}" if p.path else p.message for p in exc.problems]
        raise InputErrors([M.NOT_A_SCENARIO.format(path=source, detail=d) for d in details]) from None
    except ValidationError as exc:
        raise InputErrors([M.NOT_A_SCENARIO.format(path=source, detail=str(e["msg"]).removeprefix("Value error, "))
                           for e in exc.errors(include_url=False)]) from None


__all__ = ["OcfImport", "OcfItem", "from_captable", "import_ocf"]
