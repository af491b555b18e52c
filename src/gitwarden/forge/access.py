"""Who can change the repository: outside collaborators, admins, admin teams, deploy keys
that write, and the organisation's two-factor requirement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gitwarden.findings import Finding, Severity
from gitwarden.forge.rule_references import LEGITIFY
from gitwarden.rules import Rule

if TYPE_CHECKING:
    from gitwarden.forge.audit_context import AuditContext

FAMILY = "forge"

OUTSIDE_COLLABORATOR_WRITES = Rule(
    id="forge-outside-collaborator-write",
    family=FAMILY,
    severity=Severity.HIGH,
    title="An outside collaborator can push to the repository",
    rationale="Outside collaborators escape the organisation's membership, 2FA and offboarding.",
    remediation="GitHub: lower or remove the collaborator (PUT or DELETE "
    "/repos/{owner}/{repo}/collaborators/{username}; Settings → Collaborators and teams), or "
    "make them a member of a team with the access they need.",
    references=(LEGITIFY,),
)
ADMIN_USER = Rule(
    id="forge-admin-user",
    family=FAMILY,
    severity=Severity.LOW,
    title="A user has admin access to the repository directly",
    rationale="Admins can change branch protection; least privilege keeps the list short and "
    "grants it through a reviewed team.",
    remediation="GitHub: PUT /repos/{owner}/{repo}/collaborators/{username} with "
    "`permission: maintain` or lower (Settings → Collaborators and teams). GitLab: PUT "
    "/projects/:id/members/:user_id with a lower `access_level` (Manage → Members).",
    references=(LEGITIFY,),
)
ADMIN_TEAM = Rule(
    id="forge-admin-team",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="A team has admin access to the repository",
    rationale="Every member of an admin team can disable the protection of production.",
    remediation="GitHub: PUT /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo} with "
    "`permission: maintain` or lower (Settings → Collaborators and teams).",
    references=(LEGITIFY,),
)
DEPLOY_KEY_WRITES = Rule(
    id="forge-deploy-key-write",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="A deploy key can push",
    rationale="A deploy key is a shared secret tied to no person; one with write access pushes "
    "to production unreviewed if branch protection allows it.",
    remediation="GitHub: re-add the key read-only (DELETE then POST /repos/{owner}/{repo}/keys "
    "with `read_only: true`; Settings → Deploy keys). GitLab: PUT "
    "/projects/:id/deploy_keys/:key_id with `can_push: false` (Settings → Repository → Deploy "
    "keys).",
    references=(LEGITIFY,),
)
TWO_FACTOR_NOT_REQUIRED = Rule(
    id="forge-2fa-not-required",
    family=FAMILY,
    severity=Severity.HIGH,
    title="The organisation does not require two-factor authentication",
    rationale="A password alone then guards push access to production.",
    remediation="GitHub: Organization settings → Authentication security → Require two-factor "
    "authentication (`two_factor_requirement_enabled`). GitLab: PUT /groups/:id with "
    "`require_two_factor_authentication: true` (Settings → General → Permissions).",
    references=(LEGITIFY,),
)
MEMBER_WITHOUT_TWO_FACTOR = Rule(
    id="forge-member-without-2fa",
    family=FAMILY,
    severity=Severity.HIGH,
    title="An organisation member has no two-factor authentication",
    rationale="One account without 2FA is the weakest lock on the repository.",
    remediation="Ask the member to enable 2FA, or remove them (DELETE "
    "/orgs/{org}/members/{username}); then require 2FA for the organisation.",
    references=(LEGITIFY,),
)
READ_ONLY_ACCOUNT = Rule(
    id="forge-read-only-account",
    family=FAMILY,
    severity=Severity.LOW,
    title="An account has read-only access and is not a CI/CD account",
    rationale="Read access to the production control plane is access to its history and "
    "configuration; only CI/CD accounts need it without writing. Remove the others.",
    remediation="GitHub: DELETE /repos/{owner}/{repo}/collaborators/{username} (Settings → "
    "Collaborators and teams). GitLab: DELETE /projects/:id/members/:user_id (Manage → "
    "Members). For a CI/CD account, name it with `--ci-account` "
    "(`ForgeAuditOptions.ci_accounts`).",
    references=(LEGITIFY,),
)
INACTIVE_WRITER = Rule(
    id="forge-inactive-writer",
    family=FAMILY,
    severity=Severity.LOW,
    title="Someone who can push has not pushed for a long time",
    rationale="Write access that is not used is risk without purpose: least privilege takes it "
    "back. (Only pushes count: a reviewer who never pushes needs only triage or read.)",
    remediation="GitHub: lower the collaborator to triage or read (PUT /repos/{owner}/{repo}/"
    "collaborators/{username} with `permission`), or remove them; Settings → Collaborators "
    "and teams.",
    references=(LEGITIFY,),
)
RULES = (
    OUTSIDE_COLLABORATOR_WRITES,
    INACTIVE_WRITER,
    READ_ONLY_ACCOUNT,
    ADMIN_USER,
    ADMIN_TEAM,
    DEPLOY_KEY_WRITES,
    TWO_FACTOR_NOT_REQUIRED,
    MEMBER_WITHOUT_TWO_FACTOR,
)


def find_access_risks(context: AuditContext) -> Iterator[Finding]:
    # Imported here: the rule catalogue reads this module's rules at every scan, and the
    # posture model is needed only by an audit.
    from gitwarden.forge.posture import WRITE_LEVELS

    for grant in context.posture.access or ():
        resource = f"{grant.kind}/{grant.name}"
        if grant.kind == "user" and grant.outside and grant.level in WRITE_LEVELS:
            yield OUTSIDE_COLLABORATOR_WRITES.finding(
                f"outside collaborator {grant.name} has {grant.level} access to {context.where}",
                context.location(resource, "permission"),
            )
        elif grant.kind == "user" and grant.level == "admin":
            yield ADMIN_USER.finding(
                f"{grant.name} has admin access to {context.where}",
                context.location(resource, "permission"),
            )
        elif (
            grant.kind == "user"
            and grant.level == "read"
            and grant.name.lower() not in context.bar.ci_accounts
        ):
            yield READ_ONLY_ACCOUNT.finding(
                f"{grant.name} has read-only access to {context.where} and is not a listed "
                "CI/CD account",
                context.location(resource, "permission"),
            )
        if grant.kind == "team" and grant.level == "admin":
            yield ADMIN_TEAM.finding(
                f"team {grant.name} has admin access to {context.where}",
                context.location(resource, "permission"),
            )
    for key in context.posture.keys:
        if key.kind == "deploy" and key.can_write:
            yield DEPLOY_KEY_WRITES.finding(
                f"deploy key {key.title!r} ({key.fingerprint}) of {context.where} can push",
                context.location(f"deploy-key/{key.title}", "read_only"),
            )


def find_inactive_writers(context: AuditContext) -> Iterator[Finding]:
    days = context.bar.inactive_days
    for activity in context.posture.activity or ():
        last = activity.last_push
        if last is not None and (context.now - last).days < days:
            continue
        since = "no push the forge remembers" if last is None else f"last push {last.date()}"
        yield INACTIVE_WRITER.finding(
            f"{activity.user} can push to {context.where} but has not pushed in {days} days "
            f"({since})",
            context.location(f"user/{activity.user}", "last_push"),
        )


def find_two_factor_gaps(context: AuditContext) -> Iterator[Finding]:
    organisation = context.posture.organisation
    if organisation is None:
        return
    if organisation.two_factor_required is False:
        yield TWO_FACTOR_NOT_REQUIRED.finding(
            f"organisation {organisation.name} does not require 2FA of its members",
            context.location(f"organisation/{organisation.name}", "two_factor_requirement"),
        )
    for member in organisation.members_without_two_factor or ():
        yield MEMBER_WITHOUT_TWO_FACTOR.finding(
            f"{member}, member of {organisation.name}, has no two-factor authentication",
            context.location(f"user/{member}", "two_factor_authentication"),
        )
