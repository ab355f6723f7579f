"""The JSON API of SPEC §11: the scenario library with revisions, and the documents of SPEC §7
computed from a text or a saved scenario. Thin: every computation is a function of
:mod:`.jobs`, run in a killable worker process (:mod:`.worker`), and every error answer is
``{"errors": ["error: ..."]}``.
"""

from __future__ import annotations

import asyncio
import difflib
import json
from collections import OrderedDict
from typing import Any, TypeVar

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError

from ..analysis import _restructuring_messages as RM
from ..analysis.values import COMPARE_PATHS, COMPARE_SEED
from ..valuation import _messages as VM
from ..valuation import parameters as P
from ..valuation.errors import ParameterError
from . import _messages as M
from . import schemas as S
from .hostile import refuse
from .store import Conflict, Store, as_id
from .worker import Done, Failed, Workers

Model = TypeVar("Model", bound=BaseModel)

CACHED_MOST = 250_000
"""Largest answer kept in the cache of recent answers (a report is megabytes)."""


class ApiError(Exception):
    """An answer other than 200: its status, ``error:`` lines and any further keys."""

    def __init__(self, status: int, errors: list[str], **more: Any) -> None:
        super().__init__(errors)
        self.status = status
        self.errors = errors
        self.more = more

    def response(self) -> JSONResponse:
        return JSONResponse({"errors": self.errors, **self.more}, status_code=self.status)


def _doc(model: type[BaseModel], description: str) -> dict[str, Any]:
    return {"model": model, "description": description}


ERR: dict[int | str, dict[str, Any]] = {
    400: _doc(S.Errors, "The Host header is not this server's."),
    403: _doc(S.Errors, "A change requested from another origin."),
    413: _doc(S.Errors, "The body is larger than 1,000,000 bytes."),
    422: _doc(S.Errors, "Bad input: the lines the command line prints."),
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: _doc(S.Errors, "No such scenario or revision.")}
HEAVY: dict[int | str, dict[str, Any]] = {**ERR, **NOT_FOUND, 500: _doc(S.Errors, "A failure of the server itself."),
         503: _doc(S.Errors, "The computation passed the time limit and was stopped.")}


def body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI ``requestBody`` of an endpoint that reads its body itself."""
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}}


def _field_lines(exc: ValidationError, model: type[BaseModel]) -> list[str]:
    valid = ", ".join(model.model_fields)
    out: list[str] = []
    for e in exc.errors():
        loc = [str(x) for x in e["loc"]]
        key = loc[0] if loc else ""
        if e["type"] == "extra_forbidden":
            line = M.UNKNOWN_OPTION.format(key=key, valid=valid)
        elif e["type"] == "missing":
            line = M.MISSING.format(key=key)
        elif e["type"] == "value_error":
            line = str(e["msg"]).removeprefix("Value error, ")
        elif len(loc) > 1 and loc[1] in ("str", "float", "int"):
            line = M.BAD_FIELD.format(key=key, detail="must be a number or a string (e.g. \"30M\")")
        else:
            line = M.BAD_FIELD.format(key=".".join(loc), detail=str(e["msg"]).lower())
        if line not in out:
            out.append(line)
    return out


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


async def read_body(request: Request, model: type[Model]) -> Model:
    """The request's JSON body as ``model``. Numbers are kept as they were written (``1e400``,
    ``0.1``), so that an option reads them exactly as the command line reads its arguments."""
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(422, [M.NOT_UTF8]) from None
    try:
        data = json.loads(text, parse_float=str, parse_int=str, parse_constant=_reject_constant)
    except ValueError as exc:
        raise ApiError(422, [M.NOT_JSON.format(detail=exc)]) from None
    if not isinstance(data, dict):
        raise ApiError(422, [M.BODY_OBJECT])
    try:
        ask = model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(422, _field_lines(exc, model)) from None
    for key in ("text", "scenario", "before", "after", "name"):
        value = getattr(ask, key, None)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ApiError(422, [M.TEXT_NOT_UTF8]) from None
    return ask


def paths_within(value: Any, most: int, default: int) -> int:
    """A ``paths`` option, refused (422) above the server's ``--max-paths``."""
    n = default if value is None else P.whole(value, VM.PATHS, 1, VM.PATHS_PARAM)
    if n > most:
        raise ApiError(422, [M.MAX_PATHS.format(paths=n, most=most)])
    return n


def compare_sizes(paths: Any, seed: Any, most: int) -> tuple[int, int]:
    """The paths and seed of a comparison (and of its report): the analysis's defaults
    (:data:`~stakeflow.analysis.values.COMPARE_PATHS`, ``COMPARE_SEED``) unless given, at least 2
    paths and at most the server's ``--max-paths``."""
    n = paths_within(paths, most, COMPARE_PATHS)
    if n < 2:
        raise ParameterError(RM.PATHS, name=VM.PATHS_PARAM, least=2, value=paths)
    return n, P.seed(seed, COMPARE_SEED)


class Api:
    """The API's routes over one library and one pool of workers."""

    def __init__(self, store: Store, workers: Workers, max_paths: int) -> None:
        self.store = store
        self.workers = workers
        self.max_paths = max_paths
        self._cache: OrderedDict[str, tuple[int, bytes]] = OrderedDict()

    # --- computing -------------------------------------------------------------------------

    async def text_of(self, text: str | None, scenario_id: Any) -> str:
        if text is not None:
            return text
        sid = as_id(scenario_id)
        saved = None if sid is None else await asyncio.to_thread(self.store.get, sid)
        if saved is None:
            raise ApiError(404, [M.NO_SCENARIO.format(id=scenario_id)])
        return saved.text

    async def compute(self, request: Request | None, job: str, kwargs: dict[str, Any], texts: list[str],
                      progress_key: str | None = None) -> Response:
        """Run ``jobs.job(**kwargs)`` (its texts checked first) and answer with its JSON."""
        for text in texts:
            refused = refuse(text)
            if refused:
                raise ApiError(422, refused)
        key = json.dumps([job, kwargs], sort_keys=True, default=str)
        if key in self._cache:
            self._cache.move_to_end(key)
            status, body = self._cache[key]
            return Response(body, status_code=status, media_type="application/json")
        out = await self.workers.run(job, kwargs, disconnected=request.is_disconnected if request else None,
                                     progress_key=progress_key)
        if out is None:
            raise ApiError(503, [M.INTERNAL.format(detail="the client went away")])
        if isinstance(out, Failed):
            body = json.dumps({"errors": out.errors}).encode()
        else:
            assert isinstance(out, Done)
            body = out.doc.encode() if isinstance(out.doc, str) else out.doc
        status = out.status if isinstance(out, Failed) else 200
        if status in (200, 422) and len(body) < CACHED_MOST:
            self._cache[key] = (status, body)
            if len(self._cache) > 256:
                self._cache.popitem(last=False)
        return Response(body, status_code=status, media_type="application/json")

    async def run_json(self, job: str, kwargs: dict[str, Any], texts: list[str]) -> Any:
        """Run a job and return its document (for the pages' downloads); errors as ApiError."""
        resp = await self.compute(None, job, kwargs, texts)
        if resp.status_code != 200:
            raise ApiError(resp.status_code, json.loads(bytes(resp.body))["errors"])
        return json.loads(bytes(resp.body))

    async def check(self, text: str) -> str | None:
        """The scenario's name if ``text`` is valid; otherwise an ApiError with its lines."""
        doc = await self.run_json("validate", {"text": text}, [text])
        return doc.get("name")

    # --- routes ------------------------------------------------------------------------------

    def router(self) -> APIRouter:
        r = APIRouter(prefix="/api", tags=["api"])
        store = self.store

        @r.get("/scenarios", responses={200: _doc(S.Library, "The library."), **ERR})
        async def list_scenarios() -> Response:
            """Every scenario in the library, with its current revision."""
            entries = await asyncio.to_thread(store.all)
            return JSONResponse({"scenarios": [{"id": e.id, "name": e.name, "revision": e.revision}
                                               for e in entries]})

        @r.post("/scenarios", status_code=201, openapi_extra=body_doc(S.NewScenario),
                responses={201: _doc(S.Created, "Saved as revision 1."), **HEAVY})
        async def create(request: Request) -> Response:
            """Save a new scenario (checked first: an invalid text is 422 and nothing is saved)."""
            ask = await read_body(request, S.NewScenario)
            if len(ask.name) > S.NAME_MOST:
                raise ApiError(422, [M.NAME_LONG.format(most=S.NAME_MOST)])
            found = await self.check(ask.text)
            name = ask.name.strip() or found or "unnamed scenario"
            saved = await asyncio.to_thread(store.add, name, ask.text)
            return JSONResponse({"id": saved.id, "name": saved.name, "revision": saved.revision}, status_code=201)

        @r.get("/scenarios/{scenario_id}", responses={200: _doc(S.ScenarioText, "The current revision."),
                                                      **ERR, **NOT_FOUND})
        async def read(scenario_id: str) -> Response:
            """A scenario's current revision: its name and text, byte for byte."""
            return JSONResponse(await self._revision(scenario_id, None))

        @r.put("/scenarios/{scenario_id}", openapi_extra=body_doc(S.SaveScenario),
               responses={200: _doc(S.Saved, "Saved as the next revision."),
                          409: _doc(S.Stale, "Not saved: `revision` is not the current one."), **HEAVY})
        async def save(scenario_id: str, request: Request) -> Response:
            """Save a new revision made from ``revision``, which must be the current one."""
            sid = as_id(scenario_id)
            if sid is None:
                raise ApiError(404, [M.NO_SCENARIO.format(id=scenario_id)])
            ask = await read_body(request, S.SaveScenario)
            if ask.name is not None and not ask.name.strip():
                raise ApiError(422, [M.NAME_EMPTY])
            if ask.name is not None and len(ask.name) > S.NAME_MOST:
                raise ApiError(422, [M.NAME_LONG.format(most=S.NAME_MOST)])
            current = await asyncio.to_thread(store.get, sid)
            if current is None:
                raise ApiError(404, [M.NO_SCENARIO.format(id=scenario_id)])
            await self.check(ask.text)
            try:
                new = await asyncio.to_thread(store.save, sid, ask.revision, ask.text,
                                              None if ask.name is None else ask.name.strip())
            except KeyError:
                raise ApiError(404, [M.NO_SCENARIO.format(id=scenario_id)]) from None
            except Conflict as exc:
                raise ApiError(409, [M.STALE.format(id=sid, current=exc.current, given=ask.revision)],
                               revision=exc.current) from None
            return JSONResponse({"id": sid, "revision": new})

        @r.delete("/scenarios/{scenario_id}", status_code=204,
                  responses={204: {"description": "Deleted, with every revision."}, **ERR, **NOT_FOUND})
        async def remove(scenario_id: str) -> Response:
            """Delete a scenario and all its revisions."""
            sid = as_id(scenario_id)
            if sid is None or not await asyncio.to_thread(store.delete, sid):
                raise ApiError(404, [M.NO_SCENARIO.format(id=scenario_id)])
            return Response(status_code=204)

        @r.get("/scenarios/{scenario_id}/revisions",
               responses={200: _doc(S.Revisions, "Oldest first."), **ERR, **NOT_FOUND})
        async def revisions(scenario_id: str) -> Response:
            """Every revision of a scenario, oldest first, with the name it was saved with."""
            sid = as_id(scenario_id)
            revs = None if sid is None else await asyncio.to_thread(store.revisions, sid)
            if revs is None:
                raise ApiError(404, [M.NO_SCENARIO.format(id=scenario_id)])
            return JSONResponse({"revisions": [{"revision": v.revision, "name": v.name,
                                                "saved": v.saved.isoformat(timespec="seconds")} for v in revs]})

        @r.get("/scenarios/{scenario_id}/revisions/{revision}",
               responses={200: _doc(S.ScenarioText, "That revision."), **ERR, **NOT_FOUND})
        async def revision(scenario_id: str, revision: str) -> Response:
            """One revision of a scenario."""
            return JSONResponse(await self._revision(scenario_id, revision))

        @r.get("/scenarios/{scenario_id}/revisions/{revision}/diff",
               responses={200: _doc(S.Diff, "A unified diff."), **ERR, **NOT_FOUND})
        async def diff(scenario_id: str, revision: str, against: str | None = Query(
                default=None, description="The older revision (default: the one before).")) -> Response:
            """What changed from revision ``against`` to ``revision``."""
            new = await self._revision(scenario_id, revision)
            older = str(new["revision"] - 1) if against is None else against
            if older == "0":
                old = {"revision": 0, "text": "", "name": new["name"]}
            else:
                old = await self._revision(scenario_id, older)
            lines = difflib.unified_diff(old["text"].splitlines(keepends=True), new["text"].splitlines(keepends=True),
                                         f"revision {old['revision']}", f"revision {new['revision']}")
            return JSONResponse({"revision": new["revision"], "against": old["revision"], "diff": "".join(lines)})

        def computing(job: str, model: type[S._Ask], answer: type[BaseModel], says: str, doc: str) -> None:
            """A POST endpoint that runs ``jobs.job`` on the scenario and options of ``model``."""
            async def endpoint(request: Request) -> Response:
                ask = await read_body(request, model)
                text = await self.text_of(ask.scenario, ask.scenario_id)
                return await self.compute(request, job, {"text": text, **ask.options()}, [text])

            r.add_api_route("/" + job.replace("_", "/"), endpoint, methods=["POST"], openapi_extra=body_doc(model),
                            responses={200: _doc(answer, says), **HEAVY}, name=job, description=doc,
                            summary=job.replace("_", " ").capitalize())

        for job, model, answer, says, doc in (
            ("validate", S.AskValidate, S.Valid, "The text is a valid scenario.",
             "Check a text with the command line's validator (`stakeflow validate`)."),
            ("waterfall", S.AskWaterfall, S.WaterfallDoc, "SPEC §7's document.",
             "Who receives what at one exit (`stakeflow waterfall --json`)."),
            ("explain", S.AskWaterfall, S.ExplainDoc, "The waterfall with its ledger.",
             "Every step of the distribution (`stakeflow explain --json`)."),
            ("breakpoints", S.AskBreakpoints, S.BreakpointsDoc, "SPEC §7's document.",
             "The exact payoff curve (`stakeflow breakpoints --json`)."),
            ("explorer", S.AskBreakpoints, S.ExplorerDoc, "The payoff curve, names and the slider's range.",
             "What the waterfall explorer evaluates in the page while the slider moves."),
            ("outline", S.AskValidate, S.Outline, "Names, entities and defaults.",
             "Names of every id, the entities that distribute, the default entity and exit."),
            ("control", S.AskControl, S.ControlDoc, "SPEC §7's document.",
             "Who controls each entity (`stakeflow control --json`)."),
            ("control_view", S.AskControl, S.ControlView, "Control with chains, names and the diagram.",
             "The control page's data: findings, chains, weights and the diagram (plotly JSON)."),
        ):
            computing(job, model, answer, says, doc)

        @r.post("/value", openapi_extra=body_doc(S.AskValue),
                responses={200: _doc(S.ValueDoc, "SPEC §7's document."), **HEAVY})
        async def value(request: Request, x_progress_key: str | None = Header(
                default=None, max_length=64, description="Any key; GET /api/progress/{key} counts the paths done.")
                        ) -> Response:
            """Value every holder and class (``stakeflow value --json``): OPM, backsolve or Monte Carlo."""
            ask = await read_body(request, S.AskValue)
            if (ask.method or "opm") == "montecarlo" or ask.paths is not None:
                paths_within(ask.paths, self.max_paths, P.DEFAULT_PATHS)
            text = await self.text_of(ask.scenario, ask.scenario_id)
            return await self.compute(request, "value", {"text": text, "options": ask.options()}, [text],
                                      x_progress_key)

        @r.post("/compare", openapi_extra=body_doc(S.AskCompare),
                responses={200: _doc(S.CompareDoc, "The value transfer."), **HEAVY})
        async def compare(request: Request, x_progress_key: str | None = Header(
                default=None, max_length=64, description="Any key; GET /api/progress/{key} counts the paths done.")
                          ) -> Response:
            """Value every party under two structures on the same paths (``stakeflow compare --json``)."""
            ask = await read_body(request, S.AskCompare)
            paths, seed = compare_sizes(ask.paths, ask.seed, self.max_paths)
            before = await self.text_of(ask.before, ask.before_id) if (ask.before or ask.before_id) else None
            after = await self.text_of(ask.after, ask.after_id) if (ask.after or ask.after_id) else None
            if before is None or after is None:
                raise ApiError(422, [M.MISSING.format(key="before" if before is None else "after")])
            return await self.compute(request, "compare", {"before": before, "after": after,
                                                           "mapping": dict(ask.map or {}), "paths": paths,
                                                           "seed": seed}, [before, after], x_progress_key)

        @r.get("/progress/{key}", responses={200: _doc(S.Progress, "Paths done so far."), **ERR})
        async def progress(key: str) -> Response:
            """How many paths the request sent with ``X-Progress-Key: key`` has simulated."""
            return JSONResponse({"done": self.workers.progress.get(key, [0])[0]})

        return r

    async def _revision(self, scenario_id: str, revision: str | None) -> dict[str, Any]:
        sid = as_id(scenario_id)
        rev = None if revision is None else as_id(revision)
        saved = None
        if sid is not None and (revision is None or rev is not None):
            saved = await asyncio.to_thread(self.store.get, sid, rev)
        if saved is None:
            exists = sid is not None and await asyncio.to_thread(self.store.get, sid, None) is not None
            if revision is not None and exists:
                raise ApiError(404, [M.NO_REVISION.format(id=scenario_id, revision=revision)])
            raise ApiError(404, [M.NO_SCENARIO.format(id=scenario_id)])
        return {"id": saved.id, "name": saved.name, "text": saved.text, "revision": saved.revision}
