"""Package versions: they follow the spec's info.version; a regeneration of the same spec with changed templates,
overlays or generators gets the next post-release."""

from __future__ import annotations

import hashlib
import json

from packaging.version import InvalidVersion, Version

from podgen.layout import Layout


def parse(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def next_post(package_version: str) -> str:
    """20.17.1 -> 20.17.1.post1 -> 20.17.1.post2."""
    version = Version(package_version)
    base = version.base_version
    return f"{base}.post{(version.post or 0) + 1}"


def inputs_fingerprint(layout: Layout, generators: dict[str, str]) -> str:
    """sha256 of everything besides the spec that shapes the generated code: templates, overlays, generators."""
    digest = hashlib.sha256(json.dumps(generators, sort_keys=True).encode())
    for folder in (layout.root / "templates", layout.overlays_dir):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(layout.root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
