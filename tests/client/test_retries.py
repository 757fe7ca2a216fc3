"""Retries, timeouts and token refresh, counted at the mock pod."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from symphony_pod_client import NO_RETRIES, PodClient, RetryPolicy, errors
from symphony_pod_client.models import V1UserSessions
from symphony_pod_client.types import Operation, RequestParts

from tests.client.conftest import Caller
from tests.conftest import MockPodHandle


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits the client asks for, recorded instead of slept (sync and async)."""
    asked: list[float] = []

    def fake_sleep(seconds: float) -> None:
        asked.append(seconds)

    async def fake_async_sleep(seconds: float) -> None:
        asked.append(seconds)

    # The client calls time.sleep / asyncio.sleep through the modules, so patching them records its waits.
    monkeypatch.setattr(time, "sleep", fake_sleep)
    monkeypatch.setattr(asyncio, "sleep", fake_async_sleep)
    return asked


def admin_call(pod: MockPodHandle) -> Any:
    uid = str(pod.users["admin"])
    return lambda c: c.users.list_user_sessions(uid)


@pytest.mark.parametrize(
    "fault", ["unavailable", "rate-limit=0", "undocumented-status=502", "undocumented-status=504", "drop"]
)
def test_transient_failures_are_retried_until_success(
    caller: Caller, mock_pod: MockPodHandle, sleeps: list[float], fault: str
) -> None:
    mock_pod.queue(fault, count=2)
    result = caller.run(admin_call(mock_pod), retry=RetryPolicy(max_retries=2))
    assert isinstance(result, V1UserSessions)
    assert mock_pod.count() == 3
    assert len(sleeps) == 2


def test_retries_stop_at_the_configured_count(caller: Caller, mock_pod: MockPodHandle, sleeps: list[float]) -> None:
    mock_pod.queue("unavailable", count=5)
    with pytest.raises(errors.ServerError):
        caller.run(admin_call(mock_pod), retry=RetryPolicy(max_retries=3))
    assert mock_pod.count() == 4


def test_zero_retries_disables_them(caller: Caller, mock_pod: MockPodHandle, sleeps: list[float]) -> None:
    mock_pod.queue("unavailable", count=2)
    with pytest.raises(errors.ServerError):
        caller.run(admin_call(mock_pod), retry=NO_RETRIES)
    assert mock_pod.count() == 1 and sleeps == []


@pytest.mark.parametrize("fault", ["server-error", "undocumented-status=418"])
def test_other_errors_are_not_retried(caller: Caller, mock_pod: MockPodHandle, sleeps: list[float], fault: str) -> None:
    mock_pod.queue(fault, count=2)
    with pytest.raises(errors.ApiError):
        caller.run(admin_call(mock_pod), retry=RetryPolicy(max_retries=3))
    assert mock_pod.count() == 1


def test_retry_after_is_honoured_up_to_the_cap(caller: Caller, mock_pod: MockPodHandle, sleeps: list[float]) -> None:
    mock_pod.queue("rate-limit=3")
    mock_pod.queue("rate-limit=120")
    caller.run(admin_call(mock_pod), retry=RetryPolicy(max_retries=2, max_backoff=10.0))
    assert sleeps == [3.0, 10.0]
    assert mock_pod.count() == 3


def test_backoff_grows_exponentially_with_jitter_under_the_cap() -> None:
    policy = RetryPolicy(backoff=0.5, max_backoff=4.0)
    for attempt, ceiling in enumerate([0.5, 1.0, 2.0, 4.0, 4.0, 4.0]):
        waits = [policy.delay(attempt, None) for _ in range(200)]
        assert all(0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling / 2, "jitter spreads the waits over the whole window"


def test_post_is_not_retried_unless_the_caller_opts_in(mock_pod: MockPodHandle, sleeps: list[float]) -> None:
    logout = Operation(
        name="logout",
        method="POST",
        path="/v1/users/{uid}/sessions",
        tag="users",
        success={200: None},
        errors={},
        auth_header="sessionToken",
    )
    parts = RequestParts(path=f"/v1/users/{mock_pod.users['admin']}/sessions")
    with PodClient(mock_pod.base_url, mock_pod.tokens["admin"], retry=RetryPolicy(max_retries=3)) as client:
        mock_pod.queue("unavailable", count=5)
        assert client.call(logout, parts).status_code == 503
        assert mock_pod.count() == 1
    mock_pod.reset()
    opted_in = RetryPolicy(max_retries=3, retry_non_idempotent=True)
    with PodClient(mock_pod.base_url, mock_pod.tokens["admin"], retry=opted_in) as client:
        mock_pod.queue("unavailable", count=5)
        assert client.call(logout, parts).status_code == 503
        assert mock_pod.count() == 4


def test_timeout_per_call_raises_timeout_error(caller: Caller, mock_pod: MockPodHandle) -> None:
    mock_pod.queue("latency=3000")
    uid = str(mock_pod.users["admin"])
    with pytest.raises(errors.TimeoutError) as caught:
        caller.run(lambda c: c.users.list_user_sessions(uid, timeout=0.2))
    assert isinstance(caught.value, errors.TransportError)
    assert mock_pod.count() == 1


def test_timeout_per_client(caller: Caller, mock_pod: MockPodHandle) -> None:
    mock_pod.queue("latency=3000")
    with pytest.raises(errors.TimeoutError):
        caller.run(admin_call(mock_pod), timeout=0.2)


def test_timeouts_are_retried(caller: Caller, mock_pod: MockPodHandle, sleeps: list[float]) -> None:
    mock_pod.queue("latency=3000")
    result = caller.run(admin_call(mock_pod), timeout=0.2, retry=RetryPolicy(max_retries=1))
    assert isinstance(result, V1UserSessions)
    assert mock_pod.count() == 2


def test_a_token_callable_is_asked_again_once_on_401(caller: Caller, mock_pod: MockPodHandle) -> None:
    handed_out = ["stale-token", mock_pod.tokens["admin"]]
    asked: list[str] = []

    def token() -> str:
        asked.append(handed_out[len(asked)])
        return asked[-1]

    result = caller.run(admin_call(mock_pod), token=token)
    assert isinstance(result, V1UserSessions)
    assert len(asked) == 2
    assert mock_pod.count() == 2


def test_refresh_happens_only_once(caller: Caller, mock_pod: MockPodHandle) -> None:
    calls: list[int] = []

    def token() -> str:
        calls.append(1)
        return "always-wrong"

    with pytest.raises(errors.AuthenticationError):
        caller.run(admin_call(mock_pod), token=token)
    assert len(calls) == 2 and mock_pod.count() == 2


def test_a_plain_token_is_not_retried_on_401(caller: Caller, mock_pod: MockPodHandle) -> None:
    with pytest.raises(errors.AuthenticationError):
        caller.run(admin_call(mock_pod), token="wrong")
    assert mock_pod.count() == 1


def test_unreachable_pod_is_a_transport_error() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but never listening: connections are refused
        with (
            PodClient(f"http://127.0.0.1:{port}/pod", "t", retry=NO_RETRIES) as client,
            pytest.raises(errors.TransportError) as caught,
        ):
            client.users.list_user_sessions("1")
    assert "no answer from" in str(caught.value)
