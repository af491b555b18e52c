from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gitwarden.cli import EXIT_FINDINGS, EXIT_PASS, EXIT_USAGE, main

PRIVILEGED_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: root-shell
  namespace: tools
spec:
  containers:
    - name: shell
      image: registry.example.com/shell:1.0
      securityContext:
        privileged: true
"""

QUIET_CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: tools
data:
  mode: quiet
"""


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_clean_repository_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(tmp_path, {"cm.yaml": QUIET_CONFIGMAP})
    assert main(["scan", str(repo)]) == EXIT_PASS
    assert "PASS" in capsys.readouterr().out


def test_finding_at_or_above_fail_on_exits_one(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"pod.yaml": PRIVILEGED_POD})
    assert main(["scan", str(repo), "--format", "json"]) == EXIT_FINDINGS


def test_raising_fail_on_above_every_finding_exits_zero(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"cm.yaml": QUIET_CONFIGMAP, "ns.yaml": "apiVersion: v1\nkind: Pod\n"})
    # The Pod without a spec or namespace yields low/medium findings only.
    assert main(["scan", str(repo), "--fail-on", "critical", "-f", "json"]) == EXIT_PASS


def test_json_output_carries_the_documented_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path, {"pod.yaml": PRIVILEGED_POD})
    main(["scan", str(repo), "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    [finding] = [f for f in document["findings"] if f["rule"] == "pss-privileged"]
    assert (finding["file"], finding["line"], finding["severity"]) == ("pod.yaml", 11, "critical")
    assert finding["resource"] == "Pod/tools/root-shell"
    assert finding["field"] == "spec.containers[0].securityContext.privileged"
    assert "privileged to false" in finding["message"]
    assert document["summary"]["passed"] is False
    assert document["summary"]["by_severity"]["critical"] == 1


def test_output_option_writes_the_report_to_a_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", {"pod.yaml": PRIVILEGED_POD})
    target = tmp_path / "report.sarif"
    main(["scan", str(repo), "--format", "sarif", "--output", str(target)])
    assert json.loads(target.read_text())["version"] == "2.1.0"


def test_config_error_exits_two_and_names_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(
        tmp_path,
        {"cm.yaml": QUIET_CONFIGMAP, ".gitwarden.yaml": "fail_on: high\nexlude: [vendor/]\n"},
    )
    assert main(["scan", str(repo)]) == EXIT_USAGE
    error = capsys.readouterr().err
    assert ".gitwarden.yaml:2" in error
    assert "exlude" in error
    assert "did you mean 'exclude'?" in error
    assert "Traceback" not in error


def test_missing_path_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(tmp_path / "nowhere")]) == EXIT_USAGE
    assert "no such file or folder" in capsys.readouterr().err


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", str(tmp_path), "--format", "yaml"])
    assert exit_info.value.code == EXIT_USAGE


def test_explicit_config_file_is_used(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", {"pod.yaml": PRIVILEGED_POD})
    config = tmp_path / "strict.yaml"
    config.write_text("disabled_rules: [pss-privileged]\nfail_on: critical\n")
    assert main(["scan", str(repo), "--config", str(config), "-f", "json"]) == EXIT_PASS


def test_rules_command_lists_every_rule_with_its_explanation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rules", "--format", "json"]) == EXIT_PASS
    rules = json.loads(capsys.readouterr().out)["rules"]
    ids = {rule["id"] for rule in rules}
    assert {"pss-privileged", "rbac-wildcard-verbs", "parse-error", "images-latest-tag"} <= ids
    assert all(rule["title"] and rule["rationale"] and rule["remediation"] for rule in rules)
    assert len(ids) == len(rules)


def test_module_entry_point_reports_the_version() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "gitwarden", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("gitwarden ")


def test_text_output_has_no_colour_when_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path, {"pod.yaml": PRIVILEGED_POD})
    main(["scan", str(repo)])
    out = capsys.readouterr().out
    assert "\x1b[" not in out
    assert "pod.yaml:11:" in out
