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
        return cls(name, value.strip() or FAULTS[name][1])

    @property
    def number(self) -> float:
        try:
            return float(self.value or 0)
        except ValueError:
            raise UnknownFault(f"fault {self.name} needs a number, got {self.value!r}") from None


def parse_list(text: str) -> list[Fault]:
    return [Fault.parse(part) for part in text.split(",") if part.strip()]


class FaultQueue:
    """Faults queued for the next operation calls, in order."""

    def __init__(self) -> None:
        self._queue: deque[Fault] = deque()

    def push(self, fault: Fault, count: int = 1) -> None:
        self._queue.extend([fault] * max(1, count))

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
