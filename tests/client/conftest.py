"""Clients of the generated package pointed at the shared mock pod, sync and async alike."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from symphony_pod_client import NO_RETRIES, AsyncPodClient, PodClient, RetryPolicy

from tests.conftest import MockPodHandle

FAST_RETRY = RetryPolicy(max_retries=2, backoff=0.001, max_backoff=0.01)


class Caller:
    """Calls one operation the same way through the sync or the async client, so tests run once per mode."""

    def __init__(self, mode: str, pod: MockPodHandle) -> None:
        self.mode = mode
        self.pod = pod

    def client_args(self, token: Any, retry: RetryPolicy, **kwargs: Any) -> dict[str, Any]:
        return {"token": token, "retry": retry, **kwargs}

    def run(
        self, action: Callable[[Any], Any], token: Any = None, retry: RetryPolicy = NO_RETRIES, **kwargs: Any
    ) -> Any:
        token = self.pod.tokens["admin"] if token is None else token
        if self.mode == "sync":
            with PodClient(self.pod.base_url, **self.client_args(token, retry, **kwargs)) as client:
                return action(client)

        import asyncio

        async def main() -> Any:
            async with AsyncPodClient(self.pod.base_url, **self.client_args(token, retry, **kwargs)) as client:
                result = action(client)
                return await result if isinstance(result, Awaitable) else result

        return asyncio.run(main())


@pytest.fixture(params=["sync", "async"])
def caller(request: pytest.FixtureRequest, mock_pod: MockPodHandle) -> Caller:
    return Caller(request.param, mock_pod)
