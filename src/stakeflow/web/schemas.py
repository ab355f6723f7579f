"""The JSON API's requests and answers (SPEC §11), as pydantic models: requests are validated
with them, and the OpenAPI schema at ``/openapi.json`` is made from them, so that it describes
every answer the app gives, errors included."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, field_validator, model_validator

from ..analysis.values import COMPARE_PATHS, COMPARE_SEED
from . import _messages as M

Number = StrictStr | StrictFloat | StrictInt
"""An option's value: a JSON number, or a string in any spelling the option accepts ("30M", "60%")."""

NAME_MOST = 200


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Errors(BaseModel):
    """Every error answer: one ``error:`` line per problem, as the command line prints them."""

    errors: list[str] = Field(examples=[["error: scenario:2: holderz: unknown key 'holderz'"]])


class Stale(Errors):
    """A save from a revision that is no longer the current one (409)."""

    revision: int = Field(description="The scenario's current revision.")


class NewScenario(_Strict):
    name: str = Field(description="The name shown in the library.")
    text: str = Field(description="The scenario file's text (YAML or JSON), kept byte for byte.")


class SaveScenario(_Strict):
    text: str = Field(description="The new text, kept byte for byte.")
    revision: int = Field(description="The revision this text was made from: it must be the current one.")
    name: str | None = Field(default=None, description="A new name (default: the name is kept).")

    @field_validator("revision", mode="before")
    @classmethod
    def _whole(cls, v: object) -> object:
        if isinstance(v, bool) or not isinstance(v, int | str):
            raise ValueError("must be a whole number")
        return v


class Entry(BaseModel):
    id: int
    name: str
    revision: int


class Library(BaseModel):
    scenarios: list[Entry]


class Created(Entry):
    pass


class Saved(BaseModel):
    id: int
    revision: int


class ScenarioText(BaseModel):
    id: int
    name: str
    text: str
    revision: int


class RevisionEntry(BaseModel):
    revision: int
    name: str
    saved: str = Field(description="When it was saved (UTC, ISO 8601).")


class Revisions(BaseModel):
    revisions: list[RevisionEntry]


class Diff(BaseModel):
    revision: int
    against: int
    diff: str = Field(description="Unified diff from revision `against` to `revision`.")


class _Ask(_Strict):
    """The scenario: its text, or a saved one's id (its current revision)."""

    scenario: str | None = Field(default=None, description="The scenario file's text (YAML or JSON).")
    scenario_id: StrictInt | StrictStr | None = Field(default=None, description="Id of a scenario in the library.")

    @model_validator(mode="after")
    def _one_source(self) -> _Ask:
        if self.scenario is not None and self.scenario_id is not None:
            raise ValueError(M.ONE_SOURCE)
        if self.scenario is None and self.scenario_id is None:
            raise ValueError(M.NO_SOURCE)
        return self

    def options(self) -> dict[str, Any]:
        """The command's options given, by the library's names."""
        return {k: v for k, v in self.model_dump(exclude={"scenario", "scenario_id"}).items() if v is not None}


class AskValidate(_Ask):
    pass


class AskWaterfall(_Ask):
    exit: Number | None = Field(default=None, description="Proceeds of the entity (default exit.value), e.g. \"30M\".")
    entity: str | None = Field(default=None, description="Entity whose proceeds are distributed.")
    date: str | None = Field(default=None, description="Distribution date YYYY-MM-DD (SPEC §10).")


class AskBreakpoints(_Ask):
    entity: str | None = None
    date: str | None = None


class AskControl(_Ask):
    pass


class AskValue(_Ask):
    method: str | None = Field(default=None, description="opm (default) or montecarlo.")
    equity_value: Number | None = None
    volatility: Number | None = None
    term: Number | None = None
    rate: Number | None = None
    paths: Number | None = Field(default=None, description="Monte Carlo paths (at most the server's --max-paths).")
    seed: Number | None = None
    backsolve: str | None = Field(default=None, description="Class whose price gives the equity value (OPM).")
    price: Number | None = None
    entity: str | None = None
    date: str | None = None


class AskCompare(_Strict):
    before: str | None = Field(default=None, description="The structure before (text).")
    before_id: StrictInt | StrictStr | None = None
    after: str | None = Field(default=None, description="The structure after (text).")
    after_id: StrictInt | StrictStr | None = None
    map: dict[str, str] | None = Field(default=None, description="Parties renamed: {before_id: after_id}.")
    paths: Number | None = Field(default=None, description=f"Simulated paths (default {COMPARE_PATHS:,}).")
    seed: Number | None = Field(default=None, description=f"Seed of the random numbers (default {COMPARE_SEED}).")


# --- answers (documentation of what the endpoints return) ------------------------------------

class Valid(BaseModel):
    """``stakeflow validate --json``: the text (``scenario``) is valid; its name, number of holders
    and each entity's kind."""

    file: str
    valid: bool
    name: str | None
    holders: int
    entities: dict[str, Literal["equity", "tiers", "terminal"]]


class WaterfallDoc(BaseModel):
    """SPEC §7: ``stakeflow waterfall --json``."""

    entity: str
    exit_value: float
    holders: dict[str, float]
    entities: dict[str, dict[str, Any]]


class StepDoc(BaseModel):
    entity: str
    kind: str
    text: str
    amount: float | None
    claimant: str | None
    class_: str | None = Field(alias="class")


class ExplainDoc(WaterfallDoc):
    steps: list[StepDoc]


class HolderCurve(BaseModel):
    values: list[float]
    slope_after: float


class BreakpointsDoc(BaseModel):
    """SPEC §7: ``stakeflow breakpoints --json``."""

    entity: str
    breakpoints: list[float]
    holders: dict[str, HolderCurve]


class ExplorerDoc(BreakpointsDoc):
    currency: str
    names: dict[str, str]
    default_exit: float | None
    slider_max: float


class Finding(BaseModel):
    controller: str | None
    ultimate_controller: str | None
    basis: str


class ControlDoc(BaseModel):
    """SPEC §7: ``stakeflow control --json``."""

    entities: dict[str, Finding]


class ControlView(ControlDoc):
    names: dict[str, str]
    figure: dict[str, Any]


class ValueDoc(BaseModel):
    """SPEC §7: ``stakeflow value --json`` (Monte Carlo adds ``standard_errors``)."""

    entity: str
    method: str
    equity_value: float
    holders: dict[str, float]
    classes: dict[str, float]
    standard_errors: dict[str, float] | None = None


class Progress(BaseModel):
    done: int = Field(description="Paths simulated so far by the request with this progress key.")


class Outline(BaseModel):
    name: str | None
    currency: str
    names: dict[str, str]
    entities: list[str]
    entity: str | None
    exit: str | None
    date: str | None
    classes: dict[str, list[str]] = Field(description="Each equity entity's classes.")
    has_projection: bool


class CompareDoc(BaseModel):
    """``stakeflow compare --json``, with names and currency."""

    before: dict[str, Any]
    after: dict[str, Any]
    map: dict[str, str]
    paths: int
    seed: int
    parties: dict[str, dict[str, Any]]
    names: dict[str, str]
    currency: str
