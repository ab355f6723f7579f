"""``stakeflow serve``: the web app on this machine."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import app
from ._common import console


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    db: Path = typer.Option(Path("stakeflow-library.db"), help="SQLite file holding the scenario library."),
) -> None:
    """Serve the web app: a scenario library, waterfalls, payoff charts and control in the browser."""
    import uvicorn

    from ..web import create_app

    console.print(f"stakeflow web app on http://{host}:{port}/  (library: {db}; Ctrl+C to stop)")
    uvicorn.run(create_app(f"sqlite:///{db}"), host=host, port=port, log_level="warning")
