"""The Typer application every command module registers on."""

import typer

from ._common import begin_command

app = typer.Typer(
    name="stakeflow",
    help="Who owns what, who controls what, and who receives what: exact waterfalls, "
    "payoff curves, valuation and restructuring analysis of capital structures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _group() -> None:
    """Who owns what, who controls what, and who receives what: exact waterfalls, payoff curves,
    valuation and restructuring analysis of capital structures. Every command takes --help."""
    begin_command()
