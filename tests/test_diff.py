"""podgen.diff: each kind of change is classified as users of the client would feel it."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from podgen.diff import ADDITIVE, BREAKING, DOCS, compare
from tests.conftest import ROOT

BASE = json.loads((ROOT / "spec/pod-api.json").read_text(encoding="utf-8"))
OP = "/v1/users/{uid}/sessions"
NEXT = ROOT / "tests/data/pod-api-20.18.0.json"


def changed(edit: Callable[[dict[str, Any]], None], base: dict[str, Any] = BASE) -> list[tuple[str, str]]:
    new = copy.deepcopy(base)
    edit(new)
    return [(c.kind, str(c)) for c in compare(base, new).changes]


def with_enum() -> dict[str, Any]:
    doc: dict[str, Any] = copy.deepcopy(BASE)
    doc["components"]["schemas"]["SuccessResponse"] = {
        "type": "object",
        "properties": {"format": {"type": "string", "enum": ["TEXT", "XML"]}},
    }
    return doc


CASES: dict[str, tuple[Callable[[dict[str, Any]], None], str, str]] = {
    "property removed": (
        lambda d: d["components"]["schemas"]["V1Session"]["properties"].pop("os"),
        BREAKING, "V1Session.os: property removed",
    ),
    "property retyped": (
        lambda d: d["components"]["schemas"]["V1Session"]["properties"].update(userId={"type": "string"}),
        BREAKING, "V1Session.userId: retyped from integer(int64) to string",
    ),
    "required parameter added": (
        lambda d: d["paths"][OP]["get"]["parameters"].append(
            {"name": "limit", "in": "query", "required": True, "schema": {"type": "integer"}}
        ),
        BREAKING, f"GET {OP} query parameter 'limit': added as required",
    ),
    "status removed": (
        lambda d: d["paths"][OP]["get"]["responses"].pop("204"),
        BREAKING, f"GET {OP} response 204: status removed",
    ),
    "property made required": (
        lambda d: d["components"]["schemas"]["V1Session"].update(required=["sessionId"]),
        BREAKING, "V1Session.sessionId: made required",
    ),
    "operation removed": (lambda d: d["paths"].pop(OP), BREAKING, f"GET {OP}: operation removed"),
    "optional parameter added": (
        lambda d: d["paths"][OP]["get"]["parameters"].append(
            {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer"}}
        ),
        ADDITIVE, f"GET {OP} query parameter 'limit': added (optional)",
    ),
    "property added": (
        lambda d: d["components"]["schemas"]["V1Session"]["properties"].update(lastSeen={"type": "integer"}),
        ADDITIVE, "V1Session.lastSeen: property added",
    ),
    "status added": (
        lambda d: d["paths"][OP]["get"]["responses"].update({"429": {"description": "Too many"}}),
        ADDITIVE, f"GET {OP} response 429: status added",
    ),
    "description changed": (
        lambda d: d["paths"][OP]["get"].update(summary="Lists sessions."),
        DOCS, f"GET {OP}: summary changed",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_classification(name: str) -> None:
    edit, kind, text = CASES[name]
    assert (kind, text) in changed(edit)


def test_enum_value_removed_is_breaking_and_added_is_additive() -> None:
    base = with_enum()
    removed = changed(
        lambda d: d["components"]["schemas"]["SuccessResponse"]["properties"]["format"].update(enum=["TEXT"]), base
    )
    assert removed == [(BREAKING, "SuccessResponse.format: enum value 'XML' removed")]
    added = changed(
        lambda d: d["components"]["schemas"]["SuccessResponse"]["properties"]["format"].update(
            enum=["TEXT", "XML", "HTML"]
        ),
        base,
    )
    assert added == [(ADDITIVE, "SuccessResponse.format: enum value 'HTML' added")]


def test_the_same_document_has_no_changes() -> None:
    assert compare(BASE, copy.deepcopy(BASE)).render() == "no changes"


def test_the_next_version_is_additive() -> None:
    diff = compare(BASE, json.loads(NEXT.read_text(encoding="utf-8")))
    assert not diff.breaking
    assert [str(c) for c in diff.of(ADDITIVE)] == [
        "POST /v1/users/{uid}/sessions/logout: operation added",
        "POST /v1/users/{uid}/sessions/{sid}/logout: operation added",
        "schema SuccessResponse: added",
    ]
