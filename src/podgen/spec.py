"""Load an OpenAPI document, check that podgen can generate from it, and check it against its lock."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from podgen.errors import (
    NotOpenAPI,
    SpecInvalid,
    SpecLockMismatch,
    SpecNotFound,
    SpecUnreadable,
    SwaggerNotSupported,
    UnresolvedRef,
    UnsupportedVersion,
)

SUPPORTED_MAJOR_MINOR = ("3.0", "3.1")
PACKAGE_VERSION = re.compile(r"\d+(\.\d+)*(\.post\d+)?")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class SpecDocument:
    """A parsed document and the exact bytes it came from."""

    path: Path
    raw: bytes
    data: dict[str, Any]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def version(self) -> str:
        return str(self.data["info"]["version"])

    @property
    def title(self) -> str:
        return str(self.data["info"]["title"])


@dataclass(frozen=True)
class SpecLock:
    document: str
    version: str
    sha256: str
    package_version: str
    #: fingerprint of templates, overlays and generator versions at the last generate (podgen.version)
    inputs: str = ""

    @classmethod
    def read(cls, path: Path) -> SpecLock:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            lock = cls(
                document=str(data["document"]),
                version=str(data["version"]),
                sha256=str(data["sha256"]),
                package_version=str(data["package_version"]),
                inputs=str(data.get("inputs", "")),
            )
        except FileNotFoundError:
            raise SpecLockMismatch(
                f"{path.name} is missing: the embedded spec's version and sha256 are not recorded",
                "restore it (git checkout -- spec/)",
            ) from None
        except (OSError, RecursionError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise SpecLockMismatch(
                f"{path.name} cannot be read: {reason}", "restore it (git checkout -- spec/)"
            ) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise SpecLockMismatch(
                f"{path.name} is not a valid lock file ({exc})", "restore it (git checkout -- spec/)"
            ) from None
        if not PACKAGE_VERSION.fullmatch(lock.package_version):
            raise SpecLockMismatch(
                f"{path.name} records package_version {lock.package_version!r}, which is not a release version "
                "(N.N.N or N.N.N.postN)",
                "restore it (git checkout -- spec/)",
            )
        return lock

    def to_json(self) -> str:
        body = {
            "document": self.document,
            "version": self.version,
            "sha256": self.sha256,
            "package_version": self.package_version,
            "inputs": self.inputs,
        }
        return json.dumps(body, indent=2) + "\n"


class DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def load_yaml(text: str, source: str) -> Any:
    """Safe YAML without anchors and aliases: they can nest without end (alias bombs, cycles)."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise SpecUnreadable(f"{source} uses YAML aliases (*name), which podgen does not accept")
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where is not None else ""
        raise SpecUnreadable(f"{source} is neither JSON nor YAML{at}") from None


def parse_bytes(raw: bytes, source: str) -> Any:
    """JSON first (the upstream format), then YAML; one error naming the source either way."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecUnreadable(f"{source} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except DuplicateKey as exc:
        raise SpecUnreadable(f"{source} is ambiguous: {exc}") from None
    except RecursionError:
        raise SpecUnreadable(f"{source} is nested too deeply to read") from None
    except ValueError as json_error:
        if text.lstrip().startswith(("{", "[")):
            raise SpecUnreadable(f"{source} is not valid JSON: {json_error}") from None
    try:
        return load_yaml(text, source)
    except RecursionError:
        raise SpecUnreadable(f"{source} is nested too deeply to read") from None


def load(path: Path) -> SpecDocument:
    """Read and fully check a document; raises a PodgenError naming the first problem."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SpecNotFound(f"spec file {path} does not exist") from None
    except IsADirectoryError:
        raise SpecNotFound(f"spec path {path} is a folder, not a file") from None
    except OSError as exc:
        raise SpecNotFound(f"spec file {path} cannot be read: {exc.strerror or exc}") from None
    data = parse_bytes(raw, path.name)
    check(data, path.name)
    return SpecDocument(path=path, raw=raw, data=data)


def check(data: Any, source: str) -> None:
    """Raise the PodgenError that best names why podgen cannot generate from ``data``."""
    check_version(data, source)
    check_refs(data, source)
    check_schema(data, source)
    check_operations(data, source)


def check_version(data: Any, source: str) -> None:
    if not isinstance(data, dict):
        raise NotOpenAPI(
            f"{source} is not an OpenAPI document (its top level is a {type(data).__name__}, not an object)"
        )
    if "swagger" in data:
        raise SwaggerNotSupported(f"{source} is Swagger {data['swagger']} (OpenAPI 2); podgen reads OpenAPI 3.x")
    version = data.get("openapi")
    if version is None:
        raise NotOpenAPI(f"{source} is not an OpenAPI document (no 'openapi' field at its top level)")
    if not isinstance(version, str) or version.count(".") != 2:
        raise UnsupportedVersion(f"{source} declares openapi {version!r}, which is not a version podgen knows")
    if version.rsplit(".", 1)[0] not in SUPPORTED_MAJOR_MINOR:
        raise UnsupportedVersion(f"{source} is OpenAPI {version}; podgen supports 3.0.x and 3.1.x")
    info = data.get("info")
    if not isinstance(info, dict) or not isinstance(info.get("version"), str) or not info.get("version"):
        raise SpecInvalid(f"{source} has no info.version string; the package version follows it")


def _pointer_target(data: Any, pointer: str) -> bool:
    node = data
    for token in pointer.lstrip("/").split("/") if pointer not in ("", "/") else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _walk_refs(node: Any, location: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, str]] = [(node, location)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                found.append((ref, where))
            for key, value in current.items():
                stack.append((value, f"{where}/{str(key).replace('~', '~0').replace('/', '~1')}"))
        elif isinstance(current, list):
            for index, value in enumerate(current):
                stack.append((value, f"{where}/{index}"))
    return sorted(found, key=lambda item: item[1])


def check_refs(data: dict[str, Any], source: str) -> None:
    for ref, where in _walk_refs(data, "#"):
        if not ref.startswith("#"):
            raise UnresolvedRef(
                f"{source}: $ref {ref!r} at {where} points outside the document; "
                "podgen reads one self-contained document"
            )
        if not _pointer_target(data, ref[1:]):
            raise UnresolvedRef(f"{source}: $ref {ref!r} at {where} does not resolve")


def check_schema(data: dict[str, Any], source: str) -> None:
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        validate(data)
    except RecursionError:
        raise SpecInvalid(f"{source}: the validator cannot follow its $refs (a reference cycle?)") from None
    except OpenAPIValidationError as exc:
        path = "/".join(str(part) for part in getattr(exc, "path", ()) or ())
        where = f" at #/{path}" if path else ""
        reason = " ".join(str(getattr(exc, "message", exc)).split())
        if len(reason) > 200:
            reason = reason[:197] + "..."
        raise SpecInvalid(f"{source} fails OpenAPI validation{where}: {reason}") from None


def iter_operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation) for every operation, in path order then method order."""
    for path, item in sorted((document.get("paths") or {}).items()):
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield method.upper(), path, operation


def check_operations(data: dict[str, Any], source: str) -> None:
    """Rules beyond the schema that a typed client needs (3.1 made ``responses`` optional; we do not)."""
    paths = data.get("paths") or {}
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            if not operation.get("responses"):
                raise SpecInvalid(
                    f"{source}: operation {method.upper()} {path} declares no responses; "
                    "a typed client needs at least one"
                )


def verify_lock(document: SpecDocument, lock: SpecLock) -> None:
    if document.sha256 != lock.sha256:
        raise SpecLockMismatch(
            f"{document.path.name} changed without updating its lock: sha256 is {document.sha256[:12]}…, "
            f"{lock.document} lock records {lock.sha256[:12]}… (version {lock.version})"
        )
    if document.version != lock.version:
        raise SpecLockMismatch(
            f"{document.path.name} says version {document.version} but its lock records {lock.version}"
        )
