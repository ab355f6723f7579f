"""Reading a large scenario: libyaml (C) against PyYAML's Python parser, in the same run.

A generated cap table with N holders and N holdings (about 90 bytes a holder) is composed and
validated with each parser; the figures are seconds, and the ratio is Python / C. Both parsers
give the same tree (tests/scenario/test_loaders.py checks it on the bad-file corpus and on
mutated examples).

    python benchmarks/bench_reader.py [N]
"""

from __future__ import annotations

import sys
import time

from stakeflow.scenario import _yaml, loads


def cap_table(n: int) -> str:
    lines = ["stakeflow: 1", "holders:"]
    lines += [f"  - {{id: h{i}, name: Holder {i}, kind: investor}}" for i in range(n)]
    lines += ["entities:", "  - id: company", "    classes: [{id: common, kind: common}]", "    holdings:"]
    lines += [f"      - {{holder: h{i}, class: common, shares: {i + 1}_000}}" for i in range(n)]
    return "\n".join(lines) + "\n"


def timed(libyaml: bool, text: str) -> tuple[float, float]:
    _yaml.LIBYAML = libyaml
    t0 = time.perf_counter()
    _yaml.read_tree(text)
    t1 = time.perf_counter()
    loads(text)
    return t1 - t0, time.perf_counter() - t1


def main(n: int) -> None:
    if not _yaml.LIBYAML:
        print("PyYAML has no libyaml here: nothing to compare")
        return
    text = cap_table(n)
    print(f"{n:,} holders, {len(text) / 1e6:.1f} MB")
    c_tree, c_load = timed(True, text)
    py_tree, py_load = timed(False, text)
    _yaml.LIBYAML = True
    print(f"  read (parse + located tree): C {c_tree:6.2f} s  Python {py_tree:6.2f} s  ratio {py_tree / c_tree:4.1f}x")
    print(f"  load (read + validate):      C {c_load:6.2f} s  Python {py_load:6.2f} s  ratio {py_load / c_load:4.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
