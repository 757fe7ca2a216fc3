"""Run both generators into a temporary folder, format and verify the result, then swap it into place."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from podgen import spec
from podgen.effective import load_effective
from podgen.errors import DriftDetected, GeneratorFailed, VerifyFailed
from podgen.layout import DIST_NAME, PACKAGE_NAME, Layout
from podgen.provenance import Provenance, generator_versions
from podgen.version import inputs_fingerprint, next_post

MODELS_MODULE = "_structs"
#: The header parameter that carries the session token; the client sends it, callers never pass it.
AUTH_HEADER = "sessionToken"


@dataclass(frozen=True)
class Inputs:
    """Everything a regeneration depends on, loaded and checked."""

    document: spec.SpecDocument
    lock: spec.SpecLock
    effective: dict[str, Any]
    provenance: Provenance
    #: the lock as it must read once this regeneration is in place
    next_lock: spec.SpecLock

    @property
    def post_release(self) -> bool:
        return self.next_lock.package_version != self.lock.package_version


def load_inputs(layout: Layout, *, checking: bool = False) -> Inputs:
    """The checked inputs; templates, overlays or generators changed since the last generate mean a post-release.

    ``checking`` (the drift check) refuses such a change instead: it must be regenerated and committed first.
    """
    document, lock, effective = load_effective(layout)
    generators = generator_versions()
    fingerprint = inputs_fingerprint(layout, generators)
    package_version = lock.package_version
    if lock.inputs and lock.inputs != fingerprint:
        if checking:
            raise DriftDetected(
                "templates, overlays or generator versions changed since the last generate "
                f"(spec/{layout.lock_file.name} records other inputs)"
            )
        package_version = next_post(lock.package_version)
    next_lock = dataclasses.replace(lock, package_version=package_version, inputs=fingerprint)
    provenance = Provenance(
        spec_title=document.title,
        spec_version=document.version,
        spec_sha256=document.sha256,
        package_version=package_version,
        generators=generators,
    )
    return Inputs(document, lock, effective, provenance, next_lock)


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.podgen-tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@contextlib.contextmanager
def scratch_dir(layout: Layout) -> Iterator[Path]:
    """A temporary folder beside generated/, so the final swap is a rename on one file system."""
    layout.root.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=".podgen-tmp-", dir=layout.root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _plain(text: str) -> str:
    """One line, without the object reprs some generator messages carry (they change on every run)."""
    text = re.sub(r"<[\w.]+ object at 0x[0-9a-f]+>", "<value>", text)
    return " ".join(text.split())


def run_client_generator(layout: Layout, inputs: Inputs, out: Path) -> None:
    from openapi_python_client import Project
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser import GeneratorData
    from openapi_python_client.parser.errors import ErrorLevel, GeneratorError

    config = Config.from_sources(
        ConfigFile(
            project_name_override=DIST_NAME,
            package_name_override=PACKAGE_NAME,
            package_version_override=inputs.provenance.package_version,
            post_hooks=[],
            literal_enums=True,
        ),
        MetaType.UV,
        document_source=layout.spec_file,
        file_encoding="utf-8",
        overwrite=True,
        output_path=out,
    )
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured):
            data = GeneratorData.from_dict(inputs.effective, config=config)
            if isinstance(data, GeneratorError):
                reason = _plain(f"{data.header} {data.detail or ''}")
                raise GeneratorFailed(f"openapi-python-client could not read the document: {reason}")
            project = Project(openapi=data, config=config, custom_template_path=layout.client_templates)
            project.env.globals["podgen"] = inputs.provenance.template_globals()
            project.env.globals["models_module"] = MODELS_MODULE
            project.env.globals["auth_header"] = AUTH_HEADER
            project.env.globals["parameter_doc"] = _parameter_docs(inputs.effective)
            errors = project.build()
    except GeneratorFailed:
        raise
    except Exception as exc:  # a template or generator bug: name it, keep generated/ as it was
        raise GeneratorFailed(f"openapi-python-client failed: {type(exc).__name__}: {_plain(str(exc))}") from exc
    fatal = [e for e in errors if e.level == ErrorLevel.ERROR]
    warnings = [e for e in errors if e.level != ErrorLevel.ERROR]
    if fatal or warnings:
        first = (fatal or warnings)[0]
        kind = "failed" if fatal else "could not generate everything"
        raise GeneratorFailed(
            f"openapi-python-client {kind}: {_plain(str(first.header))}: {_plain(str(first.detail or ''))}"
        )


def _parameter_docs(document: dict[str, Any]) -> Any:
    """A template function: the spec's description of a parameter (openapi-python-client keeps only the schema's)."""
    docs: dict[tuple[str, str, str, str], str] = {}
    for path, item in (document.get("paths") or {}).items():
        shared = item.get("parameters") or []
        for method in spec.HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            for parameter in [*shared, *(operation.get("parameters") or [])]:
                if isinstance(parameter, dict) and "name" in parameter:
                    key = (method.upper(), path, str(parameter.get("in")), str(parameter["name"]))
                    docs[key] = str(parameter.get("description") or "")

    def plain(value: Any) -> str:
        return str(value.get_untrusted_value()) if hasattr(value, "get_untrusted_value") else str(value)

    def lookup(endpoint: Any, parameter: Any, location: str) -> str:
        return docs.get((plain(endpoint.method).upper(), plain(endpoint.path), location, plain(parameter.name)), "")

    return lookup


def run_model_generator(layout: Layout, inputs: Inputs, target: Path) -> None:
    from datamodel_code_generator import InputFileType, OpenEnums, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType
    from datamodel_code_generator.format import Formatter

    try:
        with warnings.catch_warnings():
            # Deprecation notices about its own future defaults; every option we rely on is passed explicitly.
            warnings.simplefilter("ignore", FutureWarning)
            generate(
                json.dumps(inputs.effective),
                input_file_type=InputFileType.OpenAPI,
                input_filename="pod-api.json",
                output=target,
                output_model_type=DataModelType.MsgspecStruct,
                target_python_version=PythonVersion.PY_311,
                custom_template_dir=layout.model_templates,
                custom_file_header=inputs.provenance.header("#"),
                disable_timestamp=True,
                snake_case_field=True,
                use_annotated=True,
                use_schema_description=True,
                use_field_description=True,
                keep_model_order=True,
                untrusted_input=True,
                formatters=[Formatter.BUILTIN],
                base_class=f"{PACKAGE_NAME}.types.PodModel",
                # Tolerant reading: a value a newer pod adds to an enum decodes instead of failing.
                open_enums=OpenEnums.All,
                open_enum_base_class_map={
                    "StrEnum": f"{PACKAGE_NAME}.types.OpenStrEnum",
                    "IntEnum": f"{PACKAGE_NAME}.types.OpenIntEnum",
                },
            )
    except Exception as exc:
        raise GeneratorFailed(
            f"datamodel-code-generator failed: {type(exc).__name__}: {' '.join(str(exc).split())}"
        ) from exc


def copy_changelog(layout: Layout, inputs: Inputs, project_dir: Path) -> None:
    """The package's changelog is spec/CHANGELOG.md (written by bump), under the provenance header."""
    source = layout.spec_dir / "CHANGELOG.md"
    if source.is_file():
        header = "<!-- " + " ".join(inputs.provenance.header_lines()).replace("--", "- -") + " -->"
        (project_dir / "CHANGELOG.md").write_text(
            header + "\n\n" + source.read_text(encoding="utf-8"), encoding="utf-8"
        )


def _run(args: list[str], cwd: Path, what: str) -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        first = next((line for line in output.splitlines() if "error" in line.lower()), None) or next(
            (line for line in output.splitlines() if line.strip()), "no output"
        )
        raise GeneratorFailed(f"{what} failed: {first}")


def format_tree(project_dir: Path) -> None:
    ruff = [sys.executable, "-m", "ruff"]
    _run([*ruff, "check", "--fix-only", "--unsafe-fixes", "--no-cache", "."], project_dir, "ruff check --fix")
    _run([*ruff, "format", "--no-cache", "."], project_dir, "ruff format")


def verify_tree(layout: Layout, project_dir: Path) -> None:
    """The candidate must import and pass mypy --strict before it may replace generated/."""
    importer = (
        "import importlib, pkgutil, sys\n"
        f"import {PACKAGE_NAME} as p\n"
        "for m in pkgutil.walk_packages(p.__path__, p.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
    )
    env_path = str(project_dir)
    env = {**os.environ, "PYTHONPATH": env_path, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", importer], cwd=project_dir, capture_output=True, text=True, env=env, check=False
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise VerifyFailed(f"the generated package does not import: {last}")
    cache = layout.root / ".mypy_cache" / "podgen-verify"
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(cache), PACKAGE_NAME]
    result = subprocess.run(mypy, cwd=project_dir, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
        raise VerifyFailed(
            f"mypy --strict fails on the generated package ({len(lines)} lines), "
            f"first: {lines[0] if lines else 'no output'}"
        )


def build_candidate(layout: Layout, inputs: Inputs, scratch: Path, verify: bool = True) -> Path:
    """Generate the distribution into ``scratch`` and return its folder."""
    project_dir = scratch / DIST_NAME
    run_client_generator(layout, inputs, project_dir)
    run_model_generator(layout, inputs, project_dir / PACKAGE_NAME / "models" / f"{MODELS_MODULE}.py")
    copy_changelog(layout, inputs, project_dir)
    format_tree(project_dir)
    for cache in project_dir.rglob("__pycache__"):
        shutil.rmtree(cache)
    if verify:
        verify_tree(layout, project_dir)
    return project_dir


def swap_into_place(candidate: Path, target: Path) -> None:
    """Replace ``target`` by ``candidate`` with renames, restoring the old tree if the second rename fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    backup = candidate.parent / (target.name + ".old")
    had_target = target.exists()
    if had_target:
        os.replace(target, backup)
    try:
        os.replace(candidate, target)
    except OSError:
        if had_target:
            os.replace(backup, target)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def generate(layout: Layout) -> Inputs:
    inputs = load_inputs(layout)
    with scratch_dir(layout) as scratch:
        candidate = build_candidate(layout, inputs, scratch)
        swap_into_place(candidate, layout.dist_dir)
    if inputs.next_lock != inputs.lock:
        write_atomically(layout.lock_file, inputs.next_lock.to_json())
    return inputs
