"""Sessions of the podgen pipeline; each is a few lines over the podgen package or a tool.

`nox` alone runs the checks a pull request needs: check, lint, typecheck, tests.
"""

from __future__ import annotations

import nox

nox.needs_version = ">=2026.10.20"
nox.options.default_venv_backend = "uv|virtualenv"
# Venvs are reused: every session re-installs its pinned requirements, which is a no-op when nothing changed.
nox.options.reuse_venv = "yes"
nox.options.sessions = ["check", "lint", "typecheck", "tests"]

PYTHON = "3.11"
PIPELINE = "requirements/pipeline.txt"
TESTS = "requirements/tests.txt"
PUBLISH = "requirements/publish.txt"
GENERATED = "generated/symphony-pod-client"
HAND_WRITTEN = ("src", "tests", "benchmarks", "noxfile.py")


def install(session: nox.Session, requirements: str) -> None:
    """The pinned requirements, then podgen itself (editable, so sessions always run the working tree)."""
    # Compiled at install time: where PYTHONDONTWRITEBYTECODE is set, every run would otherwise compile the
    # generators from source (about 2 s of each `check`).
    session.env["UV_COMPILE_BYTECODE"] = "1"
    session.install("-r", requirements)
    session.install("--no-deps", "-e", ".")


def install_generated(session: nox.Session) -> None:
    """The generated distribution, rebuilt from generated/ every time so tests see the committed tree."""
    session.install("--no-deps", "--force-reinstall", f"./{GENERATED}")


@nox.session(python=PYTHON, default=False)
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from spec/ and templates/, verified, then swapped in atomically."""
    install(session, PIPELINE)
    session.run("python", "-m", "podgen", "generate", *session.posargs)


@nox.session(python=PYTHON, default=False)
def bump(session: nox.Session) -> None:
    """Import a new spec version: `nox -s bump -- PATH [--dry-run] [--fail-on-breaking]`."""
    install(session, PIPELINE)
    session.run("python", "-m", "podgen", "bump", *session.posargs)


@nox.session(python=PYTHON)
def check(session: nox.Session) -> None:
    """Fail, with a unified diff, if generated/ differs from a fresh regeneration."""
    install(session, PIPELINE)
    session.run("python", "-m", "podgen", "check", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff on hand-written code (generated code is formatted by the pipeline itself)."""
    install(session, PIPELINE)
    session.run("ruff", "check", *HAND_WRITTEN)
    session.run("ruff", "format", "--check", *HAND_WRITTEN)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy on hand-written code; mypy --strict on the generated package."""
    install(session, TESTS)
    install_generated(session)
    session.run("mypy")
    session.run("mypy", "--strict", "-p", "symphony_pod_client")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The whole test suite, against the generated package installed from generated/."""
    install(session, TESTS)
    install_generated(session)
    session.run("pytest", *(session.posargs or ("tests/",)))


@nox.session(python=PYTHON, default=False)
def mock(session: nox.Session) -> None:
    """Run the mock pod in the foreground on loopback; prints its base URL and session tokens (-- --help)."""
    install(session, TESTS)
    install_generated(session)
    session.run("python", "-m", "podgen.mockpod", *session.posargs)


@nox.session(python=PYTHON, default=False)
def contract(session: nox.Session) -> None:
    """Contract suite: a live pod when POD_URL and POD_SESSION_TOKEN are set, else a mock pod it starts."""
    install(session, TESTS)
    install_generated(session)
    session.run("python", "-m", "podgen.contract", *session.posargs)


@nox.session(python=PYTHON, default=False)
def build(session: nox.Session) -> None:
    """sdist and wheel of the generated distribution into dist/: reproducible, checked by twine."""
    install(session, PUBLISH)
    session.run("python", "-m", "podgen", "build", *session.posargs)


@nox.session(python=PYTHON, default=False)
def publish(session: nox.Session) -> None:
    """Upload dist/ to the index named by PODGEN_INDEX_* (never over a released version), then verify it."""
    install(session, PUBLISH)
    install_generated(session)  # the verification's mock pod encodes with the generated models
    session.run("python", "-m", "podgen", "publish", *session.posargs)


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Every benchmark against its anchor, into bench/results.md (`-- --quick` for small sizes)."""
    install(session, TESTS)
    install_generated(session)
    session.run("python", "benchmarks/run.py", *session.posargs)
