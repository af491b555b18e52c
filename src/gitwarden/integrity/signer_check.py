"""Who made a signature, judged against the trust policy: known, valid, not revoked, in date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from gitwarden.integrity import rules
from gitwarden.integrity.schemes import SchemeSet
from gitwarden.integrity.signature_scheme import (
    KeyExpiredError,
    KeyRevokedError,
    SignatureError,
    SignatureInfo,
    SignatureScheme,
    UnsupportedSchemeError,
)
from gitwarden.integrity.trust_policy import Principal, PrincipalKey, TrustPolicy
from gitwarden.rules import Rule

GIT_NAMESPACE = "git"


@dataclass(frozen=True)
class SignerCheck:
    """The principal a valid signature counts for, or the problem that stops it counting."""

    principal: str | None
    key: str | None
    problem: Rule | None = None
    reason: str = ""
    signing_key: str | None = None  # the (sub)key that signed, as git's %GF names it


def check_signer(
    payload: bytes,
    signature: bytes | None,
    policy: TrustPolicy,
    *,
    signed_at: int,
    revocations: TrustPolicy | None = None,
    namespace: str = GIT_NAMESPACE,
    schemes: SchemeSet | None = None,
) -> SignerCheck:
    """Judge one signature; ``revocations`` is a later policy whose revocations also apply;
    ``schemes`` are the run's verifiers (fresh ones when not given)."""
    if signature is None:
        return SignerCheck(None, None, rules.UNSIGNED_COMMIT, "not signed")
    try:
        scheme = (schemes or SchemeSet()).scheme_for(signature)
        info = scheme.inspect(signature)
    except UnsupportedSchemeError as error:
        return SignerCheck(None, None, rules.UNSUPPORTED_SIGNATURE_SCHEME, str(error))
    except SignatureError as error:
        return SignerCheck(None, None, rules.BAD_SIGNATURE, str(error))
    candidates = _candidates(policy, scheme, info)
    key_id = info.key_ids[0] if info.key_ids else "?"
    failure: SignatureError | None = None
    failed_key: tuple[Principal, PrincipalKey] | None = None
    found: tuple[Principal, PrincipalKey] | None = None
    for principal, key in candidates:
        try:
            scheme.verify(payload, signature, key.as_trusted(), namespace=namespace)
        except SignatureError as error:
            failure, failed_key = error, (principal, key)
            continue
        found = (principal, key)
        break
    if found is None:
        if isinstance(failure, KeyRevokedError | KeyExpiredError) and failed_key is not None:
            # A sound signature by a key that was not valid: say which key, and why.
            rule = (
                rules.REVOKED_KEY
                if isinstance(failure, KeyRevokedError)
                else rules.CERTIFICATE_EXPIRED
            )
            signer, held = failed_key
            return SignerCheck(
                signer.name,
                held.fingerprint,
                rule,
                f"signed by {signer.name}'s key {held.fingerprint}: {failure}",
            )
        if failure is not None:
            return SignerCheck(None, key_id, rules.BAD_SIGNATURE, str(failure))
        return SignerCheck(
            None,
            key_id,
            rules.UNKNOWN_SIGNER,
            f"signed by {info.scheme} key {key_id}, which no principal holds",
        )
    principal, key = found
    for source in (policy, revocations):
        revocation = source.revocation_of(principal.name, key) if source else None
        if revocation is not None:
            why = f" ({revocation.reason})" if revocation.reason else ""
            return SignerCheck(
                principal.name,
                key.fingerprint,
                rules.REVOKED_KEY,
                f"signed by {principal.name}'s revoked key {key.fingerprint}{why}",
            )
    moment = datetime.fromtimestamp(signed_at, UTC)
    if not key.valid_at(moment):
        return SignerCheck(
            principal.name,
            key.fingerprint,
            rules.KEY_NOT_VALID,
            f"{principal.name}'s key {key.fingerprint} is not valid at {moment.isoformat()}",
        )
    expiry = policy.key_expiry(key)
    if expiry is not None and moment >= expiry:
        return SignerCheck(
            principal.name,
            key.fingerprint,
            rules.KEY_TOO_OLD,
            f"{principal.name}'s key {key.fingerprint} passed the maximum key age of "
            f"{policy.max_key_age_days} days on {expiry.date().isoformat()}",
        )
    signing_key = scheme.signing_key(key.as_trusted(), info)
    return SignerCheck(principal.name, key.fingerprint, signing_key=signing_key)


def _candidates(
    policy: TrustPolicy, scheme: SignatureScheme, info: SignatureInfo
) -> list[tuple[Principal, PrincipalKey]]:
    """The policy's keys the signature names: the indexed owner of the fingerprint it names,
    else every key of its scheme the scheme says it names (an OpenPGP subkey, a key id)."""
    owner = policy.key_owner(info.key_ids[0]) if info.key_ids else None
    if owner is not None and owner[1].scheme == info.scheme:
        return [owner]
    return [
        (principal, key)
        for principal, key in policy.keys_of_scheme(info.scheme)
        if scheme.holds(key.as_trusted(), info)
    ]
