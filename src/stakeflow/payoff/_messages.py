"""The messages of the payoff package, written once."""

NEGATIVE_PROCEEDS = "payoff curve of {entity!r}: {count} proceeds value(s) are negative; proceeds must be >= 0"
NOT_ONE_DIMENSIONAL = "payoff curve of {entity!r}: expected a one-dimensional array of proceeds, got shape {shape}"
BAD_OUT = "payoff curve of {entity!r}: out= must be a C-contiguous float64 array of shape {shape}"
NOT_LINEAR_BEYOND = (
    "payoff curve of {entity!r}: payouts are not linear beyond the search bound {bound}; "
    "the structure has terms the bound does not cover"
)
PLOT_SUFFIX = "error: --plot needs a file ending in .png or .html, got {path}"
PLOT_BROWSER = "error: writing {path} needs a Chromium for static images ({detail}); write an .html file instead"
