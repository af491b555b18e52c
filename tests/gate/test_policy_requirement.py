"""Policy as code: the base's policies, read from the base's tree, judge REV."""

from __future__ import annotations

from pathlib import Path

from gate_fixtures import (
    PROD_ENVIRONMENT,
    GitopsRepo,
    failed_checks,
    gitops_repo,
    gitwarden_yaml,
)

REQUIRE_OWNER = """package main

import rego.v1

deny contains {"msg": "workloads name their owner", "id": "require-owner", "severity": "high"} if {
	input.kind == "Deployment"
	not input.metadata.labels.owner
}
"""


def policy_repo(tmp_path: Path) -> GitopsRepo:
    environment = {**PROD_ENVIRONMENT, "require": ["policy"]}
    repo = gitops_repo(tmp_path, environment)
    repo.commit(
        {
            ".gitwarden.yaml": gitwarden_yaml(environment, policies=["policies"]),
            "policies/owner.rego": REQUIRE_OWNER,
        }
    )
    repo.record_ledger()
    return repo


def test_a_policy_requirement_without_policies_denies(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path, {**PROD_ENVIRONMENT, "require": ["policy"]})
    failed = failed_checks(repo)
    assert "no policies are declared" in failed["policy"]


def test_the_base_policy_denies_what_it_forbids(tmp_path: Path) -> None:
    failed = failed_checks(policy_repo(tmp_path))
    assert "require-owner" in failed["policy"]


def test_a_revision_emptying_the_policy_is_still_judged_by_the_base_policy(
    tmp_path: Path,
) -> None:
    repo = policy_repo(tmp_path)
    repo.commit({"policies/owner.rego": "package main\n"})
    failed = failed_checks(repo)
    assert "require-owner" in failed["policy"]


def test_an_unreadable_policy_denies(tmp_path: Path) -> None:
    environment = {**PROD_ENVIRONMENT, "require": ["policy"]}
    repo = gitops_repo(tmp_path, environment)
    repo.commit(
        {
            ".gitwarden.yaml": gitwarden_yaml(environment, policies=["policies"]),
            "policies/broken.rego": "package main\n\ndeny contains x if {{{\n",
        }
    )
    repo.record_ledger()
    assert "policy" in failed_checks(repo)
