"""`gitwarden.gate(target, config, options) -> GateResult`: may REV be deployed to ENV?

Reads the environment from the protected base, judges REV with the environment's
requirements (`gitwarden.gate`), then signs and records the decision, allow or deny: the
attestation (``options.attest``) and the audit entry (`record_gate_decision`) are written for
every decision. ``config``, when given, is an out-of-band replacement for the base's
`.gitwarden.yaml` (like ``verify --policy``); by default the base's own is obeyed.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gitwarden.attestation.decision_predicate import decision_statement
from gitwarden.attestation.dsse import Envelope, read_envelope
from gitwarden.attestation.signed_statements import sign_statement
from gitwarden.attestation.signing_keys import SigningKey, load_signing_key
from gitwarden.audit.entries import AuditEntry
from gitwarden.audit.store_location import audit_url
from gitwarden.audit.stores import open_store
from gitwarden.commands.audit import AuditStoreOptions, record_gate_decision
from gitwarden.commands.report_assembly import assemble_report
from gitwarden.config import Config
from gitwarden.decision_rules import CHECK_ERROR
from gitwarden.errors import GitwardenError, UsageError
from gitwarden.findings import Finding, Severity
from gitwarden.gate.decision import GateDecision
from gitwarden.gate.decision_json import decision_json
from gitwarden.gate.deployments import last_deployed
from gitwarden.gate.evaluation import (
    GateEvaluation,
    GateRequest,
    evaluate_gate,
    failed_evaluation,
)
from gitwarden.gate.repository_identity import repository_identity
from gitwarden.gate.summary_line import summary_line
from gitwarden.report.model import Report
from gitwarden.sources.git_repository import GitError, GitRepository

DEFAULT_TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True)
class GateOptions:
    """``revision`` and ``environment`` to judge; ``audit``: the store URL (default:
    ``GITWARDEN_AUDIT_URL``, else the default SQLite file); ``repository``: the name
    decisions are recorded under (default: the origin remote's URL, else the folder);
    ``signing_key``: the gate's Ed25519 key (a file or a loaded key), which signs the audit
    entry and the attestation written to ``attest``. ``record=False`` judges without
    recording (a dry run, never a deployment). ``rollback_approval``: a signed rollback
    approval (DSSE file)."""

    revision: str
    environment: str
    audit: str | None = None
    signing_key: Path | SigningKey | None = None
    attest: Path | None = None
    rollback_approval: Path | None = None
    branch: str | None = None
    repository: str | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    record: bool = True
    fail_on: Severity | None = None
    now: datetime | None = None
    environ: Mapping[str, str] | None = None


@dataclass(frozen=True)
class GateResult:
    decision: GateDecision
    report: Report
    envelope: Envelope | None = None
    audit_entry: AuditEntry | None = None

    @property
    def allowed(self) -> bool:
        return self.decision.allowed

    @property
    def errored(self) -> bool:
        return self.decision.errored

    @property
    def summary(self) -> str:
        return summary_line(self.decision)

    def as_json(self) -> dict[str, Any]:
        document = decision_json(self.decision)
        document["audit_entry"] = self.audit_entry.seq if self.audit_entry else None
        return document


def gate(
    target: str | Path, config: Config | None = None, options: GateOptions | None = None
) -> GateResult:
    """Judge ``options.revision`` of the repository at ``target`` for ``options.environment``."""
    if options is None:
        raise UsageError("the gate needs a revision and an environment", hint="--rev R --env E")
    root = Path(target)
    key = _signing_key(options)
    if options.attest is not None and key is None:
        raise UsageError("--attest needs --signing-key: an attestation is signed")
    environ = os.environ if options.environ is None else options.environ
    store_url = audit_url(options.audit, environ)
    repository = options.repository or _identity(root)
    store = open_store(store_url, create=True)
    try:
        trusted = key.verifying_key if key is not None else None
        deployed = last_deployed(store, repository, options.environment, trusted)
    finally:
        store.close()
    with tempfile.TemporaryDirectory(prefix="gitwarden-gate-", ignore_cleanup_errors=True) as work:
        request = GateRequest(
            repo_path=root,
            repository_name=repository,
            revision=options.revision,
            environment=options.environment,
            now=(options.now or datetime.now(UTC)).astimezone(UTC),
            work_dir=Path(work),
            timeout_seconds=options.timeout_seconds,
            last_deployed=deployed,
            branch=options.branch,
            config=config,
        )
        evaluation = _evaluation(request, options)
    try:
        report = _report(root, evaluation, options)
    except GitwardenError as error:  # the trail records this deny too
        evaluation = failed_evaluation(request, f"error: {error.message}", CHECK_ERROR)
        report = _report(root, evaluation, options)
    decision = evaluation.decision
    # A report that fails (a finding the base re-rated up, say) denies even if every
    # requirement passed: the two must never disagree towards allow.
    if decision.allowed and not report.passed:
        decision = replace(decision, allowed=False, reasons=("report: failing findings",))
    envelope = sign_statement(decision_statement(decision.predicate()), key) if key else None
    if key is not None and envelope is not None and options.attest is not None:
        try:
            options.attest.write_bytes(envelope.to_bytes())
        except OSError as error:
            # Not deployable without its attestation: the deny is what the trail records.
            reason = f"error: --attest {options.attest}: cannot write ({error.strerror})"
            decision = replace(decision, allowed=False, errored=True, reasons=(reason,))
            envelope = sign_statement(decision_statement(decision.predicate()), key)
    entry = None
    if options.record and key is not None:
        entry = record_gate_decision(
            store_url,
            decision.predicate(),
            key,
            envelope=envelope,
            options=AuditStoreOptions(environ),
        )
    # The report shows the decision as finally made (a failing report or attestation denies).
    report = dataclasses.replace(report, decision=decision_json(decision))
    return GateResult(decision, report, envelope, entry)


def _evaluation(request: GateRequest, options: GateOptions) -> GateEvaluation:
    """The evaluation; an unreadable rollback approval is a recorded deny, like any error."""
    if options.rollback_approval is None:
        return evaluate_gate(request)
    try:
        approval = read_envelope(options.rollback_approval)
    except GitwardenError as error:
        return failed_evaluation(request, f"error: rollback approval: {error.message}", CHECK_ERROR)
    return evaluate_gate(replace(request, rollback_approval=approval))


def _identity(root: Path) -> str:
    try:
        return repository_identity(GitRepository(root))
    except GitError:
        return str(root.resolve())  # not a repository: the evaluation denies and says so


def _signing_key(options: GateOptions) -> SigningKey | None:
    if isinstance(options.signing_key, Path):
        return load_signing_key(options.signing_key)
    if options.signing_key is None and options.record:
        raise UsageError(
            "the gate records every decision in the audit trail, signed",
            hint="pass --signing-key KEY (an Ed25519 SSH or PEM private key)",
        )
    return options.signing_key


def _report(root: Path, evaluation: GateEvaluation, options: GateOptions) -> Report:
    unique: dict[tuple[str, str, str], Finding] = {}
    for finding in evaluation.findings:
        # The same expired suppression is reported by every command that obeyed the config.
        unique.setdefault((finding.rule_id, repr(finding.location), finding.message), finding)
    report = assemble_report(
        "gate",
        str(root),
        list(unique.values()),
        config=evaluation.config,
        rules=evaluation.rules,
        fail_on=options.fail_on or evaluation.fail_on,
        today=evaluation.decision.decided_at.date(),
    )
    return dataclasses.replace(report, decision=decision_json(evaluation.decision))
