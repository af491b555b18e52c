"""Every posture check against recorded responses replayed by a local HTTP server.

Each rule fires on the weak settings of the forge that has the setting, and stays silent on
the hardened settings of both forges.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from forge.forge_server import NOW, make_repository, serve
from gitwarden.commands.forge_audit import ForgeAuditOptions, forge_audit
from gitwarden.forge.audit import FORGE_RULES
from gitwarden.report.model import Report

GITHUB_ONLY = {
    "forge-branch-unprotected",
    "forge-branch-deletion-allowed",
    "forge-gitwarden-check-missing",
    "forge-admins-exempt",
    "forge-bypass-actors",
    "forge-ruleset-not-enforced",
    "forge-outside-collaborator-write",
    "forge-admin-team",
    "forge-member-without-2fa",
    "forge-gpg-key-expired",
    "forge-gpg-key-expiring",
    "forge-key-age-unknown",
    "forge-signing-key-not-trusted",
    "forge-inactive-writer",
}
GITLAB_ONLY = {
    "forge-author-self-approval",
    "forge-push-rule-member-check-off",
    "forge-push-rule-committer-check-off",
}
# Covered by their own tests: they need a missing trust policy or a refused endpoint.
ELSEWHERE = {"forge-trust-policy-missing", "forge-permission-missing"}
ALL_IDS = sorted(rule.id for rule in FORGE_RULES)
FIRING = [
    *(("github", rule) for rule in ALL_IDS if rule not in GITLAB_ONLY | ELSEWHERE),
    *(("gitlab", rule) for rule in ALL_IDS if rule not in GITHUB_ONLY | ELSEWHERE),
]
SILENT = [(forge, rule) for forge in ("github", "gitlab") for rule in ALL_IDS]
# The weak GitHub scenario also audits a release branch without gitwarden's check and a
# hotfix branch that is not protected.
BRANCHES = {"github": ("release", "hotfix"), "gitlab": ()}


def _audit(tmp: Path, forge: str, scenario: str) -> Report:
    server = HTTPServer()
    server.start()
    try:
        serve(server, f"{forge}_{scenario}")
        base = server.url_for("/api/v4" if forge == "gitlab" else "").rstrip("/")
        repository = make_repository(tmp / f"{forge}-{scenario}", "git@example.com:acme/gitops")
        options = ForgeAuditOptions(
            forge=forge,
            project="acme/gitops",
            branches=BRANCHES[forge] if scenario == "weak" else (),
            api_url=base,
            environment={},
            now=NOW,
            max_wait_seconds=0,
        )
        return forge_audit(repository, options=options)
    finally:
        server.clear()
        server.stop()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, str], Report]]:
    tmp = tmp_path_factory.mktemp("forge-audit")
    yield {
        (forge, scenario): _audit(tmp, forge, scenario)
        for forge in ("github", "gitlab")
        for scenario in ("weak", "hardened")
    }


@pytest.mark.parametrize(("forge", "rule_id"), FIRING)
def test_rule_fires_on_weak_settings(
    reports: dict[tuple[str, str], Report], forge: str, rule_id: str
) -> None:
    fired = {finding.rule_id for finding in reports[forge, "weak"].findings}
    assert rule_id in fired


@pytest.mark.parametrize(("forge", "rule_id"), SILENT)
def test_rule_is_silent_on_hardened_settings(
    reports: dict[tuple[str, str], Report], forge: str, rule_id: str
) -> None:
    fired = {finding.rule_id for finding in reports[forge, "hardened"].findings}
    assert rule_id not in fired


def test_weak_settings_fail_the_audit(reports: dict[tuple[str, str], Report]) -> None:
    assert not reports["github", "weak"].passed


def test_hardened_settings_pass_the_audit(reports: dict[tuple[str, str], Report]) -> None:
    assert reports["github", "hardened"].passed
    assert reports["gitlab", "hardened"].passed


def test_every_finding_names_the_forge_project(reports: dict[tuple[str, str], Report]) -> None:
    files = {f.location.file for f in reports["gitlab", "weak"].findings}
    assert files == {"gitlab:acme/gitops"}
