"""A no-op ``generate`` in well under a second: when every input and generated/ are as the last successful
generate left them, there is nothing to do. The record lives in .podgen-cache/ (not committed)."""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from podgen.layout import Layout
from podgen.provenance import GENERATORS


def _digest_tree(digest: hashlib._Hash, folder: Path, root: Path) -> None:
    if not folder.exists():
        digest.update(b"<missing>" + folder.name.encode())
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())


def fingerprint(layout: Layout) -> str:
    """Everything a regeneration reads or writes: spec/, templates/, generated/, generators, podgen itself."""
    digest = hashlib.sha256()
    for name in GENERATORS:
        digest.update(f"{name}=={version(name)}\n".encode())
    for folder in (layout.spec_dir, layout.root / "templates", layout.dist_dir, Path(__file__).parent):
        _digest_tree(digest, folder, folder.parent)
    return digest.hexdigest()


def _record(layout: Layout) -> Path:
    return layout.root / ".podgen-cache" / "generate.json"


def unchanged(layout: Layout) -> bool:
    try:
        recorded = json.loads(_record(layout).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(recorded, dict) and recorded.get("fingerprint") == fingerprint(layout)


def remember(layout: Layout) -> None:
    record = _record(layout)
    record.parent.mkdir(exist_ok=True)
    (record.parent / ".gitignore").write_text("*\n", encoding="utf-8")
    record.write_text(json.dumps({"fingerprint": fingerprint(layout)}), encoding="utf-8")
