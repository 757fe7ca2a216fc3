"""Start the mock pod as a subprocess on a free loopback port, wait until it answers, and stop it cleanly."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass
class RunningPod:
    process: subprocess.Popen[bytes]
    base_url: str
    tokens: dict[str, str]
    users: dict[str, int]
    log: Path

    @property
    def origin(self) -> str:
        return self.base_url.rsplit("/pod", 1)[0]


def start(folder: Path, root: Path, *extra: str, timeout: float = 60) -> RunningPod:
    """Its ready file and log go in ``folder``; ``extra`` are more ``python -m podgen.mockpod`` arguments."""
    ready, log_path = folder / "ready.json", folder / "mockpod.log"
    args = [sys.executable, "-m", "podgen.mockpod", "--port", "0", "--root", str(root), "--ready-file", str(ready)]
    with log_path.open("wb") as log:  # the child keeps its own descriptor
        process = subprocess.Popen([*args, *extra], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            printed = log_path.read_text(encoding="utf-8", errors="replace")[-500:]
            raise RuntimeError(f"the mock pod exited with {process.returncode}: {printed}")
        if ready.exists() and ready.stat().st_size:
            info = json.loads(ready.read_text(encoding="utf-8"))
            pod = RunningPod(process, info["base_url"], info["tokens"], info["users"], log_path)
            try:
                httpx.get(f"{pod.origin}/_mock/health", timeout=2).raise_for_status()
                return pod
            except httpx.HTTPError:
                pass
        time.sleep(0.05)
    process.kill()
    process.wait()
    raise RuntimeError(f"the mock pod did not answer within {timeout:g} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
