"""Pod behaviour per operation (by operationId). An operation without a handler answers schema-valid data."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from podgen.mockpod.state import MAX_USER_ID

if TYPE_CHECKING:
    from podgen.mockpod.app import Answer, Context

USER_ID = re.compile(r"[1-9][0-9]{0,18}")


def parse_user_id(text: str) -> int | None:
    """A Symphony user id is a positive 64-bit integer written in decimal, without sign or padding."""
    if not USER_ID.fullmatch(text):
        return None
    value = int(text)
    return value if value <= MAX_USER_ID else None


def list_user_sessions(ctx: Context) -> Answer:
    from podgen.mockpod.app import Answer

    uid = parse_user_id(ctx.path_params.get("uid", ""))
    if uid is None:
        return Answer(400, ctx.pod.error(400, "Client error: uid must be a positive 64-bit integer"))
    if uid != ctx.caller.id and not ctx.caller.is_admin:
        return Answer(403, ctx.pod.error(403, "Forbidden: caller lacks USER_PROVISIONING"))
    user = ctx.state.users.get(uid)
    if user is None:
        return Answer(204)
    body: Any = {"sessions": user.sessions}
    model = ctx.pod.models.model("V1UserSessions")
    if model is not None:
        import msgspec

        body = msgspec.convert(body, type=model)
    return Answer(200, body)


HANDLERS: dict[str, Callable[[Context], Answer]] = {
    "listUserSessions": list_user_sessions,
}
