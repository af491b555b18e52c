"""A signed rollback approval: a principal of the base's trust policy allows deploying a
revision that does not descend from the one running.

It is a DSSE envelope (payload type `ROLLBACK_PAYLOAD_TYPE`) over the JSON object
``{"_type": ROLLBACK_TYPE, "repository", "environment", "from", "to", "reason",
"approved_at", "expires_at"}`` signed with the principal's Ed25519 SSH key. It approves
exactly one move (``from`` the last deployed commit ``to`` REV, full ids) for one
environment, until ``expires_at`` (UTC; null: no end, only in approvals written before it
existed): the same move can come back later, and an old approval must not replay it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gitwarden.attestation.dsse import Envelope, sign_payload, verified_payload
from gitwarden.attestation.signing_keys import SigningKey, VerifyingKey, verifying_key_from_public
from gitwarden.attestation.statement import AttestationError
from gitwarden.integrity.trust_file import parse_trust_policy
from gitwarden.integrity.trust_policy import SSH, TrustPolicy
from gitwarden.sources.git_repository import GitRepository

ROLLBACK_PAYLOAD_TYPE = "application/vnd.gitwarden.rollback-approval+json"
ROLLBACK_TYPE = "https://gitwarden.dev/rollback-approval/v1"
TRUST_FILE = ".gitwarden/trust.yaml"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# Long enough to deploy the rollback, short enough that it cannot wait for the move to recur.
DEFAULT_VALIDITY = timedelta(hours=24)


@dataclass(frozen=True)
class RollbackApproval:
    environment: str
    from_revision: str
    to_revision: str
    reason: str
    approved_at: str
    repository: str = ""
    expires_at: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "_type": ROLLBACK_TYPE,
            "repository": self.repository,
            "environment": self.environment,
            "from": self.from_revision,
            "to": self.to_revision,
            "reason": self.reason,
            "approved_at": self.approved_at,
            "expires_at": self.expires_at,
        }


def sign_rollback_approval(approval: RollbackApproval, key: SigningKey) -> Envelope:
    payload = json.dumps(approval.as_json(), sort_keys=True, separators=(",", ":")).encode()
    return sign_payload(ROLLBACK_PAYLOAD_TYPE, payload, key)


def new_approval(
    environment: str,
    from_revision: str,
    to_revision: str,
    reason: str,
    repository: str = "",
    *,
    now: datetime | None = None,
    until: datetime | None = None,
) -> RollbackApproval:
    """An approval made ``now``, valid until ``until`` (default `DEFAULT_VALIDITY` later)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    end = (until or moment + DEFAULT_VALIDITY).astimezone(UTC)
    if end <= moment:
        raise AttestationError(f"the approval would expire at {_stamp(end)}, before it is made")
    return RollbackApproval(
        environment, from_revision, to_revision, reason, _stamp(moment), repository, _stamp(end)
    )


def _stamp(moment: datetime) -> str:
    return moment.strftime(TIME_FORMAT)


@dataclass(frozen=True)
class ApprovedRollback:
    approval: RollbackApproval
    principals: tuple[str, ...]


def check_rollback_approval(
    envelope: Envelope,
    policy: TrustPolicy,
    *,
    environment: str,
    from_revision: str,
    to_revision: str,
    now: datetime | None = None,
) -> ApprovedRollback:
    """The approval, once a principal's key verified it, it names exactly this move and it
    has not expired at ``now`` (default: the current time).

    Raises `AttestationError` naming what is wrong (the gate turns it into its reason).
    """
    keys, owners = principal_keys(policy)
    verified = verified_payload(envelope, keys)
    if verified.payload_type != ROLLBACK_PAYLOAD_TYPE:
        raise AttestationError(f"payload type {verified.payload_type!r} is not a rollback approval")
    try:
        data = json.loads(verified.payload)
    except ValueError:
        raise AttestationError("the rollback approval is not JSON") from None
    if not isinstance(data, dict) or data.get("_type") != ROLLBACK_TYPE:
        raise AttestationError(f"the payload is not a rollback approval ({ROLLBACK_TYPE})")
    wanted = {"environment": environment, "from": from_revision, "to": to_revision}
    for key, value in wanted.items():
        if data.get(key) != value:
            raise AttestationError(
                f"the rollback approval is for {key} {data.get(key)!r}, not {value!r}"
            )
    expires_at = data.get("expires_at")
    if expires_at is not None:
        _check_unexpired(expires_at, (now or datetime.now(UTC)).astimezone(UTC))
    approval = RollbackApproval(
        environment,
        from_revision,
        to_revision,
        str(data.get("reason", "")),
        str(data.get("approved_at", "")),
        str(data.get("repository", "")),
        expires_at,
    )
    names = tuple(dict.fromkeys(owners[key_id] for key_id in verified.key_ids))
    return ApprovedRollback(approval, names)


def _check_unexpired(expires_at: object, now: datetime) -> None:
    try:
        end = datetime.strptime(str(expires_at), TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise AttestationError(
            f"the rollback approval's expiry {expires_at!r} is no time"
        ) from None
    if end <= now:
        raise AttestationError(f"the rollback approval expired at {_stamp(end)}")


def principal_keys(policy: TrustPolicy) -> tuple[list[VerifyingKey], dict[str, str]]:
    """The Ed25519 SSH keys of the policy's principals, unrevoked, and who owns each."""
    keys: list[VerifyingKey] = []
    owners: dict[str, str] = {}
    for principal in policy.principals:
        for key in principal.keys:
            if key.scheme != SSH or policy.revocation_of(principal.name, key) is not None:
                continue
            try:
                public = serialization.load_ssh_public_key(key.text.encode())
            except (ValueError, TypeError):
                continue
            if isinstance(public, Ed25519PublicKey):
                verifying = verifying_key_from_public(public)
                keys.append(verifying)
                owners[verifying.key_id] = principal.name
    return keys, owners


def trust_policy_at(repo: GitRepository, revision: str) -> TrustPolicy | None:
    name = f"{revision}:{TRUST_FILE}"
    oid = repo.object_ids([name])[name]
    if oid is None:
        return None
    return parse_trust_policy(repo.read_object(oid).data.decode("utf-8", "replace"), name)
