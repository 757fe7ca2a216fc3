"""Server conformance: schemathesis's checks against the target, plus "no token, no answer but 401"."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import httpx

from podgen.contract.report import Failure, SuiteResult, curl
from podgen.contract.target import Target
from podgen.spec import iter_operations

#: Checks that fit any pod, live included: they only read answers.
POD_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
#: Checks that also send invalid or unexpected requests: for the mock only.
MOCK_CHECKS = ("negative_data_rejection", "positive_data_acceptance", "missing_required_header", "unsupported_method")
SAFE_METHODS = ("GET", "HEAD")
AUTH_HEADER = "sessionToken"

# The token reaches schemathesis through the environment: the config file holds only the variable's name.
CONFIG = '[parameters]\n"header.sessionToken" = "${PODGEN_CONTRACT_TOKEN}"\n'


def run_schemathesis(
    target: Target,
    spec_path: Path,
    *,
    max_examples: int,
    seed: int,
    report_dir: Path,
    allow_unsafe: bool,
    rate_limit: str | None,
) -> SuiteResult:
    result = SuiteResult("server")
    checks = POD_CHECKS if target.live else POD_CHECKS + MOCK_CHECKS
    with tempfile.TemporaryDirectory(prefix="podgen-st-") as folder:
        config = Path(folder) / "schemathesis.toml"
        config.write_text(CONFIG, encoding="utf-8")
        junit = report_dir / "schemathesis-junit.xml"
        args = [
            sys.executable, "-m", "schemathesis.cli", "--no-color", "--config-file", str(config),
            "run", str(spec_path), "--url", target.base_url,
            "--checks", ",".join(checks), "--max-examples", str(max_examples), "--seed", str(seed),
            "--report", "junit", "--report-junit-path", str(junit), "--output-sanitize", "true",
            "--phases", "examples,coverage,fuzzing", "--request-timeout", "20", "--continue-on-failure",
        ]  # fmt: skip
        if target.live:
            # Positive data only: negative testing sends undeclared methods (TRACE, DELETE, ...) to the pod.
            args += ["--mode", "positive"]
            if not allow_unsafe:
                args += ["--include-method-regex", "^(GET|HEAD)$"]
        if rate_limit:
            args += ["--rate-limit", rate_limit]
        env = {**os.environ, "PODGEN_CONTRACT_TOKEN": target.token}
        # Run in the temporary folder: schemathesis keeps a crash cache in ./.schemathesis and replays it on the
        # next run, which would carry one run's failures into another and litter the project.
        done = subprocess.run(args, capture_output=True, text=True, env=env, check=False, timeout=3600, cwd=folder)
    output = target.redact(done.stdout + done.stderr)
    (report_dir / "schemathesis.log").write_text(output, encoding="utf-8")
    counted = re.search(r"(\d+) generated", output)
    result.cases = int(counted.group(1)) if counted else 0
    seen = _junit_failures(junit, target) if junit.exists() else []
    for failure in seen:
        result.fail(failure)
    if done.returncode != 0 and not seen:
        last = next((line for line in reversed(output.splitlines()) if line.strip()), "no output")
        result.fail(Failure("server", "schemathesis", "schemathesis_run", f"exit {done.returncode}: {last.strip()}"))
    if junit.exists():
        junit.write_text(target.redact(junit.read_text(encoding="utf-8")), encoding="utf-8")
    return result


#: schemathesis failure codes (``st explain CODE``) to the check that reports them.
CHECK_CODES = {
    "ST101": "not_a_server_error",
    "ST102": "not_a_server_error",
    "ST103": "status_code_conformance",
    "ST104": "content_type_conformance",
    "ST105": "content_type_conformance",
    "ST106": "content_type_conformance",
    "ST107": "response_headers_conformance",
    "ST108": "response_schema_conformance",
    "ST109": "response_schema_conformance",
    "ST110": "response_schema_conformance",
    "ST111": "response_schema_conformance",
    "ST112": "max_response_time",
    "ST201": "negative_data_rejection",
    "ST202": "positive_data_acceptance",
    "ST203": "missing_required_header",
    "ST204": "unsupported_method",
    "ST205": "allow_header_conformance",
}


def _check_name(text: str) -> str:
    code = re.search(r"\bST\d{3}\b", text)
    return CHECK_CODES.get(code.group(0), code.group(0)) if code else "schemathesis"


def _junit_failures(path: Path, target: Target) -> list[Failure]:
    """One Failure per check a case failed; schemathesis lists each as ``- STxxx Title`` inside the case."""
    failures: list[Failure] = []
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        operation = case.get("name", "?")
        for node in [*case.findall("failure"), *case.findall("error")]:
            text = target.redact(node.text or node.get("message") or "")
            for block in re.split(r"\n(?=\d+\. Test Case ID)", text):
                reproduce = next((line.strip() for line in block.splitlines() if line.strip().startswith("curl ")), "")
                found = re.findall(r"^- (ST\d{3}) (.+)$", block, flags=re.MULTILINE)
                for code, title in found or [("", " ".join(block.split())[:200])]:
                    check = CHECK_CODES.get(code, code or "schemathesis")
                    failures.append(Failure("server", operation, check, f"{code} {title}".strip(), reproduce))
    return failures


def check_auth(target: Target, document: dict[str, Any], allow_unsafe: bool) -> SuiteResult:
    """Every operation that declares the session token header answers 401 without it."""
    result = SuiteResult("auth")
    with httpx.Client(timeout=20) as http:
        for method, path, operation in iter_operations(document):
            if target.live and not allow_unsafe and method not in SAFE_METHODS:
                result.notes.append(f"{method} {path} skipped: unsafe against a live pod (--allow-unsafe)")
                continue
            params = operation.get("parameters") or []
            if not any(p.get("in") == "header" and p.get("name") == AUTH_HEADER for p in params):
                continue
            url = target.base_url + _example_path(path, params)
            answer = http.request(method, url)
            result.cases += 1
            if answer.status_code != 401:
                result.fail(
                    Failure(
                        "auth",
                        f"{method} {path}",
                        "auth_required",
                        f"without a session token the pod answered {answer.status_code}, expected 401",
                        curl(method, url, {}),
                    )
                )
    return result


def _example_path(path: str, params: list[dict[str, Any]]) -> str:
    for parameter in params:
        if parameter.get("in") == "path":
            path = path.replace("{" + str(parameter["name"]) + "}", "68719476737")
    return path
