"""Writing ``waterfall --exits`` tables to Excel: the cost per exit as the number of exits grows.

Each run distributes n exit values of examples/venture_stacked.yaml and writes the workbook
(payouts, shares, classes, inputs); the figure to watch is the time per exit, which stays flat
when the cost is linear in the number of exits (it used to grow with n: every row rescanned the
sheet, and the frames were grown a column at a time).

    python benchmarks/bench_exports.py
"""

from __future__ import annotations

import tempfile
import time
import warnings
from pathlib import Path

import stakeflow as sf
from stakeflow.io.excel import write_xlsx
from stakeflow.io.tables import waterfall_tables

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "venture_stacked.yaml"


def main() -> None:
    sc = sf.load(EXAMPLE)
    base = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in (250, 500, 1000, 2000):
            results = [sf.waterfall(sc, 100_000 * (i + 1)) for i in range(n)]
            t0 = time.perf_counter()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                sheets, formats = waterfall_tables(results)
                write_xlsx(Path(tmp) / "w.xlsx", sheets, {"exits": n}, formats)
            t = time.perf_counter() - t0
            per = t / n * 1e3
            base = base or per
            print(f"  {n:5,} exits: tables + workbook {t:6.2f} s, {per:5.2f} ms per exit "
                  f"({per / base:4.2f}x the first), {len(caught)} warnings")


if __name__ == "__main__":
    main()
