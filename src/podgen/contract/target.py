"""What the contract runs against: a live pod (POD_URL and POD_SESSION_TOKEN) or a mock pod it starts."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from podgen.mockpod import launcher


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
        pod = launcher.start(Path(folder), root, *extra)
        try:
            known = {"uid": str(pod.users["user1"])}  # a user with sessions: cases reach 200 answers
            yield Target(pod.base_url, pod.tokens["admin"], live=False, path_values=known)
        finally:
            launcher.stop(pod.process)


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
