"""The mock pod behaves like a pod: every documented status is reachable with a documented request."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, MockPodHandle, start_mock_pod, stop_mock_pod

DOCUMENTED = {200, 204, 400, 401, 403, 500}


def sessions(pod: MockPodHandle, uid: object, token: str | None) -> httpx.Response:
    headers = {} if token is None else {"sessionToken": token}
    return httpx.get(f"{pod.base_url}/v1/users/{uid}/sessions", headers=headers, timeout=10)


@pytest.mark.parametrize(
    ("caller", "whose", "status"),
    [
        ("admin", "user1", 200),
        ("user", "user1", 200),
        ("admin", "admin", 200),
        ("admin", 999_999_999_999, 204),
        ("admin", "0042", 400),
        ("admin", "-5", 400),
        ("admin", "9223372036854775808", 400),
        (None, "user1", 401),
        ("expired", "user1", 401),
        ("deactivated", "user1", 401),
        ("unknown", "user1", 401),
        ("user", "admin", 403),
        ("other", "user1", 403),
    ],
)
def test_documented_statuses(mock_pod: MockPodHandle, caller: str | None, whose: object, status: int) -> None:
    token = None if caller is None else mock_pod.tokens.get(caller, "unknown-token")
    uid = mock_pod.users.get(str(whose), whose)
    answer = sessions(mock_pod, uid, token)
    assert answer.status_code == status
    if status >= 400:
        assert answer.headers["content-type"] == "application/json"
        assert set(answer.json()) == {"code", "message"} and answer.json()["code"] == status
    if status == 200:
        body = answer.json()
        assert {s["userId"] for s in body["sessions"]} == {uid}
        first = body["sessions"][0]
        assert first["expirationDelay"] > first["creationTime"] > 1_700_000_000_000
        assert first["browser"] and first["os"] and first["device"] and len(first["deviceHash"]) == 32


def test_largest_user_id_is_well_formed(mock_pod: MockPodHandle) -> None:
    assert sessions(mock_pod, 2**63 - 1, mock_pod.tokens["admin"]).status_code == 204


RAW_PATHS = [
    "/pod/v1/users/a%2Fb/sessions",
    "/pod/v1/users/%2E%2E/sessions",
    "/pod/v1/users/../sessions",
    "/pod/v1/users/./sessions",
    "/pod/v1/users//sessions",
    "/pod/v1/users/%0A%0D/sessions",
    "/pod/v1/users/%00/sessions",
    "/pod/v1/users/%FF%FE/sessions",
    "/pod/v1/users/%E2%9C%93/sessions",
    "/pod/v1/users/" + "9" * 5000 + "/sessions",
    "/pod/v1/users/1%3Fx=1/sessions",
    "/pod/v1/users/%25/sessions",
    "/pod/v1/users/%/sessions",
]


@pytest.mark.parametrize("path", RAW_PATHS, ids=range(len(RAW_PATHS)))
def test_whatever_the_path_holds_the_answer_is_documented(mock_pod: MockPodHandle, path: str) -> None:
    host = mock_pod.origin.removeprefix("http://")
    connection = http.client.HTTPConnection(host, timeout=10)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.putheader("sessionToken", mock_pod.tokens["admin"])
    connection.endheaders()
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    assert answer.status in DOCUMENTED
    assert json.loads(body)["code"] == answer.status


def test_unknown_paths_and_methods_get_json_errors(mock_pod: MockPodHandle) -> None:
    missing = httpx.get(f"{mock_pod.base_url}/v9/nothing", headers={"sessionToken": mock_pod.tokens["admin"]})
    assert missing.status_code == 404 and missing.json()["code"] == 404
    wrong = httpx.delete(f"{mock_pod.base_url}/v1/users/1/sessions", headers={"sessionToken": "x"})
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET"


def test_state_is_deterministic_from_a_seed() -> None:
    def dump(seed: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "podgen.mockpod", "--dump-state", "--seed", seed],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    first, again, other = dump("7"), dump("7"), dump("8")
    assert first == again and first != other
    state = json.loads(first)
    assert sum(1 for u in state["users"] if "USER_PROVISIONING" in u["entitlements"]) == 1
    assert sum(1 for u in state["users"] if not u["active"]) == 1


def test_state_loads_from_a_fixture_file(tmp_path: Path) -> None:
    pod = start_mock_pod(tmp_path, "--state", str(ROOT / "tests/data/mock-state.json"))
    try:
        assert pod.tokens == {"admin": "fixture-admin-token", "user": "fixture-user-token"}
        answer = sessions(pod, 68719476800, pod.tokens["user"])
        expected = json.loads((ROOT / "tests/data/mock-state.json").read_text(encoding="utf-8"))["users"][1]["sessions"]
        assert answer.status_code == 200 and answer.json() == {"sessions": expected}
    finally:
        stop_mock_pod(pod)


def test_tokens_can_expire(tmp_path: Path) -> None:
    import time

    pod = start_mock_pod(tmp_path, "--token-ttl", "1.5")
    try:
        token = pod.tokens["admin"]
        assert sessions(pod, pod.users["admin"], token).status_code == 200
        time.sleep(1.6)
        assert sessions(pod, pod.users["admin"], token).status_code == 401
    finally:
        stop_mock_pod(pod)


def test_the_mock_binds_loopback_only() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "podgen.mockpod", "--host", "0.0.0.0"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "loopback only" in result.stderr


def test_it_prints_the_base_url_and_tokens(mock_pod: MockPodHandle, tmp_path: Path) -> None:
    pod = start_mock_pod(tmp_path)
    stop_mock_pod(pod)
    printed = (tmp_path / "mockpod.log").read_text(encoding="utf-8")
    assert f"serving 1 path(s) at {pod.base_url}" in printed
    for role, token in pod.tokens.items():
        assert f"{role}" in printed and token in printed
