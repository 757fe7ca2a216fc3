"""podgen.overlay: OpenAPI Overlay 1.0 actions applied to the upstream document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from podgen import errors, overlay

ROOT = Path(__file__).resolve().parent.parent
EMBEDDED = json.loads((ROOT / "spec" / "pod-api.json").read_text(encoding="utf-8"))
OPERATION = "/v1/users/{uid}/sessions"


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_project_overlays_name_the_operation_and_document_parameters() -> None:
    effective = overlay.apply_overlays(EMBEDDED, ROOT / "spec" / "overlays")
    operation = effective["paths"][OPERATION]["get"]
    assert operation["operationId"] == "listUserSessions"
    uid = next(p for p in operation["parameters"] if p["name"] == "uid")
    assert "positive 64-bit integer" in uid["description"]
    assert "operationId" not in EMBEDDED["paths"][OPERATION]["get"], "the upstream document stays untouched"


def test_update_merges_and_remove_deletes(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        """overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths['/v1/users/{uid}/sessions'].get
    update: {operationId: listThem, tags: [Sessions]}
  - target: $.components.schemas.V1Session.properties.deviceHash
    remove: true
""",
    )
    effective = overlay.apply_overlays(EMBEDDED, tmp_path)
    get = effective["paths"][OPERATION]["get"]
    assert get["operationId"] == "listThem"
    assert get["tags"] == ["Users", "Sessions"], "arrays are appended to, as Overlay 1.0 says"
    assert "deviceHash" not in effective["components"]["schemas"]["V1Session"]["properties"]


def test_overlays_apply_in_file_name_order(tmp_path: Path) -> None:
    head = "overlay: 1.0.0\ninfo: {title: t, version: 1.0.0}\nactions:\n  - target: $.info\n"
    write(tmp_path, "20-second.yaml", head + "    update: {title: second}\n")
    write(tmp_path, "10-first.yaml", head + "    update: {title: first}\n")
    assert overlay.apply_overlays(EMBEDDED, tmp_path)["info"]["title"] == "second"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("overlay: 1.0.0\nactions:\n  - target: $.paths['/nope'].get\n    update: {x: 1}\n", "matches nothing"),
        ("overlay: 1.0.0\nactions:\n  - target: '$[?'\n    update: {x: 1}\n", "not a valid JSONPath"),
        ("actions: []\n", "not an Overlay 1.x document"),
        ("overlay: 1.0.0\nactions:\n  - target: $.info\n", "neither update nor remove"),
        ("overlay: [1.0\n", "not valid YAML"),
    ],
    ids=["no-match", "bad-jsonpath", "not-overlay", "no-update", "bad-yaml"],
)
def test_bad_overlays_are_refused(tmp_path: Path, text: str, words: str) -> None:
    write(tmp_path, "bad.yaml", text)
    with pytest.raises(errors.OverlayError, match=words) as caught:
        overlay.apply_overlays(EMBEDDED, tmp_path)
    assert "bad.yaml" in caught.value.one_line()
