"""Import a new spec version in one step: check it, explain the change, version it, regenerate, drift-check.

Everything happens in a staging copy of the project first; ``spec/`` and ``generated/`` change only once the
staged copy has regenerated, verified and passed the drift check, and then by renames.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from podgen import spec
from podgen.apidiff import breaking_changes
from podgen.diff import BREAKING, SpecDiff, compare
from podgen.drift import check as drift_check
from podgen.effective import load_effective
from podgen.errors import PodgenError
from podgen.generate import generate, scratch_dir, write_atomically
from podgen.layout import Layout
from podgen.provenance import generator_versions
from podgen.version import inputs_fingerprint, next_post, parse


class VersionRegression(PodgenError):
    fix = "import a newer document; podgen never goes back to an older spec version"


class SameVersionChanged(PodgenError):
    fix = "if the publisher really changed the document without a new version, pass --acknowledge-same-version"


class BreakingRefused(PodgenError):
    fix = "review the breaking changes above; run without --fail-on-breaking to import them anyway"


@dataclass
class BumpResult:
    diff: SpecDiff
    package_version: str
    applied: bool
    api_breakages: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def changelog_entry(result: BumpResult, sha256: str) -> str:
    lines = [f"## {result.package_version}", "", f"Pod API {result.diff.new_version} (spec sha256 `{sha256[:12]}`)."]
    for kind, title in ((BREAKING, "Breaking"), ("additive", "Added"), ("documentation", "Documentation")):
        changes = result.diff.of(kind)
        if changes:
            lines += ["", f"{title}:", ""] + [f"- {change}" for change in changes]
    if result.api_breakages:
        lines += ["", "Breaking for callers of the Python API (griffe):", ""]
        lines += [f"- {line}" for line in result.api_breakages]
    if not result.diff.changes:
        lines += ["", "Regenerated with changed templates, overlays or generators; the API document is the same."]
    return "\n".join(lines) + "\n"


def _prepend(changelog: Path, entry: str) -> None:
    text = changelog.read_text(encoding="utf-8") if changelog.exists() else "# Changelog of symphony-pod-client\n"
    head, marker, rest = text.partition("\n## ")
    changelog.write_text(head.rstrip("\n") + "\n\n" + entry + ("\n## " + rest if marker else ""), encoding="utf-8")


def _swap_folders(pairs: list[tuple[Path, Path]]) -> None:
    """Move each staged folder over its live one; if any move fails, put every live folder back."""
    moved: list[tuple[Path, Path]] = []
    try:
        for staged, live in pairs:
            backup = staged.with_name(staged.name + ".previous")
            os.replace(live, backup)
            moved.append((backup, live))
            os.replace(staged, live)
    except OSError:
        for backup, live in reversed(moved):
            if live.exists():
                shutil.rmtree(live)
            os.replace(backup, live)
        raise
    for backup, _ in moved:
        shutil.rmtree(backup, ignore_errors=True)


def bump(
    layout: Layout,
    new_path: Path,
    *,
    dry_run: bool = False,
    fail_on_breaking: bool = False,
    acknowledge_same_version: bool = False,
    overlays: tuple[Path, ...] = (),
    say: Callable[[str], None] = print,
) -> BumpResult:
    new = spec.load(new_path)
    current, lock, _ = load_effective(layout)
    diff = compare(current.data, new.data)
    if new.sha256 == current.sha256 and not overlays:
        say(f"{new_path.name}: no changes (the same document as spec/{layout.spec_file.name}, {current.version})")
        return BumpResult(diff, lock.package_version, applied=False)
    old_version, new_version = parse(current.version), parse(new.version)
    if old_version is None or new_version is None:
        raise VersionRegression(
            f"cannot compare versions {current.version!r} and {new.version!r}: not PEP 440 versions"
        )
    if new_version < old_version:
        raise VersionRegression(f"{new_path.name} is version {new.version}, older than the current {current.version}")
    if new_version == old_version and new.sha256 != current.sha256 and not acknowledge_same_version:
        raise SameVersionChanged(
            f"{new_path.name} says version {new.version} like the current document, but its content differs "
            f"(sha256 {new.sha256[:12]}… vs {current.sha256[:12]}…)"
        )
    package_version = new.version if new_version > old_version else next_post(lock.package_version)
    result = BumpResult(diff, package_version, applied=False)

    with scratch_dir(layout) as scratch:
        staged = Layout(scratch / "project")
        for name in ("spec", "templates", "generated"):
            shutil.copytree(layout.root / name, staged.root / name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copyfile(new_path, staged.spec_file)
        for extra in overlays:
            shutil.copyfile(extra, staged.overlays_dir / extra.name)
        fingerprint = inputs_fingerprint(staged, generator_versions())
        new_lock = spec.SpecLock(lock.document, new.version, new.sha256, package_version, fingerprint)
        write_atomically(staged.lock_file, new_lock.to_json())

        generate(staged)  # validation, overlays (naming any whose target no longer matches), generation, verify
        result.api_breakages = breaking_changes(layout.dist_dir, staged.dist_dir)
        for line in result.api_breakages:
            diff.add(BREAKING, "Python API", line)
        _prepend(staged.spec_dir / "CHANGELOG.md", changelog_entry(result, new.sha256))
        generate(staged)  # again, so the package carries its new changelog entry
        drift_check(staged)

        say(f"spec: {current.version} -> {new.version}; package: {lock.package_version} -> {package_version}")
        say(diff.render())
        _, _, effective = load_effective(staged)
        for method, path, operation in spec.iter_operations(effective):
            if not operation.get("operationId"):
                say(
                    f"warning: {method} {path} has no operationId, so its method is named after its path; "
                    "add an overlay that names it (see examples/overlays/) with --overlay"
                )
        if fail_on_breaking and diff.breaking:
            raise BreakingRefused(
                f"the change from {current.version} to {new.version} is breaking ({len(diff.of(BREAKING))} change(s))"
            )
        if dry_run:
            say("dry run: spec/ and generated/ were left as they were")
            return result
        _swap_folders([(staged.spec_dir, layout.spec_dir), (staged.generated_dir, layout.generated_dir)])
        result.applied = True
        say(f"imported {new_path.name}: spec/ and generated/ now hold {package_version}; the drift check passes")
    return result
