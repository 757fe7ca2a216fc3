from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.v1_user_sessions import V1UserSessions
from ...types import Response


def _get_kwargs(
    uid: str,
    *,
    session_token: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["sessionToken"] = session_token

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/users/{uid}/sessions".format(
            uid=quote(str(uid), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Error | V1UserSessions | None:
    if response.status_code == 200:
        response_200 = V1UserSessions.from_dict(response.json())

        return response_200

    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | Error | V1UserSessions]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    uid: str,
    *,
    client: AuthenticatedClient | Client,
    session_token: str,
) -> Response[Any | Error | V1UserSessions]:
    """Lists all sessions for the user identified by {uid}.

    Args:
        uid (str):
        session_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error | V1UserSessions]
    """

    kwargs = _get_kwargs(
        uid=uid,
        session_token=session_token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    uid: str,
    *,
    client: AuthenticatedClient | Client,
    session_token: str,
) -> Any | Error | V1UserSessions | None:
    """Lists all sessions for the user identified by {uid}.

    Args:
        uid (str):
        session_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error | V1UserSessions
    """

    return sync_detailed(
        uid=uid,
        client=client,
        session_token=session_token,
    ).parsed


async def asyncio_detailed(
    uid: str,
    *,
    client: AuthenticatedClient | Client,
    session_token: str,
) -> Response[Any | Error | V1UserSessions]:
    """Lists all sessions for the user identified by {uid}.

    Args:
        uid (str):
        session_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error | V1UserSessions]
    """

    kwargs = _get_kwargs(
        uid=uid,
        session_token=session_token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    uid: str,
    *,
    client: AuthenticatedClient | Client,
    session_token: str,
) -> Any | Error | V1UserSessions | None:
    """Lists all sessions for the user identified by {uid}.

    Args:
        uid (str):
        session_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error | V1UserSessions
    """

    return (
        await asyncio_detailed(
            uid=uid,
            client=client,
            session_token=session_token,
        )
    ).parsed
