"""Signing review statements with a trust-policy key, and verifying them against the policy.

Above the scanners on purpose: it joins the review scanner (what a verified statement is)
with the integrity package (trust policy, SSH and OpenPGP verification).

The envelope is DSSE (the attestation package's format); each signature in it is an SSH
signature (namespace ``gitwarden-review``) or an OpenPGP detached signature over the DSSE
pre-authentication encoding, so any key a principal already has in the trust policy can
sign, and the integrity package's schemes verify it exactly as they verify commits.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from gitwarden.attestation.approval_statements import SIGNING_NAMESPACE as NAMESPACE
from gitwarden.attestation.dsse import Envelope, EnvelopeSignature, pae
from gitwarden.attestation.statement import IN_TOTO_PAYLOAD_TYPE, Statement, statement_from_bytes
from gitwarden.errors import UsageError
from gitwarden.integrity.approvals import legacy_note_approvals
from gitwarden.integrity.gpg_signing import gpg_detach_sign
from gitwarden.integrity.schemes import SchemeSet
from gitwarden.integrity.signature_scheme import SignatureError
from gitwarden.integrity.signer_check import check_signer
from gitwarden.integrity.sshsig_signing import sign_file_key, signer_public_key
from gitwarden.integrity.trust_policy import TrustPolicy
from gitwarden.review.approval_signatures import (
    StatementVerifier,
    UnverifiedStatementError,
    VerifiedStatement,
)
from gitwarden.review.evidence import Approval
from gitwarden.review.principals import Principals
from gitwarden.sources.git_repository import GitRepository

MAX_SIGNATURES = 8


def sign_review_statement(
    statement: Statement, *, key_file: Path | None = None, gpg_key: str | None = None
) -> Envelope:
    """The statement in an envelope signed with an SSH key file or a gpg key id."""
    payload = statement.to_bytes()
    message = pae(IN_TOTO_PAYLOAD_TYPE, payload)
    if key_file is not None and gpg_key is None:
        signature = sign_file_key(key_file, message, NAMESPACE)
        key_id = signer_public_key(key_file).fingerprint
    elif gpg_key is not None and key_file is None:
        signature = gpg_detach_sign(message, gpg_key)
        key_id = gpg_key
    else:
        raise UsageError("sign with one key: --signing-key FILE or --gpg-key KEYID")
    return Envelope(IN_TOTO_PAYLOAD_TYPE, payload, (EnvelopeSignature(key_id, signature),))


def statement_verifier(policy: TrustPolicy, moment: datetime) -> StatementVerifier:
    """A verifier for one review run (its own scheme instances, nothing shared)."""
    schemes = SchemeSet()
    return lambda envelope: verify_review_statement(envelope, policy, schemes, moment)


def review_principals(policy: TrustPolicy) -> Principals:
    """The trust policy's principals as the review scanner sees them."""
    by_key = {k.fingerprint: p.name for p in policy.principals for k in p.keys}
    by_email = {e.lower(): p.name for p in reversed(policy.principals) for e in p.emails}
    by_forge = {
        f"{forge}:{user.lower()}": p.name
        for p in reversed(policy.principals)
        for forge in ("github", "gitlab")
        if (user := p.forge_user(forge))
    }
    return Principals(by_key, by_email, by_forge)


def claimed_signers(signature: bytes | None) -> tuple[str, ...]:
    """Key ids a commit signature names (not verified: see review.identities)."""
    if signature is None:
        return ()
    try:
        return SchemeSet().scheme_for(signature).inspect(signature).key_ids
    except SignatureError:
        return ()


def verify_review_statement(
    envelope: Envelope, policy: TrustPolicy, schemes: SchemeSet, moment: datetime
) -> VerifiedStatement:
    """The statement and the principal whose key (valid at ``moment``, not revoked) signed
    it; the payload is parsed only after a signature verified."""
    if envelope.payload_type != IN_TOTO_PAYLOAD_TYPE:
        raise UnverifiedStatementError(f"payload type {envelope.payload_type!r} is not in-toto")
    message = pae(envelope.payload_type, envelope.payload)
    reasons: list[str] = []
    for signature in envelope.signatures[:MAX_SIGNATURES]:
        try:
            scheme = schemes.scheme_for(signature.sig)
            info = scheme.inspect(signature.sig)
        except SignatureError as error:
            reasons.append(str(error))
            continue
        for principal, key in policy.keys_of_scheme(scheme.name):
            trusted = key.as_trusted()
            if not scheme.holds(trusted, info):
                continue
            if policy.revocation_of(principal.name, key) is not None:
                reasons.append(f"key of {principal.name} is revoked")
                continue
            if not key.valid_at(moment):
                reasons.append(f"key of {principal.name} is not valid at {moment:%Y-%m-%d}")
                continue
            try:
                scheme.verify(message, signature.sig, trusted, namespace=NAMESPACE)
            except SignatureError as error:
                reasons.append(f"signature by {principal.name}'s key does not verify ({error})")
                continue
            statement = statement_from_bytes(envelope.payload)
            return VerifiedStatement(statement, principal.name, scheme.signing_key(trusted, info))
        if not reasons:
            reasons.append(f"signed by {', '.join(info.key_ids)}, a key of no principal")
    raise UnverifiedStatementError("; ".join(reasons) or "the envelope has no signature")


def note_approvals(
    repo: GitRepository, policy: TrustPolicy, head: str, moment: datetime
) -> tuple[Approval, ...]:
    """Approvals the former `gitwarden trust approve` wrote as git notes on ``head``, still
    read: each signature over the legacy payload that verifies under a principal's key (valid
    at ``moment``, not revoked) is an approval of that commit. They carry no message, so a
    policy against blind approvals lists them without counting them."""
    schemes = SchemeSet()
    found: dict[str, Approval] = {}
    for approval in legacy_note_approvals(repo).of(head):
        check = check_signer(
            approval.payload,
            approval.signature,
            policy,
            signed_at=int(moment.timestamp()),
            namespace=approval.namespace,
            schemes=schemes,
        )
        if check.problem is None and check.principal:
            found[check.principal] = Approval(
                check.principal, check.principal, "trust approve note", "", head=head
            )
    return tuple(found.values())
