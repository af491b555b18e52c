"""docs/report.schema.json describes the JSON reports that the commands really write."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gitwarden.attestation.signing_keys import load_signing_key
from gitwarden.audit.entries import EntryDraft, EntryKind
from gitwarden.cli.main import main
from gitwarden.commands.audit import record_audit_entry
from gitwarden.report.json import SCHEMA_VERSION
from secrets_values import GITHUB_TOKEN

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text())
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}
POD = f"""\
apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    gitwarden.io/ignore: "hardening-writable-root-filesystem -- writes to /tmp (INC-77)"
spec:
  containers:
    - name: web
      image: nginx:1.27
      env:
        - name: TOKEN
          value: {GITHUB_TOKEN}
      securityContext:
        privileged: true
"""
REGO_TEST = """\
package main

import rego.v1

test_always_passes if { true }
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GITWARDEN_STATE_DIR", str(tmp_path / "state"))
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "repo"
    (path / "apps").mkdir(parents=True)
    (path / "apps" / "pod.yaml").write_text(POD)
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "pod"]):
        subprocess.run(["git", "-C", str(path), *args], check=True, env=env, capture_output=True)
    return path


def json_report(argv: list[str], output: Path) -> dict[str, Any]:
    code = main([*argv, "--format", "json", "--output", str(output)])
    assert code in (0, 1), f"{argv} exited {code}"
    loaded: dict[str, Any] = json.loads(output.read_text())
    return loaded


def command_lines(repo: Path, tmp_path: Path) -> dict[str, list[str]]:
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "pass_test.rego").write_text(REGO_TEST)
    envelope = tmp_path / "envelope.json"
    envelope.write_text("{}")
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    store = tmp_path / "audit.db"
    decision = EntryDraft(
        kind=EntryKind.GATE_DECISION,
        repository="git@example.com:org/deploy.git",
        environment="prod",
        revision="a" * 40,
        payload={"decision": "allow"},
    )
    record_audit_entry(f"sqlite:///{store}", decision, load_signing_key(key))
    return {
        "scan": ["scan", str(repo)],
        "history": ["history", str(repo)],
        "verify": ["verify", "--repo", str(repo)],
        "ledger verify": ["ledger", "verify", "--repo", str(repo)],
        "policy test": ["policy", "test", str(policies)],
        "audit verify": ["audit", "verify", "--audit", f"sqlite:///{store}", "--key", f"{key}.pub"],
        "attest verify": ["attest", "verify", str(envelope), "--key", f"{key}.pub"],
    }


@pytest.mark.parametrize(
    "command",
    [
        "scan",
        "history",
        "verify",
        "ledger verify",
        "policy test",
        "audit verify",
        "attest verify",
    ],
)
def test_json_report_of_each_command_validates(repo: Path, tmp_path: Path, command: str) -> None:
    report = json_report(command_lines(repo, tmp_path)[command], tmp_path / "report.json")

    jsonschema.validate(report, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert report["schema_version"] == SCHEMA_VERSION


def test_scan_report_exercises_findings_and_suppressions(repo: Path, tmp_path: Path) -> None:
    report = json_report(["scan", str(repo)], tmp_path / "report.json")

    jsonschema.validate(report, SCHEMA)
    suppressed = [f for f in report["findings"] if f["suppressed"]]
    assert suppressed and suppressed[0]["suppression"]["source"] == "annotation"
    assert any(not f["suppressed"] for f in report["findings"])


def test_rule_catalogue_validates(tmp_path: Path) -> None:
    output = tmp_path / "rules.json"
    assert main(["rules", "--format", "json", "--output", str(output)]) == 0

    jsonschema.validate(json.loads(output.read_text()), SCHEMA)


@pytest.mark.parametrize(
    "mutation",
    ["unknown-severity", "missing-summary", "suppressed-without-suppression"],
)
def test_schema_rejects_a_report_that_breaks_it(repo: Path, tmp_path: Path, mutation: str) -> None:
    report = json_report(["scan", str(repo)], tmp_path / "report.json")
    finding = next(f for f in report["findings"] if not f["suppressed"])
    if mutation == "unknown-severity":
        finding["severity"] = "severe"
    elif mutation == "missing-summary":
        del report["summary"]
    else:
        finding["suppressed"] = True

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, SCHEMA)


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
