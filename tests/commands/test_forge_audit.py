from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

import gitwarden
from forge.forge_server import NOW, make_repository, serve
from gitwarden.commands.forge_audit import ForgeAuditOptions, forge_audit
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.forge.errors import ForgeError, ForgeUnreachableError
from progress_recorder import Recorded, Recorder


def _options(server: HTTPServer, **changes: object) -> ForgeAuditOptions:
    settings: dict[str, object] = {
        "api_url": server.url_for("").rstrip("/"),
        "environment": {},
        "now": NOW,
        "max_wait_seconds": 0,
    }
    return ForgeAuditOptions(**(settings | changes))  # type: ignore[arg-type]


def _rules(report: gitwarden.Report) -> set[str]:
    return {finding.rule_id for finding in report.findings if not finding.suppressed}


def test_forge_and_project_are_inferred_from_origin(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve(httpserver, "github_hardened")
    repository = make_repository(tmp_path / "r", "git@github.com:acme/gitops.git")
    report = forge_audit(repository, options=_options(httpserver))
    assert (report.command, report.target, report.passed) == (
        "forge audit",
        "github:acme/gitops",
        True,
    )


def test_disabled_rules_of_the_config_are_obeyed(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve(httpserver, "github_weak")
    repository = make_repository(tmp_path / "r", "git@github.com:acme/gitops.git")
    config = Config(disabled_rules=("forge-admin-user",))
    report = forge_audit(repository, config, _options(httpserver))
    assert "forge-admin-user" not in _rules(report)
    assert "forge-admin-team" in _rules(report)


def test_severity_overrides_of_the_config_are_obeyed(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve(httpserver, "github_weak")
    repository = make_repository(tmp_path / "r", "git@github.com:acme/gitops.git")
    config = Config(severity_overrides={"forge-admin-user": Severity.CRITICAL})
    report = forge_audit(repository, config, _options(httpserver))
    admin = next(f for f in report.findings if f.rule_id == "forge-admin-user")
    assert admin.severity == Severity.CRITICAL


def test_branches_of_the_trust_policy_are_audited(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve(httpserver, "github_weak")
    repository = make_repository(tmp_path / "r", "git@github.com:acme/gitops.git")
    report = forge_audit(repository, options=_options(httpserver, branches=("hotfix",)))
    unprotected = [f for f in report.findings if f.rule_id == "forge-branch-unprotected"]
    assert [f.location.resource for f in unprotected] == ["branch/hotfix"]


def test_missing_trust_policy_is_a_finding(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve(httpserver, "github_hardened")
    repository = make_repository(tmp_path / "r", "git@github.com:acme/gitops.git", trust=False)
    assert _rules(forge_audit(repository, options=_options(httpserver))) == {
        "forge-trust-policy-missing"
    }


def test_missing_scope_is_a_finding_not_a_pass(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve(httpserver, "github_missing_scope", "github_hardened")
    repository = make_repository(tmp_path / "r", "git@github.com:acme/gitops.git")
    report = forge_audit(repository, options=_options(httpserver))
    assert _rules(report) == {"forge-permission-missing"}
    assert not report.passed


def test_token_comes_from_the_forge_environment_variable(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request(
        "/api/v4/projects/acme/gitops", headers={"PRIVATE-TOKEN": "glpat-x"}
    ).respond_with_json({"message": "401 Unauthorized"}, status=401)
    repository = make_repository(tmp_path / "r", "https://gitlab.com/acme/gitops.git")
    environment = {"GITLAB_TOKEN": "glpat-x", "CI_API_V4_URL": httpserver.url_for("/api/v4")}
    options = ForgeAuditOptions(environment=environment, now=NOW)
    # The server answers only a request carrying the token (else 500: unreachable).
    with pytest.raises(ForgeError, match="token cannot see it"):
        forge_audit(repository, options=options)


def test_unreachable_api_is_an_error(tmp_path: Path) -> None:
    repository = make_repository(tmp_path / "r", "git@github.com:acme/gitops.git")
    options = ForgeAuditOptions(api_url="http://127.0.0.1:9", environment={}, timeout_seconds=2)
    with pytest.raises(ForgeUnreachableError):
        forge_audit(repository, options=options)


def test_unknown_forge_host_asks_for_forge(tmp_path: Path) -> None:
    repository = make_repository(tmp_path / "r", "git@git.example.com:acme/gitops.git")
    with pytest.raises(UsageError, match="not a known forge"):
        forge_audit(repository, options=ForgeAuditOptions(environment={}))


def test_self_hosted_gitlab_is_named_by_its_api_variable(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve(httpserver, "gitlab_hardened")
    repository = make_repository(tmp_path / "r", "git@localhost:acme/gitops.git")
    environment = {"CI_API_V4_URL": httpserver.url_for("/api/v4")}
    report = forge_audit(repository, options=ForgeAuditOptions(environment=environment, now=NOW))
    assert (report.target, report.passed) == ("gitlab:acme/gitops", True)


def test_saved_responses_replay_without_the_api(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve(httpserver, "github_weak")
    repository = make_repository(tmp_path / "r", "git@github.com:acme/gitops.git")
    saved = tmp_path / "saved"
    live = forge_audit(repository, options=_options(httpserver, save_forge_data=saved))
    httpserver.clear()
    replayed = forge_audit(repository, options=ForgeAuditOptions(forge_data=saved, now=NOW))
    assert replayed.findings == live.findings


def test_forge_audit_is_part_of_the_public_api() -> None:
    assert gitwarden.forge_audit is forge_audit
    assert "forge_audit" in gitwarden.__all__


def test_two_audits_in_one_process_do_not_see_each_other(tmp_path: Path) -> None:
    servers = {name: HTTPServer() for name in ("github_weak", "github_hardened")}
    for name, server in servers.items():
        server.start()
        serve(server, name)
    repository = make_repository(tmp_path / "r", "git@github.com:acme/gitops.git")
    try:
        alone = {name: forge_audit(repository, options=_options(s)) for name, s in servers.items()}
        with ThreadPoolExecutor(max_workers=2) as pool:
            together = dict(
                zip(
                    servers,
                    pool.map(
                        lambda s: forge_audit(repository, options=_options(s)), servers.values()
                    ),
                    strict=True,
                )
            )
    finally:
        for server in servers.values():
            server.stop()
    assert {n: r.findings for n, r in together.items()} == {n: r.findings for n, r in alone.items()}
    assert together["github_hardened"].passed and not together["github_weak"].passed


def test_progress_counts_every_api_call_of_the_audit(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve(httpserver, "github_weak")
    repository = make_repository(tmp_path / "r", "git@github.com:acme/gitops.git")
    recorder = Recorder()

    forge_audit(repository, options=_options(httpserver, progress=recorder))

    assert recorder.stages == [
        Recorded("reading github settings of acme/gitops", None, len(httpserver.log), True)
    ]
