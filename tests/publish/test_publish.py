"""Build and publish: reproducible artefacts with provenance; safe uploads to a real pypiserver on loopback."""

from __future__ import annotations

import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.publish.conftest import PASSWORD, Index, free_port

VERSION = "20.17.1"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project whose dist/ the tests may build into."""
    root = tmp_path / "project"
    for name in ("spec", "templates", "generated"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def podgen(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PODGEN_INDEX")}
    return subprocess.run(
        [sys.executable, "-m", "podgen", "--root", str(project), *args],
        capture_output=True, text=True, env={**clean, "PODGEN_VERIFY_DEPS": "inherit", **(env or {})},
        timeout=600, check=False,
    )  # fmt: skip


@pytest.fixture
def built(project: Path) -> Path:
    result = podgen(project, "build")
    assert result.returncode == 0, result.stderr
    return project


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_build_is_reproducible_and_records_provenance(built: Path) -> None:
    first = digests(built / "dist")
    assert sorted(first) == [f"symphony_pod_client-{VERSION}-py3-none-any.whl", f"symphony_pod_client-{VERSION}.tar.gz"]
    again = podgen(built, "build")
    assert again.returncode == 0
    assert digests(built / "dist") == first
    with zipfile.ZipFile(built / "dist" / f"symphony_pod_client-{VERSION}-py3-none-any.whl") as wheel:
        metadata = wheel.read(f"symphony_pod_client-{VERSION}.dist-info/METADATA").decode()
    sha = (ROOT / "spec/pod-api.lock.json").read_text(encoding="utf-8").split('"sha256": "')[1][:64]
    assert f"podgen-spec-sha256={sha}" in metadata and "podgen-spec-version=20.17.1" in metadata
    assert "podgen-generator=openapi-python-client==0.29.1" in metadata
    assert not list((built / "generated").rglob("*.egg-info")), "building never writes into generated/"


def test_publish_installs_from_the_index_and_calls_the_mock(built: Path, index: Index) -> None:
    result = podgen(built, "publish", env=index.env())
    assert result.returncode == 0, result.stderr
    assert index.files() == sorted(p.name for p in (built / "dist").iterdir())
    assert (
        f"published symphony_pod_client-{VERSION}.tar.gz, symphony_pod_client-{VERSION}-py3-none-any.whl"
        in result.stdout
    )
    verified = next(line for line in result.stdout.splitlines() if "verified:" in line)
    assert f"symphony_pod_client {VERSION} (spec 20.17.1) from " in verified and "podgen-verify-" in verified
    assert "session(s)" in verified
    assert PASSWORD not in result.stdout + result.stderr


def test_the_same_version_is_never_uploaded_twice(built: Path, index: Index) -> None:
    assert podgen(built, "publish", "--no-verify", env=index.env()).returncode == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in index.packages.iterdir()}
    again = podgen(built, "publish", env=index.env())
    assert again.returncode == 1
    assert again.stderr.strip().splitlines() == [
        f"podgen: error: symphony-pod-client {VERSION} is already on the index at {index.url}; fix: released versions "
        "are never overwritten: regenerate with a new spec version or a post-release"
    ]
    assert {p.name: p.stat().st_mtime_ns for p in index.packages.iterdir()} == stamps


def test_a_wrong_password_uploads_nothing(built: Path, index: Index) -> None:
    result = podgen(built, "publish", env=index.env(password="not-the-password"))
    assert result.returncode == 1
    assert "refused the credentials for user 'publisher'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert index.files() == []
    assert "not-the-password" not in result.stdout + result.stderr


def test_an_unreachable_index(built: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    result = podgen(
        built, "publish", env={"PODGEN_INDEX_URL": url, "PODGEN_INDEX_USER": "u", "PODGEN_INDEX_PASSWORD": "pw-9"}
    )
    assert result.returncode == 1
    assert f"cannot reach the index at {url}" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.fixture
def failing_index() -> Iterator[str]:
    """A real HTTP server on loopback that answers 503 to everything, and counts what it was sent."""

    class Failing(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(503)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_an_index_answering_5xx(built: Path, failing_index: str) -> None:
    env = {"PODGEN_INDEX_URL": failing_index, "PODGEN_INDEX_USER": "u", "PODGEN_INDEX_PASSWORD": "pw-9"}
    result = podgen(built, "publish", env=env)
    assert result.returncode == 1
    assert "the index answered HTTP 503" in result.stderr and "nothing was uploaded" in result.stderr


def test_a_missing_dist_folder(project: Path, index: Index) -> None:
    result = podgen(project, "publish", env=index.env())
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"podgen: error: dist/ has no wheel and sdist of symphony-pod-client {VERSION}; fix: run `nox -s build` first"
    ]


def test_dry_run_shows_what_and_where_and_uploads_nothing(built: Path, index: Index) -> None:
    result = podgen(built, "publish", "--dry-run", env=index.env())
    assert result.returncode == 0
    assert result.stdout.strip() == (
        f"podgen: dry run: would upload symphony_pod_client-{VERSION}.tar.gz, "
        f"symphony_pod_client-{VERSION}-py3-none-any.whl (symphony-pod-client {VERSION}) to {index.url}"
    )
    assert index.files() == []


def test_publishing_without_configuration_names_the_variables(built: Path) -> None:
    result = podgen(built, "publish")
    assert result.returncode == 1 and "PODGEN_INDEX_URL is not set" in result.stderr


@pytest.fixture
def half_failing_index() -> Iterator[tuple[str, list[str]]]:
    """A loopback index that takes the first file, fails the second with 503, and records every action."""
    actions: list[str] = []

    class HalfFailing(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(404)  # the simple page: the version is not there yet
            self.end_headers()

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            if b"remove_pkg" in body:
                actions.append("remove")
                status = 200
            elif b'name="content"' not in body:
                actions.append("probe")
                status = 400  # authenticated, but no file: what a real index says
            else:
                actions.append("upload")
                status = 200 if actions.count("upload") == 1 else 503
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HalfFailing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", actions
    server.shutdown()
    server.server_close()


def test_a_failure_half_way_takes_the_first_file_back(built: Path, half_failing_index: tuple[str, list[str]]) -> None:
    url, actions = half_failing_index
    env = {"PODGEN_INDEX_URL": url, "PODGEN_INDEX_USER": "u", "PODGEN_INDEX_PASSWORD": "pw-9"}
    result = podgen(built, "publish", env=env)
    assert result.returncode == 1
    # twine retries a 5xx a few times before it gives up on the second file
    assert actions[:3] == ["probe", "upload", "upload"] and actions[-1] == "remove"
    assert set(actions[3:-1]) <= {"upload"}
    assert f"symphony_pod_client-{VERSION}.tar.gz had been uploaded and was removed again" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "pw-9" not in result.stderr
