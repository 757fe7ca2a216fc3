"""The spec's schemas as the mock uses them: the generated models to encode with, example data, parameter checks."""

from __future__ import annotations

import importlib
from typing import Any

import msgspec

MODELS_PACKAGE = "symphony_pod_client.models"
INT64_MAX = 2**63 - 1


class ModelLookup:
    """Encodes with the generated client's models, so the mock and the client share one model family."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.schemas: dict[str, Any] = (document.get("components") or {}).get("schemas") or {}
        try:
            self.models: Any = importlib.import_module(MODELS_PACKAGE)
        except ImportError:  # the mock can still serve plain JSON without the generated package
            self.models = None

    def model(self, name: str) -> type[Any] | None:
        return getattr(self.models, name, None) if self.models is not None else None

    def resolve(self, schema: Any) -> Any:
        while isinstance(schema, dict) and "$ref" in schema:
            pointer = str(schema["$ref"]).lstrip("#/").split("/")
            node: Any = self.document
            for token in pointer:
                node = node[token.replace("~1", "/").replace("~0", "~")]
            schema = node
        return schema

    def response_schema(self, response: Any) -> Any:
        response = self.resolve(response)
        content = (response or {}).get("content") or {}
        media = content.get("application/json")
        return None if media is None else media.get("schema", {})

    def encode(self, body: Any) -> bytes:
        return msgspec.json.encode(body)

    def error(self, code: int, message: str) -> Any:
        model = self.model("Error")
        return model(code=code, message=message) if model is not None else {"code": code, "message": message}

    def example(self, schema: Any) -> Any:
        """Schema-valid data, as a generated model when the schema is a named component."""
        if isinstance(schema, dict) and "$ref" in schema:
            name = str(schema["$ref"]).rsplit("/", 1)[-1]
            data = self._example(self.resolve(schema), depth=0)
            model = self.model(name)
            return msgspec.convert(data, type=model) if model is not None else data
        return self._example(self.resolve(schema), depth=0)

    def _example(self, schema: Any, depth: int) -> Any:
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return None
        if "example" in schema:
            return schema["example"]
        if schema.get("enum"):
            return schema["enum"][0]
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind == "object" or "properties" in schema:
            if depth > 6:
                return {}
            return {name: self._example(sub, depth + 1) for name, sub in (schema.get("properties") or {}).items()}
        if kind == "array":
            return [self._example(schema.get("items", {}), depth + 1)] if depth <= 6 else []
        if kind == "integer":
            return 68719476737 if schema.get("format") == "int64" else 42
        if kind == "number":
            return 1.5
        if kind == "boolean":
            return True
        if kind == "string":
            return {"date-time": "2026-01-01T00:00:00Z", "date": "2026-01-01"}.get(str(schema.get("format")), "example")
        return None


def _valid(schema: dict[str, Any], value: str) -> bool:
    kind = schema.get("type")
    if kind == "integer":
        try:
            int(value)
        except ValueError:
            return False
    elif kind == "number":
        try:
            float(value)
        except ValueError:
            return False
    elif kind == "boolean":
        return value in ("true", "false")
    enum = schema.get("enum")
    return not enum or value in [str(v) for v in enum]


def check_parameters(
    declared: list[dict[str, Any]],
    path: dict[str, str],
    headers: dict[str, str],
    query: dict[str, list[str]],
    auth_header: str,
) -> str | None:
    """The reason a request breaks the spec's parameter rules, or ``None``; the caller answers 400 with it."""
    for parameter in declared:
        where, name = parameter.get("in"), str(parameter.get("name", ""))
        schema = parameter.get("schema") or {}
        if where == "header" and name.lower() == auth_header:
            continue
        if where == "path":
            value: str | None = path.get(name)
        elif where == "query":
            values = query.get(name)
            value = values[-1] if values else None
        elif where == "header":
            value = headers.get(name.lower())
        else:
            continue
        if value is None:
            if parameter.get("required"):
                return f"missing required {where} parameter {name!r}"
            continue
        if isinstance(schema, dict) and not _valid(schema, value):
            return f"{where} parameter {name!r} does not match its schema"
    return None
