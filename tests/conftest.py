"""Shared fixtures: a throw-away copy of the project for tests that regenerate or break inputs."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
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
