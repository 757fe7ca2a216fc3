"""The session token never shows in reprs, exception messages, logs or what hooks see by default."""

from __future__ import annotations

import logging

import pytest
from symphony_pod_client import (
    NO_RETRIES,
    PodClient,
    RequestInfo,
    ResponseInfo,
    RetryPolicy,
    errors,
    log_request,
    log_response,
)

from tests.conftest import MockPodHandle

SECRET = "s3cr3t-session-token-0123456789"


def test_token_is_absent_from_everything_a_user_can_print(
    mock_pod: MockPodHandle, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def request_hook(info: RequestInfo) -> None:
        seen.extend([repr(info), str(info), str(info.headers)])

    def response_hook(info: ResponseInfo) -> None:
        seen.extend([repr(info), str(info)])

    caplog.set_level(logging.DEBUG)
    client = PodClient(
        mock_pod.base_url,
        SECRET,
        retry=RetryPolicy(max_retries=1, backoff=0.001),
        on_request=[request_hook, log_request],
        on_response=[response_hook, log_response],
    )
    seen.extend([repr(client), str(client)])
    for fault in ("unavailable", "server-error", "wrong-type", "drop", "latency=3000"):
        mock_pod.queue(fault, count=2)
        with pytest.raises(errors.PodClientError) as caught:
            client.users.list_user_sessions("68719476737", timeout=0.5)
        seen.extend([str(caught.value), repr(caught.value), repr(caught.value.args)])
        mock_pod.control("DELETE", "faults")  # a fault that is not retried leaves its second copy queued
    detailed = client.users.list_user_sessions_detailed("68719476737")
    seen.extend([repr(detailed.error), str(detailed.error)])
    client.close()

    seen.extend(record.getMessage() for record in caplog.records)
    assert any("list_user_sessions" in s for s in seen), "the hooks and errors did run"
    assert any(s.startswith("-> GET") for s in (r.getMessage() for r in caplog.records))
    leaks = [s for s in seen if SECRET in s]
    assert leaks == []


def test_a_pod_that_echoes_the_token_does_not_make_the_client_print_it() -> None:
    """Unit test (in-process transport): the pod's error message quotes the token back."""
    import httpx

    def echo(request: httpx.Request) -> httpx.Response:
        token = request.headers["sessionToken"]
        return httpx.Response(403, json={"code": 403, "message": f"token {token} lacks USER_PROVISIONING"})

    with PodClient("http://pod.invalid/pod", SECRET, transport=httpx.MockTransport(echo)) as client:
        with pytest.raises(errors.PermissionDeniedError) as caught:
            client.users.list_user_sessions("68719476737")
        detailed = client.users.list_user_sessions_detailed("68719476737")
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)
    assert caught.value.message == "token <redacted> lacks USER_PROVISIONING"
    assert SECRET not in str(detailed.error)


def test_request_info_redacts_the_header_but_keeps_the_rest(mock_pod: MockPodHandle) -> None:
    infos: list[RequestInfo] = []
    with (
        PodClient(mock_pod.base_url, SECRET, retry=NO_RETRIES, on_request=[infos.append]) as client,
        pytest.raises(errors.AuthenticationError),
    ):
        client.users.list_user_sessions("68719476737")
    assert infos[0].headers["sessiontoken"] == "<redacted>"
    assert infos[0].headers["user-agent"].startswith("symphony-pod-client/20.17.1")
    recent = mock_pod.requests()["recent"]
    assert isinstance(recent, list) and recent[0]["token_sent"] is True
    assert str(recent[0]["user_agent"]).startswith("symphony-pod-client/20.17.1 ")
