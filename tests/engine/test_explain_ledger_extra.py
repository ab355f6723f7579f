"""The explain ledger names only classes that take part in the residual."""

from __future__ import annotations

from pathlib import Path

import stakeflow as sf

INSTRUMENTS = Path(__file__).resolve().parents[1] / "io" / "instruments.yaml"


def test_unissued_pool_gets_no_residual_line() -> None:
    # An unissued pool has no as-converted shares: it is paid nothing and takes no residual.
    res = sf.waterfall(sf.load(INSTRUMENTS), "20M")
    texts = [s.text for s in res.steps if s.kind == "participation"]
    assert texts and not any(t.startswith("pool ") for t in texts)
    assert any(t.startswith("common shares the residual") for t in texts)
