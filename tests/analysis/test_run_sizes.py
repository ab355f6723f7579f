"""The paths and seed of a run: the caller's, else the plan's, else the defaults (docs/restructuring.md)."""

from __future__ import annotations

from stakeflow.analysis.restructuring import RunSizes, flagship_plan, read_plan


def test_defaults_and_given_paths_bound_the_parts() -> None:
    assert RunSizes.of() == RunSizes(100_000, 10_000, 20_000, 2025)
    assert RunSizes.of(5_000, 7) == RunSizes(5_000, 5_000, 5_000, 7)
    assert RunSizes.of(50_000) == RunSizes(50_000, 10_000, 20_000, 2025)


def test_a_plans_sizes_unless_the_caller_gives_them() -> None:
    plan, _ = read_plan(flagship_plan())  # paths 100000, sensitivity 5000, break-even 20000, seed 2025
    base = RunSizes(plan.paths, plan.sensitivity_paths, plan.breakeven_paths, plan.seed)
    assert RunSizes.of(base=base) == RunSizes(100_000, 5_000, 20_000, 2025)
    assert RunSizes.of(3_000, base=base) == RunSizes(3_000, 3_000, 3_000, 2025)
    assert RunSizes.of(seed=1, base=RunSizes(1_000, 5_000, 20_000, 9)) == RunSizes(1_000, 5_000, 1_000, 1)


def test_a_report_waited_for_runs_its_sensitivity_on_a_tenth_of_the_paths() -> None:
    # The web app's download, on the compare page's paths (20,000 by default).
    assert RunSizes.while_waiting(20_000, 0) == RunSizes(20_000, 2_000, 20_000, 0)
    assert RunSizes.while_waiting(50_000, 3) == RunSizes(50_000, 5_000, 20_000, 3)
    assert RunSizes.while_waiting(2_000, 3) == RunSizes(2_000, 1_000, 2_000, 3)  # at least 1,000 a point
