"""``python -m podgen.contract``: the contract suite against a live pod (POD_URL, POD_SESSION_TOKEN) or the mock."""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from podgen.contract import report
from podgen.contract.target import Target, from_environment, mock_pod
from podgen.effective import load_effective
from podgen.errors import PodgenError
from podgen.layout import Layout, find_root

SUITES = ("server", "auth", "client", "bodies")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="podgen.contract", description=__doc__)
    parser.add_argument("--max-examples", type=int, default=25, help="generated cases per operation and suite")
    parser.add_argument("--seed", type=int, default=None, help="replay a run (printed at the start of every run)")
    parser.add_argument("--report-dir", type=Path, default=Path("contract-report"), help="JUnit XML and logs go here")
    parser.add_argument("--suites", default=",".join(SUITES), help=f"comma-separated subset of {', '.join(SUITES)}")
    parser.add_argument(
        "--allow-unsafe", action="store_true", help="against a live pod, also send non-GET/HEAD requests"
    )
    parser.add_argument("--rate-limit", type=float, default=None, help="requests per second (live default: 5)")
    parser.add_argument("--max-requests", type=int, default=None, help="per client suite (live default: 200)")
    parser.add_argument("--mock-fault", action="append", default=[], help="start the mock with this fault (tests)")
    parser.add_argument("--root", type=Path, default=None, help="project root holding spec/")
    return parser


@contextlib.contextmanager
def _target(root: Path, faults: list[str]) -> Iterator[Target]:
    live = from_environment()
    if live is not None:
        yield live
        return
    with mock_pod(root, *[arg for fault in faults for arg in ("--fault", fault)]) as target:
        yield target


def with_examples(document: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """A copy of the spec whose path parameters carry the target's known values as examples (for schemathesis)."""
    copied: dict[str, Any] = copy.deepcopy(document)
    for item in (copied.get("paths") or {}).values():
        for operation in item.values():
            for parameter in (operation.get("parameters") or []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "path" and parameter.get("name") in values and "example" not in parameter:
                    parameter["example"] = values[parameter["name"]]
    return copied


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    suites = {s.strip() for s in args.suites.split(",") if s.strip()}
    unknown = suites - set(SUITES)
    if unknown:
        print(
            f"contract: error: unknown suite(s) {', '.join(sorted(unknown))}; choose from {', '.join(SUITES)}",
            file=sys.stderr,
        )
        return 2
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    root = (args.root or find_root()).resolve()
    try:
        _, _, document = load_effective(Layout(root))
    except PodgenError as exc:
        print(f"contract: error: {exc.one_line()}", file=sys.stderr)
        return 2
    report_dir: Path = args.report_dir.resolve()  # schemathesis runs in a temporary folder
    report_dir.mkdir(parents=True, exist_ok=True)

    from podgen.contract.bodies import run_body_properties
    from podgen.contract.client import run_client_conformance
    from podgen.contract.server import check_auth, run_schemathesis

    with _target(root, args.mock_fault) as target:
        rate = args.rate_limit if args.rate_limit is not None else (5.0 if target.live else None)
        cap = args.max_requests if args.max_requests is not None else (200 if target.live else 10_000)
        print(f"contract: target {target.label}; seed {seed}; {args.max_examples} example(s) per operation", flush=True)
        spec_path = report_dir / "effective-spec.json"
        spec_path.write_text(json.dumps(with_examples(document, target.path_values), indent=2), encoding="utf-8")
        results: list[report.SuiteResult] = []
        if "server" in suites:
            results.append(
                run_schemathesis(
                    target,
                    spec_path,
                    max_examples=args.max_examples,
                    seed=seed,
                    report_dir=report_dir,
                    allow_unsafe=args.allow_unsafe,
                    rate_limit=f"{rate:g}/s" if rate else None,
                )
            )
        if "auth" in suites:
            results.append(check_auth(target, document, args.allow_unsafe))
        if "client" in suites:
            results.extend(
                run_client_conformance(
                    target,
                    document,
                    max_examples=args.max_examples,
                    seed=seed,
                    allow_unsafe=args.allow_unsafe,
                    requests_per_second=rate,
                    max_requests=cap,
                )
            )
        if "bodies" in suites:
            results.append(run_body_properties(document, max_examples=args.max_examples, seed=seed))
        text = report.summary(results, target.label, seed, target.redact)
        report.write_junit(report_dir / "contract-junit.xml", results, seed, target.redact)
        (report_dir / "summary.txt").write_text(text + "\n", encoding="utf-8")
    print(text)
    failed = sum(len(r.failures) for r in results)
    return 1 if failed else 0
