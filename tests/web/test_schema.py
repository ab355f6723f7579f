"""The OpenAPI schema describes every answer (SPEC §11): schemathesis generates requests from
it, valid ones and invalid ones, against a real server on 127.0.0.1, and finds no 5xx and no
answer (status, content type or body) outside the schema."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from web_helpers import ROOT, LiveServer

from stakeflow.web import create_app

pytestmark = pytest.mark.slow

GUST = (ROOT / "tests" / "cases" / "gust_participating.yaml").read_text()
OPENAPI = create_app("sqlite://", seed_examples=False).app.openapi()  # type: ignore[attr-defined]
SCHEMA = schemathesis.openapi.from_dict(OPENAPI)
OPERATIONS = {op.ok().label: op.ok() for op in SCHEMA.get_all_operations()}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("schema") / "lib.db", seed_examples=True, max_paths=20_000,
                    time_limit=5) as srv:
        with httpx.Client(base_url=srv.url) as c:
            c.post("/api/scenarios", json={"name": "gust", "text": GUST})
        yield srv


# Invalid requests can be made only where the schema constrains something: the bodies.
RUNS = [(label, GenerationMode.POSITIVE) for label in sorted(OPERATIONS)] + [
    (label, GenerationMode.NEGATIVE) for label in sorted(OPERATIONS) if label.split()[0] in ("POST", "PUT")]


@pytest.mark.parametrize(("label", "mode"), RUNS, ids=[f"{m.value}-{label}" for label, m in RUNS])
def test_every_answer_is_in_the_schema(server: LiveServer, label: str, mode: GenerationMode) -> None:
    op = OPERATIONS[label]

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=op.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=server.url, checks=CHECKS)

    run()


def test_errors_are_documented_as_errors_documents() -> None:
    schemas = OPENAPI["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert "HTTPValidationError" not in str(OPENAPI)
    for path, ops in OPENAPI["paths"].items():
        for method, op in ops.items():
            for status, answer in op["responses"].items():
                if status.startswith(("4", "5")):
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert ref in ("#/components/schemas/Errors", "#/components/schemas/Stale"), (path, method, status)
            if method in ("post", "put"):
                assert "requestBody" in op, (path, method)
