"""User-facing errors: one class per cause, each rendered by the CLI as one line with its fix."""

from __future__ import annotations


class PodgenError(Exception):
    """A failure the user can act on; ``fix`` says how."""

    fix: str = ""

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if fix is not None:
            self.fix = fix

    def one_line(self) -> str:
        text = " ".join(self.message.split())
        return f"{text}; fix: {self.fix}" if self.fix else text


class SpecNotFound(PodgenError):
    fix = "put the OpenAPI document at that path (validate takes a path; other commands read spec/pod-api.json)"


class NotAProject(PodgenError):
    fix = "run podgen from a podgen checkout or pass --root DIR pointing at one (it holds spec/ and templates/)"


class SpecUnreadable(PodgenError):
    fix = "the document must be JSON or YAML; check it with a JSON/YAML linter"


class NotOpenAPI(PodgenError):
    fix = "pass an OpenAPI 3.0 or 3.1 document (its top level has an 'openapi' field)"


class SwaggerNotSupported(PodgenError):
    fix = "convert it to OpenAPI 3.x first (e.g. with swagger2openapi or the Swagger Editor)"


class UnsupportedVersion(PodgenError):
    fix = "pass an OpenAPI 3.0.x or 3.1.x document"


class SpecInvalid(PodgenError):
    fix = "correct the document at the location named"


class UnresolvedRef(PodgenError):
    fix = "point the $ref at an existing component, or bundle external files into the document"


class SpecLockMismatch(PodgenError):
    fix = "restore the document (git checkout -- spec/) or import the new one with the bump command"


class OverlayError(PodgenError):
    fix = "correct or remove that action in spec/overlays/"


class GeneratorFailed(PodgenError):
    fix = "run again with --verbose to see the generator's output; generated/ was left as it was"


class VerifyFailed(PodgenError):
    fix = "fix the template that produced it (run with --verbose for the full report); generated/ was left as it was"


class DriftDetected(PodgenError):
    fix = "run `nox -s generate` and commit generated/"


class BuildFailed(PodgenError):
    fix = (
        "run `nox -s check` to be sure generated/ is current, then `nox -s build -- --verbose` for the builder's output"
    )


class DistMissing(PodgenError):
    fix = "run `nox -s build` first"


class IndexNotConfigured(PodgenError):
    fix = "set PODGEN_INDEX_URL and PODGEN_INDEX_USER/PODGEN_INDEX_PASSWORD (or PODGEN_INDEX_TOKEN); see the README"


class IndexUnreachable(PodgenError):
    fix = "check PODGEN_INDEX_URL and that the index is up; nothing was uploaded"


class IndexFailed(PodgenError):
    fix = "the index is failing; try again later or ask its operators; nothing was uploaded"


class CredentialsRefused(PodgenError):
    fix = "check PODGEN_INDEX_USER and PODGEN_INDEX_PASSWORD (or PODGEN_INDEX_TOKEN); nothing was uploaded"


class VersionExists(PodgenError):
    fix = "released versions are never overwritten: regenerate with a new spec version or a post-release"


class UploadFailed(PodgenError):
    fix = "see the message; the index holds nothing of this version unless it says so"


class InstallCheckFailed(PodgenError):
    fix = "the package is on the index but did not install or work in a fresh environment; run with --verbose"
