"""Client conformance: cases schemathesis generates, sent through the generated client, sync and async.

For every answer the client must return the decoded model (which encodes back to the JSON the pod sent) or raise
the typed error that matches the status, and never anything else.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import pkgutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import msgspec

from podgen.contract.report import Failure, SuiteResult, curl
from podgen.contract.target import Target
from podgen.spec import iter_operations

PACKAGE = "symphony_pod_client"
AUTH_HEADER = "sessionToken"


@dataclass(frozen=True)
class Endpoint:
    """One generated endpoint module and the spec operation it implements."""

    module: ModuleType
    method: str
    path: str
    definition: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def endpoints(document: dict[str, Any]) -> list[Endpoint]:
    """The generated endpoint modules, matched to the spec by method and path; a missing one is an error."""
    package = importlib.import_module(f"{PACKAGE}.api")
    modules: dict[tuple[str, str], ModuleType] = {}
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        operation = getattr(module, "OPERATION", None)
        if operation is not None:
            modules[(operation.method, operation.path)] = module
    found = []
    for method, path, definition in iter_operations(document):
        matched = modules.get((method, path))
        if matched is None:
            raise LookupError(f"the generated client has no module for {method} {path}: regenerate it")
        found.append(Endpoint(matched, method, path, definition))
    return found


class Resolver:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self.document
            for token in str(node["$ref"]).lstrip("#/").split("/"):
                target = target[token.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def response_schema(self, definition: dict[str, Any], status: int) -> Any:
        response = self.resolve((definition.get("responses") or {}).get(str(status)))
        media = ((response or {}).get("content") or {}).get("application/json")
        return None if media is None else self.resolve(media.get("schema", {}))

    def allows_null(self, schema: Any) -> bool:
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return True
        kind = schema.get("type")
        if schema.get("nullable") or kind == "null" or (isinstance(kind, list) and "null" in kind):
            return True
        return any(self.allows_null(s) for s in schema.get("anyOf", []) + schema.get("oneOf", []))

    def prune(self, value: Any, schema: Any) -> Any:
        """``value`` as the client would write it back: undeclared properties and allowed nulls left out."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return value
        if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
            declared = schema["properties"]
            return {
                key: self.prune(item, declared[key])
                for key, item in value.items()
                if key in declared and not (item is None and self.allows_null(declared[key]))
            }
        if isinstance(value, list) and "items" in schema:
            return [self.prune(item, schema["items"]) for item in value]
        return value


def _bucket(requests_per_second: float | None) -> Callable[[], None]:
    interval = 0.0 if not requests_per_second else 1.0 / requests_per_second
    last = [0.0]

    def wait() -> None:
        if interval:
            pause = last[0] + interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            last[0] = time.monotonic()

    return wait


def generate_cases(endpoint: Endpoint, schema: Any, count: int, seed: int) -> list[Any]:
    """``count`` positive cases for one operation, reproducible from ``seed``."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hypothesis_seed
    from schemathesis import GenerationMode

    operation = schema[endpoint.path][endpoint.method.lower()]
    cases: list[Any] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=False,
    )
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    def collect(case: Any) -> None:
        cases.append(case)

    collect()
    return cases


def call_arguments(endpoint: Endpoint, case: Any) -> dict[str, Any]:
    """The generated function's keyword arguments for a schemathesis case (the token is the client's own)."""
    parameters = inspect.signature(endpoint.module.build_request).parameters
    wire = {**(case.path_parameters or {}), **(case.query or {}), **(case.headers or {})}
    arguments: dict[str, Any] = {}
    for parameter in endpoint.definition.get("parameters") or []:
        name = str(parameter.get("name"))
        if name == AUTH_HEADER or name not in wire:
            continue
        python_name = next((p for p in parameters if p.replace("_", "").lower() == name.replace("_", "").lower()), None)
        if python_name is not None:
            arguments[python_name] = wire[name]
    if "body" in parameters and case.body is not None:
        annotation = endpoint.module.build_request.__annotations__.get("body")
        hints = inspect.get_annotations(endpoint.module.build_request, eval_str=True)
        arguments["body"] = msgspec.convert(case.body, type=hints.get("body", annotation))
    return arguments


class ClientChecks:
    """The checks applied to each answer the client gives back."""

    def __init__(self, resolver: Resolver, errors: ModuleType) -> None:
        self.resolver = resolver
        self.errors = errors

    def check(self, endpoint: Endpoint, response: Any) -> list[tuple[str, str]]:
        operation = endpoint.module.OPERATION
        status = response.status_code
        problems: list[tuple[str, str]] = []
        if not operation.documents(status):
            problems.append(("status_documented", f"the pod answered {status}, which the spec does not document"))
        if status in operation.success:
            if response.error is not None:
                problems.append(
                    ("response_decodes", f"HTTP {status}: {type(response.error).__name__}: {response.error}")
                )
                return problems
            model = operation.success[status]
            if model is None:
                return problems
            if not isinstance(response.parsed, model):
                problems.append(("response_decodes", f"HTTP {status} decoded to {type(response.parsed).__name__}"))
                return problems
            schema = self.resolver.response_schema(endpoint.definition, status)
            sent = self.resolver.prune(json.loads(response.content), schema)
            written = msgspec.to_builtins(response.parsed)
            if sent != written:
                problems.append(
                    ("round_trip", f"HTTP {status}: decoded body encodes to {written!r:.200}, pod sent {sent!r:.200}")
                )
            return problems
        expected = self._expected_error(operation, status)
        carried = getattr(response.error, "status_code", None)
        if type(response.error) is not expected:
            got = type(response.error).__name__ if response.error is not None else "no error"
            problems.append(("typed_error", f"HTTP {status} gave {got}, expected {expected.__name__}"))
        elif carried != status:
            problems.append(("typed_error", f"HTTP {status} error carries status {carried}"))
        return problems

    def _expected_error(self, operation: Any, status: int) -> type[Exception]:
        documented = status in operation.errors
        if 200 <= status < 300 and not documented:
            return self.errors.UnexpectedStatusError  # type: ignore[no-any-return]
        return self.errors.error_class(status, documented)  # type: ignore[no-any-return]


def run_client_conformance(
    target: Target,
    document: dict[str, Any],
    *,
    max_examples: int,
    seed: int,
    allow_unsafe: bool,
    requests_per_second: float | None,
    max_requests: int,
) -> tuple[SuiteResult, SuiteResult]:
    import schemathesis

    client_module = importlib.import_module(f"{PACKAGE}.client")
    errors = importlib.import_module(f"{PACKAGE}.errors")
    schema = schemathesis.openapi.from_dict(document)
    checks = ClientChecks(Resolver(document), errors)
    sync_result, async_result = SuiteResult("client-sync"), SuiteResult("client-async")
    wait = _bucket(requests_per_second)
    budget = [max_requests]
    retry = client_module.NO_RETRIES  # each answer is judged as the pod gave it

    planned: list[tuple[Endpoint, Any, dict[str, Any]]] = []
    for endpoint in endpoints(document):
        if target.live and not allow_unsafe and endpoint.method not in ("GET", "HEAD"):
            sync_result.notes.append(f"{endpoint.label} skipped: unsafe against a live pod (--allow-unsafe)")
            continue
        for index, case in enumerate(generate_cases(endpoint, schema, max_examples, seed)):
            if index % 2 == 0:  # every other case names something real on the pod, so answers include 2xx bodies
                for name in list(case.path_parameters or {}):
                    if name in target.path_values:
                        case.path_parameters[name] = target.path_values[name]
            planned.append((endpoint, case, call_arguments(endpoint, case)))

    def record(result: SuiteResult, endpoint: Endpoint, case: Any, problems: list[tuple[str, str]]) -> None:
        result.cases += 1
        for check, detail in problems:
            url = target.base_url + case.formatted_path
            result.fail(
                Failure(
                    result.name,
                    endpoint.label,
                    check,
                    target.redact(detail),
                    curl(endpoint.method, url, {AUTH_HEADER: "x"}),
                )
            )

    def turn(result: SuiteResult) -> bool:
        """Whether one more request fits the budget; waits for the rate limit if it does."""
        if budget[0] <= 0:
            result.notes.append(f"stopped at the request limit ({max_requests})")
            return False
        budget[0] -= 1
        wait()
        return True

    with client_module.PodClient(target.base_url, target.token, retry=retry) as client:
        for endpoint, case, arguments in planned:
            if not turn(sync_result):
                break
            record(sync_result, endpoint, case, _guarded(client, endpoint, arguments, errors, checks))

    async def run_async() -> None:
        async with client_module.AsyncPodClient(target.base_url, target.token, retry=retry) as client:
            for endpoint, case, arguments in planned:
                if not turn(async_result):
                    return
                problems = await _guarded_async(client, endpoint, arguments, errors, checks)
                record(async_result, endpoint, case, problems)

    asyncio.run(run_async())
    return sync_result, async_result


async def _guarded_async(
    client: Any, endpoint: Endpoint, arguments: dict[str, Any], errors: ModuleType, checks: ClientChecks
) -> list[tuple[str, str]]:
    """The async twin of ``_guarded``."""
    try:
        response = await endpoint.module.asyncio_detailed(client, **arguments)
    except errors.PodClientError as exc:
        return _refusal(exc, errors)
    except Exception as exc:
        return [("client_crash", f"{type(exc).__name__}: {exc}")]
    return checks.check(endpoint, response)


def _refusal(exc: Exception, errors: ModuleType) -> list[tuple[str, str]]:
    if isinstance(exc, errors.InvalidParameterError):
        return []  # refused before sending, as documented (empty or dot-segment path values)
    return [("transport", f"{type(exc).__name__}: {exc}")]


def _guarded(
    client: Any, endpoint: Endpoint, arguments: dict[str, Any], errors: ModuleType, checks: ClientChecks
) -> list[tuple[str, str]]:
    try:
        response = endpoint.module.sync_detailed(client, **arguments)
    except errors.PodClientError as exc:
        return _refusal(exc, errors)
    except Exception as exc:
        return [("client_crash", f"{type(exc).__name__}: {exc}")]
    return checks.check(endpoint, response)
