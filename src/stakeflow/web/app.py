"""The web app (FastAPI): a scenario library and, for each scenario, the waterfall at an exit,
the payoff chart and the control finding. Thin: it calls the same functions as the CLI.

Run it with ``stakeflow serve``; JSON endpoints under ``/api`` take a scenario's text and return
the documents of SPEC §7.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ConfigDict, Field

from ..analysis.control import analyze_control, control_figure
from ..engine import resolve_entity, waterfall
from ..engine.result import EquityFlow, WaterfallResult
from ..payoff import payoff_curve
from ..payoff.figure import payoff_figure
from ..scenario import Scenario, loads
from ..scenario.errors import StakeflowError
from ..scenario.validate import children
from .store import Saved, Store

_TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
_TEMPLATES.env.filters["money"] = lambda x: f"{float(x):,.2f}"
_TEMPLATES.env.filters["pct"] = lambda x: f"{float(x):.2%}"


class _Ask(BaseModel):
    """A request of the JSON API: the scenario's text and what to compute."""

    model_config = ConfigDict(extra="forbid")
    scenario: str = Field(description="The scenario file's text (YAML or JSON).")
    exit: str | float | None = Field(default=None, description="Proceeds, any spelling of SPEC §1.")
    entity: str | None = None
    date: str | None = Field(default=None, description="Distribution date YYYY-MM-DD (SPEC §10).")


@functools.cache
def plotly_js() -> str:
    """plotly's JavaScript, served by the app itself so pages work without a network."""
    import plotly.offline

    return str(plotly.offline.get_plotlyjs())


def _errors(exc: StakeflowError) -> list[str]:
    return exc.lines()


def _figure_div(fig: Any) -> str:
    return str(fig.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False}))


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


def create_app(database: str = "sqlite://", seed_examples: bool = True) -> FastAPI:
    """The app, with its library in the SQLite database ``database`` (a SQLAlchemy URL)."""
    store = Store(database)
    if seed_examples and len(store) == 0:
        for name, text in _bundled_examples():
            store.add(name, text)
    app = FastAPI(title="stakeflow", description="Exact waterfalls, payoff curves and control of capital structures.")

    def page(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return _TEMPLATES.TemplateResponse(request, template, {"library": store.all(), **ctx}, status_code=status)

    @app.get("/static/plotly.js", include_in_schema=False)
    def plotly() -> Response:
        return Response(plotly_js(), media_type="application/javascript",
                        headers={"Cache-Control": "max-age=86400"})

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        return page(request, "index.html", text="", name="", errors=[])

    @app.post("/scenarios", response_class=HTMLResponse, response_model=None)
    def add(request: Request, text: str = Form(""), name: str = Form("")) -> Response:
        try:
            sc = loads(text, "scenario")
        except StakeflowError as exc:
            # Nothing is saved and nothing the user typed is lost: the form comes back filled in.
            return page(request, "index.html", status=422, text=text, name=name, errors=_errors(exc))
        saved = store.add(name.strip() or sc.name or "unnamed scenario", text)
        return RedirectResponse(f"/scenarios/{saved.id}", status_code=303)

    @app.get("/scenarios/{scenario_id}", response_class=HTMLResponse, response_model=None)
    def show(request: Request, scenario_id: int, exit: str | None = None, entity: str | None = None) -> Response:
        saved = store.get(scenario_id)
        if saved is None:
            return page(request, "missing.html", status=404, scenario_id=scenario_id)
        return page(request, "scenario.html", **_analysis(saved, exit, entity))

    @app.post("/scenarios/{scenario_id}/delete", response_model=None)
    def delete(scenario_id: int) -> Response:
        store.delete(scenario_id)
        return RedirectResponse("/", status_code=303)

    @app.post("/api/waterfall")
    def api_waterfall(ask: _Ask) -> JSONResponse:
        """SPEC §7's waterfall document for the scenario at ``exit`` (default ``exit.value``)."""
        return _api(lambda sc: waterfall(sc, _exit_of(sc, ask.exit), ask.entity, explain=False,
                                              date=ask.date).to_json(), ask)

    @app.post("/api/breakpoints")
    def api_breakpoints(ask: _Ask) -> JSONResponse:
        """SPEC §7's breakpoints document."""
        return _api(lambda sc: payoff_curve(sc, ask.entity, ask.date).to_json(), ask)

    @app.post("/api/control")
    def api_control(ask: _Ask) -> JSONResponse:
        """SPEC §7's control document."""
        return _api(lambda sc: analyze_control(sc).to_json(), ask)

    return app


class _NoExit(StakeflowError):
    def lines(self) -> list[str]:
        return ["error: no exit value: give one, or set exit.value in the scenario"]


def _exit_of(sc: Scenario, given: str | float | None) -> Any:
    if given is not None and str(given).strip():
        return given
    if sc.exit is not None and sc.exit.value is not None:
        return sc.exit.value
    raise _NoExit()


def _api(compute: Any, ask: _Ask) -> JSONResponse:
    try:
        sc = loads(ask.scenario, "scenario")
        return JSONResponse(compute(sc))
    except StakeflowError as exc:
        return JSONResponse({"errors": _errors(exc)}, status_code=422)


def _default_entity(sc: Scenario) -> str | None:
    """SPEC §7's default entity, or else the first root: the page lets the user pick another."""
    try:
        return resolve_entity(sc).id
    except StakeflowError:
        held = {c for e in sc.entities for c in children(e)}
        roots = [e.id for e in sc.entities if e.distributes and e.id not in held]
        return roots[0] if roots else None


def _analysis(saved: Saved, exit_text: str | None, entity: str | None) -> dict[str, Any]:
    """Everything the scenario page shows; problems become messages on the page, never a crash."""
    ctx: dict[str, Any] = {"saved": saved, "errors": [], "result": None, "classes": [], "payoff": None,
                           "control": None, "control_div": None, "exit_text": exit_text or "", "entity": entity}
    try:
        sc = loads(saved.text, saved.name)
    except StakeflowError as exc:
        ctx["errors"] = _errors(exc)
        return ctx
    ctx["scenario"] = sc
    control = analyze_control(sc)
    ctx["control"] = control
    ctx["control_div"] = _figure_div(control_figure(sc, control))
    if not entity:
        entity = _default_entity(sc)
    if not (exit_text or "").strip() and (sc.exit is None or sc.exit.value is None):
        ctx["hint"] = "Enter the proceeds to distribute (e.g. 50M, 1.5B) and press Distribute."
        return ctx
    try:
        value = _exit_of(sc, exit_text)
        ctx["exit_text"] = str(exit_text or value)
        result: WaterfallResult = waterfall(sc, value, entity, explain=False)
        curve = payoff_curve(sc, result.entity)
    except StakeflowError as exc:
        ctx["errors"] = _errors(exc)
        return ctx
    ctx["result"] = result
    flow = result.entities[result.entity]
    if isinstance(flow, EquityFlow):
        ctx["classes"] = [(cid, amt, cid in flow.converted) for cid, amt in flow.classes.items()]
    ctx["payoff"] = _figure_div(payoff_figure(curve))
    return ctx
