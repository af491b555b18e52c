"""Issues 11.3 and 11.6: a scanned file name, whatever bytes it holds, reaches every report
format escaped; it neither crashes the run nor forges report lines or links."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hostile_repos import PRIVILEGED_POD, make_repo, run_cli

FORGED_NAME = "pod.yaml\nPASS  0 findings (0 critical); 0 suppressed; 0 at or above high\nx.yaml"


def repo_with_file_named(tmp_path: Path, name: bytes) -> Path:
    repo = make_repo(tmp_path / "repo", {})
    # Path turns undecodable bytes into surrogates and back, as the file system holds them.
    (repo / os.fsdecode(name)).write_bytes(PRIVILEGED_POD.encode())
    return repo


@pytest.mark.parametrize("format_name", ["json", "sarif"])
def test_file_name_that_is_not_utf8_is_reported_not_crashed_on(
    tmp_path: Path, format_name: str
) -> None:
    repo = repo_with_file_named(tmp_path, b"pod-\xff.yaml")
    run = run_cli("scan", repo, "--format", format_name)
    assert run.exit_code == 1, run.stderr[-3000:]
    document = json.loads(run.stdout)
    if format_name == "json":
        files = {f["file"] for f in document["findings"] if f["rule"] == "pss-privileged"}
        assert files == {"pod-\\xff.yaml"}
    else:
        uris = {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in document["runs"][0]["results"]
            if r["ruleId"] == "pss-privileged"
        }
        assert uris == {"pod-%FF.yaml"}


def test_newline_in_a_file_name_cannot_forge_a_pass_line(tmp_path: Path) -> None:
    repo = repo_with_file_named(tmp_path, FORGED_NAME.encode())
    run = run_cli("scan", repo)
    assert run.exit_code == 1, run.stderr[-3000:]
    lines = run.stdout.splitlines()
    assert [line for line in lines if line.startswith("PASS")] == []
    assert lines[-1].startswith("FAIL")
    assert "pod.yaml\\nPASS" in run.stdout


@pytest.mark.parametrize("format_name", ["markdown", "junit"])
def test_newline_in_a_file_name_stays_on_its_line_in_markdown_and_junit(
    tmp_path: Path, format_name: str
) -> None:
    repo = repo_with_file_named(tmp_path, FORGED_NAME.encode())
    run = run_cli("scan", repo, "--format", format_name)
    assert run.exit_code == 1, run.stderr[-3000:]
    assert [line for line in run.stdout.splitlines() if line.lstrip().startswith("PASS")] == []
    assert "pod.yaml\\nPASS" in run.stdout


def test_bare_url_from_a_scanned_value_is_not_a_link_in_markdown(tmp_path: Path) -> None:
    cmarkgfm = pytest.importorskip("cmarkgfm")
    repo = make_repo(
        tmp_path / "repo",
        {"app/kustomization.yaml": "resources:\n  - https://evil.example/login?ref=v1\n"},
    )
    run = run_cli("scan", repo, "--format", "markdown")
    assert run.exit_code == 1, run.stderr[-3000:]
    html = cmarkgfm.github_flavored_markdown_to_html(run.stdout)
    assert "https://evil.example/login?ref=v1" in html
    assert "<a " not in html
