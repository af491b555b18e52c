"""The rules `gitwarden attest verify` reports, as data."""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.rules import Rule

FAMILY = "attestation"
_DSSE = ("https://github.com/secure-systems-lab/dsse/blob/master/protocol.md",)

MALFORMED = Rule(
    id="attestation-malformed",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="Attestation is not a DSSE envelope with an in-toto statement",
    rationale="What cannot be parsed cannot be trusted.",
    remediation="Pass the file `gitwarden gate --attest` wrote.",
    references=_DSSE,
)
SIGNATURE_INVALID = Rule(
    id="attestation-signature-invalid",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="Attestation not signed by a trusted key",
    rationale="Only a signature by the gate's key proves the gate made this decision.",
    remediation="Pass the gate's public key with --key; otherwise treat the file as forged.",
    references=_DSSE,
)
PREDICATE_INVALID = Rule(
    id="attestation-predicate-invalid",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Attestation predicate is not a gitwarden decision",
    rationale="A statement of another type, or one that breaks the decision schema, says "
    "nothing about a deploy decision.",
    remediation="Pass a decision attestation written by `gitwarden gate`.",
)
REVISION_MISMATCH = Rule(
    id="attestation-revision-mismatch",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="Attestation is for another revision",
    rationale="A valid decision for one revision must not admit another.",
    remediation="Run the gate for the revision you deploy.",
)
ENVIRONMENT_MISMATCH = Rule(
    id="attestation-environment-mismatch",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="Attestation is for another environment",
    rationale="An allow for staging says nothing about production.",
    remediation="Run the gate for the environment you deploy to.",
)
DECISION_DENY = Rule(
    id="attestation-decision-deny",
    family=FAMILY,
    severity=Severity.HIGH,
    title="The attested decision is deny",
    rationale="The gate refused this revision; the attestation records why.",
    remediation="Fix the reasons the attestation lists and run the gate again.",
)

ATTESTATION_RULES: tuple[Rule, ...] = (
    MALFORMED,
    SIGNATURE_INVALID,
    PREDICATE_INVALID,
    REVISION_MISMATCH,
    ENVIRONMENT_MISMATCH,
    DECISION_DENY,
)
