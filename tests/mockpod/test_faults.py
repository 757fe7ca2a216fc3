"""Each fault of the mock pod produces exactly the misbehaviour its name says, however it is asked for."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import MockPodHandle, start_mock_pod, stop_mock_pod


def get(pod: MockPodHandle, fault: str | None = None) -> httpx.Response:
    headers = {"sessionToken": pod.tokens["admin"]}
    if fault:
        headers["X-Mock-Fault"] = fault
    return httpx.get(f"{pod.base_url}/v1/users/{pod.users['user1']}/sessions", headers=headers, timeout=10)


@pytest.fixture
def normal(mock_pod: MockPodHandle) -> dict[str, object]:
    body: dict[str, object] = get(mock_pod).json()
    assert body["sessions"]
    return body


def test_latency_delays_a_normal_answer(mock_pod: MockPodHandle, normal: dict[str, object]) -> None:
    started = time.monotonic()
    answer = get(mock_pod, "latency=300")
    assert time.monotonic() - started >= 0.3  # a lower bound: a slow machine only makes it longer
    assert answer.status_code == 200 and answer.json() == normal


def test_rate_limit_is_429_with_retry_after(mock_pod: MockPodHandle) -> None:
    answer = get(mock_pod, "rate-limit=5")
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "5"
    assert answer.json() == {"code": 429, "message": "Too many requests"}


def test_unavailable_burst_fails_exactly_the_next_n_calls(mock_pod: MockPodHandle) -> None:
    mock_pod.queue("unavailable", count=3)
    assert [get(mock_pod).status_code for _ in range(5)] == [503, 503, 503, 200, 200]


def test_server_error_is_500_with_the_error_body(mock_pod: MockPodHandle) -> None:
    answer = get(mock_pod, "server-error")
    assert answer.status_code == 500
    assert set(answer.json()) == {"code", "message"} and answer.json()["code"] == 500


def test_drop_closes_the_connection_mid_answer(mock_pod: MockPodHandle) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match="peer closed connection"):
        get(mock_pod, "drop")
    assert get(mock_pod).status_code == 200, "the server lives on"


def test_malformed_json_is_truncated_json(mock_pod: MockPodHandle) -> None:
    answer = get(mock_pod, "malformed-json")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.content)


def _diff(a: object, b: object, path: str = "$") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [
            d for k in sorted(set(a) | set(b)) for d in _diff(a.get(k, "<absent>"), b.get(k, "<absent>"), f"{path}.{k}")
        ]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _diff(x, y, f"{path}[{i}]")]
    return [] if a == b and type(a) is type(b) else [f"{path}: {a!r} -> {b!r}"]


def test_wrong_type_changes_one_scalar_type(mock_pod: MockPodHandle, normal: dict[str, object]) -> None:
    broken = get(mock_pod, "wrong-type").json()
    changes = _diff(normal, broken)
    assert len(changes) == 1 and changes[0].startswith("$.sessions[0].sessionId: ")
    assert isinstance(broken["sessions"][0]["sessionId"], int)


def test_missing_field_removes_one_property(mock_pod: MockPodHandle) -> None:
    assert get(mock_pod, "missing-field").json() == {}


def test_null_field_nulls_one_property(mock_pod: MockPodHandle) -> None:
    assert get(mock_pod, "null-field").json() == {"sessions": None}


@pytest.mark.parametrize(("fault", "status"), [("undocumented-status", 418), ("undocumented-status=409", 409)])
def test_undocumented_status(mock_pod: MockPodHandle, fault: str, status: int) -> None:
    answer = get(mock_pod, fault)
    assert answer.status_code == status and answer.json()["code"] == status


def test_wrong_content_type_keeps_the_body(mock_pod: MockPodHandle, normal: dict[str, object]) -> None:
    answer = get(mock_pod, "wrong-content-type")
    assert answer.headers["content-type"].startswith("text/plain")
    assert json.loads(answer.content) == normal


def test_unknown_fault_names_are_refused(mock_pod: MockPodHandle) -> None:
    answer = get(mock_pod, "gremlins")
    assert answer.status_code == 400 and "unknown fault 'gremlins'" in answer.json()["message"]
    control = httpx.post(f"{mock_pod.origin}/_mock/faults", json={"fault": "gremlins"})
    assert control.status_code == 400


def test_body_faults_leave_error_answers_alone(mock_pod: MockPodHandle) -> None:
    answer = httpx.get(
        f"{mock_pod.base_url}/v1/users/{mock_pod.users['user1']}/sessions",
        headers={"sessionToken": "nope", "X-Mock-Fault": "wrong-type"},
    )
    assert answer.status_code == 401 and answer.json()["code"] == 401


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_faults_for_every_request_of_a_run(tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if how == "environment":
        monkeypatch.setenv("MOCKPOD_FAULTS", "server-error")
        pod = start_mock_pod(tmp_path)
    else:
        pod = start_mock_pod(tmp_path, "--fault", "server-error")
    try:
        assert [get(pod).status_code for _ in range(3)] == [500, 500, 500]
        assert get(pod, "latency=1").status_code == 200, "a per-request fault replaces the run's fault"
    finally:
        stop_mock_pod(pod)


@pytest.mark.parametrize(
    "fault",
    ["latency=abc", "latency=inf", "latency=1e9", "undocumented-status=1000", "undocumented-status=nan",
     "rate-limit=1\r\nSet-Cookie: a=b", "rate-limit=-1"],
)  # fmt: skip
def test_bad_fault_values_are_refused_with_400(mock_pod: MockPodHandle, fault: str) -> None:
    response = httpx.post(f"{mock_pod.origin}/_mock/faults", json={"fault": fault})
    assert response.status_code == 400
    if "\r" not in fault:
        assert get(mock_pod, fault).status_code == 400
    assert get(mock_pod).status_code == 200, "nothing was queued"


@pytest.mark.parametrize("count", [0, 10_001, 100_000_000, True, 1.5, "3"])
def test_queue_counts_are_bounded(mock_pod: MockPodHandle, count: object) -> None:
    response = httpx.post(f"{mock_pod.origin}/_mock/faults", json={"fault": "server-error", "count": count})
    assert response.status_code == 400
    assert get(mock_pod).status_code == 200
