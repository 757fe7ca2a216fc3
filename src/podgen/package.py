"""Build the generated distribution: an sdist and a wheel, reproducible, checked by twine."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from podgen.errors import BuildFailed
from podgen.layout import PACKAGE_NAME, Layout

#: 1980-01-01T00:00:00Z, the earliest date a zip can hold: every build stamps the same times, so the same
#: generated tree gives the same bytes.
SOURCE_DATE_EPOCH = "315532800"


def package_version(layout: Layout) -> str:
    data = tomllib.loads((layout.dist_dir / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def dist_folder(layout: Layout) -> Path:
    return layout.root / "dist"


def _run(args: list[str], what: str, cwd: Path | None = None) -> str:
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PYTHONHASHSEED": "0"}
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    if done.returncode != 0:
        lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        reason = next(
            (line for line in reversed(lines) if "error" in line.lower()), lines[-1] if lines else "no output"
        )
        raise BuildFailed(f"{what} failed: {' '.join(reason.split())}")
    return done.stdout


def build(layout: Layout, out: Path | None = None) -> list[Path]:
    """Build into a temporary folder, check, then replace this distribution's files in ``out`` (dist/)."""
    if not (layout.dist_dir / "pyproject.toml").exists():
        raise BuildFailed(f"{layout.dist_dir.relative_to(layout.root)} holds no pyproject.toml; run `nox -s generate`")
    out = out or dist_folder(layout)
    with tempfile.TemporaryDirectory(prefix="podgen-build-") as folder:
        staging = Path(folder) / "dist"
        source = Path(folder) / "source"
        # A copy, so that no build artefact can ever land in generated/.
        shutil.copytree(layout.dist_dir, source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        _run(
            [
                sys.executable,
                "-m",
                "build",
                "--no-isolation",
                "--sdist",
                "--wheel",
                "--outdir",
                str(staging),
                str(source),
            ],
            "python -m build",
        )
        built = sorted(staging.iterdir())
        _run([sys.executable, "-m", "twine", "check", "--strict", *map(str, built)], "twine check")
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob(f"{PACKAGE_NAME}-*"):
            old.unlink()
        final = []
        for path in built:
            target = out / path.name
            shutil.move(str(path), target)
            final.append(target)
    return final
