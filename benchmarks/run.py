"""``nox -s bench``: every benchmark, side by side in one run, into one Markdown report with date and machine."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = ("decode.py", "calls.py", "pipeline.py")


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError):
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    return f"{platform.machine()}, {os.cpu_count()} CPU(s) {cpu}".strip() + f", CPython {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: CI runs this so the benchmark keeps working")
    parser.add_argument("--markdown", type=Path, default=Path("bench/results.md"))
    args = parser.parse_args(argv)
    sections = [
        f"# podgen benchmarks ({'quick' if args.quick else 'full'} run)",
        "",
        f"Measured {datetime.date.today().isoformat()} on {machine()}. Each ratio compares figures measured in this run.",
    ]
    with tempfile.TemporaryDirectory() as folder:
        for part in PARTS:
            out = Path(folder) / f"{part}.md"
            command = [sys.executable, str(HERE / part), "--markdown", str(out)] + (["--quick"] if args.quick else [])
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            sections += ["", out.read_text(encoding="utf-8").strip()]
    text = "\n".join(sections) + "\n"
    args.markdown.parent.mkdir(parents=True, exist_ok=True)
    args.markdown.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
