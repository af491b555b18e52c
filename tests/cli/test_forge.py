"""`gitwarden forge audit` end to end: arguments, report, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from forge.forge_server import make_repository, serve
from gitwarden.cli import main

EXIT_PASS, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    return make_repository(tmp_path / "gitops", "git@github.com:acme/gitops.git")


@pytest.fixture
def github(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    monkeypatch.setenv("GITHUB_API_URL", httpserver.url_for("").rstrip("/"))
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_cliToken")
    return httpserver


def test_hardened_forge_passes(github: HTTPServer, repository: Path) -> None:
    serve(github, "github_hardened")
    assert main(["forge", "audit", "--repo", str(repository)]) == EXIT_PASS


def test_weak_forge_fails_with_findings(
    github: HTTPServer, repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serve(github, "github_weak")
    code = main(["forge", "audit", "--repo", str(repository), "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert code == EXIT_FINDINGS
    assert "forge-force-push-allowed" in {f["rule"] for f in document["findings"]}


def test_unreachable_api_exits_2(
    repository: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")
    assert main(["forge", "audit", "--repo", str(repository)]) == EXIT_USAGE
    assert "cannot reach the API" in capsys.readouterr().err


def test_saved_responses_are_written_then_replayed(
    github: HTTPServer, repository: Path, tmp_path: Path
) -> None:
    serve(github, "github_weak")
    saved = tmp_path / "saved"
    arguments = ["forge", "audit", "--repo", str(repository), "--branch", "hotfix"]
    assert main([*arguments, "--save-forge-data", str(saved)]) == EXIT_FINDINGS
    github.clear()
    assert main([*arguments, "--forge-data", str(saved), "--fail-on", "critical"]) == (
        EXIT_FINDINGS
    )
    assert not any("ghp_cliToken" in p.read_text(encoding="utf-8") for p in saved.iterdir())


def test_explicit_forge_and_project_need_no_remote(github: HTTPServer, tmp_path: Path) -> None:
    serve(github, "github_hardened")
    bare = make_repository(tmp_path / "plain", "/srv/git/gitops.git")
    arguments = ["forge", "audit", "--repo", str(bare), "--forge", "github"]
    assert main([*arguments, "--project", "acme/gitops"]) == EXIT_PASS
