"""The generated package is typed for its users: mypy --strict passes on a program that uses it, and on itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def mypy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_a_typed_program_using_the_client_passes_mypy_strict() -> None:
    result = mypy(str(ROOT / "tests/data/typed_usage.py"))
    assert result.returncode == 0, result.stdout


def test_mypy_catches_misuse(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from symphony_pod_client import PodClient\n"
        "c = PodClient('https://pod.invalid/pod', 't')\n"
        "r = c.users.list_user_sessions(123)\n"
        "r.sessions\n",
        encoding="utf-8",
    )
    result = mypy(str(bad))
    assert result.returncode == 1
    assert 'incompatible type "int"; expected "str"' in result.stdout
    assert 'Item "None" of "V1UserSessions | None" has no attribute "sessions"' in result.stdout


def test_generated_package_passes_mypy_strict() -> None:
    result = mypy("-p", "symphony_pod_client")
    assert result.returncode == 0, result.stdout
