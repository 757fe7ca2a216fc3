"""What the contract runs against: a live pod (POD_URL and POD_SESSION_TOKEN) or a mock pod it starts."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx


@dataclass(frozen=True)
class Target:
    base_url: str
    token: str = field(repr=False)
    live: bool
    #: path parameter values that name real things on this pod (e.g. a user id), so cases reach 2xx answers.
    path_values: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{'live pod' if self.live else 'mock pod'} at {self.base_url}"

    def redact(self, text: str) -> str:
        return text.replace(self.token, "<redacted>") if self.token else text


@contextlib.contextmanager
def mock_pod(root: Path, *extra: str) -> Iterator[Target]:
    """Start the mock pod on a free loopback port, wait for it, and stop it afterwards."""
    with tempfile.TemporaryDirectory(prefix="podgen-contract-") as folder:
        ready = Path(folder) / "ready.json"
        log_path = Path(folder) / "mock.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "podgen.mockpod",
                    "--port",
                    "0",
                    "--root",
                    str(root),
                    "--ready-file",
                    str(ready),
                    *extra,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(
                        f"the mock pod exited: {log_path.read_text(encoding='utf-8', errors='replace')[-500:]}"
                    )
                if ready.exists() and ready.stat().st_size:
                    info = json.loads(ready.read_text(encoding="utf-8"))
                    with contextlib.suppress(httpx.HTTPError):
                        httpx.get(info["base_url"].rsplit("/pod", 1)[0] + "/_mock/health", timeout=2).raise_for_status()
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError("the mock pod did not answer within 60 s")
                time.sleep(0.05)
            yield Target(
                info["base_url"], info["tokens"]["admin"], live=False, path_values={"uid": str(info["users"]["user1"])}
            )
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def parse_path_values(text: str) -> dict[str, str]:
    """``uid=68719476737,sid=abc`` -> {"uid": "68719476737", "sid": "abc"}."""
    pairs = (item.split("=", 1) for item in text.split(",") if "=" in item)
    return {name.strip(): value.strip() for name, value in pairs if name.strip()}


def from_environment() -> Target | None:
    url, token = os.environ.get("POD_URL", "").strip(), os.environ.get("POD_SESSION_TOKEN", "").strip()
    if url and token:
        return Target(
            url.rstrip("/"), token, live=True, path_values=parse_path_values(os.environ.get("POD_PATH_VALUES", ""))
        )
    return None
