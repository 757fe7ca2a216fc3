"""The podgen command line: one line per failure, a traceback only with --verbose."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from podgen.errors import NotAProject, PodgenError
from podgen.layout import Layout, find_root


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="podgen", description=__doc__)
    parser.add_argument(
        "--root", type=Path, default=None, help="project root (default: nearest folder with spec/ and templates/)"
    )
    parser.add_argument("--verbose", action="store_true", help="show tracebacks and generator output")
    # The same flags after the sub-command; SUPPRESS keeps the top-level value when they are absent.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=argparse.SUPPRESS)
    common.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", required=True)
    generate_parser = commands.add_parser(
        "generate", parents=[common], help="regenerate generated/ from spec/ and templates/, verified, atomically"
    )
    generate_parser.add_argument("--force", action="store_true", help="regenerate even if nothing changed")
    commands.add_parser(
        "check", parents=[common], help="regenerate into a temporary folder and fail on any difference with generated/"
    )
    effective = commands.add_parser(
        "effective", parents=[common], help="print the effective spec (the locked document with overlays applied)"
    )
    effective.add_argument("--output", type=Path, default=None, help="write it to this file instead")
    commands.add_parser("build", parents=[common], help="build sdist and wheel of generated/ into dist/, reproducibly")
    publish = commands.add_parser(
        "publish", parents=[common], help="upload dist/ to the index in PODGEN_INDEX_URL, then verify the install"
    )
    publish.add_argument("--dry-run", action="store_true", help="show what would be uploaded where, and stop")
    publish.add_argument("--no-verify", action="store_true", help="skip the fresh-venv install check")
    publish.add_argument(
        "--verify-deps",
        choices=("index", "inherit"),
        default=os.environ.get("PODGEN_VERIFY_DEPS", "index"),
        help="where the check's venv gets httpx and msgspec: the index (default) or this environment",
    )
    bump = commands.add_parser(
        "bump", parents=[common], help="import a new spec version: diff, version, changelog, regenerate, drift-check"
    )
    bump.add_argument("path", type=Path, help="the new OpenAPI document (JSON or YAML)")
    bump.add_argument("--dry-run", action="store_true", help="show the diff and the version; change nothing")
    bump.add_argument("--fail-on-breaking", action="store_true", help="refuse (exit 1) if the change is breaking")
    bump.add_argument(
        "--acknowledge-same-version", action="store_true", help="accept different content under the same version"
    )
    bump.add_argument(
        "--overlay", type=Path, action="append", default=[], help="add this overlay to spec/overlays/ in the same step"
    )
    validate = commands.add_parser("validate", parents=[common], help="check an OpenAPI document the way generate does")
    validate.add_argument("path", type=Path, nargs="?", default=None)
    return parser


def run(args: argparse.Namespace) -> int:
    layout = Layout(args.root.resolve() if args.root else find_root())
    if args.command not in ("validate",) and not (layout.spec_dir.is_dir() and layout.client_templates.is_dir()):
        raise NotAProject(f"{layout.root} is not a podgen project: it has no spec/ and templates/client/ folders")
    if args.command == "generate":
        from podgen import cache

        if not args.force and cache.unchanged(layout):
            print(
                "podgen: nothing changed since the last generate (spec/, templates/, generated/, generators); skipped"
            )
            return 0
        from podgen.generate import generate

        inputs = generate(layout)
        cache.remember(layout)
        if inputs.post_release:
            print(
                f"podgen: templates, overlays or generators changed: package version "
                f"{inputs.lock.package_version} -> {inputs.next_lock.package_version} (post-release)"
            )
        print(
            f"podgen: regenerated {layout.dist_dir.relative_to(layout.root)} from {inputs.document.title} "
            f"{inputs.document.version} (verified: imports, mypy --strict)"
        )
    elif args.command == "check":
        from podgen.drift import check

        files = check(layout)
        print(f"podgen: generated/ matches a fresh regeneration ({files} files compared)")
    elif args.command == "build":
        from podgen.package import build

        built = build(layout)
        for path in built:
            print(f"podgen: built {path.relative_to(layout.root) if path.is_relative_to(layout.root) else path}")
    elif args.command == "publish":
        from podgen.publish import publish

        lines: list[str] = []
        publish(
            layout,
            dry_run=args.dry_run,
            verify=not args.no_verify,
            inherit_dependencies=args.verify_deps == "inherit",
            out=lines,
        )
        for line in lines:
            print(f"podgen: {line}")
    elif args.command == "bump":
        from podgen.bump import bump

        bump(
            layout,
            args.path,
            dry_run=args.dry_run,
            fail_on_breaking=args.fail_on_breaking,
            acknowledge_same_version=args.acknowledge_same_version,
            overlays=tuple(args.overlay),
            say=lambda line: print(f"podgen: {line}" if "\n" not in line else line),
        )
    elif args.command == "effective":
        import json

        from podgen.effective import load_effective

        _, _, effective = load_effective(layout)
        text = json.dumps(effective, indent=2) + "\n"
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    elif args.command == "validate":
        from podgen import spec

        document = spec.load(args.path or layout.spec_file)
        print(
            f"podgen: {document.path.name} is a valid OpenAPI document "
            f"({document.title} {document.version}, sha256 {document.sha256})"
        )
    return 0


def _terminate(signum: int, frame: object) -> None:
    # SystemExit unwinds through the pipeline's finally blocks, so temporary folders are removed.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return run(args)
    except PodgenError as exc:
        if args.verbose:
            import traceback

            traceback.print_exc()
        print(f"podgen: error: {exc.one_line()}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as exc:
        if args.verbose:
            raise
        print(
            f"podgen: error: {exc.name or exc} is not installed in this Python; "
            "fix: run podgen through nox (nox -s generate), or pip install -r requirements/pipeline.txt -e .",
            file=sys.stderr,
        )
        return 1
    except RecursionError:
        if args.verbose:
            raise
        print(
            "podgen: error: an input is nested too deeply to process; fix: flatten it (or break the $ref cycle)",
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        if args.verbose:
            raise
        where = f" {exc.filename}" if exc.filename else ""
        print(
            f"podgen: error: cannot read or write{where}: {exc.strerror or exc}; "
            "fix: check that the project's files and folders exist and are writable; generated/ was left as it was",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("podgen: interrupted; generated/ was left as it was", file=sys.stderr)
        return 130
