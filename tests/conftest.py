"""Shared fixtures: a throw-away copy of the project for tests that regenerate or break inputs."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("spec", "templates", "generated")


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (caches aside), to prove a failed run changed nothing."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's inputs and generated/ in a temporary folder."""
    root = tmp_path / "project"
    root.mkdir()
    for name in COPIED:
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    return root


RunPodgen = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_podgen() -> RunPodgen:
    """Run the podgen CLI as a user would, in a subprocess."""

    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "podgen", *args],
            capture_output=True,
            text=True,
            env=full_env,
            check=False,
            timeout=300,
        )

    return run


class MockPodHandle:
    """A running mock pod: its base URL, a token per kind of caller, and its control endpoints."""

    def __init__(self, base_url: str, tokens: dict[str, str], users: dict[str, int], process: subprocess.Popen[bytes]):
        self.base_url = base_url
        self.tokens = tokens
        self.users = users
        self.process = process
        self.origin = base_url.rsplit("/pod", 1)[0]

    def control(self, method: str, path: str, payload: dict[str, object] | None = None) -> dict[str, object]:
        import httpx

        response = httpx.request(method, f"{self.origin}/_mock/{path}", json=payload, timeout=10)
        response.raise_for_status()
        result: dict[str, object] = response.json()
        return result

    def reset(self) -> None:
        self.control("POST", "reset")

    def queue(self, fault: str, count: int = 1) -> None:
        self.control("POST", "faults", {"fault": fault, "count": count})

    def requests(self) -> dict[str, object]:
        return self.control("GET", "requests")

    def count(self) -> int:
        total = self.requests()["total"]
        assert isinstance(total, int)
        return total


def start_mock_pod(folder: Path, *extra: str) -> MockPodHandle:
    """Start ``python -m podgen.mockpod`` on a free loopback port and wait until it answers."""
    from podgen.mockpod import launcher

    pod = launcher.start(folder, ROOT, *extra)
    return MockPodHandle(pod.base_url, pod.tokens, pod.users, pod.process)


def stop_mock_pod(handle: MockPodHandle) -> None:
    from podgen.mockpod import launcher

    launcher.stop(handle.process)


@pytest.fixture(scope="session")
def mock_pod_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockPodHandle]:
    handle = start_mock_pod(tmp_path_factory.mktemp("mockpod"))
    yield handle
    stop_mock_pod(handle)


@pytest.fixture
def mock_pod(mock_pod_server: MockPodHandle) -> MockPodHandle:
    """The shared mock pod, with counters and queued faults reset for this test."""
    mock_pod_server.reset()
    return mock_pod_server
