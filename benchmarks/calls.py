"""Per-call cost of the generated client, and the mock pod's throughput, each against its anchor in one run.

1. Sync: N sequential ``client.users.list_user_sessions(uid)`` calls through ``PodClient`` against the mock,
   against the same calls with a bare ``httpx.Client`` decoding with ``response.json()`` (one kept-alive
   connection each). Rounds alternate between the two so machine noise hits both alike.
2. Async: the same N calls, 16 at a time, through ``AsyncPodClient`` against a bare ``httpx.AsyncClient``.
3. The mock pod: requests per second from 16 concurrent keep-alive clients, against a bare uvicorn app that
   answers every request with the same pre-encoded body (the floor for any ASGI server here).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def best_of(rounds: int, runs: dict[str, Callable[[], None]]) -> dict[str, float]:
    """The best wall time of each run over ``rounds`` alternating rounds."""
    best = {name: float("inf") for name in runs}
    for index in range(rounds):
        order = list(runs) if index % 2 == 0 else list(reversed(runs))
        for name in order:
            started = time.perf_counter()
            runs[name]()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def sync_calls(base_url: str, token: str, uid: str, calls: int, rounds: int) -> dict[str, float]:
    from symphony_pod_client import NO_RETRIES, PodClient

    ours = PodClient(base_url, token, retry=NO_RETRIES)
    bare = httpx.Client(base_url=base_url, headers={"sessionToken": token})

    def with_ours() -> None:
        for _ in range(calls):
            assert ours.users.list_user_sessions(uid) is not None

    def with_bare() -> None:
        for _ in range(calls):
            response = bare.get(f"/v1/users/{uid}/sessions")
            response.raise_for_status()
            assert response.json()["sessions"]

    with_ours()  # warm both connections and code paths
    with_bare()
    try:
        return best_of(rounds, {"ours": with_ours, "bare": with_bare})
    finally:
        ours.close()
        bare.close()


def async_calls(base_url: str, token: str, uid: str, calls: int, rounds: int, concurrency: int) -> dict[str, float]:
    from symphony_pod_client import NO_RETRIES, AsyncPodClient

    async def measure() -> dict[str, float]:
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        ours = AsyncPodClient(base_url, token, retry=NO_RETRIES)
        bare = httpx.AsyncClient(base_url=base_url, headers={"sessionToken": token}, limits=limits)

        async def ours_one() -> None:
            assert await ours.users.list_user_sessions(uid) is not None

        async def bare_one() -> None:
            response = await bare.get(f"/v1/users/{uid}/sessions")
            response.raise_for_status()
            assert response.json()["sessions"]

        async def batch(one: Callable[[], object]) -> None:
            semaphore = asyncio.Semaphore(concurrency)

            async def guarded() -> None:
                async with semaphore:
                    await one()  # type: ignore[misc]

            await asyncio.gather(*(guarded() for _ in range(calls)))

        await batch(ours_one)
        await batch(bare_one)
        best = {"ours": float("inf"), "bare": float("inf")}
        for index in range(rounds):
            for name in ("ours", "bare") if index % 2 == 0 else ("bare", "ours"):
                started = time.perf_counter()
                await batch(ours_one if name == "ours" else bare_one)
                best[name] = min(best[name], time.perf_counter() - started)
        await ours.aclose()
        await bare.aclose()
        return best

    return asyncio.run(measure())


def hammer(host: str, port: int, path: str, headers: dict[str, str], clients: int, seconds: float) -> float:
    """Requests per second from ``clients`` threads, each on its own keep-alive connection."""
    counts = [0] * clients
    failures: list[BaseException] = []
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=10)
        try:
            while time.monotonic() < deadline:
                connection.request("GET", path, headers=headers)
                answer = connection.getresponse()
                answer.read()
                if answer.status != 200:
                    raise RuntimeError(f"HTTP {answer.status}")
                counts[index] += 1
        except Exception as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} client(s) failed, first: {failures[0]!r}")
    return sum(counts) / (time.monotonic() - started)


def wait_for(port: int) -> None:
    """The bare app prints its port before uvicorn listens; wait until it answers."""
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


BARE_APP = textwrap.dedent(
    """
    import socket, sys, uvicorn
    body = open(sys.argv[1], "rb").read()
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")).run(sockets=[sock])
    """
)


def mock_throughput(base_url: str, token: str, uid: str, clients: int, seconds: float) -> dict[str, float]:
    origin = base_url.removeprefix("http://").split("/", 1)[0]
    host, port = origin.rsplit(":", 1)
    path = f"/pod/v1/users/{uid}/sessions"
    headers = {"sessionToken": token}
    body = httpx.get(base_url + f"/v1/users/{uid}/sessions", headers=headers).content
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "body.json").write_bytes(body)
        bare = subprocess.Popen(
            [sys.executable, "-c", BARE_APP, str(Path(folder) / "body.json")], stdout=subprocess.PIPE, text=True
        )
        try:
            assert bare.stdout is not None
            bare_port = int(bare.stdout.readline())
            wait_for(bare_port)
            hammer("127.0.0.1", bare_port, path, {}, clients, 0.5)
            hammer(host, int(port), path, headers, clients, 0.5)
            results = {"bare": 0.0, "mock": 0.0}
            for name in ("mock", "bare", "bare", "mock"):
                rate = (
                    hammer("127.0.0.1", bare_port, path, {}, clients, seconds / 2)
                    if name == "bare"
                    else hammer(host, int(port), path, headers, clients, seconds / 2)
                )
                results[name] = max(results[name], rate)
            return results
        finally:
            bare.terminate()
            bare.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="200 calls, 1 s of load: keeps CI honest, not precise")
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args(argv)
    calls, rounds, seconds = (200, 2, 1.0) if args.quick else (2000, 6, 4.0)

    sys.path.insert(0, str(ROOT / "src"))
    from podgen.contract.target import mock_pod

    with mock_pod(ROOT) as pod:
        uid = pod.path_values["uid"]
        sync = sync_calls(pod.base_url, pod.token, uid, calls, rounds)
        many = async_calls(pod.base_url, pod.token, uid, calls, rounds, concurrency=16)
        served = mock_throughput(pod.base_url, pod.token, uid, clients=16, seconds=seconds)
    rows = [
        (
            "sync client, sequential calls",
            f"{calls}",
            sync["ours"],
            sync["bare"],
            "bare httpx.Client + response.json()",
            1.10,
        ),
        (
            "async client, 16 concurrent",
            f"{calls}",
            many["ours"],
            many["bare"],
            "bare httpx.AsyncClient + response.json()",
            1.10,
        ),
    ]
    lines = [
        "## Per-call cost of the generated client, and the mock pod's throughput",
        "",
        "| what | calls | ours | anchor | ratio | anchor is | target |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for what, count, ours, bare, anchor, target in rows:
        ratio = ours / bare
        verdict = "met" if ratio <= target else "missed"
        lines.append(
            f"| {what} | {count} | {ours * 1e6 / calls:.0f} µs/call | {bare * 1e6 / calls:.0f} µs/call | "
            f"{ratio:.2f}x | {anchor} | ≤ {target:.2f}x ({verdict}) |"
        )
    ratio = served["mock"] / served["bare"]
    lines.append(
        f"| mock pod, 16 concurrent clients | {seconds:g} s | {served['mock']:.0f} req/s | {served['bare']:.0f} req/s | "
        f"{ratio:.2f}x | a bare uvicorn app answering the same bytes | (none) |"
    )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
