"""``stakeflow serve``: the web app on this machine."""

from __future__ import annotations

from pathlib import Path

import typer

from ..valuation import _messages as VM
from ..valuation.parameters import whole
from . import _messages as M
from ._app import app
from ._common import console, fail, user_errors


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on; the app answers to this host name only."),
    port: int = typer.Option(8000, help="Port to listen on."),
    db: Path = typer.Option(Path("stakeflow-library.db"), help="SQLite file holding the scenario library."),
    max_paths: int = typer.Option(10_000_000, "--max-paths", help="Most Monte Carlo paths one request may ask for."),
    time_limit: float = typer.Option(10.0, "--time-limit",
                                     help="Seconds a request may compute before it is stopped (503)."),
) -> None:
    """Serve the web app: a scenario library with revisions, the waterfall explorer, valuation,
    comparison and control in the browser, and the JSON API (SPEC §11; documentation at /docs)."""
    import uvicorn

    from ..web import create_app

    if not 0 < port < 65536:
        fail([f"error: {M.PORT.format(port=port)}"])
    with user_errors():
        whole(max_paths, VM.PATHS, 1, VM.MAX_PATHS_PARAM)
    if not time_limit > 0:
        fail([f"error: {M.TIME_LIMIT.format(seconds=time_limit)}"])
    web = create_app(f"sqlite:///{db}", host=host, port=port, max_paths=max_paths, time_limit=time_limit)
    console.print(f"stakeflow web app on http://{host}:{port}/  (library: {db}; Ctrl+C to stop)")
    # Stopping (Ctrl+C, SIGTERM) waits at most a few seconds for requests in flight; their
    # worker processes are killed on the way out.
    uvicorn.run(web, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
