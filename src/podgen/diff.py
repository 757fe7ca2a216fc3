"""What changed between two OpenAPI documents, grouped as breaking, additive and documentation-only.

Breaking means a caller of the generated client, or code reading its results, can break: an operation, a
parameter, a response status, a schema or a property removed; a parameter or property retyped; a parameter added
as required or made required; a property made required or no longer required; an enum value removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BREAKING, ADDITIVE, DOCS = "breaking", "additive", "documentation"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Change:
    kind: str
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class SpecDiff:
    old_version: str
    new_version: str
    changes: list[Change] = field(default_factory=list)

    def add(self, kind: str, where: str, what: str) -> None:
        self.changes.append(Change(kind, where, what))

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def breaking(self) -> bool:
        return bool(self.of(BREAKING))

    def render(self) -> str:
        if not self.changes:
            return "no changes"
        lines = []
        for kind in (BREAKING, ADDITIVE, DOCS):
            found = self.of(kind)
            if found:
                lines.append(f"{kind} ({len(found)}):")
                lines.extend(f"  - {change}" for change in found)
        return "\n".join(lines)


class _Resolver:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def __call__(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 50:
            target: Any = self.document
            for token in str(node["$ref"]).lstrip("#/").split("/"):
                target = target.get(token.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) else {}
            node, seen = target, seen + 1
        return node


def _type_of(schema: Any, resolve: _Resolver) -> str:
    """A schema's shape as a short string: a $ref keeps its name, so renaming a referenced schema is a retype."""
    if isinstance(schema, dict) and "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    schema = resolve(schema)
    if not isinstance(schema, dict):
        return "any"
    kind = schema.get("type", "object" if "properties" in schema else "any")
    if isinstance(kind, list):
        kind = "|".join(sorted(str(k) for k in kind))
    if kind == "array":
        return f"array[{_type_of(schema.get('items', {}), resolve)}]"
    fmt = schema.get("format")
    return f"{kind}({fmt})" if fmt else str(kind)


def _operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for path, item in (document.get("paths") or {}).items():
        for method in METHODS:
            if isinstance(item, dict) and isinstance(item.get(method), dict):
                found[f"{method.upper()} {path}"] = item[method]
    return found


def _parameters(operation: dict[str, Any], resolve: _Resolver) -> dict[str, dict[str, Any]]:
    result = {}
    for raw in operation.get("parameters") or []:
        parameter = resolve(raw)
        if isinstance(parameter, dict) and "name" in parameter:
            result[f"{parameter.get('in')} parameter {parameter['name']!r}"] = parameter
    return result


def _docs_changed(
    diff: SpecDiff, where: str, old: Any, new: Any, keys: tuple[str, ...] = ("summary", "description")
) -> None:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    for key in keys:
        if old.get(key) != new.get(key):
            diff.add(DOCS, where, f"{key} changed")


def _compare_schema(
    diff: SpecDiff, where: str, old: Any, new: Any, old_r: _Resolver, new_r: _Resolver, depth: int = 0
) -> None:
    if depth > 8:
        return
    if isinstance(old, dict) and isinstance(new, dict) and "$ref" in old and "$ref" in new:
        if old["$ref"] != new["$ref"]:
            diff.add(BREAKING, where, f"retyped from {_type_of(old, old_r)} to {_type_of(new, new_r)}")
        return  # named schemas are compared once, under components
    old_type, new_type = _type_of(old, old_r), _type_of(new, new_r)
    if old_type != new_type:
        diff.add(BREAKING, where, f"retyped from {old_type} to {new_type}")
        return
    old, new = old_r(old), new_r(new)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    _docs_changed(diff, where, old, new, ("description",))
    old_enum, new_enum = old.get("enum"), new.get("enum")
    if isinstance(old_enum, list) or isinstance(new_enum, list):
        removed = [v for v in old_enum or [] if v not in (new_enum or [])]
        added = [v for v in new_enum or [] if v not in (old_enum or [])]
        if new_enum is None:
            diff.add(ADDITIVE, where, "no longer restricted to an enum")
        for value in removed:
            diff.add(BREAKING, where, f"enum value {value!r} removed")
        for value in added:
            diff.add(ADDITIVE, where, f"enum value {value!r} added")
    old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
    old_required, new_required = set(old.get("required") or []), set(new.get("required") or [])
    for name in sorted(set(old_props) | set(new_props)):
        here = f"{where}.{name}"
        if name not in new_props:
            diff.add(BREAKING, here, "property removed")
        elif name not in old_props:
            kind = BREAKING if name in new_required else ADDITIVE
            diff.add(kind, here, "property added" + (" as required" if name in new_required else ""))
        else:
            if name in new_required and name not in old_required:
                diff.add(BREAKING, here, "made required")
            elif name in old_required and name not in new_required:
                diff.add(BREAKING, here, "no longer required (readers may find it absent)")
            _compare_schema(diff, here, old_props[name], new_props[name], old_r, new_r, depth + 1)
    if "items" in old and "items" in new:
        _compare_schema(diff, f"{where}[]", old["items"], new["items"], old_r, new_r, depth + 1)


def _json_schema(response: Any, resolve: _Resolver) -> Any:
    content = (resolve(response) or {}).get("content") or {}
    media = content.get("application/json")
    return None if media is None else media.get("schema")


def compare(old: dict[str, Any], new: dict[str, Any]) -> SpecDiff:
    old_r, new_r = _Resolver(old), _Resolver(new)
    diff = SpecDiff(str((old.get("info") or {}).get("version")), str((new.get("info") or {}).get("version")))
    _docs_changed(diff, "info", old.get("info"), new.get("info"), ("title", "description"))
    old_ops, new_ops = _operations(old), _operations(new)
    for key in sorted(set(old_ops) | set(new_ops)):
        if key not in new_ops:
            diff.add(BREAKING, key, "operation removed")
            continue
        if key not in old_ops:
            diff.add(ADDITIVE, key, "operation added")
            continue
        before, after = old_ops[key], new_ops[key]
        _docs_changed(diff, key, before, after)
        if before.get("operationId") != after.get("operationId"):
            diff.add(BREAKING, key, f"operationId {before.get('operationId')!r} -> {after.get('operationId')!r}")
        old_params, new_params = _parameters(before, old_r), _parameters(after, new_r)
        for name in sorted(set(old_params) | set(new_params)):
            here = f"{key} {name}"
            if name not in new_params:
                diff.add(BREAKING, here, "removed")
            elif name not in old_params:
                required = bool(new_params[name].get("required"))
                diff.add(
                    BREAKING if required else ADDITIVE, here, "added as required" if required else "added (optional)"
                )
            else:
                was, now = bool(old_params[name].get("required")), bool(new_params[name].get("required"))
                if now and not was:
                    diff.add(BREAKING, here, "made required")
                elif was and not now:
                    diff.add(ADDITIVE, here, "made optional")
                _docs_changed(diff, here, old_params[name], new_params[name], ("description",))
                _compare_schema(
                    diff, here, old_params[name].get("schema", {}), new_params[name].get("schema", {}), old_r, new_r
                )
        old_resp, new_resp = before.get("responses") or {}, after.get("responses") or {}
        for status in sorted(set(old_resp) | set(new_resp), key=str):
            here = f"{key} response {status}"
            if status not in new_resp:
                diff.add(BREAKING, here, "status removed")
            elif status not in old_resp:
                diff.add(ADDITIVE, here, "status added")
            else:
                _docs_changed(diff, here, old_r(old_resp[status]), new_r(new_resp[status]), ("description",))
                old_schema, new_schema = _json_schema(old_resp[status], old_r), _json_schema(new_resp[status], new_r)
                if old_schema is not None and new_schema is not None:
                    _compare_schema(diff, here, old_schema, new_schema, old_r, new_r)
                elif old_schema is not None:
                    diff.add(BREAKING, here, "body removed")
                elif new_schema is not None:
                    diff.add(ADDITIVE, here, "body added")
    old_schemas = (old.get("components") or {}).get("schemas") or {}
    new_schemas = (new.get("components") or {}).get("schemas") or {}
    for name in sorted(set(old_schemas) | set(new_schemas)):
        here = f"schema {name}"
        if name not in new_schemas:
            diff.add(BREAKING, here, "removed")
        elif name not in old_schemas:
            diff.add(ADDITIVE, here, "added")
        else:
            _compare_schema(diff, name, old_schemas[name], new_schemas[name], old_r, new_r)
    return diff
