"""Exact Gaussian elimination in fractions (the priced round's linear system)."""

from __future__ import annotations

from fractions import Fraction as F

from stakeflow.analysis.exact_linear import solve_exact


def test_a_system_with_a_zero_pivot_is_solved_exactly() -> None:
    # A zero first pivot: y = 1/3 and 2x + y = 1 give x = y = 1/3, exactly.
    assert solve_exact([[F(0), F(1)], [F(2), F(1)]], [F(1, 3), F(1)]) == [F(1, 3), F(1, 3)]


def test_a_three_by_three_against_its_inverse() -> None:
    m = [[F(2), F(1), F(0)], [F(1), F(3), F(1)], [F(0), F(1), F(4)]]
    x = [F(1, 7), F(-2), F(5, 3)]
    rhs = [sum(a * b for a, b in zip(row, x, strict=True)) for row in m]
    assert solve_exact(m, rhs) == x


def test_a_singular_system_has_no_solution() -> None:
    assert solve_exact([[F(1), F(2)], [F(2), F(4)]], [F(1), F(2)]) is None
