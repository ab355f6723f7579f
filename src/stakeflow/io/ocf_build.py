"""The scenario an OCF import builds from what it read: the entity, its classes (with
seniorities and derived option and warrant classes), holders and holdings."""

from __future__ import annotations

import typing
from collections import Counter
from fractions import Fraction
from typing import Any

from ..scenario import models
from ..scenario.models import Entity, Holder, Holding, Scenario, make_class
from . import _messages as M
from .decimals import fraction_text
from .ocf_imported import OcfImport
from .ocf_marks import marks_of
from .ocf_state import VALID_ID, ClassDraft, Ids, ImportState, SecurityDraft, enum_value, ocf_date, slug

# The scenario's holder kind for each OCF stakeholder relationship.
_KIND_OF_RELATIONSHIP = {
    "FOUNDER": "founder",
    "EMPLOYEE": "employee",
    "EX_EMPLOYEE": "employee",
    "NON_US_EMPLOYEE": "employee",
    "EXECUTIVE": "employee",
    "OFFICER": "employee",
    "INVESTOR": "investor",
    "ADVISOR": "other",
    "EX_ADVISOR": "other",
    "CONSULTANT": "other",
    "EX_CONSULTANT": "other",
    "BOARD_MEMBER": "other",
    "OTHER": "other",
}


def _weights(secs: list[SecurityDraft]) -> dict[str, Fraction]:
    """Holding shares of a convertible class's securities: the exported weights while they stay
    proportional to the amounts, else the amounts."""
    ws = [s.weight for s in secs]
    if all(w for w in ws):
        ratios = {s.quantity / s.weight for s in secs if s.weight}
        if len(ratios) == 1:
            return {s.sid: s.weight or Fraction(0) for s in secs}
    return {s.sid: s.quantity for s in secs}


class Build(ImportState):
    # --- the scenario --------------------------------------------------------------------------
    def _build(self, entity_id: str) -> OcfImport:
        cap = self.cap
        issuer = cap.manifest.issuer
        holders = []
        for i, obj in enumerate(cap.stakeholders):
            marks = marks_of(obj)
            kind = marks.get("kind")
            if kind not in typing.get_args(models.HolderKind):
                kind = _KIND_OF_RELATIONSHIP.get(str(enum_value(obj.current_relationship)))
            holders.append(Holder.model_validate({"id": self.holder_of[obj.id], "name": obj.name.legal_name,
                                                  "kind": kind}))
            self.line_notes[("holders", i)] = f"OCF stakeholder {obj.id}"
        classes: list[dict[str, Any]] = []
        class_notes: list[str] = []
        mapped = [d for d in self.classes.values() if d.problem is None]
        needs_common = bool(mapped) or any(s.open for s in self.securities.values())
        if needs_common and not any(d.kind == "common" for d in mapped):
            classes.append({"id": self._new_class_id("common"), "kind": "common"})
            class_notes.append("added: every equity entity has a common class")
            self.note(M.NOTE_ADDED_COMMON)
        ranks = self._seniorities(mapped)
        class_of: dict[tuple[Any, ...], str] = {}
        for d in mapped:
            classes.append(self._class_fields(d, ranks))
            class_notes.append(f"OCF stock class {d.ocf_id}")
            class_of[("stock", d.ocf_id)] = d.id
        for spec, note in self._derived_classes(class_of):
            classes.append(spec)
            class_notes.append(note)
        holdings: dict[tuple[str, str], Fraction] = {}
        sources: dict[tuple[str, str], list[str]] = {}
        pool_holder = ""
        pool_keys: set[tuple[str, str]] = set()
        if any(p["holder"] is None for p in self.pools.values()):
            pool_holder = self.ids.take(["unallocated_pool"], "pool")
            holders.append(Holder(id=pool_holder, name=M.POOL_HOLDER_NAME, kind="pool"))
            self.line_notes[("holders", len(holders) - 1)] = M.POOL_HOLDER_NOTE
            self.note(M.NOTE_POOL_HOLDER.format(id=pool_holder))
        for plan_id, pool in self.pools.items():
            cid = pool["class"]
            if cid not in {c["id"] for c in classes}:
                classes.append({"id": cid, "name": f"{pool['name']} (unissued reserve)", "kind": "pool"})
                class_notes.append(f"OCF stock plan {plan_id}: reserve not yet granted")
            key = (pool["holder"] or pool_holder, cid)
            holdings[key] = holdings.get(key, Fraction(0)) + pool["shares"]
            sources.setdefault(key, []).append(plan_id)
            pool_keys.add(key)
        weights: dict[str, Fraction] = {}
        for group in {s.group for s in self.securities.values() if s.kind in ("safe", "note") and s.open}:
            weights.update(_weights([s for s in self.securities.values() if s.group == group and s.open]))
        for s in self.securities.values():
            if not s.open:
                continue
            key = (s.holder, class_of[s.group])
            holdings[key] = holdings.get(key, Fraction(0)) + weights.get(s.sid, s.quantity)
            sources.setdefault(key, []).append(s.sid)
        order = {c["id"]: i for i, c in enumerate(classes)}
        holder_order = {h.id: i for i, h in enumerate(holders)}
        keys = sorted(holdings, key=lambda k: (order[k[1]], holder_order[k[0]]))
        hold_list = [Holding.model_validate({"holder": h, "class": c, "shares": holdings[(h, c)]}) for h, c in keys]
        for j, key in enumerate(keys):
            sids = sources[key]
            shown = ", ".join(sids[:3]) + (f" and {len(sids) - 3} more" if len(sids) > 3 else "")
            word = ("stock plan" if len(sids) == 1 else "stock plans") if key in pool_keys else (
                "security" if len(sids) == 1 else "securities")
            self.line_notes[("entities", 0, "holdings", j)] = f"OCF {word} {shown}"
        for j, note in enumerate(class_notes):
            self.line_notes[("entities", 0, "classes", j)] = note
        self.line_notes[("entities", 0)] = f"OCF issuer {issuer.id}"
        entity = Entity(
            id=entity_id,
            name=issuer.legal_name,
            legal_form="corporation",
            classes=tuple(make_class(c) for c in classes) or None,
            holdings=tuple(hold_list) or None,
        )
        sc = Scenario(
            stakeflow=1,
            name=issuer.legal_name,
            currency=self.currency,
            as_of=ocf_date(cap.manifest.as_of),
            holders=tuple(holders),
            entities=(entity,),
        )
        counts = {
            "stakeholders": len(cap.stakeholders),
            "stock_classes": len(cap.stock_classes),
            "stock_plans": len(cap.stock_plans),
            "transactions": len(cap.transactions),
            "holders": len(holders),
            "classes": len(classes),
            "holdings": len(hold_list),
            "unmapped": len(self.unmapped),
            "ignored": len(self.ignored),
        }
        return OcfImport(sc, self.source, self.unmapped, self.ignored, self.notes, counts, self.applied,
                         self.line_notes)

    def _seniorities(self, drafts: list[ClassDraft]) -> dict[str, int]:
        values = sorted({d.seniority for d in drafts if d.kind == "preferred"})
        if all(v.denominator == 1 for v in values):
            return {d.ocf_id: int(d.seniority) for d in drafts}
        self.note(M.NOTE_SENIORITY_RANKED.format(values=", ".join(fraction_text(v) for v in values)))
        rank = {v: i + 1 for i, v in enumerate(values)}
        return {d.ocf_id: rank.get(d.seniority, 0) for d in drafts}

    def _class_fields(self, d: ClassDraft, ranks: dict[str, int]) -> dict[str, Any]:
        out: dict[str, Any] = {"id": d.id, "name": d.name, "kind": d.kind}
        if d.votes is not None and d.votes != 1:
            out["votes_per_share"] = d.votes
        if d.kind == "common":
            return out
        if d.invested is not None:
            out["invested"] = d.invested
        else:
            out["price_per_share"] = d.price
        out["liquidation_preference_multiple"] = d.lpm
        out["seniority"] = ranks[d.ocf_id]
        out["participating"] = d.participating
        if d.participating and d.cap is not None:
            out["participation_cap_multiple"] = d.cap
        out["conversion_ratio"] = d.ratio
        return out

    def _derived_classes(self, class_of: dict[tuple[Any, ...], str]) -> list[tuple[dict[str, Any], str]]:
        """Option, warrant and convertible classes, one per group of securities with the same terms."""
        groups: dict[tuple[Any, ...], list[SecurityDraft]] = {}
        for s in self.securities.values():
            if s.kind != "stock" and s.open:
                groups.setdefault(s.group, []).append(s)
        out: list[tuple[dict[str, Any], str]] = []
        taken = {c.id for c in self.classes.values() if c.problem is None} | set(self.extra_ids)
        strikes_per_plan: Counter[tuple[Any, Any]] = Counter((g[1], g[2]) for g in groups if g[0] == "option")
        strikes_of_warrants: Counter[Any] = Counter(g[1] for g in groups if g[0] == "warrant")
        for group, secs in groups.items():
            kind = secs[0].kind
            spec: dict[str, Any]
            if kind == "option":
                _, mark, plan_id, strike = group
                plan = self.plans.get(plan_id) if plan_id else None
                plan_name = plan.plan_name if plan is not None else None
                several = strikes_per_plan[(mark, plan_id)] > 1
                base = [mark] if mark else []
                if not several:
                    base += [plan_id if plan_id and VALID_ID.match(plan_id) else None, slug(plan_name or ""), "options"]
                else:
                    stem = slug(plan_name or "") or "options"
                    base += [slug(f"{stem} at {fraction_text(strike)}")]
                name = (plan_name if plan_name and not several
                        else f"{plan_name or 'Options'} at {fraction_text(strike)}")
                spec = {"kind": "option", "name": name, "strike": strike}
                note = f"OCF equity compensation under plan {plan_id}" if plan_id else "OCF equity compensation"
            elif kind == "warrant":
                _, mark, strike = group
                several = strikes_of_warrants[mark] > 1
                base = [mark] if mark else []
                base += [slug(f"warrants at {fraction_text(strike)}") if several else "warrants"]
                spec = {"kind": "warrant", "name": f"Warrants at {fraction_text(strike)}", "strike": strike}
                note = "OCF warrant issuances"
            else:
                _, mark, ckind, terms = group
                base = [mark] if mark else []
                base += [f"{ckind}s"]
                spec = {"kind": ckind, **dict(terms)}
                total = sum((s.quantity for s in secs), Fraction(0))
                spec["invested" if ckind == "safe" else "principal"] = total
                note = f"OCF convertible issuances ({ckind})"
            ids = Ids()
            ids.used = taken
            spec = {"id": ids.take(base, kind), **spec}
            out.append((spec, note))
            for s in secs:
                class_of[s.group] = spec["id"]
        return out
