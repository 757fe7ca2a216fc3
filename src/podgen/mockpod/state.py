"""The pod's data: users (an administrator, ordinary users, a deactivated one), their sessions and tokens.

Deterministic from a seed, or loaded from a JSON fixture file in the same shape ``to_json`` writes.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The entitlement that lets a caller read other users' sessions.
USER_PROVISIONING = "USER_PROVISIONING"
MAX_USER_ID = 2**63 - 1
#: 2026-01-01T00:00:00Z in epoch milliseconds: generated sessions start from here, never from the clock.
EPOCH_BASE_MS = 1_767_225_600_000
SESSION_LIFETIME_MS = 14 * 24 * 3600 * 1000

# (user agent, browser, os, device): what a user-agent parser gives for each.
USER_AGENTS = [
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
        "Safari/537.36",
        "Chrome 131",
        "Windows 10",
        "Desktop",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
        "Safari/605.1.15",
        "Safari 18.1",
        "macOS 14.6",
        "Mac",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Mobile/15E148 Symphony/24.11",
        "Symphony 24.11",
        "iOS 18.1",
        "iPhone",
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Firefox 133",
        "Linux",
        "Desktop",
    ),
    ("Symphony-Electron/24.11.1 (Windows NT 10.0)", "Symphony Desktop 24.11.1", "Windows 10", "Desktop"),
]


@dataclass
class User:
    id: int
    username: str
    entitlements: list[str] = field(default_factory=list)
    active: bool = True
    sessions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_admin(self) -> bool:
        return USER_PROVISIONING in self.entitlements


@dataclass
class Token:
    value: str
    user_id: int
    #: epoch seconds; ``None`` never expires.
    expires_at: float | None = None

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at


@dataclass
class PodState:
    users: dict[int, User] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)

    def caller(self, token: str | None, now: float | None = None) -> User | None:
        """The user a token belongs to, or ``None`` for a missing, unknown or expired token."""
        if not token:
            return None
        entry = self.tokens.get(token)
        if entry is None or entry.expired(time.time() if now is None else now):
            return None
        user = self.users.get(entry.user_id)
        return user if user is not None and user.active else None

    def expire_after(self, seconds: float, now: float) -> None:
        """Make every token that does not expire yet expire ``seconds`` from ``now``."""
        for entry in self.tokens.values():
            if entry.expires_at is None:
                entry.expires_at = now + seconds

    def roles(self) -> dict[str, str]:
        """One token per kind of caller: admin, user, other (a second ordinary user), expired, deactivated."""
        now = time.time()
        found: dict[str, str] = {}
        ordinary: list[str] = []
        for entry in self.tokens.values():
            user = self.users.get(entry.user_id)
            if user is None:
                continue
            if entry.expired(now):
                found.setdefault("expired", entry.value)
            elif not user.active:
                found.setdefault("deactivated", entry.value)
            elif user.is_admin:
                found.setdefault("admin", entry.value)
            else:
                ordinary.append(entry.value)
        found.update(zip(("user", "other"), ordinary, strict=False))
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "users": [
                {
                    "id": u.id,
                    "username": u.username,
                    "entitlements": u.entitlements,
                    "active": u.active,
                    "sessions": u.sessions,
                }
                for u in self.users.values()
            ],
            "tokens": [
                {"token": t.value, "user_id": t.user_id, "expires_at": t.expires_at} for t in self.tokens.values()
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PodState:
        state = cls()
        for raw in data["users"]:
            user = User(
                id=int(raw["id"]),
                username=str(raw["username"]),
                entitlements=list(raw.get("entitlements", [])),
                active=bool(raw.get("active", True)),
                sessions=list(raw.get("sessions", [])),
            )
            state.users[user.id] = user
        for raw in data.get("tokens", []):
            expires = raw.get("expires_at")
            state.tokens[raw["token"]] = Token(
                str(raw["token"]), int(raw["user_id"]), None if expires is None else float(expires)
            )
        return state

    @classmethod
    def load(cls, path: Path) -> PodState:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


def _session(rng: random.Random, user_id: int, index: int) -> dict[str, Any]:
    agent, browser, os_name, device = USER_AGENTS[rng.randrange(len(USER_AGENTS))]
    ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    created = EPOCH_BASE_MS + rng.randrange(0, 30 * 24 * 3600) * 1000 + index
    return {
        "sessionId": f"{rng.getrandbits(64):016x}-{user_id}-{index}",
        "clientIp": ip,
        "userId": user_id,
        "userAgent": agent,
        "browser": browser,
        "os": os_name,
        "device": device,
        "deviceHash": hashlib.sha256(f"{agent}|{ip}".encode()).hexdigest()[:32],
        "creationTime": created,
        "expirationDelay": created + SESSION_LIFETIME_MS,
    }


#: When the seeded expired token expired (2023-11-14T22:13:20Z): fixed, so a seed always gives the same state.
EXPIRED_AT = 1_700_000_000.0


def seeded(seed: int = 1, users: int = 4) -> PodState:
    """An administrator, ``users`` ordinary users and one deactivated user, each with 1 to 3 sessions.

    Every active user gets one live token; the first ordinary user also gets an expired one.
    """
    rng = random.Random(seed)
    state = PodState()
    base_id = 68_719_476_737  # Symphony user ids are large positive 64-bit integers
    people: list[tuple[str, list[str], bool]] = [("admin", [USER_PROVISIONING], True)]
    people += [(f"user{i}", [], True) for i in range(1, users + 1)]
    people += [("former", [], False)]
    for offset, (name, entitlements, active) in enumerate(people):
        user = User(id=base_id + offset, username=name, entitlements=entitlements, active=active)
        user.sessions = [_session(rng, user.id, i) for i in range(rng.randint(1, 3))] if active else []
        state.users[user.id] = user
        if active:
            value = f"{name}-{rng.getrandbits(96):024x}"
            state.tokens[value] = Token(value, user.id)
    first = state.users[base_id + 1]
    expired = f"expired-{rng.getrandbits(96):024x}"
    state.tokens[expired] = Token(expired, first.id, EXPIRED_AT)
    former = state.users[base_id + len(people) - 1]
    stale = f"former-{rng.getrandbits(96):024x}"
    state.tokens[stale] = Token(stale, former.id, None)
    return state
