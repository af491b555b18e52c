"""Drift between the trust policy and the forge: who may sign, who may push, which keys.

A principal is matched to the forge user of the same login (`TrustedPrincipal.login`). Only
what was read is compared: keys of a user whose key lists were refused are not "missing".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gitwarden.findings import Finding, Severity
from gitwarden.rules import Rule

if TYPE_CHECKING:
    from gitwarden.forge.audit_context import AuditContext
    from gitwarden.forge.posture import BranchPolicy

FAMILY = "forge"

NO_TRUST_POLICY = Rule(
    id="forge-trust-policy-missing",
    family=FAMILY,
    severity=Severity.LOW,
    title="No trust policy to compare the forge's access with",
    rationale="Without .gitwarden/trust.yaml nobody is named as allowed to change production, "
    "so push access cannot be checked against intent.",
    remediation="Create the trust policy: `gitwarden trust init`, then `gitwarden trust add`.",
)
SIGNER_CANNOT_PUSH = Rule(
    id="forge-signer-cannot-push",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="A principal who may sign for a production branch cannot push there",
    rationale="The trust policy and the forge disagree on who changes production; one of them "
    "is out of date.",
    remediation="Grant the user write access (GitHub: PUT /repos/{owner}/{repo}/collaborators/"
    "{username}; GitLab: POST /projects/:id/members) or allow them in the branch's push "
    "restrictions, or remove the principal from the rule in .gitwarden/trust.yaml.",
)
PUSHER_NOT_TRUSTED = Rule(
    id="forge-pusher-not-trusted",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Someone who can push to a production branch is not in the trust policy",
    rationale="Push access outside the trust policy is a way to production that signature "
    "verification will refuse, or that nobody meant to grant.",
    remediation="Remove the user's write access (GitHub: DELETE /repos/{owner}/{repo}/"
    "collaborators/{username}, or restrict pushes to the branch; GitLab: lower the member's "
    "access level or the branch's `push_access_level`), or add them to .gitwarden/trust.yaml "
    "(`gitwarden trust add`).",
)
TRUSTED_KEY_NOT_ON_FORGE = Rule(
    id="forge-trusted-key-not-on-forge",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="A trust-policy key is no longer listed on the forge for its user",
    rationale="A key its owner removed from the forge was probably retired or lost; it should "
    "not stay trusted for signing.",
    remediation="Revoke or remove the key in .gitwarden/trust.yaml (`revoked:`), or add it to "
    "the user's forge account again if it is still in use.",
)
FORGE_KEY_NOT_TRUSTED = Rule(
    id="forge-signing-key-not-trusted",
    family=FAMILY,
    severity=Severity.LOW,
    title="A signing key on the forge is not in the trust policy",
    rationale="Commits signed with it show as verified on the forge but fail gitwarden's "
    "verification.",
    remediation="Add the key to the principal in .gitwarden/trust.yaml (`gitwarden trust add`) "
    "or remove it from the forge account.",
)
RULES = (
    NO_TRUST_POLICY,
    SIGNER_CANNOT_PUSH,
    PUSHER_NOT_TRUSTED,
    TRUSTED_KEY_NOT_ON_FORGE,
    FORGE_KEY_NOT_TRUSTED,
)


def find_trust_drift(context: AuditContext) -> Iterator[Finding]:
    if not context.trust.present:
        yield NO_TRUST_POLICY.finding(
            f"{context.where}: the repository has no .gitwarden/trust.yaml",
            context.location("trust-policy"),
        )
        return
    for branch in context.posture.branches:
        if branch.production:
            yield from _push_drift(context, branch)
    yield from _key_drift(context)


def _pushers(context: AuditContext, branch: BranchPolicy) -> set[str] | None:
    """Users who can push to ``branch``; None when the forge's access list was unreadable."""
    writers = context.posture.writers()
    if writers is None:
        return None
    users = {grant.name.lower() for grant in writers if grant.kind == "user"}
    if branch.pushers is not None:
        # Push restrictions narrow the writers further (admins excepted, who are writers).
        users = {name.lower() for name in branch.pushers if ":" not in name}
    return users


def _push_drift(context: AuditContext, branch: BranchPolicy) -> Iterator[Finding]:
    pushers = _pushers(context, branch)
    if pushers is None:
        return
    resource = f"branch/{branch.branch}"
    for principal in context.trust.principals:
        if principal.may_sign_for(branch.branch) and principal.login.lower() not in pushers:
            yield SIGNER_CANNOT_PUSH.finding(
                f"{principal.name} (forge user {principal.login}) may sign for "
                f"{branch.branch} but cannot push to it on {context.where}",
                context.location(resource, f"principals/{principal.name}"),
            )
    for user in sorted(pushers):
        if context.trust.by_login(user) is None:
            yield PUSHER_NOT_TRUSTED.finding(
                f"{user} can push to production branch {branch.branch} of {context.where} but "
                "is not a principal of the trust policy",
                context.location(resource, f"pushers/{user}"),
            )


def _key_drift(context: AuditContext) -> Iterator[Finding]:
    read = {user.lower() for user in context.posture.key_owners_read}
    refused = {u.what for u in context.posture.unreadable}
    for principal in context.trust.principals:
        login = principal.login.lower()
        if login not in read or any(principal.login in what for what in refused):
            continue
        listed = {
            key.fingerprint
            for key in context.posture.keys
            if key.owner.lower() == login and key.fingerprint
        }
        trusted = {key.fingerprint for key in principal.keys}
        for key in principal.keys:
            if key.scheme == "ssh" and key.fingerprint not in listed:
                yield TRUSTED_KEY_NOT_ON_FORGE.finding(
                    f"{principal.name}'s key {key.fingerprint} is in the trust policy but "
                    f"{context.posture.forge} no longer lists it for {principal.login}",
                    context.location(f"principal/{principal.name}", f"keys/{key.fingerprint}"),
                )
        for forge_key in context.posture.keys:
            if (
                forge_key.owner.lower() == login
                and forge_key.kind == "ssh-signing"
                and forge_key.fingerprint not in trusted
            ):
                yield FORGE_KEY_NOT_TRUSTED.finding(
                    f"{principal.login}'s signing key {forge_key.title!r} "
                    f"({forge_key.fingerprint}) on {context.posture.forge} is not in the trust "
                    f"policy of {principal.name}",
                    context.location(
                        f"principal/{principal.name}", f"forge-keys/{forge_key.fingerprint}"
                    ),
                )
