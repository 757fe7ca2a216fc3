"""The mock pod's ASGI application, built from the effective spec.

Routing works on the raw request path, segment by segment, so that whatever a path segment holds (encoded
slashes, dot segments, newlines, non-ASCII, very long ids) the answer is a documented status chosen here, never
a framework's 404 or 500. Operations with a handler in ``handlers`` behave like a pod; any other operation of the
spec answers 200 with schema-valid data, so a new spec version needs only handlers for new behaviour.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter, deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote

import msgspec

from podgen.mockpod import handlers, schemas
from podgen.mockpod.faults import BODY_FAULTS, Fault, FaultQueue, UnknownFault, break_body
from podgen.mockpod.state import PodState

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

PREFIX = "/pod"
AUTH_HEADER = "sessiontoken"
FAULT_HEADER = "x-mock-fault"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclass(frozen=True)
class Route:
    operation_id: str
    method: str
    template: str
    segments: tuple[str, ...]
    operation: dict[str, Any]

    def match(self, parts: list[str]) -> dict[str, str] | None:
        if len(parts) != len(self.segments):
            return None
        found: dict[str, str] = {}
        for pattern, raw in zip(self.segments, parts, strict=True):
            if pattern.startswith("{") and pattern.endswith("}"):
                found[pattern[1:-1]] = unquote(raw, errors="strict") if _decodable(raw) else "\ufffd"
            elif pattern != raw:
                return None
        return found


def _decodable(raw: str) -> bool:
    try:
        unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return False
    return True


@dataclass
class Answer:
    status: int
    body: Any = None  # a model instance, plain JSON data, or None for no body
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Context:
    """What a handler gets: the request, its caller and the pod's state."""

    route: Route
    path_params: dict[str, str]
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    caller: Any
    state: PodState
    pod: MockPod


@dataclass
class RequestRecord:
    method: str
    raw_path: str
    operation: str
    status: int
    token_sent: bool
    user_agent: str
    fault: str | None


def _operation_id(method: str, path: str, operation: dict[str, Any]) -> str:
    if operation.get("operationId"):
        return str(operation["operationId"])
    return f"{method}:{path}"


class MockPod:
    def __init__(self, document: dict[str, Any], state: PodState, faults: list[Fault] | None = None) -> None:
        self.document = document
        self.state = state
        self.run_faults = list(faults or [])
        self.queue = FaultQueue()
        self.counts: Counter[str] = Counter()
        self.recent: deque[RequestRecord] = deque(maxlen=2000)
        self.models = schemas.ModelLookup(document)
        self.routes = [
            Route(
                _operation_id(method, path, operation),
                method.upper(),
                path,
                tuple(path.strip("/").split("/")),
                operation,
            )
            for path, item in sorted((document.get("paths") or {}).items())
            for method, operation in sorted(item.items())
            if method in METHODS and isinstance(operation, dict)
        ]

    # ---- ASGI -----------------------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        body = await _read_body(receive)
        raw_path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1").split("?", 1)[0]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        if raw_path.startswith("/_mock/") or raw_path == "/_mock":
            await self._control(scope["method"], raw_path, body, send)
            return
        await self._serve(scope["method"], raw_path, headers, query, body, send)

    # ---- operations -------------------------------------------------------------------------------------------
    async def _serve(
        self, method: str, raw_path: str, headers: dict[str, str], query: dict[str, list[str]], body: bytes, send: Send
    ) -> None:
        fault = self._fault_for(headers)
        if isinstance(fault, str):  # an unknown fault name: the test asked for something that does not exist
            await self._send(send, Answer(400, {"code": 400, "message": fault}))
            return
        route, params, allowed = self._route(method, raw_path)
        operation = route.operation_id if route else "unmatched"
        self.counts[operation] += 1
        answer: Answer | None = None
        if fault is not None and fault.name == "latency":
            await asyncio.sleep(fault.number / 1000)
            fault = None
        if fault is not None and fault.name not in BODY_FAULTS:
            answer = self._fault_answer(fault)
        elif route is None:
            answer = (
                Answer(405, self.error(405, f"method {method} not allowed here"), {"Allow": ", ".join(allowed)})
                if allowed
                else Answer(404, self.error(404, "no such endpoint"))
            )
        if answer is None and route is not None:
            assert params is not None
            answer = self._operate(route, params, headers, query, body)
        assert answer is not None
        self.recent.append(
            RequestRecord(
                method,
                raw_path,
                operation,
                answer.status,
                AUTH_HEADER in headers,
                headers.get("user-agent", ""),
                fault.name if fault else None,
            )
        )
        if fault is not None and fault.name == "drop":
            await _drop(send)
            return
        if fault is not None and fault.name in BODY_FAULTS and 200 <= answer.status < 300 and answer.body is not None:
            await self._send_broken(send, answer, fault)
            return
        await self._send(send, answer)

    def _fault_for(self, headers: dict[str, str]) -> Fault | str | None:
        try:
            if FAULT_HEADER in headers:
                return Fault.parse(headers[FAULT_HEADER])
        except UnknownFault as exc:
            return str(exc)
        queued = self.queue.pop()
        if queued is not None:
            return queued
        return self.run_faults[0] if self.run_faults else None

    def _route(self, method: str, raw_path: str) -> tuple[Route | None, dict[str, str] | None, list[str]]:
        if not raw_path.startswith(PREFIX + "/"):
            return None, None, []
        parts = raw_path[len(PREFIX) + 1 :].split("/")
        allowed: list[str] = []
        for route in self.routes:
            params = route.match(parts)
            if params is None:
                continue
            if route.method == method:
                return route, params, []
            allowed.append(route.method)
        return None, None, sorted(allowed)

    def _fault_answer(self, fault: Fault) -> Answer:
        if fault.name == "rate-limit":
            seconds = fault.value or "1"
            return Answer(429, self.error(429, "Too many requests"), {"Retry-After": seconds})
        if fault.name == "unavailable":
            return Answer(503, self.error(503, "Service unavailable"))
        if fault.name == "server-error":
            return Answer(500, self.error(500, "Internal server error (injected)"))
        if fault.name == "undocumented-status":
            status = int(fault.number) or 418
            return Answer(status, self.error(status, "An undocumented status (injected)"))
        return Answer(200)  # drop: the answer is cut off before anything useful is sent

    def _operate(
        self,
        route: Route,
        params: dict[str, str],
        headers: dict[str, str],
        query: dict[str, list[str]],
        body: bytes,
    ) -> Answer:
        declared = route.operation.get("parameters") or []
        needs_auth = any(p.get("in") == "header" and p.get("name", "").lower() == AUTH_HEADER for p in declared)
        caller = self.state.caller(headers.get(AUTH_HEADER)) if needs_auth else None
        if needs_auth and caller is None:
            reason = "missing" if AUTH_HEADER not in headers else "invalid or expired"
            return Answer(401, self.error(401, f"Unauthorized: session token {reason}"))
        problem = schemas.check_parameters(declared, params, headers, query, AUTH_HEADER)
        if problem:
            return Answer(400, self.error(400, problem))
        context = Context(route, params, query, headers, body, caller, self.state, self)
        handler = handlers.HANDLERS.get(route.operation_id)
        if handler is not None:
            return handler(context)
        return self.example_answer(route)

    def example_answer(self, route: Route) -> Answer:
        """200 (or the first documented success) with data generated from the response schema."""
        responses = route.operation.get("responses") or {}
        for status in sorted(k for k in responses if str(k).isdigit() and str(k).startswith("2")):
            schema = self.models.response_schema(responses[status])
            if schema is None:
                return Answer(int(status))
            return Answer(int(status), self.models.example(schema))
        return Answer(200)

    def error(self, code: int, message: str) -> Any:
        return self.models.error(code, message)

    # ---- sending ------------------------------------------------------------------------------------------------
    async def _send(self, send: Send, answer: Answer) -> None:
        headers = dict(answer.headers)
        content = b""
        if answer.body is not None:
            content = self.models.encode(answer.body)
            headers.setdefault("Content-Type", "application/json")
        await _respond(send, answer.status, headers, content)

    async def _send_broken(self, send: Send, answer: Answer, fault: Fault) -> None:
        data = msgspec.json.decode(self.models.encode(answer.body))
        headers = dict(answer.headers)
        if fault.name == "malformed-json":
            content = msgspec.json.encode(data)
            content = content[: max(1, len(content) // 2)]
            headers["Content-Type"] = "application/json"
        elif fault.name == "wrong-content-type":
            content = msgspec.json.encode(data)
            headers["Content-Type"] = "text/plain; charset=utf-8"
        else:
            content = json.dumps(break_body(fault.name, data)).encode()
            headers["Content-Type"] = "application/json"
        await _respond(send, answer.status, headers, content)

    # ---- control endpoints (tests only) -----------------------------------------------------------------------
    async def _control(self, method: str, path: str, body: bytes, send: Send) -> None:
        if path == "/_mock/health":
            await _respond_json(send, 200, {"status": "ok", "operations": [r.operation_id for r in self.routes]})
        elif path == "/_mock/requests" and method == "GET":
            recent = [record.__dict__ for record in self.recent]
            await _respond_json(
                send, 200, {"total": sum(self.counts.values()), "by_operation": self.counts, "recent": recent}
            )
        elif path == "/_mock/faults" and method == "POST":
            try:
                request = json.loads(body or b"{}")
                fault = Fault.parse(str(request["fault"]))
                count = request.get("count", 1)
                if not isinstance(count, int) or isinstance(count, bool):
                    raise UnknownFault(f"count must be a whole number, not {count!r}")
                self.queue.push(fault, count)
            except (ValueError, KeyError, TypeError, RecursionError, UnknownFault) as exc:
                await _respond_json(send, 400, {"error": str(exc)})
                return
            await _respond_json(send, 200, {"queued": len(self.queue)})
        elif path == "/_mock/faults" and method == "DELETE":
            self.queue.clear()
            await _respond_json(send, 200, {"queued": 0})
        elif path == "/_mock/reset" and method == "POST":
            self.queue.clear()
            self.counts.clear()
            self.recent.clear()
            await _respond_json(send, 200, {"reset": True})
        elif path == "/_mock/tokens" and method == "GET":
            await _respond_json(send, 200, self.state.roles())
        else:
            await _respond_json(send, 404, {"error": f"no control endpoint {method} {path}"})


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _respond(send: Send, status: int, headers: dict[str, str], content: bytes) -> None:
    raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    raw_headers.append((b"content-length", str(len(content)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": content})


async def _respond_json(send: Send, status: int, data: Any) -> None:
    await _respond(send, status, {"Content-Type": "application/json"}, json.dumps(data).encode())


async def _drop(send: Send) -> None:
    """Promise a body, send part of it, and stop: the server closes the connection mid-answer."""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"1000")],
        }
    )
    await send({"type": "http.response.body", "body": b'{"sessions": [', "more_body": True})
    raise ConnectionAbortedError("mock pod: injected dropped connection")


def build_app(document: dict[str, Any], state: PodState, faults: list[Fault] | None = None) -> MockPod:
    return MockPod(document, state, faults)
