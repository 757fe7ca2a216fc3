"""Path parameters: any value arrives at the pod as exactly one encoded segment, or is refused before sending."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from symphony_pod_client import errors

from tests.client.conftest import Caller
from tests.conftest import MockPodHandle

HOSTILE = [
    "../../admin",
    "a/b",
    "%2F",
    "%2e%2e",
    "x?admin=true",
    "x#frag",
    "with space",
    "tab\tnew\nline\r\x00\x1f\x7f",
    "ünïcødé-用户-🙂",
    "...",
    "./.",
    "1" * 4000,
    "68719476737/sessions/../../68719476738",
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_arrive_as_one_encoded_segment(caller: Caller, mock_pod: MockPodHandle, value: str) -> None:
    with pytest.raises(errors.BadRequestError):
        caller.run(lambda c: c.users.list_user_sessions(value))
    recent = mock_pod.requests()["recent"]
    assert isinstance(recent, list) and len(recent) == 1
    assert recent[0]["raw_path"] == f"/pod/v1/users/{quote(value, safe='')}/sessions"
    assert recent[0]["operation"] == "listUserSessions"


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_empty_and_dot_segments_are_refused_before_sending(caller: Caller, mock_pod: MockPodHandle, value: str) -> None:
    with pytest.raises(errors.InvalidParameterError) as caught:
        caller.run(lambda c: c.users.list_user_sessions(value))
    assert "'uid'" in str(caught.value) and "no request was sent" in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert mock_pod.count() == 0
