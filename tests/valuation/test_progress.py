"""The progress callbacks: declared once (valuation/progress.py), each shape named for what it
reports, and the adapters from one to another."""

from __future__ import annotations

import re
from pathlib import Path

import stakeflow
from stakeflow.valuation.montecarlo import value_montecarlo
from stakeflow.valuation.progress import counted, in_stage

SRC = Path(stakeflow.__file__).parent
ROOT = SRC.parents[1]
SHAPES = re.compile(r"Callable\[\[(?:str, )?int(?:, int)?\], None\]")


def test_counted_adds_up_what_it_is_told() -> None:
    seen: list[tuple[int, int]] = []
    advance = counted(lambda done, total: seen.append((done, total)), 10)
    assert advance is not None
    for n in (3, 4, 3):
        advance(n)
    assert seen == [(3, 10), (7, 10), (10, 10)]
    assert counted(None, 10) is None


def test_in_stage_names_the_stage() -> None:
    seen: list[tuple[str, int, int]] = []
    position = in_stage(lambda stage, done, total: seen.append((stage, done, total)), "sensitivity")
    assert position is not None
    position(1, 5)
    advance = counted(in_stage(lambda *a: seen.append(a), "break-even"), 2)
    assert advance is not None
    advance(1)
    assert seen == [("sensitivity", 1, 5), ("break-even", 1, 2)]
    assert in_stage(None, "x") is None


def test_a_simulation_counted_into_a_position_ends_at_its_total() -> None:
    seen: list[tuple[int, int]] = []
    sc = stakeflow.load(ROOT / "examples" / "seed.yaml")
    value_montecarlo(sc, "12M", "60%", 3, "4%", paths=100_003, seed=1,
                     progress=counted(lambda d, t: seen.append((d, t)), 100_003))
    assert seen[-1] == (100_003, 100_003)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_progress_shapes_are_declared_in_one_module() -> None:
    found = {str(p.relative_to(SRC)): SHAPES.findall(p.read_text()) for p in sorted(SRC.rglob("*.py"))}
    assert {k: v for k, v in found.items() if v} == {
        "valuation/progress.py": ["Callable[[int], None]", "Callable[[int, int], None]",
                                  "Callable[[str, int, int], None]"],
    }
    aliases = re.compile(r"^Progress\s*=", re.M)
    assert [str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if aliases.search(p.read_text())] == []
