"""The messages of the payoff package, written once."""

NEGATIVE_PROCEEDS = "payoff curve of {entity!r}: {count} proceeds value(s) are negative; proceeds must be >= 0"
NOT_ONE_DIMENSIONAL = "payoff curve of {entity!r}: expected a one-dimensional array of proceeds, got shape {shape}"
BAD_OUT = "payoff curve of {entity!r}: out= must be a C-contiguous float64 array of shape {shape}"
NOT_LINEAR_BEYOND = (
    "payoff curve of {entity!r}: payouts are not linear beyond the search bound {bound:,.2f}; "
    "the structure has terms the bound does not cover"
)
JUMP = (
    "payouts jump near proceeds of {at:,.2f}: a payoff curve needs payouts that are continuous in the "
    "proceeds (specification, section 5)"
)
TOO_MANY_EVALUATIONS = "no payoff curve after {count:,} exact evaluations: too many breakpoints to find"
UNSETTLED = "the breakpoint search did not settle: payouts are not piecewise linear in the proceeds"
DATES_ORDER = "distributions on dates: give at least one date, in date order"
DATED_SHAPE = "distributions of {entity!r} on {dates} dates: expected an array of shape (paths, {dates}), got {shape}"
