"""The pages: HTML shells (Jinja, every user text escaped) whose scripts call the JSON API, and
the downloads. Nothing heavy is computed while a page is rendered: a page shows at once, and
its numbers come from the API, within the server's limits."""

from __future__ import annotations

import asyncio
import functools
import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from ..analysis.compare import parse_mapping
from ..analysis.values import COMPARE_PATHS, COMPARE_SEED
from .api import Api, ApiError, compare_sizes
from .store import Saved, as_id

_HERE = Path(__file__).parent
_TEMPLATES = Jinja2Templates(directory=str(_HERE / "templates"))
_STATIC = _HERE / "static"
_STATIC_TYPES = {".js": "application/javascript", ".css": "text/css"}


@functools.cache
def plotly_js() -> str:
    """plotly's JavaScript, served by the app itself so pages work without a network."""
    import plotly.offline

    return str(plotly.offline.get_plotlyjs())


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "scenario"


def pages_router(api: Api) -> APIRouter:
    r = APIRouter(include_in_schema=False)
    store = api.store

    def page(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return _TEMPLATES.TemplateResponse(request, template, ctx, status_code=status)

    async def saved_or_404(request: Request, scenario_id: str) -> Saved | HTMLResponse:
        sid = as_id(scenario_id)
        saved = None if sid is None else await asyncio.to_thread(store.get, sid)
        if saved is None:
            return page(request, "missing.html", status=404, scenario_id=scenario_id)
        return saved

    @r.get("/static/plotly.js")
    def plotly() -> Response:
        return Response(plotly_js(), media_type="application/javascript", headers={"Cache-Control": "max-age=86400"})

    @r.get("/static/{name}")
    def static(name: str) -> Response:
        path = _STATIC / name
        if name not in {p.name for p in _STATIC.iterdir()} or path.suffix not in _STATIC_TYPES:
            raise ApiError(404, [f"error: nothing at /static/{name}"])
        return Response(path.read_bytes(), media_type=_STATIC_TYPES[path.suffix], headers={"Cache-Control": "no-cache"})

    @r.get("/", response_class=HTMLResponse)
    async def library(request: Request) -> HTMLResponse:
        entries = await asyncio.to_thread(store.all)
        return page(request, "library.html", entries=entries, data={"page": "library"})

    @r.get("/new", response_class=HTMLResponse)
    async def new(request: Request) -> HTMLResponse:
        return page(request, "editor.html", saved=None, data={"page": "editor", "id": None, "revision": None})

    @r.get("/compare", response_class=HTMLResponse)
    async def compare(request: Request) -> HTMLResponse:
        entries = await asyncio.to_thread(store.all)
        return page(request, "compare.html", entries=entries, paths=COMPARE_PATHS, seed=COMPARE_SEED,
                    data={"page": "compare"})

    def scenario_page(template: str, kind: str) -> Any:
        async def show(request: Request, scenario_id: str) -> Response:
            saved = await saved_or_404(request, scenario_id)
            if isinstance(saved, HTMLResponse):
                return saved
            return page(request, template, saved=saved, tab=kind,
                        data={"page": kind, "id": saved.id, "revision": saved.revision, "name": saved.name})
        return show

    for suffix, template, kind in (("", "explore.html", "explore"), ("/edit", "editor.html", "editor"),
                                   ("/value", "value.html", "value"), ("/control", "control.html", "control")):
        r.add_api_route("/scenarios/{scenario_id}" + suffix, scenario_page(template, kind), response_class=HTMLResponse)

    @r.get("/scenarios/{scenario_id}/download/{kind}")
    async def download(request: Request, scenario_id: str, kind: str, exit: str | None = None,
                       entity: str | None = None) -> Response:
        """The scenario as saved (YAML or JSON text), as JSON, or its tables as an Excel workbook."""
        saved = await saved_or_404(request, scenario_id)
        if isinstance(saved, HTMLResponse):
            return saved
        stem = _slug(saved.name)
        if kind == "text":
            is_json = saved.text.lstrip().startswith("{")
            body: bytes = saved.text.encode("utf-8")
            name, media = (f"{stem}.json", "application/json") if is_json else (f"{stem}.yaml", "application/yaml")
        elif kind == "json":
            body = await _download(api, "download_json", {"text": saved.text})
            name, media = f"{stem}.json", "application/json"
        elif kind == "xlsx":
            body = await _download(api, "download_xlsx", {"text": saved.text, "exit": exit or None,
                                                          "entity": entity or None})
            name = f"{stem}.xlsx"
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            raise ApiError(404, [f"error: no download {kind!r} (text, json or xlsx)"])
        return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @r.get("/compare/report")
    async def report(before_id: str, after_id: str, map: str = "", paths: str | None = None,
                     seed: str | None = None) -> Response:
        """The HTML report of the restructuring from one saved structure to another (``stakeflow run``),
        on the compare page's paths and seed."""
        before = await api.text_of(None, before_id)
        after = await api.text_of(None, after_id)
        n, k = compare_sizes(paths, seed, api.max_paths)
        kwargs = {"before": before, "after": after, "mapping": parse_mapping([map]), "paths": n, "seed": k}
        resp = await api.compute(None, "report", kwargs, [before, after])
        if resp.status_code != 200:
            return resp
        return Response(bytes(resp.body), media_type="text/html",
                        headers={"Content-Disposition": 'attachment; filename="stakeflow-report.html"'})

    return r


async def _download(api: Api, job: str, kwargs: dict[str, Any]) -> bytes:
    resp = await api.compute(None, job, kwargs, [kwargs["text"]])
    if resp.status_code != 200:
        import json

        raise ApiError(resp.status_code, json.loads(bytes(resp.body))["errors"])
    return bytes(resp.body)
