"""Compare generated/ with a fresh regeneration, file by file, and show the difference as a unified diff."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

from podgen.errors import DriftDetected
from podgen.generate import build_candidate, load_inputs, scratch_dir
from podgen.layout import Layout


def tree_files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def diff_trees(expected: dict[str, bytes], actual: dict[str, bytes], label: str) -> list[str]:
    """Unified diff lines turning ``actual`` (committed) into ``expected`` (fresh)."""
    lines: list[str] = []
    for name in sorted(set(expected) | set(actual)):
        old, new = actual.get(name), expected.get(name)
        if old == new:
            continue
        old_text = (old or b"").decode("utf-8", "replace").splitlines(keepends=True)
        new_text = (new or b"").decode("utf-8", "replace").splitlines(keepends=True)
        a = f"a/{label}/{name}" if old is not None else "/dev/null"
        b = f"b/{label}/{name}" if new is not None else "/dev/null"
        lines.extend(difflib.unified_diff(old_text, new_text, a, b))
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
    return lines


def check(layout: Layout, verify: bool = False) -> int:
    """Return the number of files compared; raise DriftDetected after printing the diff."""
    inputs = load_inputs(layout, checking=True)
    with scratch_dir(layout) as scratch:
        fresh = tree_files(build_candidate(layout, inputs, scratch, verify=verify))
    committed = tree_files(layout.dist_dir)
    lines = diff_trees(fresh, committed, f"generated/{layout.dist_dir.name}")
    if lines:
        sys.stdout.writelines(lines)
        changed = sum(1 for name in set(fresh) | set(committed) if fresh.get(name) != committed.get(name))
        raise DriftDetected(f"generated/ differs from a fresh regeneration in {changed} file(s) (diff above)")
    return len(fresh)
