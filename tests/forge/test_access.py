from __future__ import annotations

from datetime import timedelta

import pytest

from forge.forge_postures import context
from forge.forge_server import NOW
from gitwarden.forge.access import (
    find_access_risks,
    find_inactive_writers,
    find_two_factor_gaps,
)
from gitwarden.forge.audit_context import AuditBar
from gitwarden.forge.posture import AccessGrant, ForgeKey, OrganisationPosture, PushActivity


@pytest.mark.parametrize(
    ("grant", "rule_id"),
    [
        (AccessGrant("eve", "user", "write", outside=True), "forge-outside-collaborator-write"),
        (AccessGrant("alice", "user", "admin"), "forge-admin-user"),
        (AccessGrant("ops", "team", "admin"), "forge-admin-team"),
    ],
)
def test_risky_grant_fires(grant: AccessGrant, rule_id: str) -> None:
    assert [f.rule_id for f in find_access_risks(context(access=(grant,)))] == [rule_id]


@pytest.mark.parametrize(
    "grant",
    [
        AccessGrant("bob", "user", "write"),
        AccessGrant("alice", "user", "maintain"),
        AccessGrant("ops", "team", "maintain"),
    ],
)
def test_least_privilege_grant_is_silent(grant: AccessGrant) -> None:
    assert list(find_access_risks(context(access=(grant,)))) == []


@pytest.mark.parametrize(("can_write", "fires"), [(True, True), (False, False)])
def test_deploy_key_that_can_push_fires(can_write: bool, fires: bool) -> None:
    key = ForgeKey("deploy key", "deploy", "argocd", "SHA256:x", can_write=can_write)
    found = [f.rule_id for f in find_access_risks(context(keys=(key,)))]
    assert found == (["forge-deploy-key-write"] if fires else [])


@pytest.mark.parametrize(
    ("required", "expected"), [(False, ["forge-2fa-not-required"]), (True, []), (None, [])]
)
def test_organisation_without_2fa_requirement_fires(
    required: bool | None, expected: list[str]
) -> None:
    audit = context(organisation=OrganisationPosture("acme", required))
    assert [f.rule_id for f in find_two_factor_gaps(audit)] == expected


def test_each_member_without_2fa_fires() -> None:
    audit = context(organisation=OrganisationPosture("acme", True, ("carol", "dan")))
    assert [f.location.resource for f in find_two_factor_gaps(audit)] == ["user/carol", "user/dan"]


def test_unreadable_access_reports_nothing_here() -> None:
    # The refusal itself is reported by the permissions check.
    assert list(find_access_risks(context(access=None))) == []


@pytest.mark.parametrize(
    ("ci_accounts", "fires"), [(frozenset(), True), (frozenset({"argocd-bot"}), False)]
)
def test_read_only_account_fires_unless_it_is_a_ci_account(
    ci_accounts: frozenset[str], fires: bool
) -> None:
    audit = context(
        access=(AccessGrant("argocd-bot", "user", "read"),), bar=AuditBar(ci_accounts=ci_accounts)
    )
    assert [f.rule_id for f in find_access_risks(audit)] == (
        ["forge-read-only-account"] if fires else []
    )


@pytest.mark.parametrize(
    ("days_ago", "fires"), [(10, False), (89, False), (90, True), (None, True)]
)
def test_writer_who_has_not_pushed_in_n_days_fires(days_ago: int | None, fires: bool) -> None:
    last = None if days_ago is None else NOW - timedelta(days=days_ago)
    audit = context(activity=(PushActivity("mallory", last),))
    assert bool(list(find_inactive_writers(audit))) is fires


def test_inactivity_follows_the_bar() -> None:
    audit = context(
        activity=(PushActivity("mallory", NOW - timedelta(days=20)),),
        bar=AuditBar(inactive_days=14),
    )
    assert [f.rule_id for f in find_inactive_writers(audit)] == ["forge-inactive-writer"]


def test_unknown_activity_reports_nothing() -> None:
    assert list(find_inactive_writers(context(activity=None))) == []
