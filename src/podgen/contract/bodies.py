"""Response-side properties: bodies generated from every response schema decode through the client and round-trip;
bodies that violate the schema raise the client's DecodeError, never a bare KeyError, TypeError or ValueError.

The bodies reach the client through an in-process httpx transport: this checks decoding, not the network.
A ``null`` for an optional property is not a mutation here: the client reads it as absent by design (tolerant
reading), and the round-trip check of the client suite is what catches a pod that sends one.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

import httpx
import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from podgen.contract.client import PACKAGE, Endpoint, Resolver, endpoints
from podgen.contract.report import Failure, SuiteResult

INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def strategy(schema: Any, resolver: Resolver, depth: int = 0) -> st.SearchStrategy[Any]:
    """JSON values valid against ``schema`` (the subset of JSON Schema the Pod API uses)."""
    schema = resolver.resolve(schema)
    if not isinstance(schema, dict) or depth > 6:
        return st.none()
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([strategy({**schema, "type": k}, resolver, depth) for k in kind])
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        return st.fixed_dictionaries(
            {k: strategy(v, resolver, depth + 1) for k, v in properties.items() if k in required},
            optional={k: strategy(v, resolver, depth + 1) for k, v in properties.items() if k not in required},
        )
    if kind == "array":
        return st.lists(strategy(schema.get("items", {}), resolver, depth + 1), max_size=4)
    if kind == "integer":
        low, high = INT_BOUNDS.get(str(schema.get("format")), INT_BOUNDS["int64"])
        return st.integers(schema.get("minimum", low), schema.get("maximum", high))
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        return st.text(max_size=24)
    if kind == "null":
        return st.none()
    return st.none() | st.booleans() | st.integers() | st.text(max_size=8)


def _wrong_value(schema: Any, resolver: Resolver) -> Any:
    """A non-null JSON value of a type ``schema`` does not allow."""
    schema = resolver.resolve(schema)
    kind = schema.get("type") if isinstance(schema, dict) else None
    if "enum" in (schema or {}) and all(isinstance(v, str) for v in schema["enum"]):
        return 7  # an open enum accepts unknown strings by design; a number is still the wrong type
    return {"string": 12345, "integer": "12345", "number": "1.5", "boolean": "yes", "array": {"not": "a list"}}.get(
        str(kind), [1, 2, 3]
    )


def mutations(body: Any, schema: Any, resolver: Resolver) -> list[tuple[str, Any]]:
    """(description, broken body) pairs, each breaking the schema in exactly one place."""
    schema = resolver.resolve(schema)
    found: list[tuple[str, Any]] = [("the whole body of the wrong type", _wrong_value(schema, resolver))]
    if isinstance(body, dict) and isinstance(schema, dict):
        for key, value in body.items():
            sub = (schema.get("properties") or {}).get(key)
            if sub is None:
                continue
            found.append((f"{key} of the wrong type", {**body, key: _wrong_value(sub, resolver)}))
            for text, inner in mutations(value, sub, resolver)[1:]:
                found.append((f"{key}.{text}", {**body, key: inner}))
    elif isinstance(body, list) and body and isinstance(schema, dict):
        for text, inner in mutations(body[0], schema.get("items", {}), resolver):
            found.append((f"[0] {text}", [inner, *body[1:]]))
    return found


def run_body_properties(document: dict[str, Any], *, max_examples: int, seed: int) -> SuiteResult:
    result = SuiteResult("bodies")
    client_module = importlib.import_module(f"{PACKAGE}.client")
    errors = importlib.import_module(f"{PACKAGE}.errors")
    types = importlib.import_module(f"{PACKAGE}.types")
    resolver = Resolver(document)

    for endpoint in endpoints(document):
        for status_text in sorted((endpoint.definition.get("responses") or {}), key=str):
            if not str(status_text).isdigit():
                continue
            status = int(status_text)
            schema = resolver.response_schema(endpoint.definition, status)
            if schema is None:
                continue
            _check_status(result, endpoint, status, schema, resolver, client_module, errors, types, max_examples, seed)
    return result


def _check_status(
    result: SuiteResult,
    endpoint: Endpoint,
    status: int,
    schema: Any,
    resolver: Resolver,
    client_module: Any,
    errors: Any,
    types: Any,
    max_examples: int,
    seed: int,
) -> None:
    operation = endpoint.module.OPERATION
    label = f"{endpoint.label} {status}"

    def answer(content: bytes) -> Any:
        transport = httpx.MockTransport(
            lambda request: httpx.Response(status, content=content, headers={"content-type": "application/json"})
        )
        with client_module.PodClient(
            "http://pod.invalid/pod", "token", transport=transport, retry=client_module.NO_RETRIES
        ) as c:
            return c.call(operation, types.RequestParts(path="/"))

    def fail(check: str, detail: str) -> None:
        result.fail(Failure("bodies", label, check, detail[:300]))

    def examine(body: Any) -> None:
        result.cases += 1
        content = json.dumps(body).encode()
        try:
            response = answer(content)
        except Exception as exc:
            fail("client_crash", f"{type(exc).__name__}: {exc} for body {content[:120]!r}")
            return
        if status in operation.success:
            if response.error is not None:
                fail("valid_body_decodes", f"{type(response.error).__name__}: {response.error} for {content[:120]!r}")
            elif msgspec.to_builtins(response.parsed) != resolver.prune(body, schema):
                fail("round_trip", f"{content[:120]!r} came back as {msgspec.to_builtins(response.parsed)!r:.120}")
        else:
            error = response.error
            if not isinstance(error, errors.ApiError) or error.status_code != status:
                fail("typed_error", f"HTTP {status} with a valid body gave {type(error).__name__}")
            elif isinstance(body, dict) and body.get("message") is not None and error.message != body["message"]:
                fail("error_message", f"the error's message {error.message!r} is not the body's {body['message']!r}")
        for description, broken in mutations(body, schema, resolver):
            result.cases += 1
            broken_content = json.dumps(broken).encode()
            try:
                response = answer(broken_content)
            except Exception as exc:
                fail("client_crash", f"{description}: {type(exc).__name__}: {exc}")
                continue
            if status in operation.success and not isinstance(response.error, errors.DecodeError):
                fail("invalid_body_raises_decode_error", f"{description}: got {type(response.error).__name__}")
            if status not in operation.success and not isinstance(response.error, errors.ApiError):
                fail("typed_error", f"{description}: HTTP {status} gave {type(response.error).__name__}")

    @hypothesis_seed(seed)
    @settings(max_examples=max_examples, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(body=strategy(schema, resolver))
    def property_test(body: Any) -> None:
        examine(body)

    property_test()
    result.cases += 1
    try:
        response = answer(b'{"truncated": [')
        if status in operation.success and not isinstance(response.error, errors.DecodeError):
            fail("invalid_body_raises_decode_error", f"malformed JSON gave {type(response.error).__name__}")
    except Exception as exc:
        fail("client_crash", f"malformed JSON: {type(exc).__name__}: {exc}")
