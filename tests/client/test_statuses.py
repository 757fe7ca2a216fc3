"""Each status the mock pod can give maps to its result or typed error, in the sync and the async client."""

from __future__ import annotations

import httpx
import pytest
from symphony_pod_client import errors
from symphony_pod_client.models import V1Session, V1UserSessions

from tests.client.conftest import Caller
from tests.conftest import MockPodHandle


def raw_sessions(pod: MockPodHandle, uid: int) -> list[dict[str, object]]:
    answer = httpx.get(f"{pod.base_url}/v1/users/{uid}/sessions", headers={"sessionToken": pod.tokens["admin"]})
    assert answer.status_code == 200
    sessions: list[dict[str, object]] = answer.json()["sessions"]
    return sessions


def test_200_decodes_typed_sessions_equal_to_what_the_pod_sent(caller: Caller, mock_pod: MockPodHandle) -> None:
    uid = mock_pod.users["user1"]
    result = caller.run(lambda c: c.users.list_user_sessions(str(uid)))
    assert isinstance(result, V1UserSessions)
    assert result.sessions
    assert all(isinstance(s, V1Session) for s in result.sessions)
    first = result.sessions[0]
    assert isinstance(first.user_id, int) and first.user_id == uid
    assert isinstance(first.creation_time, int) and isinstance(first.expiration_delay, int)
    assert [s.to_dict() for s in result.sessions] == raw_sessions(mock_pod, uid)


def test_204_is_the_documented_none(caller: Caller) -> None:
    assert caller.run(lambda c: c.users.list_user_sessions("999999999999")) is None


@pytest.mark.parametrize(
    ("uid", "token_role", "error", "status"),
    [
        ("not-a-number", "admin", errors.BadRequestError, 400),
        ("68719476737", "expired", errors.AuthenticationError, 401),
        ("68719476737", "nobody", errors.AuthenticationError, 401),
        ("68719476737", "user", errors.PermissionDeniedError, 403),
    ],
    ids=["400-malformed-id", "401-expired-token", "401-unknown-token", "403-someone-else"],
)
def test_documented_errors_raise_their_class_with_the_decoded_error(
    caller: Caller, mock_pod: MockPodHandle, uid: str, token_role: str, error: type[errors.ApiError], status: int
) -> None:
    token = mock_pod.tokens.get(token_role, "no-such-token")
    with pytest.raises(error) as caught:
        caller.run(lambda c: c.users.list_user_sessions(uid), token=token)
    assert caught.value.status_code == status
    assert caught.value.code == status
    assert caught.value.message
    assert caught.value.documented
    assert caught.value.response.status_code == status
    assert isinstance(caught.value, errors.PodClientError)


@pytest.mark.parametrize(
    ("fault", "error", "status", "documented"),
    [
        ("server-error", errors.ServerError, 500, True),
        ("unavailable", errors.ServerError, 503, False),
        ("rate-limit=7", errors.RateLimitError, 429, False),
        ("undocumented-status=404", errors.NotFoundError, 404, False),
        ("undocumented-status=418", errors.UnexpectedStatusError, 418, False),
        ("undocumented-status=202", errors.UnexpectedStatusError, 202, False),
    ],
)
def test_injected_statuses_raise_their_class(
    caller: Caller, mock_pod: MockPodHandle, fault: str, error: type[errors.ApiError], status: int, documented: bool
) -> None:
    mock_pod.queue(fault)
    with pytest.raises(error) as caught:
        caller.run(lambda c: c.users.list_user_sessions(str(mock_pod.users["admin"])))
    assert type(caught.value) is error
    assert caught.value.status_code == status
    assert caught.value.documented is documented
    if isinstance(caught.value, errors.RateLimitError):
        assert caught.value.retry_after == 7.0


def test_missing_token_is_401(caller: Caller) -> None:
    with pytest.raises(errors.AuthenticationError):
        caller.run(lambda c: c.users.list_user_sessions("68719476737"), token="")


@pytest.mark.parametrize("fault", ["malformed-json", "wrong-type", "wrong-content-type"])
def test_bodies_that_break_the_spec_raise_decode_error(caller: Caller, mock_pod: MockPodHandle, fault: str) -> None:
    mock_pod.queue(fault)
    with pytest.raises(errors.DecodeError) as caught:
        caller.run(lambda c: c.users.list_user_sessions(str(mock_pod.users["admin"])))
    assert caught.value.status_code == 200
    assert "list_user_sessions" in str(caught.value)


@pytest.mark.parametrize("fault", ["null-field", "missing-field"])
def test_null_or_absent_optional_fields_read_as_none(caller: Caller, mock_pod: MockPodHandle, fault: str) -> None:
    mock_pod.queue(fault)
    result = caller.run(lambda c: c.users.list_user_sessions(str(mock_pod.users["admin"])))
    assert isinstance(result, V1UserSessions)
    assert result.sessions is None


def test_dropped_connection_is_a_transport_error(caller: Caller, mock_pod: MockPodHandle) -> None:
    mock_pod.queue("drop")
    with pytest.raises(errors.TransportError):
        caller.run(lambda c: c.users.list_user_sessions(str(mock_pod.users["admin"])))


def test_detailed_variant_returns_everything_without_raising(caller: Caller, mock_pod: MockPodHandle) -> None:
    uid = str(mock_pod.users["user1"])  # "other" is user2's token: an ordinary user asking for someone else
    ok = caller.run(lambda c: c.users.list_user_sessions_detailed(uid))
    assert ok.status_code == 200 and ok.error is None and ok.is_success
    assert ok.headers["content-type"] == "application/json"
    assert V1UserSessions.from_json(ok.content) == ok.parsed

    denied = caller.run(lambda c: c.users.list_user_sessions_detailed(uid), token=mock_pod.tokens["other"])
    assert denied.status_code == 403 and denied.parsed is None
    assert isinstance(denied.error, errors.PermissionDeniedError)
    assert b'"code":403' in denied.content.replace(b" ", b"")
    with pytest.raises(errors.PermissionDeniedError):
        denied.unwrap()

    mock_pod.queue("wrong-type")
    broken = caller.run(lambda c: c.users.list_user_sessions_detailed(uid))
    assert broken.status_code == 200 and isinstance(broken.error, errors.DecodeError)
