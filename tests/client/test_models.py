"""Models: tolerant reading, strict writing, pleasant to use (unit tests, no server)."""

from __future__ import annotations

import msgspec
import pytest
from symphony_pod_client.errors import InvalidParameterError
from symphony_pod_client.models import Error, V1Session, V1UserSessions
from symphony_pod_client.types import OpenStrEnum, PodModel, refuse_unknown_values


def test_unknown_fields_are_ignored() -> None:
    body = b'{"sessions": [{"sessionId": "a", "userId": 7, "futureField": {"x": 1}}], "nextPage": "p2"}'
    decoded = V1UserSessions.from_json(body)
    assert decoded.sessions == [V1Session(session_id="a", user_id=7)]


def test_null_optional_fields_read_as_absent_and_are_never_written() -> None:
    decoded = V1Session.from_json(b'{"sessionId": null, "userId": 7, "browser": null}')
    assert decoded.session_id is None and decoded.browser is None
    assert decoded.to_json() == b'{"userId":7}'


def test_wrong_types_are_refused() -> None:
    with pytest.raises(msgspec.ValidationError, match=r"\$.sessions\[0\].userId"):
        V1UserSessions.from_json(b'{"sessions": [{"userId": "7"}]}')


def test_round_trip_keeps_the_wire_names() -> None:
    data = {"sessionId": "s", "clientIp": "10.0.0.1", "userId": 68719476737, "creationTime": 1767225600000}
    session = V1Session.from_dict(data)
    assert session.client_ip == "10.0.0.1"
    assert session.to_dict() == data
    assert msgspec.json.decode(session.to_json()) == data


def test_reprs_show_only_what_is_set() -> None:
    assert repr(Error(code=400, message="bad")) == "Error(code=400, message='bad')"
    assert repr(V1Session(user_id=1)) == "V1Session(user_id=1)"


def test_construction_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        V1Session("s")  # type: ignore[call-arg]


class Colour(OpenStrEnum):
    red = "RED"
    green = "GREEN"


class Paint(PodModel, kw_only=True):
    colour: Colour | None = None


def test_unknown_enum_values_are_read_and_flagged() -> None:
    """The runtime half of open enums (the generator writes each spec enum on OpenStrEnum/OpenIntEnum)."""
    assert Paint.from_json(b'{"colour": "RED"}').colour is Colour.red
    newer = Paint.from_json(b'{"colour": "ULTRAVIOLET"}')
    assert newer.colour == "ULTRAVIOLET" and newer.colour is not None and not newer.colour.is_known
    assert Colour.red.is_known


def test_unknown_enum_values_are_never_sent() -> None:
    refuse_unknown_values(Paint(colour=Colour.green))
    with pytest.raises(InvalidParameterError, match=r"body\.colour holds 'ULTRAVIOLET'"):
        refuse_unknown_values(Paint(colour=Colour("ULTRAVIOLET")))


def test_tls_is_verified_by_default_and_configurable() -> None:
    import ssl

    from symphony_pod_client import PodClient

    def context(client: PodClient) -> ssl.SSLContext:
        return client._http._transport._pool._ssl_context  # type: ignore[attr-defined,no-any-return]

    with PodClient("https://pod.invalid/pod", "t") as default:
        assert context(default).verify_mode == ssl.CERT_REQUIRED and context(default).check_hostname
    custom = ssl.create_default_context()
    custom.check_hostname = False
    custom.verify_mode = ssl.CERT_NONE
    with PodClient("https://pod.invalid/pod", "t", verify=custom) as relaxed:
        assert context(relaxed) is custom
