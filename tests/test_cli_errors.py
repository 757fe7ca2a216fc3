"""Bad input ends with one readable line, a non-zero exit, and spec/ and generated/ exactly as they were."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunPodgen, tree_digest

SPEC = "spec/pod-api.json"


def write_spec(text: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / SPEC).write_text(text, encoding="utf-8")

    return apply


def edit_spec(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        data = json.loads((root / SPEC).read_text(encoding="utf-8"))
        change(data)
        (root / SPEC).write_text(json.dumps(data), encoding="utf-8")

    return apply


def remove_spec(root: Path) -> None:
    (root / SPEC).unlink()


def overlay_missing_target(root: Path) -> None:
    (root / "spec/overlays/30-broken.yaml").write_text(
        "overlay: 1.0.0\ninfo: {title: t, version: 1.0.0}\nactions:\n"
        "  - target: $.paths['/v1/users/{uid}/gone'].get\n    update: {operationId: gone}\n",
        encoding="utf-8",
    )


def broken_template(root: Path) -> None:
    # A template that raises while rendering: the generator itself fails part-way through writing.
    (root / "templates/client/errors.py.jinja").write_text("{{ undefined_macro() }}\n", encoding="utf-8")


def template_with_type_error(root: Path) -> None:
    # Renders and imports, but fails mypy --strict: caught by verification before the swap.
    path = root / "templates/client/api_init.py.jinja"
    path.write_text(path.read_text(encoding="utf-8") + "\ndef untyped(x):\n    return x\n", encoding="utf-8")


def changed_without_lock(root: Path) -> None:
    path = root / SPEC
    path.write_bytes(path.read_bytes().replace(b'"Pod API"', b'"Pod API (edited)"'))


def no_responses(data: dict[str, Any]) -> None:
    del data["paths"]["/v1/users/{uid}/sessions"]["get"]["responses"]


def bad_ref(data: dict[str, Any]) -> None:
    data["components"]["schemas"]["V1UserSessions"]["properties"]["sessions"]["items"]["$ref"] = "#/nope"


CASES = {
    "missing-spec": (remove_spec, "does not exist"),
    "not-json-or-yaml": (write_spec("{\n  'openapi': 3.1,,\n"), "not valid JSON"),
    "not-openapi": (write_spec('{"hello": "world"}'), "not an OpenAPI document"),
    "swagger-2": (
        write_spec('{"swagger": "2.0", "info": {"title": "x", "version": "1"}}'),
        "convert it to OpenAPI 3.x",
    ),
    "openapi-3.2": (edit_spec(lambda d: d.update(openapi="3.2.0")), "OpenAPI 3.2.0; podgen supports 3.0.x and 3.1.x"),
    "no-responses": (edit_spec(no_responses), "declares no responses"),
    "unresolvable-ref": (edit_spec(bad_ref), "'#/nope'"),
    "overlay-no-match": (overlay_missing_target, "matches nothing"),
    "generator-fails": (broken_template, "openapi-python-client failed"),
    "verification-fails": (template_with_type_error, "mypy --strict fails"),
    "spec-changed-without-lock": (changed_without_lock, "changed without updating its lock"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_one_line_nonzero_nothing_lost(project: Path, run_podgen: RunPodgen, case: str) -> None:
    breaker, words = CASES[case]
    breaker(project)
    before_spec, before_generated = tree_digest(project / "spec"), tree_digest(project / "generated")

    result = run_podgen("--root", str(project), "generate")

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("podgen: error: ")
    assert words in lines[0]
    assert "; fix: " in lines[0]
    assert "Traceback" not in result.stderr
    assert tree_digest(project / "spec") == before_spec
    assert tree_digest(project / "generated") == before_generated
    assert not list(project.glob(".podgen-tmp-*")), "no temporary folder is left behind"


def test_verbose_shows_the_traceback(project: Path, run_podgen: RunPodgen) -> None:
    remove_spec(project)
    result = run_podgen("--root", str(project), "generate", "--verbose")
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("podgen: error: ")


def test_a_folder_that_is_not_a_project_is_named(tmp_path: Path, run_podgen: RunPodgen) -> None:
    result = run_podgen("--root", str(tmp_path / "nowhere"), "check")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"podgen: error: {tmp_path / 'nowhere'} is not a podgen project: it has no spec/ and templates/client/ "
        "folders; fix: run podgen from a podgen checkout or pass --root DIR pointing at one (it holds spec/ and "
        "templates/)"
    ]


def test_pyproject_pins_agree_with_the_pipeline_requirements() -> None:
    import tomllib

    from tests.conftest import ROOT

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pinned = [
        line.strip()
        for line in (ROOT / "requirements/pipeline.in").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert sorted(declared) == sorted(pinned)
