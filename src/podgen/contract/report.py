"""Failures, the human summary and the JUnit XML report; everything written here passes through ``redact``."""

from __future__ import annotations

import shlex
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

Redact = Callable[[str], str]


@dataclass(frozen=True)
class Failure:
    suite: str  # server, client-sync, client-async, bodies, auth
    operation: str
    check: str
    detail: str
    reproduce: str = ""


@dataclass
class SuiteResult:
    name: str
    cases: int = 0
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def fail(self, failure: Failure) -> None:
        # One entry per (operation, check, detail): a property test repeats the same failure many times.
        if all(
            (f.operation, f.check, f.detail) != (failure.operation, failure.check, failure.detail)
            for f in self.failures
        ):
            self.failures.append(failure)


def curl(method: str, url: str, headers: Mapping[str, str], body: bytes | None = None) -> str:
    """A reproducible request; the session token is shown as ``$POD_SESSION_TOKEN``."""
    parts = ["curl", "-X", method]
    for name, value in sorted(headers.items()):
        shown = "$POD_SESSION_TOKEN" if name.lower() == "sessiontoken" else value
        parts += ["-H", f"{name}: {shown}"]
    if body:
        parts += ["--data-binary", body.decode("utf-8", "replace")]
    parts.append(url)
    return " ".join(shlex.quote(p) if "$POD_SESSION_TOKEN" not in p else f'"{p}"' for p in parts)


def summary(results: list[SuiteResult], target: str, seed: int, redact: Redact) -> str:
    lines = [f"contract summary ({target}, seed {seed}):"]
    for result in results:
        state = "ok" if not result.failures else f"{len(result.failures)} failure(s)"
        lines.append(f"  {result.name:<14} {result.cases:>5} case(s)  {state}")
        lines.extend(f"    note: {note}" for note in result.notes)
        for failure in result.failures:
            lines.append(f"    FAIL [{failure.check}] {failure.operation}: {failure.detail}")
            if failure.reproduce:
                lines.append(f"      reproduce: {failure.reproduce}")
    failed = sum(len(r.failures) for r in results)
    cases = sum(r.cases for r in results)
    lines.append(f"contract: {cases} case(s), {failed} failure(s); replay with --seed {seed}")
    return redact("\n".join(lines))


def write_junit(path: Path, results: list[SuiteResult], seed: int, redact: Redact) -> None:
    root = ET.Element("testsuites", name="podgen contract", tests=str(len(results)))
    for result in results:
        suite = ET.SubElement(
            root, "testsuite", name=result.name, tests=str(max(result.cases, 1)), failures=str(len(result.failures))
        )
        ET.SubElement(ET.SubElement(suite, "properties"), "property", name="seed", value=str(seed))
        if not result.failures:
            ET.SubElement(suite, "testcase", classname=result.name, name=f"{result.cases} cases")
        for failure in result.failures:
            case = ET.SubElement(
                suite, "testcase", classname=result.name, name=f"{failure.operation} [{failure.check}]"
            )
            node = ET.SubElement(case, "failure", message=redact(failure.detail), type=failure.check)
            node.text = redact(f"{failure.detail}\nreproduce: {failure.reproduce}\nseed: {seed}")
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
