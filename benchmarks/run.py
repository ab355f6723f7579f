"""Run every benchmark script (``benchmarks/bench_*.py``) in turn and print its figures.

``make bench`` calls this. Each script runs in its own interpreter, so one benchmark's
compiled kernels, caches and memory do not colour another's timings; a script that fails is
reported and the run goes on, exiting non-zero at the end.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    scripts = [p for p in sorted(HERE.glob("bench_*.py")) if not wanted or p.stem in wanted or p.name in wanted]
    failed = []
    for path in scripts:
        print(f"== {path.name} ==", flush=True)
        t0 = time.perf_counter()
        code = subprocess.call([sys.executable, str(path)], cwd=HERE.parent)
        print(f"-- {path.name}: {'ok' if code == 0 else f'FAILED (exit {code})'} in {time.perf_counter() - t0:.1f} s\n",
              flush=True)
        if code:
            failed.append(path.name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
