"""Publish the built distribution to a package index, safely: never over a released version, never showing the
password, checking credentials before anything is sent, and proving afterwards that it installs and works.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from podgen.errors import (
    CredentialsRefused,
    DistMissing,
    IndexFailed,
    IndexNotConfigured,
    IndexUnreachable,
    InstallCheckFailed,
    UploadFailed,
    VersionExists,
)
from podgen.layout import DIST_NAME, PACKAGE_NAME, Layout
from podgen.package import dist_folder, package_version

TIMEOUT = httpx.Timeout(30.0, connect=10.0)


@dataclass(frozen=True)
class IndexConfig:
    """Where to publish, from the environment (the README's configuration table)."""

    upload_url: str
    simple_url: str
    username: str
    password: str = field(repr=False)

    @classmethod
    def from_environment(cls, env: dict[str, str] | None = None) -> IndexConfig:
        env = dict(os.environ if env is None else env)
        upload = env.get("PODGEN_INDEX_URL", "").strip()
        if not upload:
            raise IndexNotConfigured("PODGEN_INDEX_URL is not set: podgen does not know which index to publish to")
        if not upload.startswith(("http://", "https://")):
            raise IndexNotConfigured(f"PODGEN_INDEX_URL must start with http:// or https://, got {upload!r}")
        simple = env.get("PODGEN_INDEX_SIMPLE_URL", "").strip() or upload.rstrip("/") + "/simple/"
        token = env.get("PODGEN_INDEX_TOKEN", "")
        user, password = (
            ("__token__", token) if token else (env.get("PODGEN_INDEX_USER", ""), env.get("PODGEN_INDEX_PASSWORD", ""))
        )
        if not user or not password:
            raise IndexNotConfigured(
                "no index credentials: set PODGEN_INDEX_USER and PODGEN_INDEX_PASSWORD, or PODGEN_INDEX_TOKEN"
            )
        return cls(upload, simple.rstrip("/") + "/", user, password)

    def redact(self, text: str) -> str:
        return text.replace(self.password, "<redacted>") if self.password else text

    @property
    def shown(self) -> str:
        """The upload URL without any credentials it might embed."""
        parts = urlsplit(self.upload_url)
        host = parts.hostname or ""
        netloc = host + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def dist_files(layout: Layout, version: str) -> list[Path]:
    folder = dist_folder(layout)
    stem = f"{PACKAGE_NAME}-{version}"
    files = (
        sorted(p for p in folder.glob(f"{stem}*") if p.name.endswith((".whl", ".tar.gz"))) if folder.is_dir() else []
    )
    kinds = {p.name.endswith(".whl") for p in files}
    if kinds != {True, False}:
        where = folder.relative_to(layout.root) if folder.is_relative_to(layout.root) else folder
        raise DistMissing(f"{where}/ has no wheel and sdist of {DIST_NAME} {version}")
    # The sdist first: an index then never serves a wheel of a version whose source it lacks.
    return sorted(files, key=lambda p: p.name.endswith(".whl"))


def _http(config: IndexConfig, method: str, url: str, **kwargs: object) -> httpx.Response:
    try:
        with httpx.Client(timeout=TIMEOUT, follow_redirects=False, auth=(config.username, config.password)) as http:
            return http.request(method, url, **kwargs)  # type: ignore[arg-type]
    except httpx.TransportError as exc:
        raise IndexUnreachable(
            f"cannot reach the index at {config.shown}: {config.redact(str(exc) or type(exc).__name__)}"
        ) from None


def version_exists(config: IndexConfig, version: str) -> bool:
    """Whether the index already serves any file of this version (its simple page, PEP 503)."""
    url = f"{config.simple_url}{normalized(DIST_NAME)}/"
    answer = _http(config, "GET", url)
    if answer.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(answer.headers.get("location", ""))
        if target.netloc and target.netloc != urlsplit(url).netloc:
            return False  # a fallback to another index (pypiserver's redirect to PyPI): not on this one
        answer = _http(config, "GET", httpx.URL(url).join(answer.headers.get("location", url)).__str__())
    if answer.status_code == 404:
        return False
    if answer.status_code in (401, 403):
        raise CredentialsRefused(
            f"the index refused the credentials for user {config.username!r} (HTTP {answer.status_code})"
        )
    if answer.status_code >= 500:
        raise IndexFailed(f"the index answered HTTP {answer.status_code} when asked for {DIST_NAME}")
    if answer.status_code != 200:
        raise IndexFailed(f"the index answered HTTP {answer.status_code} to {url}")
    stem = re.escape(f"{PACKAGE_NAME}-{version}")
    return re.search(rf"(?i)[/>\"']{stem}(-[^/\"'<>]*\.whl|\.tar\.gz)", answer.text) is not None


def check_credentials(config: IndexConfig, version: str) -> None:
    """An upload request without a file: authenticated, the index refuses only the missing file (400)."""
    form = {":action": "file_upload", "protocol_version": "1", "name": DIST_NAME, "version": version}
    answer = _http(config, "POST", config.upload_url, data=form)
    if answer.status_code in (401, 403):
        raise CredentialsRefused(
            f"the index refused the credentials for user {config.username!r} (HTTP {answer.status_code})"
        )
    if answer.status_code >= 500:
        raise IndexFailed(f"the index answered HTTP {answer.status_code} to an upload request")


def _twine_upload(config: IndexConfig, path: Path) -> None:
    env = {**os.environ, "TWINE_USERNAME": config.username, "TWINE_PASSWORD": config.password}
    args = [sys.executable, "-m", "twine", "upload", "--non-interactive", "--disable-progress-bar",
            "--repository-url", config.upload_url, str(path)]  # fmt: skip
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        lines = [config.redact(line) for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        reason = next(
            (line for line in lines if "HTTPError" in line or "error" in line.lower()), lines[-1] if lines else ""
        )
        raise UploadFailed(f"uploading {path.name} failed: {' '.join(reason.split())}")


def _remove(config: IndexConfig, version: str) -> bool:
    """Best effort: take back a half-finished release (pypiserver's legacy remove action)."""
    form = {":action": "remove_pkg", "name": DIST_NAME, "version": version}
    try:
        return _http(config, "POST", config.upload_url, data=form).status_code < 300
    except IndexUnreachable:
        return False


def upload(config: IndexConfig, files: list[Path], version: str) -> None:
    done: list[Path] = []
    for path in files:
        try:
            _twine_upload(config, path)
        except UploadFailed as exc:
            if done:
                taken_back = _remove(config, version)
                state = "and was removed again" if taken_back else "and could NOT be removed: remove it by hand"
                raise UploadFailed(f"{exc.message}; {done[0].name} had been uploaded {state}") from None
            raise
        done.append(path)


VERIFY_SCRIPT = textwrap.dedent(
    """
    import os, sys
    import {package} as package
    from {package} import PodClient

    assert package.__version__ == os.environ["EXPECTED_VERSION"], package.__version__
    with PodClient(os.environ["POD_URL"], token=os.environ["POD_SESSION_TOKEN"]) as client:
        result = client.users.list_user_sessions(os.environ["POD_USER_ID"])
    print(f"{{package.__name__}} {{package.__version__}} (spec {{package.__spec_version__}}) from {{package.__file__}}: "
          f"{{len(result.sessions or []) if result else 0}} session(s)")
    """
).format(package=PACKAGE_NAME)


def verify_install(config: IndexConfig, layout: Layout, version: str, inherit_dependencies: bool) -> str:
    """A fresh venv installs the package from the index by name and version, imports it, and calls the mock pod."""
    from podgen.contract.target import mock_pod

    with tempfile.TemporaryDirectory(prefix="podgen-verify-") as folder:
        venv = Path(folder) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        python = venv / "bin" / "python"
        parts = urlsplit(config.simple_url)
        netloc = f"{config.username}:{config.password}@{parts.netloc}"
        index = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-cache-dir",
               "--index-url", index, f"{DIST_NAME}=={version}"]  # fmt: skip
        if inherit_dependencies:
            pip.insert(4, "--no-deps")
        # Only the index under test: no pip.conf, extra index or find-links of this machine may supply a package.
        isolated = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")} | {"PIP_CONFIG_FILE": os.devnull}
        installed = subprocess.run(pip, capture_output=True, text=True, check=False, env=isolated)
        if installed.returncode != 0:
            lines = [config.redact(line) for line in installed.stderr.splitlines() if line.strip()]
            raise InstallCheckFailed(
                f"pip could not install {DIST_NAME}=={version} from the index: {lines[-1] if lines else ''}"
            )
        if inherit_dependencies:
            # httpx and msgspec from this environment, so a machine without PyPI can still verify. Only after the
            # install: pip would otherwise find this environment's copy of the package and install nothing.
            site = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
            (site / "zz-podgen-inherited.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
        with mock_pod(layout.root) as pod:
            env = {
                **os.environ,
                "POD_URL": pod.base_url,
                "POD_SESSION_TOKEN": pod.token,
                "POD_USER_ID": pod.path_values["uid"],
                "EXPECTED_VERSION": version,
            }
            ran = subprocess.run(
                [str(python), "-c", VERIFY_SCRIPT], capture_output=True, text=True, env=env, check=False, cwd=folder
            )
        if ran.returncode != 0:
            last = (ran.stderr.strip().splitlines() or ["no output"])[-1]
            raise InstallCheckFailed(f"the installed package failed against the mock pod: {pod.redact(last)}")
        return ran.stdout.strip()


def publish(layout: Layout, *, dry_run: bool, verify: bool, inherit_dependencies: bool, out: list[str]) -> None:
    version = package_version(layout)
    files = dist_files(layout, version)
    if dry_run:
        try:
            config = IndexConfig.from_environment()
            where = config.shown
        except IndexNotConfigured:
            where = "<PODGEN_INDEX_URL is not set>"
        out.append(f"dry run: would upload {', '.join(p.name for p in files)} ({DIST_NAME} {version}) to {where}")
        return
    config = IndexConfig.from_environment()
    if version_exists(config, version):
        raise VersionExists(f"{DIST_NAME} {version} is already on the index at {config.shown}")
    check_credentials(config, version)
    upload(config, files, version)
    out.append(f"published {', '.join(p.name for p in files)} to {config.shown}")
    if verify:
        out.append(f"verified: {verify_install(config, layout, version, inherit_dependencies)}")
