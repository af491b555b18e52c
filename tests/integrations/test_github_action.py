"""The GitHub Action: action.yml, and its entry scripts run as the runner runs them.

A real runner is not available here. The scripts get what a runner gives a composite step:
``INPUT_*`` from action.yml's ``env``, ``GITHUB_EVENT_NAME``/``GITHUB_EVENT_PATH`` with an
event payload, and ``GITHUB_OUTPUT``/``GITHUB_STEP_SUMMARY`` files to append to.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources
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
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

RUN_SCRIPT = REPOSITORY_ROOT / "ci" / "github" / "run_gitwarden.py"
COMMENT_SCRIPT = REPOSITORY_ROOT / "ci" / "github" / "pull_request_comment.py"
MARKER = "<!-- gitwarden-pull-request-comment -->"
VENV_BIN = str(Path(sys.executable).parent)


def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPOSITORY_ROOT / "action.yml").read_text())
    return loaded


def read_outputs(path: Path) -> dict[str, str]:
    """Parse GITHUB_OUTPUT as the runner does: ``name<<DELIM`` ... ``DELIM`` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(path.read_text().splitlines())
    for line in lines:
        name, _, delimiter = line.partition("<<")
        value: list[str] = []
        for body in lines:
            if body == delimiter:
                break
            value.append(body)
        outputs[name] = "\n".join(value)
    return outputs


def run_action(
    tmp_path: Path,
    workspace: Path,
    event_name: str,
    payload: dict[str, Any],
    **inputs: str,
) -> tuple[int, dict[str, str], str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload))
    output, summary = tmp_path / "github_output", tmp_path / "step_summary"
    output.touch()
    summary.touch()
    env = host_env(
        PATH=f"{VENV_BIN}:{host_env()['PATH']}",
        GITHUB_EVENT_NAME=event_name,
        GITHUB_EVENT_PATH=str(event),
        GITHUB_OUTPUT=str(output),
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_WORKSPACE=str(workspace),
        RUNNER_TEMP=str(tmp_path / "runner-temp"),
        GITWARDEN_STATE_DIR=str(tmp_path / "state"),
        NO_COLOR="1",
        **{"INPUT_" + name.upper(): value for name, value in inputs.items()},
    )
    done = subprocess.run(
        [sys.executable, str(RUN_SCRIPT)],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    return done.returncode, read_outputs(output), summary.read_text()


def sarif_results(outputs: dict[str, str]) -> list[dict[str, Any]]:
    log = json.loads(Path(outputs["sarif-file"]).read_text())
    schema = json.loads(
        resources.files("gitwarden.report").joinpath("schemas/sarif-schema-2.1.0.json").read_text()
    )
    jsonschema.validate(log, schema)
    results: list[dict[str, Any]] = log["runs"][0]["results"]
    return results


def result_files(results: list[dict[str, Any]]) -> set[str]:
    return {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}


@pytest.fixture
def pull_request_repo(tmp_path: Path) -> tuple[Path, str]:
    """main holds an old privileged pod; the pull request adds a new one beside it."""
    repo = make_repo(tmp_path / "workspace", {"apps/old.yaml": PRIVILEGED_POD})
    base = commit_all(repo, "base")
    (repo / "apps" / "new.yaml").write_text(PRIVILEGED_POD.replace("name: web", "name: api"))
    commit_all(repo, "pull request")
    return repo, base


def test_action_is_composite_and_runs_the_entry_scripts() -> None:
    runs = action()["runs"]
    assert runs["using"] == "composite"
    scripts = " ".join(step.get("run", "") for step in runs["steps"])
    assert "ci/github/run_gitwarden.py" in scripts
    assert "ci/github/pull_request_comment.py" in scripts


def test_every_input_reaches_a_step() -> None:
    text = (REPOSITORY_ROOT / "action.yml").read_text()
    used = set(re.findall(r"inputs\.([a-z-]+)", text))
    assert set(action()["inputs"]) == used


def test_step_inputs_are_the_names_the_entry_script_reads() -> None:
    step = next(s for s in action()["runs"]["steps"] if s.get("id") == "gitwarden")
    script = RUN_SCRIPT.read_text()
    for variable in step["env"]:
        name = variable.removeprefix("INPUT_").lower().replace("_", "-")
        assert f'value("{name}"' in script, variable


def test_sarif_upload_and_comment_run_even_when_the_gate_fails() -> None:
    steps = {s.get("name"): s for s in action()["runs"]["steps"]}
    assert steps["Upload SARIF to code scanning"]["if"].startswith("${{ !cancelled()")
    assert steps["Pull-request comment"]["if"].startswith("${{ !cancelled()")


def test_pull_request_reports_only_what_it_changes(
    tmp_path: Path, pull_request_repo: tuple[Path, str]
) -> None:
    repo, base = pull_request_repo
    payload = {"pull_request": {"number": 7, "base": {"sha": base}}}

    code, outputs, summary = run_action(tmp_path, repo, "pull_request", payload)

    assert code == 1
    assert outputs["decision"] == "fail"
    assert result_files(sarif_results(outputs)) == {"apps/new.yaml"}
    assert int(outputs["findings"]) == len(sarif_results(outputs))
    assert "pss-privileged" in summary


def test_push_scans_the_whole_repository(
    tmp_path: Path, pull_request_repo: tuple[Path, str]
) -> None:
    repo, _ = pull_request_repo

    code, outputs, _ = run_action(tmp_path, repo, "push", {"ref": "refs/heads/main"})

    assert code == 1
    assert result_files(sarif_results(outputs)) == {"apps/old.yaml", "apps/new.yaml"}


def test_clean_repository_passes(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "workspace", {"apps/settings.yaml": CLEAN_CONFIGMAP})
    commit_all(repo)

    code, outputs, summary = run_action(tmp_path, repo, "push", {})

    assert (code, outputs["decision"], outputs["findings"]) == (0, "pass", "0")
    assert summary.strip()


def test_configuration_error_is_an_error_never_a_pass(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "workspace", {".gitwarden.yaml": "fail_onn: high\n"})
    commit_all(repo)

    code, outputs, summary = run_action(tmp_path, repo, "push", {})

    assert code == 2
    assert outputs["decision"] == "error"
    assert "error" in summary


def test_fail_on_and_args_inputs_reach_the_command_line(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "workspace", {"apps/web.yaml": PRIVILEGED_POD})
    commit_all(repo)

    code, outputs, _ = run_action(
        tmp_path, repo, "push", {}, fail_on="critical", args="--no-secrets --no-render"
    )

    assert (code, outputs["decision"]) == (1, "fail")
    code, outputs, _ = run_action(
        tmp_path, repo, "push", {}, args="--config /nonexistent/gitwarden.yaml"
    )
    assert (code, outputs["decision"]) == (2, "error")


def test_verify_command_fails_on_an_unsigned_history(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "workspace", {"README": "hello\n"})
    commit_all(repo)

    code, outputs, _ = run_action(tmp_path, repo, "push", {}, command="verify")

    assert (code, outputs["decision"]) == (1, "fail")
    assert sarif_results(outputs)


def comment_env(tmp_path: Path, server: HTTPServer, token: str = "t0ken") -> dict[str, str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 7}}))
    markdown = tmp_path / "gitwarden.md"
    markdown.write_text("**gitwarden scan: FAIL**\n")
    return host_env(
        GITHUB_API_URL=server.url_for("/api").rstrip("/"),
        GITHUB_REPOSITORY="acme/gitops",
        GITHUB_EVENT_PATH=str(event),
        GITHUB_TOKEN=token,
        GITWARDEN_MARKDOWN_FILE=str(markdown),
    )


def run_comment(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(COMMENT_SCRIPT)], env=env, capture_output=True, text=True, timeout=60
    )


COMMENTS = "/api/repos/acme/gitops/issues/7/comments"


def test_comment_is_created_when_the_pull_request_has_none(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(COMMENTS, method="GET").respond_with_json([{"id": 1, "body": "hi"}])
    created: list[dict[str, Any]] = []

    def create(request: Request) -> Response:
        created.append(json.loads(request.data))
        return Response("{}", status=201)

    httpserver.expect_request(COMMENTS, method="POST").respond_with_handler(create)

    done = run_comment(comment_env(tmp_path, httpserver))

    assert done.returncode == 0, done.stdout + done.stderr
    assert [c["body"].splitlines()[0] for c in created] == [MARKER]
    assert "gitwarden scan: FAIL" in created[0]["body"]


def test_earlier_comment_is_updated_in_place(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request(COMMENTS, method="GET").respond_with_json(
        [{"id": 1, "body": "hi"}, {"id": 42, "body": f"{MARKER}\nold"}]
    )
    updated: list[str] = []

    def update(request: Request) -> Response:
        updated.append(json.loads(request.data)["body"])
        return Response("{}", status=200)

    httpserver.expect_request(
        "/api/repos/acme/gitops/issues/comments/42", method="PATCH"
    ).respond_with_handler(update)

    done = run_comment(comment_env(tmp_path, httpserver))

    assert done.returncode == 0, done.stdout + done.stderr
    assert len(updated) == 1
    assert "gitwarden scan: FAIL" in updated[0]
    assert httpserver.log and all(req.method != "POST" for req, _ in httpserver.log)


def test_read_only_token_warns_without_failing_the_job(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(COMMENTS, method="GET").respond_with_json(
        {"message": "Resource not accessible by integration"}, status=403
    )

    done = run_comment(comment_env(tmp_path, httpserver))

    assert done.returncode == 0
    assert "::warning::" in done.stdout
