"""Short amounts as tables, charts and the report show them: one formatter for all three."""

from __future__ import annotations

from fractions import Fraction

import pytest

from stakeflow.scenario.numbers import money_text, short_amount


@pytest.mark.parametrize(
    ("args", "kwargs", "shown"),
    [
        ((1_234_567,), {}, "1.23M"),
        ((-2.5e9,), {"prefix": "$", "minus": "−"}, "−$2.50B"),
        ((950,), {"small": ",.0f"}, "950"),
        ((2e12,), {"prefix": "$", "spec": "g"}, "$2T"),
        ((Fraction(52_000_000_000, 3),), {"spec": ",.6g"}, "17.3333B"),
        ((999.996,), {}, "1,000.00"),  # under a thousand keeps its own format, no unit
        ((1000,), {}, "1.00k"),
    ],
)
def test_short_amount(args: tuple[object, ...], kwargs: dict[str, str], shown: str) -> None:
    assert short_amount(*args, **kwargs) == shown  # type: ignore[arg-type]


def test_money_text_in_full() -> None:
    assert money_text(Fraction(20_000_000)) == "20,000,000.00"
    assert money_text(Fraction(24691, 20), "USD") == "USD 1,234.55"
    assert money_text(1234.5, "", 0) == "1,234"  # rounded half to even, as Python formats
