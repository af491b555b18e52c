"""Check a decision attestation: trusted signature, gitwarden's predicate, the right revision
and environment, and an allow. Each failure is a finding of `attestation.rules`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gitwarden.attestation import rules
from gitwarden.attestation.decision_predicate import DECISION_PREDICATE_TYPE, predicate_errors
from gitwarden.attestation.dsse import envelope_from_bytes
from gitwarden.attestation.signed_statements import verify_envelope
from gitwarden.attestation.signing_keys import VerifyingKey
from gitwarden.attestation.statement import AttestationError, Statement, UntrustedSignatureError
from gitwarden.findings import Finding, Location

MIN_REVISION_PREFIX = 7


@dataclass(frozen=True)
class DecisionCheck:
    """The verified statement (None when the signature did not verify) and the findings."""

    statement: Statement | None
    findings: tuple[Finding, ...]

    @property
    def predicate(self) -> Mapping[str, Any] | None:
        return self.statement.predicate if self.statement is not None else None


def check_decision_attestation(
    data: bytes,
    keys: Sequence[VerifyingKey],
    *,
    source: str,
    revision: str | None = None,
    environment: str | None = None,
) -> DecisionCheck:
    """Judge the envelope bytes ``data`` read from ``source`` (a file name, for locations)."""
    where = Location(source)
    try:
        envelope = envelope_from_bytes(data)
    except AttestationError as error:
        return DecisionCheck(None, (rules.MALFORMED.finding(error.message, where),))
    try:
        statement = verify_envelope(envelope, keys)
    except UntrustedSignatureError as error:
        return DecisionCheck(None, (rules.SIGNATURE_INVALID.finding(error.message, where),))
    except AttestationError as error:
        return DecisionCheck(None, (rules.MALFORMED.finding(error.message, where),))
    return DecisionCheck(
        statement, tuple(_predicate_findings(statement, where, revision, environment))
    )


def _predicate_findings(
    statement: Statement, where: Location, revision: str | None, environment: str | None
) -> list[Finding]:
    if statement.predicate_type != DECISION_PREDICATE_TYPE:
        message = f"predicate type {statement.predicate_type!r}, not {DECISION_PREDICATE_TYPE}"
        return [rules.PREDICATE_INVALID.finding(message, where)]
    errors = predicate_errors(statement.predicate)
    if errors:
        return [rules.PREDICATE_INVALID.finding("; ".join(errors[:5]), where)]
    predicate = statement.predicate
    attested = str(predicate["revision"])
    found: list[Finding] = []
    commits = {subject.digest.get("gitCommit") for subject in statement.subjects}
    if attested not in commits:
        message = f"the subjects do not name the predicate's revision {attested}"
        found.append(rules.PREDICATE_INVALID.finding(message, where))
    if revision is not None and not _same_revision(attested, revision):
        message = f"attests revision {attested}, not {revision}"
        found.append(rules.REVISION_MISMATCH.finding(message, where))
    if environment is not None and predicate["environment"] != environment:
        message = f"attests environment {predicate['environment']!r}, not {environment!r}"
        found.append(rules.ENVIRONMENT_MISMATCH.finding(message, where))
    if predicate["decision"] != "allow":
        reasons = "; ".join(str(reason) for reason in predicate["reasons"]) or "no reason given"
        message = f"the gate denied {attested[:12]} for {predicate['environment']}: {reasons}"
        found.append(rules.DECISION_DENY.finding(message, where))
    return found


def _same_revision(attested: str, wanted: str) -> bool:
    wanted = wanted.strip().lower()
    if len(wanted) < MIN_REVISION_PREFIX:
        return False
    return attested == wanted or (len(wanted) < len(attested) and attested.startswith(wanted))
