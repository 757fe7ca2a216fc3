"""A small program a user might write; the test suite runs mypy --strict on it against the generated package."""

from __future__ import annotations

import asyncio

from symphony_pod_client import (
    AsyncPodClient,
    PermissionDeniedError,
    PodClient,
    RequestInfo,
    Response,
    RetryPolicy,
)
from symphony_pod_client.models import V1Session, V1UserSessions


def browsers(client: PodClient, uid: str) -> list[str]:
    result: V1UserSessions | None = client.users.list_user_sessions(uid, timeout=5.0)
    if result is None:
        return []
    sessions: list[V1Session] = result.sessions or []
    return [s.browser or "unknown" for s in sessions]


def status_of(client: PodClient, uid: str) -> int:
    response: Response[V1UserSessions | None] = client.users.list_user_sessions_detailed(uid)
    return response.status_code


async def count(uid: str) -> int:
    async with AsyncPodClient("https://pod.invalid/pod", token=lambda: "t") as client:
        try:
            result = await client.users.list_user_sessions(uid)
        except PermissionDeniedError as error:
            code: int | None = error.code
            return -1 if code is None else -code
        return len(result.sessions or []) if result else 0


def audit(info: RequestInfo) -> None:
    print(info.method, info.url)


def main() -> None:
    with PodClient("https://pod.invalid/pod", "token", retry=RetryPolicy(max_retries=0), on_request=[audit]) as c:
        print(browsers(c, "68719476737"), status_of(c, "68719476737"))
    print(asyncio.run(count("68719476737")))
