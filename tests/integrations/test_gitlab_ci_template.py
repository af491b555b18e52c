"""The GitLab CI template: its script lines run as a GitLab job runs them.

GitLab's runner joins ``before_script`` and ``script`` into one shell script run with
``set -eo pipefail`` in the checkout, with the job's variables (the template's own and GitLab's
``CI_*``) in the environment. No runner is available here; that is what these tests do.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from host_fixtures import (
    CLEAN_CONFIGMAP,
    PRIVILEGED_POD,
    REPOSITORY_ROOT,
    commit_all,
    host_env,
    make_repo,
)

from gitlab_report_fields import CODEQUALITY_SCHEMA, SAST_SCHEMA

TEMPLATE = REPOSITORY_ROOT / "ci" / "gitlab" / "gitwarden.gitlab-ci.yml"
VENV_BIN = str(Path(sys.executable).parent)


def template() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(TEMPLATE.read_text())
    return loaded


def job(name: str) -> dict[str, Any]:
    """The job with its ``extends`` resolved (one level, as the template uses)."""
    jobs = template()
    found = dict(jobs[name])
    parent = jobs.get(found.pop("extends", ""), {})
    merged = {**parent, **found}
    merged["variables"] = {**parent.get("variables", {}), **found.get("variables", {})}
    return merged


def run_job(
    name: str, checkout: Path, tmp_path: Path, **ci: str
) -> subprocess.CompletedProcess[str]:
    definition = job(name)
    lines = [*definition.get("before_script", []), *definition["script"]]
    variables = {**template()["variables"], **definition["variables"], **ci}
    env = host_env(
        PATH=f"{VENV_BIN}:{host_env()['PATH']}",
        CI="true",
        CI_PROJECT_DIR=str(checkout),
        CI_DEFAULT_BRANCH="main",
        GITWARDEN_STATE_DIR=str(tmp_path / "state"),
        NO_COLOR="1",
        **variables,
    )
    return subprocess.run(
        ["bash", "-c", "set -eo pipefail\n" + "\n".join(lines)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def report(checkout: Path, name: str) -> Any:
    return json.loads((checkout / name).read_text())


@pytest.fixture
def merge_request(tmp_path: Path) -> tuple[Path, str]:
    """The default branch holds an old privileged pod; the merge request adds another."""
    repo = make_repo(tmp_path / "checkout", {"apps/old.yaml": PRIVILEGED_POD})
    base = commit_all(repo, "base")
    (repo / "apps" / "new.yaml").write_text(PRIVILEGED_POD.replace("name: web", "name: api"))
    commit_all(repo, "merge request")
    return repo, base


def test_reports_are_declared_as_gitlab_artifacts_even_on_failure() -> None:
    artifacts = job("gitwarden-scan")["artifacts"]
    assert artifacts["when"] == "always"
    assert artifacts["reports"] == {
        "codequality": "gl-code-quality-report.json",
        "sast": "gl-sast-report.json",
    }


def test_jobs_fetch_the_whole_history() -> None:
    for name in ("gitwarden-scan", "gitwarden-verify"):
        assert job(name)["variables"]["GIT_DEPTH"] == "0"


def test_merge_request_reports_only_what_it_changes(
    tmp_path: Path, merge_request: tuple[Path, str]
) -> None:
    checkout, base = merge_request

    done = run_job(
        "gitwarden-scan",
        checkout,
        tmp_path,
        CI_PIPELINE_SOURCE="merge_request_event",
        CI_MERGE_REQUEST_DIFF_BASE_SHA=base,
    )

    assert done.returncode == 1, done.stdout + done.stderr
    quality = report(checkout, "gl-code-quality-report.json")
    jsonschema.validate(quality, CODEQUALITY_SCHEMA)
    assert {issue["location"]["path"] for issue in quality} == {"apps/new.yaml"}
    sast = report(checkout, "gl-sast-report.json")
    jsonschema.validate(sast, SAST_SCHEMA)
    assert {v["location"]["file"] for v in sast["vulnerabilities"]} == {"apps/new.yaml"}


def test_default_branch_scans_everything(tmp_path: Path, merge_request: tuple[Path, str]) -> None:
    checkout, _ = merge_request

    done = run_job("gitwarden-scan", checkout, tmp_path, CI_COMMIT_BRANCH="main")

    assert done.returncode == 1
    paths = {issue["location"]["path"] for issue in report(checkout, "gl-code-quality-report.json")}
    assert paths == {"apps/old.yaml", "apps/new.yaml"}


def test_clean_checkout_passes_with_empty_reports(tmp_path: Path) -> None:
    checkout = make_repo(tmp_path / "checkout", {"apps/settings.yaml": CLEAN_CONFIGMAP})
    commit_all(checkout)

    done = run_job("gitwarden-scan", checkout, tmp_path, CI_COMMIT_BRANCH="main")

    assert done.returncode == 0, done.stdout + done.stderr
    assert report(checkout, "gl-code-quality-report.json") == []
    assert report(checkout, "gl-sast-report.json")["vulnerabilities"] == []


def test_fail_on_variable_reaches_the_command(tmp_path: Path) -> None:
    low_only = PRIVILEGED_POD.replace("privileged: true", "privileged: false")
    checkout = make_repo(tmp_path / "checkout", {"apps/web.yaml": low_only})
    commit_all(checkout)

    passes = run_job("gitwarden-scan", checkout, tmp_path, GITWARDEN_FAIL_ON="critical")
    fails = run_job("gitwarden-scan", checkout, tmp_path, GITWARDEN_FAIL_ON="low")

    assert (passes.returncode, fails.returncode) == (0, 1), passes.stdout + fails.stdout


def test_verify_job_fails_on_an_unsigned_history(tmp_path: Path) -> None:
    checkout = make_repo(tmp_path / "checkout", {"README": "hello\n"})
    commit_all(checkout)

    done = run_job("gitwarden-verify", checkout, tmp_path, CI_COMMIT_BRANCH="main")

    assert done.returncode == 1
    jsonschema.validate(report(checkout, "gl-code-quality-verify.json"), CODEQUALITY_SCHEMA)
