"""The contract suite: clean against the fault-free mock, teeth against every contract-breaking fault, safe live."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT, MockPodHandle

EXAMPLES = "10"


def contract(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("POD_URL", "POD_SESSION_TOKEN", "POD_PATH_VALUES")}
    return subprocess.run(
        [sys.executable, "-m", "podgen.contract", "--root", str(ROOT), "--report-dir", str(tmp_path / "report"),
         "--max-examples", EXAMPLES, "--seed", "1234", *args],
        capture_output=True, text=True, env={**clean, **(env or {})}, timeout=600, check=False, cwd=tmp_path,
    )  # fmt: skip


def test_the_fault_free_mock_passes_every_suite(tmp_path: Path) -> None:
    result = contract(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "target mock pod at http://127.0.0.1:" in out and "seed 1234" in out
    for suite in ("server", "auth", "client-sync", "client-async", "bodies"):
        assert f"  {suite} " in out
    assert "0 failure(s)" in out
    junit = ET.parse(tmp_path / "report/contract-junit.xml").getroot()
    assert {s.get("name") for s in junit.iter("testsuite")} == {
        "server",
        "auth",
        "client-sync",
        "client-async",
        "bodies",
    }
    assert all(s.get("failures") == "0" for s in junit.iter("testsuite"))
    assert (tmp_path / "report/schemathesis-junit.xml").exists()
    assert not (tmp_path / ".schemathesis").exists(), "no schemathesis state is left where the suite was run"


def test_schemathesis_with_all_its_checks_finds_nothing_in_the_mock(tmp_path: Path) -> None:
    """Every schemathesis check that applies to the spec (stateful ones need links it does not have)."""
    result = contract(tmp_path, "--suites", "server")
    log = (tmp_path / "report/schemathesis.log").read_text(encoding="utf-8")
    assert result.returncode == 0, log
    assert "No issues found" in log
    cases = int(log.split(" generated")[0].rsplit(None, 1)[-1])
    assert cases >= 20, f"schemathesis ran {cases} cases"


#: fault -> the checks that must name it (server suite, client suite).
TEETH = {
    "wrong-type": ("response_schema_conformance", "response_decodes"),
    "null-field": ("response_schema_conformance", "round_trip"),
    "malformed-json": ("response_schema_conformance", "response_decodes"),
    "wrong-content-type": ("content_type_conformance", "response_decodes"),
    "undocumented-status=418": ("status_code_conformance", "status_documented"),
    "server-error": ("not_a_server_error", None),
}


@pytest.mark.parametrize("fault", sorted(TEETH))
def test_each_contract_breaking_fault_is_caught_by_the_right_check(tmp_path: Path, fault: str) -> None:
    server_check, client_check = TEETH[fault]
    result = contract(tmp_path, "--mock-fault", fault, "--suites", "server,client")
    assert result.returncode == 1
    assert f"FAIL [{server_check}]" in result.stdout
    if client_check:
        assert f"FAIL [{client_check}]" in result.stdout
    assert "reproduce: curl" in result.stdout and "replay with --seed 1234" in result.stdout
    junit = ET.parse(tmp_path / "report/contract-junit.xml").getroot()
    assert any(f.get("type") == server_check for f in junit.iter("failure"))


def test_a_missing_optional_field_is_not_a_contract_break(tmp_path: Path) -> None:
    """The 20.17.1 schemas require no property, so a body without one still honours the spec."""
    result = contract(tmp_path, "--mock-fault", "missing-field", "--suites", "server,client")
    assert result.returncode == 0, result.stdout


def live_env(pod: MockPodHandle) -> dict[str, str]:
    """The mock, started separately and addressed as a live pod would be."""
    return {
        "POD_URL": pod.base_url,
        "POD_SESSION_TOKEN": pod.tokens["admin"],
        "POD_PATH_VALUES": f"uid={pod.users['user1']}",
    }


def everything_written(result: subprocess.CompletedProcess[str], folder: Path) -> list[str]:
    return [result.stdout, result.stderr] + [p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file()]


def test_a_live_run_reads_only_and_never_shows_the_token(tmp_path: Path, mock_pod: MockPodHandle) -> None:
    result = contract(tmp_path, "--rate-limit", "200", env=live_env(mock_pod))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"target live pod at {mock_pod.base_url}" in result.stdout
    recent = mock_pod.requests()["recent"]
    assert isinstance(recent, list) and recent
    assert {r["method"] for r in recent} <= {"GET", "HEAD"}
    token = mock_pod.tokens["admin"]
    assert all(token not in text for text in everything_written(result, tmp_path / "report"))


def test_a_live_run_stops_at_the_request_limit(tmp_path: Path, mock_pod: MockPodHandle) -> None:
    result = contract(
        tmp_path, "--suites", "client", "--max-requests", "3", "--rate-limit", "100", env=live_env(mock_pod)
    )
    assert result.returncode == 0, result.stdout
    assert "stopped at the request limit (3)" in result.stdout
    assert mock_pod.count() == 3


def test_failures_never_show_the_token_either(tmp_path: Path, mock_pod: MockPodHandle) -> None:
    mock_pod.queue("wrong-type", count=1000)
    result = contract(tmp_path, "--rate-limit", "500", env=live_env(mock_pod))
    assert result.returncode == 1
    assert "FAIL [response_decodes]" in result.stdout
    token = mock_pod.tokens["admin"]
    assert all(token not in text for text in everything_written(result, tmp_path / "report"))
