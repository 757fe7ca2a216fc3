"""``python -m podgen.mockpod``: run the mock pod under uvicorn on a loopback port and print how to use it."""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
from pathlib import Path

from podgen.effective import load_effective
from podgen.errors import PodgenError
from podgen.layout import Layout, find_root
from podgen.mockpod.app import PREFIX, build_app
from podgen.mockpod.faults import FAULTS, UnknownFault, parse_list
from podgen.mockpod.state import PodState, seeded


def _parser() -> argparse.ArgumentParser:
    faults = "; ".join(f"{name}: {text}" for name, (text, _) in FAULTS.items())
    parser = argparse.ArgumentParser(prog="podgen.mockpod", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("MOCKPOD_PORT", "0")), help="0 picks a free port"
    )
    parser.add_argument("--seed", type=int, default=int(os.environ.get("MOCKPOD_SEED", "1")), help="state seed")
    parser.add_argument("--users", type=int, default=4, help="ordinary users to create (besides admin and a former)")
    parser.add_argument("--state", type=Path, default=None, help="load users, sessions and tokens from a JSON file")
    parser.add_argument("--dump-state", action="store_true", help="print the state as JSON and exit")
    parser.add_argument("--token-ttl", type=float, default=None, help="seconds until the seeded tokens expire")
    parser.add_argument("--fault", action="append", default=[], help=f"NAME[=VALUE] for every request. {faults}")
    parser.add_argument("--ready-file", type=Path, default=None, help="write base URL and tokens here when ready")
    parser.add_argument("--root", type=Path, default=None, help="project root holding spec/")
    parser.add_argument("--log-level", default="warning")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.host.startswith("127.") and args.host not in ("localhost", "::1"):
        print(f"mock pod: refusing to bind {args.host}: the mock listens on loopback only", file=sys.stderr)
        return 2
    try:
        faults = parse_list(",".join([os.environ.get("MOCKPOD_FAULTS", ""), *args.fault]))
        state = PodState.load(args.state) if args.state else seeded(args.seed, args.users)
        if args.dump_state:
            try:
                print(json.dumps(state.to_json(), indent=2))
            except BrokenPipeError:  # e.g. piped into head: not an error
                sys.stderr.close()
            return 0
        _, _, document = load_effective(Layout(args.root.resolve() if args.root else find_root()))
    except (UnknownFault, PodgenError, OSError, ValueError, KeyError) as exc:
        message = exc.one_line() if isinstance(exc, PodgenError) else str(exc)
        print(f"mock pod: error: {message}", file=sys.stderr)
        return 2

    import uvicorn

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit this: without it, headers and body sent as two writes wait ~40 ms on delayed ACKs.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((args.host, args.port))
    host, port = sock.getsockname()[:2]
    shown_host = f"[{host}]" if family == socket.AF_INET6 else host
    base_url = f"http://{shown_host}:{port}{PREFIX}"
    if args.token_ttl is not None:  # the clock starts when the pod is ready, not while it loads
        state.expire_after(args.token_ttl, time.time())
    roles = state.roles()
    print(f"mock pod: serving {len(document.get('paths') or {})} path(s) at {base_url}")
    for role, token in roles.items():
        owner = state.users[state.tokens[token].user_id]
        print(f"  {role:<12} sessionToken: {token}   (user {owner.username}, id {owner.id})")
    print(f"  user ids: {', '.join(f'{u.username}={u.id}' for u in state.users.values())}")
    if faults:
        print(f"  faults on every request: {', '.join(f.name + ('=' + f.value if f.value else '') for f in faults)}")
    sys.stdout.flush()
    if args.ready_file:
        ready = {"base_url": base_url, "tokens": roles, "users": {u.username: u.id for u in state.users.values()}}
        args.ready_file.write_text(json.dumps(ready), encoding="utf-8")
    config = uvicorn.Config(
        build_app(document, state, faults), log_level=args.log_level, access_log=False, lifespan="on"
    )
    uvicorn.Server(config).run(sockets=[sock])
    return 0
