"""How fast a developer gets a regenerated and verified client, each figure against the interpreter's own start.

In a throw-away copy of the project (nothing in the checkout is touched): ``python -c pass`` (the anchor),
``podgen check`` (regenerate into a temporary folder and compare, warm), ``podgen generate --force`` (regenerate,
verify with an import and mypy --strict, swap in; warm mypy cache), and a no-op ``podgen generate`` (nothing
changed: it must notice and stop). Each is the median of several runs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one run each")
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args(argv)
    runs = 1 if args.quick else 5
    with tempfile.TemporaryDirectory(prefix="podgen-bench-") as folder:
        project = Path(folder)
        for name in ("spec", "templates", "generated"):
            shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        podgen = [sys.executable, "-m", "podgen", "--root", str(project)]
        subprocess.run([*podgen, "generate", "--force"], check=True, capture_output=True)  # warm caches
        start = timed([sys.executable, "-c", "pass"], max(runs, 3))
        check = timed([*podgen, "check"], runs)
        generate = timed([*podgen, "generate", "--force"], max(1, runs // 2))
        noop = timed([*podgen, "generate"], runs)
    rows = [
        ("`podgen check` (warm)", check, "under 3 s beyond the interpreter start", check - start < 3.0),
        ("`podgen generate` (full: import and mypy --strict verify)", generate, "(none)", None),
        ("`podgen generate` when nothing changed", noop, "under 1 s, and says nothing changed", noop < 1.0),
    ]
    lines = [
        "## The pipeline",
        "",
        f"Anchor: `python -c pass` takes {start * 1000:.0f} ms here.",
        "",
        "| what | wall time | beyond interpreter start | ratio to interpreter start | target |",
        "|---|---:|---:|---:|---|",
    ]
    for what, seconds, target, met in rows:
        verdict = "" if met is None else (" (met)" if met else " (missed)")
        lines.append(
            f"| {what} | {seconds:.2f} s | {seconds - start:.2f} s | {seconds / start:.0f}x | {target}{verdict} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
