"""A real pypiserver on loopback, password-protected for uploads, in a temporary folder."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

USER = "publisher"
PASSWORD = "correct-horse-battery-staple-7731"


@dataclass
class Index:
    url: str
    packages: Path

    def env(self, password: str = PASSWORD) -> dict[str, str]:
        return {"PODGEN_INDEX_URL": self.url, "PODGEN_INDEX_USER": USER, "PODGEN_INDEX_PASSWORD": password}

    def files(self) -> list[str]:
        return sorted(p.name for p in self.packages.iterdir())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    from passlib.apache import HtpasswdFile

    packages = tmp_path / "packages"
    packages.mkdir()
    htpasswd = HtpasswdFile(str(tmp_path / "htpasswd"), new=True)
    htpasswd.set_password(USER, PASSWORD)
    htpasswd.save()
    port = free_port()
    with (tmp_path / "pypiserver.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "pypiserver", "run", "-i", "127.0.0.1", "-p", str(port), "-P", str(tmp_path / "htpasswd"),
             "-a", "update", "--disable-fallback", str(packages)],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(url + "health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"pypiserver did not start: {(tmp_path / 'pypiserver.log').read_text()}")
        time.sleep(0.1)
    yield Index(url, packages)
    process.terminate()
    process.wait(timeout=10)
