"""Misbehaviour on demand: each fault has a name, an optional value, and documents what it breaks.

A fault is asked for per run (``--fault NAME[=VALUE]`` or ``MOCKPOD_FAULTS="NAME[=VALUE],..."``), per request
(header ``X-Mock-Fault: NAME[=VALUE]``), or queued for the next N operation calls (``POST /_mock/faults``).
"""

from __future__ import annotations

import copy
from collections import deque
from dataclasses import dataclass
from typing import Any

#: name -> (what it does, default value). The README's fault table is written from this.
FAULTS: dict[str, tuple[str, str | None]] = {
    "latency": ("wait VALUE milliseconds before answering (the answer is otherwise normal)", "500"),
    "rate-limit": ("answer 429 with an Error body and `Retry-After: VALUE` seconds", "1"),
    "unavailable": ("answer 503 with an Error body (queue it with a count for a burst)", None),
    "server-error": ("answer 500 with an Error body", None),
    "drop": ("start the answer, then close the connection before the body is complete", None),
    "malformed-json": ("answer 200 with a truncated JSON body", None),
    "wrong-type": ("answer 200 with the first scalar of the body changed to another JSON type", None),
    "missing-field": ("answer 200 with the first property of the body's first object removed", None),
    "null-field": ("answer 200 with the first property of the body's first object set to null", None),
    "undocumented-status": ("answer VALUE (a status the operation does not document) with an Error body", "418"),
    "wrong-content-type": ("answer 200 with the right JSON body but `Content-Type: text/plain`", None),
}

#: name -> the values a fault accepts (latency in ms, Retry-After in s, a status code).
VALUE_RANGES: dict[str, tuple[float, float]] = {
    "latency": (0, 60_000),
    "rate-limit": (0, 3_600),
    "undocumented-status": (100, 599),
}
#: The most calls one queued fault may cover.
MAX_COUNT = 10_000

#: Faults that change the body of a success; the others replace the whole answer.
BODY_FAULTS = frozenset({"malformed-json", "wrong-type", "missing-field", "null-field", "wrong-content-type"})


class UnknownFault(ValueError):
    pass


@dataclass(frozen=True)
class Fault:
    name: str
    value: str | None = None

    @classmethod
    def parse(cls, text: str) -> Fault:
        name, _, value = text.strip().partition("=")
        name = name.strip()
        if name not in FAULTS:
            raise UnknownFault(f"unknown fault {name!r}; known: {', '.join(sorted(FAULTS))}")
        fault = cls(name, value.strip() or FAULTS[name][1])
        low, high = VALUE_RANGES.get(name, (None, None))
        if low is not None and high is not None and not low <= fault.number <= high:
            raise UnknownFault(f"fault {name} takes a value from {low:g} to {high:g}, got {fault.value!r}")
        return fault

    @property
    def number(self) -> float:
        text = self.value or "0"
        if not text.replace(".", "", 1).isdigit():  # digits only: no inf, nan, signs, exponents or header tricks
            raise UnknownFault(f"fault {self.name} needs a plain number, got {text!r}")
        return float(text)


def parse_list(text: str) -> list[Fault]:
    return [Fault.parse(part) for part in text.split(",") if part.strip()]


class FaultQueue:
    """Faults queued for the next operation calls, in order."""

    def __init__(self) -> None:
        self._queue: deque[Fault] = deque()

    def push(self, fault: Fault, count: int = 1) -> None:
        if not 1 <= count <= MAX_COUNT or len(self._queue) + count > MAX_COUNT:
            raise UnknownFault(f"a fault can be queued for 1 to {MAX_COUNT} calls in all, not {count}")
        self._queue.extend([fault] * count)

    def pop(self) -> Fault | None:
        return self._queue.popleft() if self._queue else None

    def clear(self) -> None:
        self._queue.clear()

    def __len__(self) -> int:
        return len(self._queue)


def _first_object(value: Any) -> dict[str, Any] | None:
    stack = [value]
    while stack:
        current = stack.pop(0)
        if isinstance(current, dict) and current:
            return current
        if isinstance(current, dict):
            continue
        if isinstance(current, list):
            stack.extend(current)
    return None


def _retype(value: Any) -> Any:
    if isinstance(value, bool):
        return "true"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return 12345
    return "not-a-" + type(value).__name__


def break_body(name: str, data: Any) -> Any:
    """A copy of ``data`` with the fault applied; the first scalar or property found depth-first."""
    broken = copy.deepcopy(data)
    target = _first_object(broken)
    if target is None:
        return {"unexpected": True} if name != "wrong-type" else "not-the-schema"
    key = next(iter(target))
    if name == "missing-field":
        del target[key]
    elif name == "null-field":
        target[key] = None
    elif name == "wrong-type":
        holder, slot = target, key
        # Descend to the first scalar, so the change is a type change and not a shape change.
        while isinstance(holder[slot], (dict, list)) and holder[slot]:
            inner = holder[slot]
            holder, slot = (inner, next(iter(inner))) if isinstance(inner, dict) else (inner, 0)  # type: ignore[assignment]
        holder[slot] = _retype(holder[slot])
    return broken
