"""The audit trail's library API: record an entry, verify the chain, print its head, export, trace.

Each function takes the store URL as ``target`` (`audit_trace` in its options); None means
``GITWARDEN_AUDIT_URL``, else the default SQLite file (`gitwarden.audit.store_location`).
The gate records a decision in one call:
``record_gate_decision(store_url, predicate, key, envelope=...)``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from gitwarden.attestation.decision_predicate import DecisionPredicate
from gitwarden.attestation.dsse import Envelope
from gitwarden.attestation.signing_keys import SigningKey, VerifyingKey, load_verifying_key
from gitwarden.audit.chain_verification import ChainVerification, verify_chain
from gitwarden.audit.decision_entries import gate_decision_entry
from gitwarden.audit.deployment_trace import DeploymentTrace, trace
from gitwarden.audit.entries import AuditEntry, EntryDraft
from gitwarden.audit.jsonl_export import send_to_syslog, syslog_address, write_json_lines
from gitwarden.audit.rules import AUDIT_RULES
from gitwarden.commands.audit_store_access import opened_store
from gitwarden.commands.report_assembly import assemble_report, config_for
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.report.model import Report


@dataclass(frozen=True)
class AuditStoreOptions:
    """Where the store is looked up when no URL is given: ``environ`` (default: os.environ)."""

    environ: Mapping[str, str] | None = None


@dataclass(frozen=True)
class AuditVerifyOptions:
    """``expect_head``: a head hash kept outside the store; ``keys``: the trusted writers."""

    expect_head: str | None = None
    key_files: tuple[Path, ...] = ()
    keys: tuple[VerifyingKey, ...] = ()
    fail_on: Severity | None = None
    today: date | None = None
    environ: Mapping[str, str] | None = None


@dataclass(frozen=True)
class AuditVerification:
    """The chain's verdict and the report of its findings."""

    store: str
    chain: ChainVerification
    report: Report


@dataclass(frozen=True)
class AuditExportOptions:
    """``output``: a file to write (None or ``-``: standard output); ``since``: from this time.

    ``syslog``: send to syslog instead, at a socket path (``/dev/log``) or ``HOST:PORT`` (UDP).
    """

    since: datetime | None = None
    output: Path | None = None
    syslog: str | None = None
    environ: Mapping[str, str] | None = None


@dataclass(frozen=True)
class AuditExport:
    store: str
    entries: int
    output: Path | None


@dataclass(frozen=True)
class AuditTraceOptions:
    """``audit``: the store URL (the target is the revision or image digest)."""

    audit: str | None = None
    environment: str | None = None
    keys: tuple[VerifyingKey, ...] = ()
    fail_on: Severity | None = None
    today: date | None = None
    environ: Mapping[str, str] | None = None


@dataclass(frozen=True)
class AuditTrace:
    """The trace, and the verification of the chain it was read from (as a report)."""

    trace: DeploymentTrace
    chain: ChainVerification
    report: Report


def record_audit_entry(
    target: str | None,
    draft: EntryDraft,
    key: SigningKey,
    options: AuditStoreOptions | None = None,
) -> AuditEntry:
    """Append ``draft`` to the store, signed by ``key``; the store is created on first use."""
    return record_audit_entries(target, (draft,), key, options)[0]


def record_audit_entries(
    target: str | None,
    drafts: Sequence[EntryDraft],
    key: SigningKey,
    options: AuditStoreOptions | None = None,
) -> list[AuditEntry]:
    """Append ``drafts`` in their order with one open of the store (``fleet scan``'s call).

    They are chained one after another, under one lock per batch (`AuditStore.append_many`).
    """
    if not drafts:
        return []
    with opened_store(target, (options or AuditStoreOptions()).environ, create=True) as store:
        return store.append_many(drafts, key)


def record_gate_decision(
    target: str | None,
    predicate: DecisionPredicate,
    key: SigningKey,
    *,
    envelope: Envelope | None = None,
    options: AuditStoreOptions | None = None,
) -> AuditEntry:
    """The gate's one call: record its decision (and the signed attestation's digest)."""
    return record_audit_entry(target, gate_decision_entry(predicate, envelope), key, options)


def audit_head(
    target: str | None = None,
    config: Config | None = None,
    options: AuditStoreOptions | None = None,
) -> AuditEntry | None:
    """The last entry of the store (None when it is empty)."""
    del config  # the head does not depend on configuration; accepted for the common shape
    with opened_store(target, (options or AuditStoreOptions()).environ, create=False) as store:
        return store.head()


def audit_verify(
    target: str | None = None,
    config: Config | None = None,
    options: AuditVerifyOptions | None = None,
) -> AuditVerification:
    """Check the whole chain; the report fails on any tampering it finds."""
    options = options or AuditVerifyOptions()
    keys = options.keys + tuple(load_verifying_key(path) for path in options.key_files)
    expect_head = _head_argument(options.expect_head)
    with opened_store(target, options.environ, create=False) as store:
        chain = verify_chain(store.entries(), keys=keys, expect_head=expect_head)
        location = store.location
    report = _chain_report("audit verify", location, chain, config, options.fail_on, options.today)
    return AuditVerification(location, chain, report)


def audit_export(
    target: str | None = None,
    config: Config | None = None,
    options: AuditExportOptions | None = None,
) -> AuditExport:
    """Write the entries (since ``options.since``) as JSON lines, one entry per line."""
    del config
    options = options or AuditExportOptions()
    with opened_store(target, options.environ, create=False) as store:
        entries = store.entries(since=options.since)
        if options.syslog is not None:
            count = send_to_syslog(entries, syslog_address(options.syslog))
            return AuditExport(store.location, count, None)
        if options.output is None or str(options.output) == "-":
            count = write_json_lines(entries, sys.stdout)
            return AuditExport(store.location, count, None)
        try:
            with options.output.open("w", encoding="utf-8") as out:
                count = write_json_lines(entries, out)
        except OSError as error:
            raise UsageError(
                f"--output {options.output}: cannot write ({error.strerror})"
            ) from None
        return AuditExport(store.location, count, options.output)


def audit_trace(
    target: str,
    config: Config | None = None,
    options: AuditTraceOptions | None = None,
) -> AuditTrace:
    """Every recorded step naming revision or image digest ``target``, in chain order.

    The chain is verified first: a trace read from a damaged store says so in its report.
    """
    options = options or AuditTraceOptions()
    with opened_store(options.audit, options.environ, create=False) as store:
        chain = verify_chain(store.entries(), keys=options.keys)
        # Two streaming passes keep memory flat; entries appended in between are left out.
        verified = (entry for entry in store.entries() if entry.seq <= (chain.head_seq or 0))
        steps = trace(verified, target, environment=options.environment, chain_intact=chain.intact)
        location = store.location
    report = _chain_report("audit trace", location, chain, config, options.fail_on, options.today)
    return AuditTrace(steps, chain, report)


def _chain_report(
    command: str,
    location: str,
    chain: ChainVerification,
    config: Config | None,
    fail_on: Severity | None,
    today: date | None,
) -> Report:
    """The report of a chain's verdict: its findings, judged under the configuration."""
    return assemble_report(
        command,
        location,
        chain.findings(location),
        config=config_for(Path.cwd(), config),
        rules=AUDIT_RULES,
        fail_on=fail_on,
        today=today,
        objects_scanned=chain.entries_checked,
    )


def _head_argument(text: str | None) -> str | None:
    if text is None:
        return None
    head = text.strip().lower()
    if len(head) != 64 or any(c not in "0123456789abcdef" for c in head):
        raise UsageError(f"--expect-head {text!r}: not an entry hash (64 hex digits)")
    return head
