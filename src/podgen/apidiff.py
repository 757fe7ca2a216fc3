"""Compare the generated Python API of two trees with griffe: what would break a caller's code."""

from __future__ import annotations

from pathlib import Path

from podgen.layout import PACKAGE_NAME


def breaking_changes(old_dist: Path, new_dist: Path) -> list[str]:
    """One line per change griffe finds breaking (a removed function or parameter, a changed type, ...)."""
    import griffe

    if not (old_dist / PACKAGE_NAME).is_dir():
        return []
    old = griffe.load(PACKAGE_NAME, search_paths=[str(old_dist)], try_relative_path=False, resolve_aliases=False)
    new = griffe.load(PACKAGE_NAME, search_paths=[str(new_dist)], try_relative_path=False, resolve_aliases=False)
    found = []
    for breakage in griffe.find_breaking_changes(old, new):
        found.append(" ".join(breakage.explain(style=griffe.ExplanationStyle.ONE_LINE).split()))
    return sorted(set(found))
