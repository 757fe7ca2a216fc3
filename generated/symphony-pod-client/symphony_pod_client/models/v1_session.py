from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="V1Session")


@_attrs_define
class V1Session:
    """V1 Detailed Session record.

    Attributes:
        session_id (str | Unset): The id of the user session
        client_ip (str | Unset): The ip address of the session initiator
        user_id (int | Unset): The user id of the session initiator
        user_agent (str | Unset): The user agent of the session
        browser (str | Unset): The browser section of the user agent
        os (str | Unset): The os section of the user agent
        device (str | Unset): The device section of the user agent
        device_hash (str | Unset): A hash uniquely identifying the device of the requester
        creation_time (int | Unset): The timestamp of the creation time the user session
        expiration_delay (int | Unset): The timestamp of the expiry time of the user session
    """

    session_id: str | Unset = UNSET
    client_ip: str | Unset = UNSET
    user_id: int | Unset = UNSET
    user_agent: str | Unset = UNSET
    browser: str | Unset = UNSET
    os: str | Unset = UNSET
    device: str | Unset = UNSET
    device_hash: str | Unset = UNSET
    creation_time: int | Unset = UNSET
    expiration_delay: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        client_ip = self.client_ip

        user_id = self.user_id

        user_agent = self.user_agent

        browser = self.browser

        os = self.os

        device = self.device

        device_hash = self.device_hash

        creation_time = self.creation_time

        expiration_delay = self.expiration_delay

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if session_id is not UNSET:
            field_dict["sessionId"] = session_id
        if client_ip is not UNSET:
            field_dict["clientIp"] = client_ip
        if user_id is not UNSET:
            field_dict["userId"] = user_id
        if user_agent is not UNSET:
            field_dict["userAgent"] = user_agent
        if browser is not UNSET:
            field_dict["browser"] = browser
        if os is not UNSET:
            field_dict["os"] = os
        if device is not UNSET:
            field_dict["device"] = device
        if device_hash is not UNSET:
            field_dict["deviceHash"] = device_hash
        if creation_time is not UNSET:
            field_dict["creationTime"] = creation_time
        if expiration_delay is not UNSET:
            field_dict["expirationDelay"] = expiration_delay

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        session_id = d.pop("sessionId", UNSET)

        client_ip = d.pop("clientIp", UNSET)

        user_id = d.pop("userId", UNSET)

        user_agent = d.pop("userAgent", UNSET)

        browser = d.pop("browser", UNSET)

        os = d.pop("os", UNSET)

        device = d.pop("device", UNSET)

        device_hash = d.pop("deviceHash", UNSET)

        creation_time = d.pop("creationTime", UNSET)

        expiration_delay = d.pop("expirationDelay", UNSET)

        v1_session = cls(
            session_id=session_id,
            client_ip=client_ip,
            user_id=user_id,
            user_agent=user_agent,
            browser=browser,
            os=os,
            device=device,
            device_hash=device_hash,
            creation_time=creation_time,
            expiration_delay=expiration_delay,
        )

        v1_session.additional_properties = d
        return v1_session

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
