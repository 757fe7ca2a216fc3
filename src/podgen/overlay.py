"""Apply OpenAPI Overlay 1.0 documents (spec/overlays/*.yaml) to the upstream document, in file-name order."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonpath

from podgen.errors import OverlayError, SpecUnreadable
from podgen.spec import load_yaml


@dataclass(frozen=True)
class Action:
    source: str
    index: int
    target: str
    update: Any
    remove: bool

    @property
    def name(self) -> str:
        return f"{self.source} action {self.index + 1} (target {self.target})"


def overlay_files(folder: Path) -> list[Path]:
    if not folder.exists():
        return []
    if not folder.is_dir():
        raise OverlayError(f"{folder.name} is not a folder of overlay files")
    found = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    for path in found:
        if not path.is_file():
            raise OverlayError(f"overlay {path.name} is not a file")
    return found


def read_actions(path: Path) -> list[Action]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), f"overlay {path.name}")
    except (SpecUnreadable, UnicodeDecodeError) as exc:
        reason = exc.one_line() if isinstance(exc, SpecUnreadable) else str(exc)
        raise OverlayError(
            f"overlay {path.name} is not valid YAML: {' '.join(reason.split('; fix:')[0].split())}"
        ) from None
    if not isinstance(data, dict) or not str(data.get("overlay", "")).startswith("1."):
        raise OverlayError(f"overlay {path.name} is not an Overlay 1.x document (no 'overlay: 1.0.0' field)")
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        raise OverlayError(f"overlay {path.name} has no actions")
    parsed = []
    for index, raw in enumerate(actions):
        if not isinstance(raw, dict) or not isinstance(raw.get("target"), str):
            raise OverlayError(f"overlay {path.name} action {index + 1} has no target")
        remove = raw.get("remove", False)
        if not isinstance(remove, bool):
            raise OverlayError(f"overlay {path.name} action {index + 1}: remove must be true or false, not {remove!r}")
        if not remove and "update" not in raw:
            raise OverlayError(f"overlay {path.name} action {index + 1} has neither update nor remove")
        parsed.append(Action(path.name, index, raw["target"], raw.get("update"), remove))
    return parsed


def _merge(node: Any, update: Any, action: Action) -> None:
    if isinstance(node, dict) and isinstance(update, dict):
        for key, value in update.items():
            if key in node and isinstance(node[key], (dict, list)) and isinstance(value, type(node[key])):
                _merge(node[key], value, action)
            else:
                node[key] = copy.deepcopy(value)
    elif isinstance(node, list):
        node.extend(copy.deepcopy(update) if isinstance(update, list) else [copy.deepcopy(update)])
    else:
        raise OverlayError(f"{action.name} matches a {type(node).__name__}, which an update cannot merge into")


def apply_action(document: dict[str, Any], action: Action) -> None:
    try:
        matches = list(jsonpath.finditer(action.target, document))
    except jsonpath.JSONPathError as exc:
        raise OverlayError(f"{action.name} is not a valid JSONPath: {exc}") from None
    if not matches:
        raise OverlayError(f"{action.name} matches nothing in the document")
    if action.remove:
        # Remove from the deepest and last positions first so earlier indices stay valid.
        for match in sorted(
            matches, key=lambda m: [(p if isinstance(p, int) else -1, str(p)) for p in m.parts], reverse=True
        ):
            parent = match.parent.obj if match.parent is not None else None
            key = match.parts[-1] if match.parts else None
            if isinstance(parent, list) and isinstance(key, int):
                del parent[key]
                continue
            if not isinstance(parent, dict) or key not in parent:
                raise OverlayError(f"{action.name} cannot remove the document root")
            del parent[key]
        return
    for match in matches:
        _merge(match.obj, action.update, action)


def apply_overlays(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """A new document with every overlay in ``folder`` applied; the input is left untouched."""
    result = copy.deepcopy(document)
    for path in overlay_files(folder):
        for action in read_actions(path):
            apply_action(result, action)
    return result
