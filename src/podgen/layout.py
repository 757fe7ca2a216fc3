"""Where each input and output of the pipeline lives, relative to the project root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DIST_NAME = "symphony-pod-client"
PACKAGE_NAME = "symphony_pod_client"


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def spec_dir(self) -> Path:
        return self.root / "spec"

    @property
    def spec_file(self) -> Path:
        return self.spec_dir / "pod-api.json"

    @property
    def lock_file(self) -> Path:
        return self.spec_dir / "pod-api.lock.json"

    @property
    def overlays_dir(self) -> Path:
        return self.spec_dir / "overlays"

    @property
    def client_templates(self) -> Path:
        return self.root / "templates" / "client"

    @property
    def model_templates(self) -> Path:
        return self.root / "templates" / "models"

    @property
    def generated_dir(self) -> Path:
        return self.root / "generated"

    @property
    def dist_dir(self) -> Path:
        return self.generated_dir / DIST_NAME


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` that holds ``spec/`` and ``templates/``."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "spec").is_dir() and (candidate / "templates").is_dir():
            return candidate
    return here
