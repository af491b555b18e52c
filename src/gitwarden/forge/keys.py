"""Keys that outlive their rotation age, and GPG keys that expired or are about to.

The rotation age is the trust policy's ``max_key_age_days`` (else the audit's default); a
finding warns ``key_age_warning_days`` before it, and fails after. A key whose age the forge
does not tell (GitHub's public list of authentication keys) is reported, not passed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

from gitwarden.findings import Finding, Severity
from gitwarden.forge.rule_references import LEGITIFY
from gitwarden.rules import Rule

if TYPE_CHECKING:
    from gitwarden.forge.audit_context import AuditContext
    from gitwarden.forge.posture import ForgeKey

FAMILY = "forge"
_ROTATE = (
    "Rotate the key: add a new one, move its users over, delete the old one. GitHub: "
    "Settings → SSH and GPG keys (DELETE /user/keys/{id}, /user/ssh_signing_keys/{id}); deploy "
    "keys under the repository's Settings → Deploy keys (DELETE /repos/{owner}/{repo}/keys/"
    "{id}). GitLab: Preferences → SSH keys (DELETE /user/keys/:key_id); deploy keys under "
    "Settings → Repository (DELETE /projects/:id/deploy_keys/:key_id). Update "
    ".gitwarden/trust.yaml (`gitwarden trust add`) for signing keys."
)

KEY_TOO_OLD = Rule(
    id="forge-key-too-old",
    family=FAMILY,
    severity=Severity.HIGH,
    title="A key is older than the rotation age",
    rationale="Keys rotated regularly limit what a leaked key can do and for how long.",
    remediation=_ROTATE,
    references=(LEGITIFY,),
)
KEY_ROTATION_DUE = Rule(
    id="forge-key-rotation-due",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="A key reaches the rotation age soon",
    rationale="Rotating before the limit avoids a failing gate on the day it passes.",
    remediation=_ROTATE,
    references=(LEGITIFY,),
)
KEY_AGE_UNKNOWN = Rule(
    id="forge-key-age-unknown",
    family=FAMILY,
    severity=Severity.LOW,
    title="The forge does not say how old a key is",
    rationale="A key whose age cannot be read cannot be shown to be rotated.",
    remediation="Audit with a token of the key's owner (GET /user/keys lists `created_at`), or "
    "rotate the key and record its date in .gitwarden/trust.yaml (`added:`).",
)
GPG_KEY_EXPIRED = Rule(
    id="forge-gpg-key-expired",
    family=FAMILY,
    severity=Severity.HIGH,
    title="A GPG key registered on the forge has expired",
    rationale="An expired key should not be trusted for new signatures; keep the forge's list "
    "current so verification badges mean something.",
    remediation="GitHub: Settings → SSH and GPG keys → delete it (DELETE /user/gpg_keys/"
    "{gpg_key_id}) and add the renewed key. GitLab: DELETE /user/gpg_keys/:key_id.",
)
GPG_KEY_EXPIRING = Rule(
    id="forge-gpg-key-expiring",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="A GPG key registered on the forge expires soon",
    rationale="Renew before the expiry so signing does not stop.",
    remediation="Extend the expiry (gpg --quick-set-expire) and upload the key again.",
)
RULES = (KEY_TOO_OLD, KEY_ROTATION_DUE, KEY_AGE_UNKNOWN, GPG_KEY_EXPIRED, GPG_KEY_EXPIRING)


def find_stale_keys(context: AuditContext) -> Iterator[Finding]:
    max_age = timedelta(days=context.max_key_age_days)
    warning = timedelta(days=context.key_warning_days)
    for key in context.posture.keys:
        if key.kind == "gpg":
            yield from _gpg_expiry(context, key, warning)
            continue
        where = context.location(_resource(key), "created_at")
        if key.created is None:
            yield KEY_AGE_UNKNOWN.finding(f"{_describe(key)}: the forge gives no date", where)
            continue
        age = context.now - key.created
        if age >= max_age:
            yield KEY_TOO_OLD.finding(
                f"{_describe(key)} is {age.days} days old; the rotation age is {max_age.days} days",
                where,
            )
        elif age >= max_age - warning:
            yield KEY_ROTATION_DUE.finding(
                f"{_describe(key)} reaches the rotation age of {max_age.days} days in "
                f"{(max_age - age).days} days",
                where,
            )


def _gpg_expiry(context: AuditContext, key: ForgeKey, warning: timedelta) -> Iterator[Finding]:
    if key.expires is None:
        return
    where = context.location(_resource(key), "expires_at")
    if key.expires <= context.now:
        yield GPG_KEY_EXPIRED.finding(
            f"{_describe(key)} expired on {key.expires.date().isoformat()}", where
        )
    elif key.expires - context.now <= warning:
        yield GPG_KEY_EXPIRING.finding(
            f"{_describe(key)} expires on {key.expires.date().isoformat()}", where
        )


def _resource(key: ForgeKey) -> str:
    return f"{key.kind}-key/{key.owner}/{key.title}"


def _describe(key: ForgeKey) -> str:
    owner = "deploy key" if key.kind == "deploy" else f"{key.kind} key of {key.owner}"
    return f"{owner} {key.title!r} ({key.fingerprint or 'no fingerprint'})"
