"""`gitwarden.gate` end to end: a real repository walked through allow, then each pillar's deny."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from gate_fixtures import (
    DIGEST,
    GITHUB_TOKEN,
    PRIVILEGED,
    PROD_ENVIRONMENT,
    TAG_ONLY,
    GitopsRepo,
    failed_checks,
    git,
    gitwarden_yaml,
)

from gitwarden.attestation.decision_predicate import predicate_errors
from gitwarden.attestation.signing_keys import load_verifying_key
from gitwarden.audit.stores import open_store
from gitwarden.audit.trace_formats import render_trace
from gitwarden.commands.attest import AttestVerifyOptions, attest_verify
from gitwarden.commands.audit import (
    AuditTraceOptions,
    AuditVerifyOptions,
    audit_trace,
    audit_verify,
)


def test_a_signed_clean_revision_is_allowed(repo: GitopsRepo) -> None:
    result = repo.gate()
    assert result.allowed and result.report.passed
    assert result.summary.startswith("ALLOW prod ")
    assert result.audit_entry is not None


@pytest.mark.parametrize(
    ("files", "signed", "check", "words"),
    [
        ({"clusters/prod/extra.yaml": "kind: ConfigMap\n"}, False, "signatures", "unsigned-commit"),
        ({"clusters/prod/app.yaml": PRIVILEGED}, True, "manifests", "pss-privileged"),
        ({"apps/config.txt": f"token = {GITHUB_TOKEN}\n"}, True, "secrets", "github"),
        ({"clusters/prod/app.yaml": TAG_ONLY}, True, "images", "images-not-pinned-by-digest"),
    ],
)
def test_a_failing_pillar_denies_naming_its_reason(
    repo: GitopsRepo, files: dict[str, str | None], signed: bool, check: str, words: str
) -> None:
    repo.commit(files, signed=signed)
    failed = failed_checks(repo)
    assert list(failed) == [check]
    assert words in failed[check]


def test_a_revision_relaxing_its_own_gate_is_judged_by_the_base(repo: GitopsRepo) -> None:
    relaxed = gitwarden_yaml({**PROD_ENVIRONMENT, "require": [], "fail_on": "critical"})
    repo.commit({".gitwarden.yaml": relaxed, "clusters/prod/app.yaml": PRIVILEGED}, signed=False)
    failed = failed_checks(repo)
    assert set(failed) == {"signatures", "manifests"}


def test_every_decision_is_recorded_and_attested(repo: GitopsRepo, tmp_path: Path) -> None:
    attestation = tmp_path / "decision.intoto.json"
    repo.commit({"clusters/prod/x.yaml": "kind: ConfigMap\n"}, signed=False)
    denied = repo.gate(attest=attestation)
    assert denied.audit_entry is not None and attestation.is_file()
    key = load_verifying_key(repo.gate_key.public)
    checked = attest_verify(
        attestation, options=AttestVerifyOptions(keys=(key,), revision=denied.decision.revision)
    )
    assert not checked.report.passed  # a deny attestation never verifies as an allow
    assert audit_verify(repo.audit, options=AuditVerifyOptions(keys=(key,))).report.passed


def test_three_deployments_are_traced_through_the_audit_trail(repo: GitopsRepo) -> None:
    deployed = [git(repo.path, "rev-parse", "HEAD")]
    for name in ("b", "c"):
        deployed.append(repo.commit({f"clusters/prod/{name}.yaml": "kind: ConfigMap\n"}))
        repo.record_ledger()
    for revision in deployed:
        assert repo.gate(revision).allowed
    traced = audit_trace(
        deployed[0], options=AuditTraceOptions(audit=repo.audit, environment="prod")
    )
    assert [step.revision for step in traced.trace.deployments] == [deployed[0]]
    last = audit_trace(deployed[2], options=AuditTraceOptions(audit=repo.audit))
    assert last.trace.deployments[0].revision == deployed[2]
    assert deployed[2] in {commit.sha for commit in last.trace.deployments[0].commits}
    assert traced.trace.chain_intact


def test_the_work_folder_is_removed(
    repo: GitopsRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)
    repo.gate()
    assert list(scratch.iterdir()) == []


def test_an_image_digest_pinned_in_prod_traces_to_the_decision_that_let_it_run(
    repo: GitopsRepo,
) -> None:
    entry = repo.gate().audit_entry
    assert entry is not None
    traced = audit_trace(DIGEST, options=AuditTraceOptions(audit=repo.audit, environment="prod"))
    assert [step.seq for step in traced.trace.deployments] == [entry.seq]
    text = render_trace(traced.trace, "text")
    assert f"image ghcr.io/example/web@{DIGEST} (pinned {DIGEST})" in text


def _shallow_clone(repo: GitopsRepo, tmp_path: Path) -> GitopsRepo:
    repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    return GitopsRepo(clone, repo.alice, repo.mallory, repo.gate_key, repo.audit)


def _unreadable_base(repo: GitopsRepo, tmp_path: Path) -> GitopsRepo:
    repo.commit({".gitwarden.yaml": "environments: [prod\n"})
    repo.record_ledger()
    return repo


def _garbled_approval(repo: GitopsRepo, tmp_path: Path) -> GitopsRepo:
    (tmp_path / "rollback.json").write_text("not an envelope")
    return repo


@pytest.mark.parametrize(
    ("prepare", "options", "words"),
    [
        (_unreadable_base, {}, ".gitwarden.yaml"),
        (None, {"environment": "nowhere"}, "'nowhere' is not declared"),
        (None, {"revision": "no-such-revision"}, "no such revision"),
        (_shallow_clone, {}, "shallow"),
        (None, {"timeout_seconds": 0.0}, "timeout"),
        (_garbled_approval, {"rollback_approval": "rollback.json"}, "rollback approval"),
        (None, {"attest": "no-such-folder/decision.json"}, "cannot write"),
    ],
    ids=[
        "unreadable-base-config",
        "unknown-environment",
        "missing-revision",
        "shallow-clone",
        "timeout",
        "unreadable-rollback-approval",
        "unwritable-attestation",
    ],
)
def test_a_gate_that_fails_before_deciding_records_a_deny_with_its_reason(
    repo: GitopsRepo,
    tmp_path: Path,
    prepare: Callable[[GitopsRepo, Path], GitopsRepo] | None,
    options: dict[str, object],
    words: str,
) -> None:
    judged = prepare(repo, tmp_path) if prepare else repo
    for name in ("rollback_approval", "attest"):
        if name in options:
            options = {**options, name: tmp_path / str(options[name])}
    result = judged.gate(options.pop("revision", "HEAD"), **options)
    assert result.errored and not result.allowed
    with closing(open_store(repo.audit, create=False)) as store:
        entries = list(store.entries())
    assert result.audit_entry is not None
    assert [entry.seq for entry in entries] == [result.audit_entry.seq]
    predicate = entries[-1].payload_data["predicate"]
    assert predicate["decision"] == "deny"
    assert any(words in reason for reason in predicate["reasons"])
    assert predicate_errors(predicate) == []
