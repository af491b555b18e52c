"""`gitwarden.rollback_approve(target, config, options)`: sign an intended rollback.

A rollback is a deployment of a revision that does not descend from the one running; the
gate denies it unless a principal of the base's trust policy signed this exact move. This
command signs it (`gate.rollback_approval`) and stores it where the gate looks,
``refs/gitwarden/rollbacks`` (push it: ``git push origin refs/gitwarden/rollbacks``). The
move starts at the revision the audit store says runs in the environment (or ``--from``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gitwarden.attestation.signing_keys import SigningKey, load_signing_key
from gitwarden.attestation.statement import AttestationError
from gitwarden.audit.store_location import audit_url
from gitwarden.audit.stores import open_store
from gitwarden.commands.report_assembly import assemble_report, config_for
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.gate.deployments import last_deployed
from gitwarden.gate.repository_identity import repository_identity
from gitwarden.gate.rollback_approval import (
    RollbackApproval,
    new_approval,
    sign_rollback_approval,
)
from gitwarden.gate.rollback_store import ROLLBACKS_REF, record_rollback_approval
from gitwarden.report.model import Report
from gitwarden.sources.git_repository import GitRepository


@dataclass(frozen=True)
class RollbackApproveOptions:
    """Approve moving ``environment`` back to ``revision``, for ``reason``, signed with
    ``signing_key`` (the approver's Ed25519 SSH key, a principal's in the trust policy),
    valid until ``until`` (default: 24 hours). ``from_revision``: the revision running
    (default: the last allowed gate decision for the environment in the ``audit`` store,
    recorded under ``repository``, default: the origin's URL)."""

    environment: str
    revision: str
    reason: str
    signing_key: Path | SigningKey
    until: datetime | None = None
    from_revision: str | None = None
    audit: str | None = None
    repository: str | None = None
    now: datetime | None = None
    environ: Mapping[str, str] | None = None


@dataclass(frozen=True)
class RollbackApproveResult:
    approval: RollbackApproval
    # The approval's path in `ROLLBACKS_REF`.
    record: str
    report: Report

    @property
    def ref(self) -> str:
        return ROLLBACKS_REF


def rollback_approve(
    target: str | Path, config: Config | None = None, options: RollbackApproveOptions | None = None
) -> RollbackApproveResult:
    if options is None:
        raise UsageError(
            "a rollback approval needs an environment, a revision, a reason and a key",
            hint="--env ENV --rev REV -m REASON --signing-key KEY",
        )
    if not options.reason.strip():
        raise UsageError("say why the rollback is intended", hint="-m REASON")
    root = Path(target)
    repo = GitRepository(root)
    to_revision = repo.resolve(f"{options.revision}^{{commit}}")
    repository = options.repository or repository_identity(repo)
    from_revision = _running(repo, repository, options)
    if from_revision == to_revision:
        raise UsageError(f"{to_revision[:12]} already runs in {options.environment}: no rollback")
    key = options.signing_key
    signing_key = load_signing_key(key) if isinstance(key, Path) else key
    try:
        approval = new_approval(
            options.environment,
            from_revision,
            to_revision,
            options.reason.strip(),
            repository,
            now=options.now,
            until=options.until,
        )
    except AttestationError as error:
        raise UsageError(error.message, hint="--until a later time") from None
    envelope = sign_rollback_approval(approval, signing_key)
    record = record_rollback_approval(repo, options.environment, envelope)
    report = assemble_report(
        "rollback approve",
        str(root),
        [],
        config=config_for(root, config),
        rules={},
        today=(options.now or datetime.now(UTC)).date(),
    )
    return RollbackApproveResult(approval, record, report)


def _running(repo: GitRepository, repository: str, options: RollbackApproveOptions) -> str:
    """The revision the move starts from: given, else the last recorded deployment."""
    if options.from_revision is not None:
        return repo.resolve(f"{options.from_revision}^{{commit}}")
    environ = os.environ if options.environ is None else options.environ
    store = open_store(audit_url(options.audit, environ), create=False)
    try:
        # Unsealed entries count here: a wrong start only makes the gate refuse the approval.
        running = last_deployed(store, repository, options.environment)
    finally:
        store.close()
    if running is None:
        raise UsageError(
            f"the audit store records no deployment of {repository} to {options.environment}",
            hint="name the running revision with --from REV",
        )
    return running
