"""The library API in `gitwarden.commands.audit`: what the gate and `gitwarden audit` call."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from audit_fixtures import KeyPair, decision_draft, fill, modify_payload
from trace_history import three_deployments

from gitwarden.attestation.decision_predicate import DecisionPredicate, decision_statement
from gitwarden.attestation.signed_statements import sign_statement
from gitwarden.audit.stores import open_store
from gitwarden.commands.attest import AttestVerifyOptions, attest_verify
from gitwarden.commands.audit import (
    AuditExportOptions,
    AuditStoreOptions,
    AuditTraceOptions,
    AuditVerifyOptions,
    audit_export,
    audit_head,
    audit_trace,
    audit_verify,
    record_audit_entries,
    record_audit_entry,
    record_gate_decision,
)
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Severity


def _filled(store_url: str, writer: KeyPair, count: int = 5) -> list[str]:
    store = open_store(store_url, create=True)
    hashes = fill(store, writer.signing_key, count)
    store.close()
    return hashes


def test_verify_passes_an_intact_store_checked_with_its_key(
    store_url: str, writer: KeyPair
) -> None:
    hashes = _filled(store_url, writer)
    options = AuditVerifyOptions(expect_head=hashes[-1], key_files=(writer.public,))
    result = audit_verify(store_url, Config(), options)
    assert result.report.passed
    assert result.report.findings == ()
    assert result.report.objects_scanned == 5


def test_verify_fails_on_a_modified_entry_and_locates_it(store_url: str, writer: KeyPair) -> None:
    _filled(store_url, writer)
    modify_payload(store_url, 2)
    result = audit_verify(store_url, Config(), AuditVerifyOptions(key_files=(writer.public,)))
    assert not result.report.passed
    located = [(f.rule_id, f.location.line) for f in result.report.failing]
    assert located[0] == ("audit-entry-modified", 2)


def test_verify_obeys_the_configs_severity_overrides(store_url: str, writer: KeyPair) -> None:
    _filled(store_url, writer)
    config = Config(severity_overrides={"audit-signatures-unchecked": Severity.CRITICAL})
    assert audit_verify(store_url, Config()).report.passed
    assert not audit_verify(store_url, config).report.passed


def test_verify_refuses_a_head_that_is_not_a_hash(store_url: str, writer: KeyPair) -> None:
    _filled(store_url, writer)
    with pytest.raises(UsageError, match="64 hex"):
        audit_verify(store_url, Config(), AuditVerifyOptions(expect_head="latest"))


def test_gate_records_its_decision_in_one_call(store_url: str, writer: KeyPair) -> None:
    predicate = DecisionPredicate(
        repository="repo",
        revision="d" * 40,
        environment="prod",
        decision="deny",
        decided_at="2026-12-01T08:00:00Z",
        gitwarden_version="0.1.0",
        reasons=("review: needs product owner",),
    )
    entry = record_gate_decision(store_url, predicate, writer.signing_key)
    head = audit_head(store_url)
    assert head == entry
    assert head.payload_data["predicate"]["reasons"] == ["review: needs product owner"]


def test_default_store_is_the_state_folders_file(private_state_dir: Path, writer: KeyPair) -> None:
    record_audit_entry(None, decision_draft(1), writer.signing_key)
    assert (private_state_dir / "audit.db").is_file()
    head = audit_head(None)
    assert head is not None and head.seq == 1


def test_environment_url_is_used_when_no_target_is_given(tmp_path: Path, writer: KeyPair) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    environ = {"GITWARDEN_AUDIT_URL": url}
    record_audit_entry(None, decision_draft(1), writer.signing_key, AuditStoreOptions(environ))
    assert (tmp_path / "elsewhere.db").is_file()


def test_export_writes_one_line_per_entry_since_the_time(
    store_url: str, writer: KeyPair, tmp_path: Path
) -> None:
    _filled(store_url, writer, 3)
    target = tmp_path / "export.jsonl"
    result = audit_export(store_url, None, AuditExportOptions(output=target))
    lines = target.read_text().splitlines()
    assert result.entries == 3 == len(lines)
    assert [json.loads(line)["seq"] for line in lines] == [1, 2, 3]


def test_trace_reports_a_damaged_chain(tmp_path: Path, store_url: str, writer: KeyPair) -> None:
    store = open_store(store_url, create=True)
    history = three_deployments(tmp_path / "repo", store, writer.signing_key)
    store.close()
    revision = history.deployments[0].revision
    intact = audit_trace(revision, Config(), AuditTraceOptions(audit=store_url))
    modify_payload(store_url, 1)
    damaged = audit_trace(revision, Config(), AuditTraceOptions(audit=store_url))
    assert (intact.trace.chain_intact, damaged.trace.chain_intact) == (True, False)
    assert len(intact.trace.deployments) == 1
    assert [f.rule_id for f in damaged.report.failing] == ["audit-entry-modified"]


def test_recorded_decision_traces_to_the_attestation_file_that_verifies(
    tmp_path: Path, store_url: str, writer: KeyPair
) -> None:
    predicate = DecisionPredicate(
        repository="repo",
        revision="e" * 40,
        environment="prod",
        decision="allow",
        decided_at="2026-12-01T08:00:00Z",
        gitwarden_version="0.1.0",
    )
    envelope = sign_statement(decision_statement(predicate), writer.signing_key)
    attestation = tmp_path / "decision.intoto.json"
    attestation.write_bytes(envelope.to_bytes())
    record_gate_decision(store_url, predicate, writer.signing_key, envelope=envelope)
    traced = audit_trace("e" * 40, Config(), AuditTraceOptions(audit=store_url))
    checked = attest_verify(
        attestation,
        Config(),
        AttestVerifyOptions(key_files=(writer.public,), revision="e" * 40, environment="prod"),
    )
    (step,) = traced.trace.deployments
    assert step.attestation_sha256 == hashlib.sha256(attestation.read_bytes()).hexdigest()
    assert checked.report.passed


def test_recorded_entries_are_chained_in_their_order_after_the_head(
    store_url: str, writer: KeyPair
) -> None:
    first = record_audit_entry(store_url, decision_draft(1), writer.signing_key)
    batch = record_audit_entries(store_url, [decision_draft(n) for n in (2, 3)], writer.signing_key)
    assert [entry.seq for entry in batch] == [2, 3]
    assert batch[0].prev_hash == first.hash
    options = AuditVerifyOptions(expect_head=batch[-1].hash, key_files=(writer.public,))
    assert audit_verify(store_url, Config(), options).report.passed


def test_recording_no_entries_creates_no_store(tmp_path: Path, writer: KeyPair) -> None:
    url = f"sqlite:///{tmp_path / 'never.db'}"
    assert record_audit_entries(url, [], writer.signing_key) == []
    assert not (tmp_path / "never.db").exists()
