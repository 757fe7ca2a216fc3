"""The effective spec: the locked upstream document with our overlays applied, checked again."""

from __future__ import annotations

from typing import Any

from podgen import overlay, spec
from podgen.layout import Layout


def load_effective(layout: Layout) -> tuple[spec.SpecDocument, spec.SpecLock, dict[str, Any]]:
    lock = spec.SpecLock.read(layout.lock_file)
    document = spec.load(layout.spec_file)
    spec.verify_lock(document, lock)
    effective = overlay.apply_overlays(document.data, layout.overlays_dir)
    spec.check(effective, "the document with overlays applied")
    return document, lock, effective
