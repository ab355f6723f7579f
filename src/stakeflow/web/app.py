"""The web app (FastAPI): a scenario library with revisions, the waterfall explorer, the editor,
valuation, comparison and control, and the JSON API of SPEC §11 underneath them.

Run it with ``stakeflow serve``. Thin: pages are HTML shells whose scripts call the JSON API,
and the API calls the same library functions as the command line, in worker processes that
the server stops at its time limit (:mod:`.worker`). Every script, style and font is served by
the app itself (plotly from the plotly package, Swagger UI from fastapi-offline): it
works without a network and loads nothing from other hosts.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..io.flags import error_lines
from ..scenario import loads
from ..scenario.errors import StakeflowError
from . import _messages as M
from . import schemas as S
from .api import Api, ApiError
from .guard import Guard, allowed_hosts
from .pages import pages_router
from .store import Store
from .worker import Workers

log = logging.getLogger("stakeflow.web")

DEFAULT_MAX_PATHS = 10_000_000
DEFAULT_TIME_LIMIT = 10.0


def _bundled_examples() -> list[tuple[str, str]]:
    """(name, text) of the scenario files that ship with the package."""
    out: list[tuple[str, str]] = []
    root = resources.files("stakeflow") / "data"
    for folder in sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name):
        for f in sorted(folder.iterdir(), key=lambda p: p.name):
            if not f.name.endswith(".yaml"):
                continue
            text = f.read_text(encoding="utf-8")
            try:
                sc = loads(text, f.name)
            except StakeflowError:
                continue  # analysis settings and other non-scenario files
            if any(e.distributes for e in sc.entities):
                out.append((sc.name or f.name, text))
    return out


def create_app(database: str = "sqlite://", seed_examples: bool = True, *, host: str = "127.0.0.1",
               port: int = 8000, max_paths: int = DEFAULT_MAX_PATHS,
               time_limit: float = DEFAULT_TIME_LIMIT) -> Guard:
    """The app, with its library in the SQLite database ``database`` (a SQLAlchemy URL),
    answering to ``host:port`` (SPEC §11)."""
    store = Store(database)
    if seed_examples and len(store) == 0:
        for name, text in _bundled_examples():
            store.add(name, text)
    workers = Workers(time_limit)
    api = Api(store, workers, max_paths)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        threading.Thread(target=workers.warm, daemon=True).start()
        try:
            yield
        finally:
            workers.stop_all()
            store.close()

    app = FastAPIOffline(title="stakeflow", version="1",
                         description="Exact waterfalls, payoff curves, valuation and control of capital structures "
                                     "(SPEC §11). Every error answer is `{\"errors\": [\"error: ...\"]}`.",
                         lifespan=lifespan, static_url="/static/docs", redoc_url=None)
    app.state.store = store
    app.state.api = api
    app.state.workers = workers

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(StakeflowError)
    async def _user_error(_: Request, exc: StakeflowError) -> JSONResponse:
        return JSONResponse({"errors": error_lines(exc, "scenario")}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        lines = [M.BAD_FIELD.format(key=".".join(str(x) for x in e["loc"][1:]) or "request",
                                    detail=str(e["msg"]).lower()) for e in exc.errors()]
        return JSONResponse({"errors": lines}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            line = M.NOT_FOUND.format(path=request.url.path)
        elif exc.status_code == 405:
            line = M.METHOD.format(method=request.method, path=request.url.path)
        else:
            line = f"error: {exc.detail}"
        return JSONResponse({"errors": [line]}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _bug(_: Request, exc: Exception) -> JSONResponse:
        log.exception("request failed")
        return JSONResponse({"errors": [M.INTERNAL.format(detail=type(exc).__name__)]}, status_code=500)

    app.include_router(api.router())
    app.include_router(pages_router(api))

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (S.NewScenario, S.SaveScenario, S.AskValidate, S.AskWaterfall, S.AskBreakpoints, S.AskControl,
                      S.AskValue, S.AskCompare):
            spec = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(spec.pop("$defs", {}))
            components[model.__name__] = spec
        # FastAPI's own validation error shapes are never answered: errors are S.Errors.
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    return Guard(app, allowed_hosts(host, port))
