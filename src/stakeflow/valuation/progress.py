"""What a long computation tells its caller as it goes: three shapes, each named for what it
reports, and the two adapters between them.

- :data:`Advance` — ``advance(n)``: ``n`` more units done since the last call (paths simulated,
  solves or tasks finished). What the simulations and the analyses report: a unit of work knows
  its own size, not the whole.
- :data:`Position` — ``position(done, total)``: ``done`` of ``total`` so far (a sweep's points
  valued or paths simulated). What a caller drawing one bar wants.
- :data:`StagePosition` — ``progress(stage, done, total)``: the same, for a computation in named
  stages (a restructuring analysis: valuing, fair stakes, break-even, sensitivity), one bar each.

``counted`` turns a :data:`Position` into the :data:`Advance` a simulation calls, and ``in_stage``
a :data:`StagePosition` into the :data:`Position` of one stage.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

Advance = Callable[[int], None]
"""``advance(n)``: ``n`` more units done since the last call."""

Position = Callable[[int, int], None]
"""``position(done, total)``: ``done`` of ``total`` units done so far."""

StagePosition = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: ``done`` of the ``total`` units of the stage named ``stage``."""


def counted(position: Position | None, total: int) -> Advance | None:
    """An ``advance(n)`` that adds up the ``n`` it is told and reports ``position(done, total)``
    (None where there is no ``position`` to report to)."""
    if position is None:
        return None
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        position(done, total)

    return advance


def in_stage(progress: StagePosition | None, stage: str) -> Position | None:
    """``position(done, total)`` of the stage ``stage``: ``progress(stage, done, total)``."""
    return None if progress is None else partial(progress, stage)


__all__ = ["Advance", "Position", "StagePosition", "counted", "in_stage"]
