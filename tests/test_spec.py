"""podgen.spec: which documents podgen accepts, and the error class for each it refuses."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from podgen import errors, spec

ROOT = Path(__file__).resolve().parent.parent
EMBEDDED = json.loads((ROOT / "spec" / "pod-api.json").read_text(encoding="utf-8"))


def embedded() -> dict[str, Any]:
    return copy.deepcopy(EMBEDDED)


def test_embedded_document_is_accepted_and_matches_its_lock() -> None:
    document = spec.load(ROOT / "spec" / "pod-api.json")
    lock = spec.SpecLock.read(ROOT / "spec" / "pod-api.lock.json")
    spec.verify_lock(document, lock)
    assert document.version == "20.17.1" == lock.version
    assert document.sha256 == lock.sha256


def test_yaml_documents_are_read_too(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "pod-api.yaml"
    path.write_text(yaml.safe_dump(embedded()), encoding="utf-8")
    assert spec.load(path).version == "20.17.1"


def _without_responses() -> dict[str, Any]:
    doc = embedded()
    del doc["paths"]["/v1/users/{uid}/sessions"]["get"]["responses"]
    return doc


def _bad_ref() -> dict[str, Any]:
    doc = embedded()
    ok = doc["paths"]["/v1/users/{uid}/sessions"]["get"]["responses"]["200"]
    ok["content"]["application/json"]["schema"]["$ref"] = "#/components/schemas/Missing"
    return doc


def _external_ref() -> dict[str, Any]:
    doc = embedded()
    doc["components"]["schemas"]["V1UserSessions"]["properties"]["sessions"]["items"] = {"$ref": "other.json#/X"}
    return doc


def _schema_violation() -> dict[str, Any]:
    doc = embedded()
    doc["paths"]["/v1/users/{uid}/sessions"]["get"]["parameters"][0]["in"] = "body"
    return doc


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        ([1, 2], errors.NotOpenAPI, "not an OpenAPI document"),
        ({"title": "x"}, errors.NotOpenAPI, "no 'openapi' field"),
        ({"swagger": "2.0", "info": {}}, errors.SwaggerNotSupported, "Swagger 2.0"),
        ({**EMBEDDED, "openapi": "3.2.0"}, errors.UnsupportedVersion, "OpenAPI 3.2.0"),
        ({**EMBEDDED, "openapi": "4.0.0"}, errors.UnsupportedVersion, "3.0.x and 3.1.x"),
        ({**EMBEDDED, "openapi": 3.1}, errors.UnsupportedVersion, "not a version"),
        (_without_responses(), errors.SpecInvalid, "declares no responses"),
        (_bad_ref(), errors.UnresolvedRef, "#/components/schemas/Missing"),
        (_external_ref(), errors.UnresolvedRef, "outside the document"),
        (_schema_violation(), errors.SpecInvalid, "fails OpenAPI validation"),
    ],
    ids=[
        "array",
        "no-openapi",
        "swagger2",
        "openapi-3.2",
        "openapi-4",
        "number-version",
        "no-responses",
        "bad-ref",
        "external-ref",
        "schema-violation",
    ],
)
def test_refused_documents_name_their_cause(data: Any, error: type[errors.PodgenError], words: str) -> None:
    with pytest.raises(error) as caught:
        spec.check(data, "doc.json")
    line = caught.value.one_line()
    assert words in line
    assert "\n" not in line
    assert caught.value.fix, "every refusal says how to fix it"


def test_swagger_message_says_to_convert() -> None:
    with pytest.raises(errors.SwaggerNotSupported) as caught:
        spec.check({"swagger": "2.0"}, "old.json")
    assert "convert it to OpenAPI 3.x" in caught.value.one_line()


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"{not json", "not valid JSON"), (b"a: [unclosed", "neither JSON nor YAML"), (b"\xff\xfe\x00", "not UTF-8")],
)
def test_unreadable_files(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(errors.SpecUnreadable, match=words):
        spec.load(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(errors.SpecNotFound, match="does not exist"):
        spec.load(tmp_path / "absent.json")


def test_changed_document_is_reported_against_its_lock(tmp_path: Path) -> None:
    path = tmp_path / "pod-api.json"
    path.write_bytes((ROOT / "spec" / "pod-api.json").read_bytes() + b"\n")
    lock = spec.SpecLock.read(ROOT / "spec" / "pod-api.lock.json")
    with pytest.raises(errors.SpecLockMismatch, match="changed without updating its lock"):
        spec.verify_lock(spec.load(path), lock)
