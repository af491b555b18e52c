"""Entry script of the gitwarden GitHub Action: run one command, write SARIF and Markdown.

Reads the Action's inputs from ``INPUT_*`` variables (set by ``action.yml``) and the
runner's own variables (``GITHUB_EVENT_NAME``, ``GITHUB_EVENT_PATH``, ``GITHUB_OUTPUT``,
``GITHUB_STEP_SUMMARY``, ``RUNNER_TEMP``). It runs the gitwarden CLI, not a copy of its
logic: once for the SARIF file code scanning reads, once for the Markdown the pull-request
comment and the job summary show (the second run reuses the render and verify caches). The
decision is the CLI's exit code. Exits with that code, so the step fails when the gate does.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

EXIT_DECISIONS = {0: "pass", 1: "fail"}
# Commands whose target is a positional PATH; verify names its repository with --repo.
POSITIONAL_TARGET = {"scan", "history"}
REPO_OPTION_TARGET = {"verify", "review", "gate"}
PULL_REQUEST_EVENTS = {"pull_request", "pull_request_target"}


@dataclass(frozen=True)
class ActionInputs:
    command: str
    path: str
    args: tuple[str, ...]
    fail_on: str
    diff_base: str
    output_dir: Path

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> ActionInputs:
        def value(name: str, default: str = "") -> str:
            # action.yml passes inputs as INPUT_<NAME>, hyphens as underscores.
            key = "INPUT_" + name.upper().replace("-", "_")
            return env.get(key, "").strip() or default

        output_dir = Path(value("output-dir", env.get("RUNNER_TEMP", ".")))
        return cls(
            command=value("command", "scan"),
            path=value("path", "."),
            args=tuple(shlex.split(value("args"))),
            fail_on=value("fail-on"),
            diff_base=value("diff-base", "auto"),
            output_dir=output_dir,
        )


def event_payload(env: Mapping[str, str]) -> dict[str, object]:
    path = env.get("GITHUB_EVENT_PATH")
    if not path or not Path(path).is_file():
        return {}
    loaded = json.loads(Path(path).read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


def pull_request_base(env: Mapping[str, str]) -> str | None:
    """The commit a pull request's changes are measured against, from the event payload."""
    if env.get("GITHUB_EVENT_NAME") not in PULL_REQUEST_EVENTS:
        return None
    pull_request = event_payload(env).get("pull_request")
    if not isinstance(pull_request, dict):
        return None
    base = pull_request.get("base")
    sha = base.get("sha") if isinstance(base, dict) else None
    return sha if isinstance(sha, str) and sha else None


def command_line(inputs: ActionInputs, env: Mapping[str, str], report_format: str) -> list[str]:
    """The gitwarden command line these inputs mean, rendering ``report_format``."""
    argv = ["gitwarden", inputs.command]
    if inputs.command in POSITIONAL_TARGET:
        argv.append(inputs.path)
    elif inputs.command in REPO_OPTION_TARGET:
        argv += ["--repo", inputs.path]
    if inputs.command == "scan" and inputs.diff_base != "none":
        base = pull_request_base(env) if inputs.diff_base == "auto" else inputs.diff_base
        if base:
            argv += ["--diff", base]
    if inputs.fail_on:
        argv += ["--fail-on", inputs.fail_on]
    return [*argv, *inputs.args, "--format", report_format]


def write_outputs(path: str | None, outputs: Mapping[str, str]) -> None:
    """Append step outputs in the runner's ``name<<DELIMITER`` form (safe for any value)."""
    if not path:
        return
    with Path(path).open("a", encoding="utf-8") as handle:
        for name, value in outputs.items():
            delimiter = f"ghadelimiter_{uuid.uuid4()}"
            handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def sarif_counts(sarif_file: Path) -> tuple[int, int]:
    """(results that count, suppressed results) in a SARIF log; (0, 0) when unreadable."""
    try:
        log = json.loads(sarif_file.read_text(encoding="utf-8"))
        results = [r for run in log["runs"] for r in run.get("results", [])]
    except (OSError, ValueError, KeyError, TypeError):
        return 0, 0
    suppressed = sum(1 for r in results if r.get("suppressions"))
    return len(results) - suppressed, suppressed


def run(argv: Sequence[str], output: Path) -> int:
    print("::group::" + shlex.join(argv), flush=True)
    done = subprocess.run([*argv, "--output", str(output)], check=False)
    print("::endgroup::", flush=True)
    return done.returncode


def main(env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    inputs = ActionInputs.from_environment(env)
    inputs.output_dir.mkdir(parents=True, exist_ok=True)
    sarif_file = inputs.output_dir / "gitwarden.sarif"
    markdown_file = inputs.output_dir / "gitwarden.md"

    exit_code = run(command_line(inputs, env, "sarif"), sarif_file)
    decision = EXIT_DECISIONS.get(exit_code, "error")
    markdown_exit = run(command_line(inputs, env, "markdown"), markdown_file)
    if markdown_exit not in EXIT_DECISIONS or not markdown_file.is_file():
        # Fail closed in words too: a comment must not look like a pass.
        markdown_file.write_text(
            f"**gitwarden {inputs.command}: error** (exit {markdown_exit}); see the job log.\n",
            encoding="utf-8",
        )
    findings, suppressed = sarif_counts(sarif_file)
    write_outputs(
        env.get("GITHUB_OUTPUT"),
        {
            "decision": decision,
            "exit-code": str(exit_code),
            "findings": str(findings),
            "suppressed": str(suppressed),
            "sarif-file": str(sarif_file) if sarif_file.is_file() else "",
            "markdown-file": str(markdown_file),
        },
    )
    summary = env.get("GITHUB_STEP_SUMMARY")
    if summary:
        with Path(summary).open("a", encoding="utf-8") as handle:
            handle.write(markdown_file.read_text(encoding="utf-8") + "\n")
    if decision == "error":
        print(f"::error::gitwarden {inputs.command} could not decide (exit {exit_code})")
    elif decision == "fail":
        print(f"::error::gitwarden {inputs.command}: {findings} finding(s); the gate failed")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
