"""The benchmark keeps working: CI runs it in quick mode (no timing is asserted: these machines are shared)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_quick_benchmark_reports_every_ratio(tmp_path: Path) -> None:
    report = tmp_path / "bench.md"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/run.py"), "--quick", "--markdown", str(report)],
        capture_output=True, text=True, timeout=900, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    text = report.read_text(encoding="utf-8")
    assert re.search(r"Measured \d{4}-\d{2}-\d{2} on \S+, \d+ CPU", text)
    for heading in ("## Typed decoding", "## Per-call cost", "## The pipeline"):
        assert heading in text
    assert re.search(r"\| 2,000 \| symphony_pod_client \(msgspec\) \| [\d.]+ \| [\d.]+x \|", text)
    for row in ("sync client, sequential calls", "async client, 16 concurrent", "mock pod, 16 concurrent clients"):
        assert re.search(rf"\| {re.escape(row)} \| .* \| [\d.]+x \|", text), row
    for row in ("`podgen check` (warm)", "`podgen generate` when nothing changed"):
        assert re.search(rf"\| {re.escape(row)} \| [\d.]+ s \| -?[\d.]+ s \| \d+x \|", text), row
