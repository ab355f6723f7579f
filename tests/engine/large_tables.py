"""Large cap tables, generated from a seed: late-stage companies with many series, option
strikes, warrants, SAFEs, notes and holders (illustrative, no real company).

Used by the regime-sweep tests (against the plain engine) and by ``benchmarks/bench_engine.py``
(how compile time grows with the table).
"""

from __future__ import annotations

import random
from typing import Any

import stakeflow as sf


def late_stage(seed: int, series: int = 20, strikes: int = 100, warrants: int = 10, holders: int = 1000,
               safes: int = 0, notes: int = 0) -> dict[str, Any]:
    """A scenario document: ``series`` preferred series (stacked and pari passu seniorities, some
    participating with a cap, multiples 1–2x, prices rising with the round), ``strikes`` option
    grants each at its own strike, ``warrants`` warrants, ``safes`` post- and pre-money SAFEs and
    ``notes`` convertible notes, held by about ``holders`` holders."""
    rnd = random.Random(seed)
    classes: list[dict[str, Any]] = [{"id": "common", "kind": "common"}]
    grants: list[tuple[str, int]] = []
    price = 0.25
    for i in range(series):
        price *= rnd.choice([1.2, 1.5, 1.8, 2.0])
        c: dict[str, Any] = {"id": f"series_{i}", "kind": "preferred", "price_per_share": f"{price:.4f}",
                             "seniority": i // rnd.choice([1, 2, 3]),
                             "liquidation_preference_multiple": rnd.choice(["1", "1", "1", "1.5", "2"])}
        if rnd.random() < 0.3:
            c["participating"] = True
            c["participation_cap_multiple"] = rnd.choice(["2", "2.5", "3"])
        classes.append(c)
        grants.append((c["id"], rnd.randint(2, 8)))
    for i in range(strikes):
        classes.append({"id": f"option_{i}", "kind": "option", "strike": f"{0.05 + i * price / (strikes + 1):.4f}"})
        grants.append((f"option_{i}", 0))
    for i in range(warrants):
        classes.append({"id": f"warrant_{i}", "kind": "warrant", "strike": f"{price * rnd.uniform(0.3, 1.5):.4f}"})
        grants.append((f"warrant_{i}", 1))
    for i in range(safes):
        c = {"id": f"safe_{i}", "kind": "safe", "invested": f"{rnd.randint(1, 20) * 100}k",
             "valuation_cap": f"{rnd.randint(50, 400)}M"}
        if rnd.random() < 0.4:
            c["basis"] = "pre_money"
        classes.append(c)
        grants.append((c["id"], 1))
    for i in range(notes):
        classes.append({"id": f"note_{i}", "kind": "note", "principal": f"{rnd.randint(1, 30) * 100}k",
                        "valuation_cap": f"{rnd.randint(50, 400)}M"})
        grants.append((f"note_{i}", 1))
    investors = [f"investor_{i}" for i in range(max(4, holders // 10))]
    people = [f"person_{i}" for i in range(max(1, holders - len(investors) - 4))]
    founders = ["founder_a", "founder_b", "founder_c", "founder_d"]
    holdings: list[dict[str, Any]] = [{"holder": f, "class": "common", "shares": rnd.randint(2, 8) * 1_000_000}
                                      for f in founders]
    per_grant = max(1, len(people) // max(1, strikes))
    p = 0
    for cls, count in grants:
        if count == 0:  # an option grant: a few people each
            for _ in range(per_grant):
                holdings.append({"holder": people[p % len(people)], "class": cls,
                                 "shares": rnd.randint(1, 50) * 1000})
                p += 1
        else:
            for who in rnd.sample(investors, min(count, len(investors))):
                holdings.append({"holder": who, "class": cls, "shares": rnd.randint(1, 40) * 50_000})
    used = sorted({h["holder"] for h in holdings})
    return {"stakeflow": 1, "name": f"Late-stage company {seed} (generated)", "currency": "USD",
            "holders": [{"id": h} for h in used],
            "entities": [{"id": "company", "classes": classes, "holdings": holdings}]}


def build(doc: dict[str, Any]) -> sf.Scenario:
    return sf.Scenario.model_validate(doc)
