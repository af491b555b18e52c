from __future__ import annotations

from pathlib import Path

import pytest
from audit_fixtures import KeyPair
from trace_history import IMAGES, three_deployments

from gitwarden.audit.deployment_trace import check_query, trace
from gitwarden.audit.entries import AuditEntry
from gitwarden.audit.stores import open_store
from gitwarden.errors import UsageError


def _history(tmp_path: Path, store_url: str, writer: KeyPair):  # type: ignore[no-untyped-def]
    store = open_store(store_url, create=True)
    history = three_deployments(tmp_path / "repo", store, writer.signing_key)
    entries: list[AuditEntry] = list(store.entries())
    store.close()
    return history, entries


def test_commit_inside_a_deployment_traces_to_that_deployment(
    tmp_path: Path, store_url: str, writer: KeyPair
) -> None:
    history, entries = _history(tmp_path, store_url, writer)
    carol = history.deployments[1].commits[0]
    result = trace(entries, carol.sha, environment="prod", chain_intact=True)
    assert [step.revision for step in result.deployments] == [history.deployments[1].revision]
    step = result.deployments[0]
    assert [(c.author, c.signer) for c in step.commits] == [
        ("carol", "carol@example.com"),
        ("alice", "alice@example.com"),
    ]
    assert [a.approver for a in step.approvals] == ["dave"]


def test_revision_trace_includes_its_review_verdict_and_gate_decision(
    tmp_path: Path, store_url: str, writer: KeyPair
) -> None:
    history, entries = _history(tmp_path, store_url, writer)
    revision = history.deployments[2].revision
    result = trace(entries, revision[:10], chain_intact=True)
    assert [(step.kind, step.outcome) for step in result.steps] == [
        ("review-verdict", "approved"),
        ("gate-decision", "allow"),
    ]


def test_environment_filter_keeps_only_that_environment(
    tmp_path: Path, store_url: str, writer: KeyPair
) -> None:
    history, entries = _history(tmp_path, store_url, writer)
    revision = history.denied.revision
    everywhere = trace(entries, revision, chain_intact=True)
    staging = trace(entries, revision, environment="staging", chain_intact=True)
    assert {step.environment for step in everywhere.steps} == {"prod", "staging"}
    assert [(s.environment, s.outcome) for s in staging.steps] == [("staging", "deny")]
    assert staging.steps[0].reasons == ("1 unsigned commit",)


def test_image_digest_traces_to_the_deployment_that_shipped_it(
    tmp_path: Path, store_url: str, writer: KeyPair
) -> None:
    history, entries = _history(tmp_path, store_url, writer)
    result = trace(entries, IMAGES[0].upper(), chain_intact=True)
    assert [step.revision for step in result.deployments] == [history.deployments[0].revision]


@pytest.mark.parametrize("query", ["abc", "main", "sha256:1234", "HEAD~1"])
def test_queries_that_are_neither_revision_nor_digest_are_refused(query: str) -> None:
    with pytest.raises(UsageError):
        check_query(query)
