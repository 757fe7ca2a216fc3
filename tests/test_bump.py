"""`podgen bump`: one command imports a new spec version, atomically; each refusal changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT, RunPodgen, start_mock_pod, stop_mock_pod, tree_digest

NEXT = ROOT / "tests/data/pod-api-20.18.0.json"
IDS = (ROOT / "examples/overlays/30-session-logout-ids.yaml").read_text(encoding="utf-8")


def state(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    return tree_digest(root / "spec"), tree_digest(root / "generated")


def document(version: str, edit: Any = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "spec/pod-api.json").read_text(encoding="utf-8"))
    data["info"]["version"] = version
    if edit:
        edit(data)
    return data


def write(tmp_path: Path, data: dict[str, Any], name: str = "new.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def bumped(project: Path, run_podgen: RunPodgen, tmp_path: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    overlay = tmp_path / "30-session-ids.yaml"
    overlay.write_text(IDS, encoding="utf-8")
    result = run_podgen("--root", str(project), "bump", str(NEXT), "--overlay", str(overlay))
    assert result.returncode == 0, result.stderr
    return project, result


def test_bumping_to_the_next_version_in_one_command(bumped: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    project, result = bumped
    assert "spec: 20.17.1 -> 20.18.0; package: 20.17.1" in result.stdout and "-> 20.18.0" in result.stdout
    assert "additive (3):" in result.stdout and "breaking" not in result.stdout
    assert (project / "spec/pod-api.json").read_bytes() == NEXT.read_bytes()
    lock = json.loads((project / "spec/pod-api.lock.json").read_text(encoding="utf-8"))
    assert lock["version"] == lock["package_version"] == "20.18.0"
    pyproject = (project / "generated/symphony-pod-client/pyproject.toml").read_text(encoding="utf-8")
    assert 'version = "20.18.0"' in pyproject
    changelog = (project / "generated/symphony-pod-client/CHANGELOG.md").read_text(encoding="utf-8")
    assert "## 20.18.0" in changelog and "POST /v1/users/{uid}/sessions/logout: operation added" in changelog
    assert changelog.index("## 20.18.0") < changelog.index("## 20.17.1")
    assert not list(project.glob(".podgen-tmp-*"))


def test_the_new_operations_are_callable_and_served_by_the_mock(
    bumped: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    project, _ = bumped
    package = project / "generated/symphony-pod-client"
    pod = start_mock_pod(tmp_path, "--root", str(project))
    try:
        script = (
            "import sys\n"
            "from symphony_pod_client import PodClient\n"
            "from symphony_pod_client.models import SuccessResponse\n"
            "with PodClient(sys.argv[1], sys.argv[2]) as c:\n"
            "    one = c.users.logout_user_session(sys.argv[3], 'some-session')\n"
            "    every = c.users.logout_all_user_sessions(sys.argv[3])\n"
            "    listed = c.users.list_user_sessions(sys.argv[3])\n"
            "assert isinstance(one, SuccessResponse) and isinstance(every, SuccessResponse)\n"
            "print(one.message, every.format, listed is not None)\n"
        )
        env = {**os.environ, "PYTHONPATH": str(package)}
        uid = str(pod.users["user1"])
        ran = subprocess.run(
            [sys.executable, "-c", script, pod.base_url, pod.tokens["admin"], uid],
            capture_output=True, text=True, env=env, timeout=60, check=False,
        )  # fmt: skip
        assert ran.returncode == 0, ran.stderr
        recent = httpx.get(f"{pod.origin}/_mock/requests").json()["recent"]
        assert [r["operation"] for r in recent] == ["logoutUserSession", "logoutAllUserSessions", "listUserSessions"]
        assert all(r["status"] == 200 for r in recent)
    finally:
        stop_mock_pod(pod)


def test_the_contract_suite_passes_on_the_new_version(
    bumped: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    project, _ = bumped
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("POD_")},
        "PYTHONPATH": str(project / "generated/symphony-pod-client"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "podgen.contract", "--root", str(project), "--report-dir", str(tmp_path / "report"),
         "--max-examples", "8", "--seed", "7"],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "client-sync" in result.stdout and "0 failure(s)" in result.stdout


def test_the_same_document_again_is_no_change(project: Path, run_podgen: RunPodgen) -> None:
    before = state(project)
    result = run_podgen("--root", str(project), "bump", str(project / "spec/pod-api.json"))
    assert result.returncode == 0 and "no changes" in result.stdout
    assert state(project) == before


@pytest.mark.parametrize(
    ("data", "extra", "words"),
    [
        (document("20.16.0"), (), "older than the current 20.17.1"),
        (document("20.17.1", lambda d: d["info"].update(title="Pod API (edited)")), (), "--acknowledge-same-version"),
        (document("20.18.0", lambda d: d["paths"]["/v1/users/{uid}/sessions"]["get"].pop("responses")), (), "declares no responses"),
        (document("20.18.0", lambda d: d["paths"].update({"/v2/users/{uid}/sessions": d["paths"].pop("/v1/users/{uid}/sessions")})), (), "matches nothing"),
        (document("20.18.0", lambda d: d["components"]["schemas"]["V1Session"]["properties"].pop("os")), ("--fail-on-breaking",), "is breaking"),
    ],
    ids=["lower-version", "same-version-changed", "invalid-document", "overlay-target-gone", "fail-on-breaking"],
)  # fmt: skip
def test_refusals_change_nothing(
    project: Path, run_podgen: RunPodgen, tmp_path: Path, data: dict[str, Any], extra: tuple[str, ...], words: str
) -> None:
    before = state(project)
    result = run_podgen("--root", str(project), "bump", str(write(tmp_path, data)), *extra)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("podgen: error: ") and words in last and "; fix: " in last
    assert "Traceback" not in result.stderr
    assert state(project) == before
    assert not list(project.glob(".podgen-tmp-*"))


def test_a_breaking_bump_is_reported_by_the_spec_and_the_python_api(
    project: Path, run_podgen: RunPodgen, tmp_path: Path
) -> None:
    data = document("20.18.0", lambda d: d["components"]["schemas"]["V1Session"]["properties"].pop("os"))
    result = run_podgen("--root", str(project), "bump", str(write(tmp_path, data)))
    assert result.returncode == 0, result.stderr
    assert "breaking (2):" in result.stdout
    assert "V1Session.os: property removed" in result.stdout
    assert "Python API:" in result.stdout and "os" in result.stdout.split("Python API:")[1]


def test_dry_run_changes_nothing(project: Path, run_podgen: RunPodgen) -> None:
    before = state(project)
    result = run_podgen("--root", str(project), "bump", str(NEXT), "--dry-run")
    assert result.returncode == 0
    assert "spec: 20.17.1 -> 20.18.0" in result.stdout and "dry run" in result.stdout
    assert "warning: POST /v1/users/{uid}/sessions/logout has no operationId" in result.stdout
    assert state(project) == before


def test_an_acknowledged_same_version_change_is_a_post_release(
    project: Path, run_podgen: RunPodgen, tmp_path: Path
) -> None:
    data = document(
        "20.17.1", lambda d: d["paths"]["/v1/users/{uid}/sessions"]["get"].update(summary="Lists sessions.")
    )
    result = run_podgen("--root", str(project), "bump", str(write(tmp_path, data)), "--acknowledge-same-version")
    assert result.returncode == 0, result.stderr
    lock = json.loads((project / "spec/pod-api.lock.json").read_text(encoding="utf-8"))
    assert lock["version"] == "20.17.1" and lock["package_version"].startswith("20.17.1.post")
    assert "documentation (1):" in result.stdout


def test_changed_templates_give_a_post_release_and_check_names_it(project: Path, run_podgen: RunPodgen) -> None:
    template = project / "templates/client/api_init.py.jinja"
    template.write_text(template.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    check = run_podgen("--root", str(project), "check")
    assert check.returncode == 1 and "templates, overlays or generator versions changed" in check.stderr
    before = json.loads((project / "spec/pod-api.lock.json").read_text(encoding="utf-8"))["package_version"]
    result = run_podgen("--root", str(project), "generate")
    assert result.returncode == 0 and "(post-release)" in result.stdout
    after = json.loads((project / "spec/pod-api.lock.json").read_text(encoding="utf-8"))["package_version"]
    assert after == f"{before.split('.post')[0]}.post{int(before.split('.post')[1]) + 1 if '.post' in before else 1}"
    assert run_podgen("--root", str(project), "check").returncode == 0
