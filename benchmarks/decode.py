"""Benchmark typed decoding of a ``V1UserSessions`` body: our msgspec models against the usual alternatives.

``GET /v1/user/{uid}/sessions`` can return many sessions, and decoding that body into typed models is where a
client spends its time, so this script decodes the same deterministic ``{"sessions": [V1Session, ...]}`` body of
N sessions with each decoder below and reports each one's best time as a ratio to plain ``json.loads``:

``json.loads`` (untyped)
    The baseline every ratio is relative to, measured in the same run on the same body. It is what a client
    without models pays, so a ratio reads as "the price of getting typed objects" on this machine.
``symphony_pod_client`` (msgspec)
    What podgen generates and ships: ``msgspec.json.decode(body, type=V1UserSessions)``, which parses, validates
    types and builds the ``msgspec.Struct`` objects in one pass.
openapi-python-client (attrs)
    The tool's default output for the same spec, generated into a temporary folder at benchmark time. Its users
    call ``V1UserSessions.from_dict(json.loads(body))``, so its time includes ``json.loads``. Note that
    ``from_dict`` copies values into attrs classes without checking their types.
pydantic v2 (datamodel-code-generator)
    The other common way to get models from an OpenAPI document, also generated at benchmark time, decoded with
    ``V1UserSessions.model_validate_json(body)`` (parse and validate in one pass, like msgspec).

Before timing, every decoder's result is checked against ``json.loads``: same number of sessions and the same
values for every field of every session; the script fails loudly on any difference. Timing uses
``time.perf_counter``: for each size, the decoders are run interleaved (the order rotates every round), each at
least ``--min-repeats`` times and for at least ``--min-time`` seconds in total, and the best run is kept. As in
``timeit``, the garbage collector is off while timing and results are freed outside the timed region.

All generated code lives in a temporary directory; nothing is written in the repository.

Usage: ``python benchmarks/decode.py [N ...] [--quick] [--markdown PATH]``.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib
import importlib.metadata
import json
import math
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "spec" / "pod-api.json"
GENERATED = ROOT / "generated" / "symphony-pod-client"

DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (200, 2_000)
SEED = 1234

# Package and module names for the code generated into the temporary directory; chosen not to clash with anything.
OPC_PACKAGE = "bench_opc_pod_client"
PYDANTIC_MODULE = "bench_pyd_models"

# V1Session's fields in spec order: wire (camelCase) names and the snake_case attributes both generators use.
WIRE_FIELDS = (
    "sessionId",
    "clientIp",
    "userId",
    "userAgent",
    "browser",
    "os",
    "device",
    "deviceHash",
    "creationTime",
    "expirationDelay",
)
SNAKE_FIELDS = (
    "session_id",
    "client_ip",
    "user_id",
    "user_agent",
    "browser",
    "os",
    "device",
    "device_hash",
    "creation_time",
    "expiration_delay",
)

# (user agent, browser, os, device): the user-agent section fields are what a server-side parser would report.
USER_AGENTS = (
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "Chrome 124.0.0",
        "Windows 10",
        "Other",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4.1 Safari/605.1.15",
        "Safari 17.4.1",
        "Mac OS X 10.15.7",
        "Mac",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Firefox 125.0",
        "Windows 10",
        "Other",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
        "Edge 124.0.2478",
        "Windows 10",
        "Other",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Symphony/24.5.0 Chrome/122.0.6261.156 Electron/29.3.1 Safari/537.36",
        "Electron 29.3.1",
        "Mac OS X 10.15.7",
        "Mac",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Mobile/15E148",
        "Mobile Safari UI/WKWebView",
        "iOS 17.4.1",
        "iPhone",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.6367.82 Mobile Safari/537.36",
        "Chrome Mobile 124.0.6367",
        "Android 14",
        "Google Pixel 8",
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
        "Chrome 123.0.0",
        "Linux",
        "Other",
    ),
)

EPOCH_MS_START = 1_704_067_200_000  # 2024-01-01T00:00:00Z
DAY_MS = 86_400_000

Row = tuple[object, ...]


class BenchmarkError(Exception):
    """A generator failed or the decoders disagree: the numbers would be meaningless."""


@dataclass(frozen=True)
class Decoder:
    """One way of turning the body into sessions, and how to read its result back as plain rows."""

    name: str
    decode: Callable[[bytes], object]
    rows: Callable[[object], list[Row]]


@dataclass(frozen=True)
class Result:
    sessions: int
    decoder: str
    best_seconds: float
    ratio: float
    repeats: int


# ---------------------------------------------------------------------------------------------------------------------
# The body


def client_ip(rng: random.Random) -> str:
    """A public-looking IPv4 address, or now and then an IPv6 one."""
    if rng.random() < 0.1:
        return "2001:db8:" + ":".join(f"{rng.getrandbits(16):x}" for _ in range(6))
    first = rng.choice((23, 34, 52, 81, 104, 146, 185, 203))
    return f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def make_session(rng: random.Random) -> dict[str, object]:
    user_agent, browser, os_name, device = rng.choice(USER_AGENTS)
    creation_time = EPOCH_MS_START + rng.randrange(365 * DAY_MS)
    return {
        "sessionId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "clientIp": client_ip(rng),
        "userId": 349_026_222_340_000 + rng.randrange(200_000),
        "userAgent": user_agent,
        "browser": browser,
        "os": os_name,
        "device": device,
        "deviceHash": hashlib.sha256(rng.getrandbits(256).to_bytes(32, "big")).hexdigest(),
        "creationTime": creation_time,
        # The spec describes it as "the timestamp of the expiry time": sessions last 1 to 14 days.
        "expirationDelay": creation_time + rng.randrange(1, 15) * DAY_MS,
    }


def make_body(sessions: int) -> bytes:
    """The compact JSON a pod would send for ``sessions`` sessions; the same bytes on every run and machine."""
    rng = random.Random(SEED)
    payload = {"sessions": [make_session(rng) for _ in range(sessions)]}
    return json.dumps(payload, separators=(",", ":")).encode()


# ---------------------------------------------------------------------------------------------------------------------
# The decoders


def cli(script: str, module: str) -> list[str]:
    """The command for a console script: next to this interpreter, else on PATH, else ``python -m module``."""
    beside = Path(sys.executable).with_name(script)
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which(script)
    return [found] if found else [sys.executable, "-m", module]


def run(command: list[str], cwd: Path) -> None:
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BenchmarkError(
            f"{' '.join(command)} failed with exit status {completed.returncode}:\n{completed.stdout}{completed.stderr}"
        )


def import_from(folder: Path, name: str) -> ModuleType:
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))


def snake_rows(result: Any) -> list[Row]:
    return [tuple(getattr(session, name) for name in SNAKE_FIELDS) for session in result.sessions]


def camel_rows(result: Any) -> list[Row]:
    return [tuple(getattr(session, name) for name in WIRE_FIELDS) for session in result.sessions]


def json_rows(result: Any) -> list[Row]:
    return [tuple(session[name] for name in WIRE_FIELDS) for session in result["sessions"]]


def json_decoder() -> Decoder:
    return Decoder("json.loads (untyped baseline)", json.loads, json_rows)


def ours() -> tuple[Decoder, str]:
    """Our generated models: the installed package if there is one, else the one in generated/."""
    try:
        models = importlib.import_module("symphony_pod_client.models")
    except ModuleNotFoundError as exc:
        if exc.name != "symphony_pod_client":
            raise
        sys.path.insert(0, str(GENERATED))
        sys.dont_write_bytecode = True  # no __pycache__ in the repository's generated/ folder
        models = importlib.import_module("symphony_pod_client.models")
    msgspec_json = importlib.import_module("msgspec.json")
    model: Any = models.V1UserSessions

    def decode(body: bytes) -> object:
        return msgspec_json.decode(body, type=model)

    origin = str(Path(str(models.__file__)).resolve().parents[2])
    return Decoder("symphony_pod_client (msgspec)", decode, snake_rows), origin


def openapi_python_client(workdir: Path) -> Decoder:
    """openapi-python-client's default attrs models, generated now into ``workdir``."""
    command = cli("openapi-python-client", "openapi_python_client")
    run(
        [*command, "generate", "--path", str(SPEC), "--output-path", str(workdir / OPC_PACKAGE), "--meta", "none"],
        workdir,
    )
    models = import_from(workdir, f"{OPC_PACKAGE}.models")
    model: Any = models.V1UserSessions
    loads = json.loads

    def decode(body: bytes) -> object:
        return model.from_dict(loads(body))

    return Decoder("openapi-python-client (attrs, json.loads + from_dict)", decode, snake_rows)


def pydantic_v2(workdir: Path) -> Decoder:
    """pydantic v2 models from datamodel-code-generator, generated now into ``workdir``."""
    command = cli("datamodel-codegen", "datamodel_code_generator")
    output = workdir / f"{PYDANTIC_MODULE}.py"
    run(
        [
            *command,
            "--input",
            str(SPEC),
            "--input-file-type",
            "openapi",
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--output",
            str(output),
        ],
        workdir,
    )
    models = import_from(workdir, PYDANTIC_MODULE)
    model: Any = models.V1UserSessions

    def decode(body: bytes) -> object:
        return model.model_validate_json(body)

    return Decoder("pydantic v2 (datamodel-codegen, model_validate_json)", decode, camel_rows)


# ---------------------------------------------------------------------------------------------------------------------
# Checking and timing


def verify(decoders: Sequence[Decoder], body: bytes, sessions: int) -> dict[str, float]:
    """Decode once with each decoder and fail unless all agree with ``json.loads``; return each first run's time."""
    baseline = decoders[0]
    expected = baseline.rows(baseline.decode(body))
    if len(expected) != sessions:
        raise BenchmarkError(f"the body has {len(expected)} sessions, not {sessions}")
    first_runs: dict[str, float] = {}
    for decoder in decoders:
        start = time.perf_counter()
        result = decoder.decode(body)
        first_runs[decoder.name] = time.perf_counter() - start
        rows = decoder.rows(result)
        if len(rows) != len(expected):
            raise BenchmarkError(f"{decoder.name} decoded {len(rows)} sessions, json.loads {len(expected)}")
        if rows[0][:3] != expected[0][:3]:
            raise BenchmarkError(
                f"{decoder.name}: sessions[0] has (sessionId, clientIp, userId) {rows[0][:3]!r}, "
                f"json.loads {expected[0][:3]!r}"
            )
        for index, (got, want) in enumerate(zip(rows, expected, strict=True)):
            if got != want:
                raise BenchmarkError(f"{decoder.name}: sessions[{index}] is {got!r}, json.loads has {want!r}")
    return first_runs


def measure(decoders: Sequence[Decoder], body: bytes, sessions: int, min_time: float, min_repeats: int) -> list[Result]:
    first_runs = verify(decoders, body, sessions)
    repeats = {name: max(min_repeats, math.ceil(min_time / max(seconds, 1e-9))) for name, seconds in first_runs.items()}
    best = dict.fromkeys(repeats, math.inf)
    done = dict.fromkeys(repeats, 0)
    gc.collect()
    gc.disable()
    try:
        for round_number in range(max(repeats.values())):
            shift = round_number % len(decoders)
            for decoder in (*decoders[shift:], *decoders[:shift]):
                if done[decoder.name] >= repeats[decoder.name]:
                    continue
                start = time.perf_counter()
                result = decoder.decode(body)
                elapsed = time.perf_counter() - start
                del result
                done[decoder.name] += 1
                best[decoder.name] = min(best[decoder.name], elapsed)
    finally:
        gc.enable()
    baseline = best[decoders[0].name]
    return [
        Result(sessions, decoder.name, best[decoder.name], best[decoder.name] / baseline, done[decoder.name])
        for decoder in decoders
    ]


# ---------------------------------------------------------------------------------------------------------------------
# Report


def version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def report(results: Sequence[Result], bodies: dict[int, int], ours_from: str, min_time: float, min_repeats: int) -> str:
    sizes = ", ".join(f"{sessions:,} sessions = {size / 1_000_000:.2f} MB" for sessions, size in bodies.items())
    lines = [
        "## Typed decoding of a `V1UserSessions` body",
        "",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"machine {platform.machine()}, os.cpu_count() = {os.cpu_count()}",
        f"- msgspec {version('msgspec')}, openapi-python-client {version('openapi-python-client')} "
        f"(attrs {version('attrs')}), datamodel-code-generator {version('datamodel-code-generator')} "
        f"(pydantic {version('pydantic')}, pydantic-core {version('pydantic-core')})",
        f"- symphony_pod_client from {ours_from}",
        f"- Bodies (seed {SEED}): {sizes}",
        f"- Best of at least {min_repeats} runs and {min_time:g} s per decoder and size, decoders interleaved, "
        "GC off while timing",
        "",
        "| sessions | decoder | best time (ms) | ratio vs json.loads |",
        "|---:|:---|---:|---:|",
    ]
    lines += [
        f"| {result.sessions:,} | {result.decoder} | {result.best_seconds * 1000:.3f} | {result.ratio:.2f}x |"
        for result in results
    ]
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("sizes", nargs="*", type=int, metavar="N", help=f"session counts (default {DEFAULT_SIZES})")
    parser.add_argument("--quick", action="store_true", help=f"only {QUICK_SIZES} sessions (ignored if N are given)")
    parser.add_argument("--markdown", type=Path, metavar="PATH", help="also write the table to PATH")
    parser.add_argument("--min-time", type=float, default=0.2, help="seconds per decoder and size (default 0.2)")
    parser.add_argument("--min-repeats", type=int, default=3, help="runs per decoder and size (default 3)")
    args = parser.parse_args(argv)
    if any(size < 1 for size in args.sizes):
        parser.error("every N must be at least 1")
    if args.min_repeats < 1:
        parser.error("--min-repeats must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sizes: Sequence[int] = args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    try:
        with tempfile.TemporaryDirectory(prefix="podgen-bench-") as tmp:
            workdir = Path(tmp)
            our_decoder, ours_from = ours()
            decoders = (json_decoder(), our_decoder, openapi_python_client(workdir), pydantic_v2(workdir))
            results: list[Result] = []
            bodies: dict[int, int] = {}
            for sessions in sizes:
                body = make_body(sessions)
                bodies[sessions] = len(body)
                results += measure(decoders, body, sessions, args.min_time, args.min_repeats)
    except BenchmarkError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    table = report(results, bodies, ours_from, args.min_time, args.min_repeats)
    sys.stdout.write(table)
    if args.markdown is not None:
        args.markdown.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
