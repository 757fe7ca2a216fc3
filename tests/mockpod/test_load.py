"""A bounded load test: 32 concurrent clients for a few seconds get only documented statuses; memory stays flat."""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tests.conftest import MockPodHandle, start_mock_pod, stop_mock_pod

CLIENTS = 32
SECONDS = 3.0
MAX_REQUESTS_PER_CLIENT = 2000
DOCUMENTED = {200, 204, 400, 401, 403}


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def hammer(pod: MockPodHandle, seconds: float) -> Counter[int]:
    """CLIENTS threads, each with its own keep-alive connection, cycling through one request per status."""
    host, port = pod.origin.removeprefix("http://").rsplit(":", 1)
    targets = [
        (pod.tokens["admin"], pod.users["user1"]),  # 200
        (pod.tokens["admin"], 999_999_999_999),  # 204
        (pod.tokens["admin"], "x"),  # 400
        ("nope", pod.users["user1"]),  # 401
        (pod.tokens["user"], pod.users["admin"]),  # 403
    ]
    deadline = time.monotonic() + seconds
    counters = [Counter[int]() for _ in range(CLIENTS)]

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            for n in range(MAX_REQUESTS_PER_CLIENT):
                if time.monotonic() > deadline:
                    return
                token, uid = targets[(index + n) % len(targets)]
                connection.request("GET", f"/pod/v1/users/{uid}/sessions", headers={"sessionToken": token})
                answer = connection.getresponse()
                answer.read()
                counters[index][answer.status] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counters, Counter())


def test_concurrent_clients_get_documented_statuses_and_memory_stays_flat(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    pod = start_mock_pod(tmp_path)
    try:
        hammer(pod, 1.0)  # warm-up: imports, caches, the request log filling to its bound
        before = rss_kib(pod.process.pid)
        started = time.monotonic()
        statuses = hammer(pod, SECONDS)
        elapsed = time.monotonic() - started
        after = rss_kib(pod.process.pid)
    finally:
        stop_mock_pod(pod)
    total = sum(statuses.values())
    record_property("requests", total)
    record_property("requests_per_second", round(total / elapsed))
    record_property("rss_growth_kib", after - before)
    print(f"\nmock pod load: {total} requests in {elapsed:.1f}s = {total / elapsed:.0f}/s; RSS {before} -> {after} KiB")
    assert set(statuses) <= DOCUMENTED, statuses
    assert set(statuses) == DOCUMENTED, "every kind of request was answered"
    assert total >= CLIENTS
    assert after - before < 20 * 1024, f"RSS grew {after - before} KiB under load"
