"""GitHub: classic branch protection, rulesets, access, deploy keys, org 2FA, user keys.

Endpoints are those of GitHub's REST API (version 2022-11-28). Classic protection and the
active rules of `rules/branches/{branch}` are merged; rulesets are read again to find those
in ``evaluate`` or ``disabled`` enforcement (which do not protect) and their bypass lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import quote

from gitwarden.forge.api_reading import (
    Answer,
    ApiReader,
    ForgeReading,
    ProjectEndpoint,
    api_time,
    as_list,
    as_mapping,
    read_deploy_keys,
)
from gitwarden.forge.errors import ForgeError
from gitwarden.forge.interface import Approval, AuditScope, ForgeKind
from gitwarden.forge.posture import (
    WRITE_LEVELS,
    AccessGrant,
    AccessLevel,
    BranchPolicy,
    ForgeKey,
    ForgePosture,
    KeyKind,
    OrganisationPosture,
    PushActivity,
    TagPolicy,
)
from gitwarden.forge.ref_patterns import ruleset_applies
from gitwarden.forge.ssh_fingerprints import ssh_fingerprint
from gitwarden.forge.transport import Request

REPO_SCOPE = "repo (fine-grained: Administration read)"
TEAM_SCOPE = "read:org (fine-grained: organization Members read)"
REPO_HINT = "check --project and that GITHUB_TOKEN has the repo scope"
ORG_SCOPE = "admin:org (read:org is not enough; fine-grained: organization Administration read)"
USER_KEYS_SCOPE = "none for public keys (read:public_key, read:ssh_signing_key, read:gpg_key)"
MAX_RULESETS = 100
MAX_KEY_USERS = 200
TAG_SAMPLE = "refs/tags/v1.0.0"
_LEVELS: Mapping[str, AccessLevel] = {
    "admin": "admin",
    "maintain": "maintain",
    "write": "write",
    "push": "write",
    "triage": "read",
    "read": "read",
    "pull": "read",
}
_PAGE = (("per_page", "100"),)
REPOSITORY = ProjectEndpoint(
    "GitHub", "repository", REPO_SCOPE, REPO_HINT, lambda name: f"/repos/{_project_path(name)}"
)


def auth_headers(token: str | None) -> Mapping[str, str]:
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


class GitHubClient(ForgeReading):
    name = "github"
    project_endpoint = REPOSITORY

    def posture(self, scope: AuditScope) -> ForgePosture:
        repository = self.open_project(scope.project)
        reader, base, default = repository.reader, repository.base, repository.default_branch
        rulesets = _rulesets(reader, base)
        branches = tuple(dict.fromkeys((*scope.production_branches, default)))
        policies = tuple(
            replace(
                _branch_policy(reader, base, branch, default, rulesets),
                production=scope.deploys_from(branch),
            )
            for branch in branches
        )
        access = _access(reader, base)
        keys = read_deploy_keys(
            reader,
            f"{base}/keys",
            scope=REPO_SCOPE,
            can_write=lambda key: not key.get("read_only", True),
        )
        users = [*scope.key_users, *(g.name for g in access or () if g.kind == "user")]
        key_users = tuple(dict.fromkeys(users))[:MAX_KEY_USERS]
        for user in key_users:
            keys += _user_keys(reader, user)
        owner = repository.settings.get("owner") or {}
        organisation = (
            _organisation(reader, str(owner.get("login")))
            if owner.get("type") == "Organization"
            else None
        )
        writers = [g.name for g in access or () if g.kind == "user" and g.level in WRITE_LEVELS]
        return ForgePosture(
            forge=self.name,
            project=scope.project,
            default_branch=default,
            activity=tuple(_push_activity(reader, base, user) for user in writers[:MAX_KEY_USERS]),
            branches=policies,
            tags=_tag_policy(rulesets, default),
            access=access,
            keys=keys,
            organisation=organisation,
            unreadable=tuple(reader.unreadable),
            key_owners_read=key_users,
        )

    def team_members(self, team: str) -> tuple[str, ...]:
        org, _, slug = team.partition("/")
        if not org or not slug or "/" in slug:
            raise ForgeError(f"GitHub team {team!r} is not ORG/TEAM-SLUG")
        path = f"/orgs/{quote(org, safe='')}/teams/{quote(slug, safe='')}/members"
        members = ApiReader(self.transport).read(
            Request(path, _PAGE), what=f"members of team {team}", scope=TEAM_SCOPE, paged=True
        )
        if not members.readable:
            raise ForgeError(
                f"GitHub: cannot read the members of team {team}",
                hint="the token needs read:org (fine-grained: organization Members read), "
                "and the team must exist",
            )
        return tuple(str(m["login"]) for m in as_list(members) if m.get("login"))

    def approvals(self, project: str, change: int) -> tuple[Approval, ...]:
        reader = ApiReader(self.transport)
        request = Request(f"/repos/{_project_path(project)}/pulls/{change}/reviews", _PAGE)
        reviews = reader.read(request, what="pull request reviews", scope=REPO_SCOPE, paged=True)
        if not reviews.readable:
            raise ForgeError(f"GitHub: cannot read the reviews of {project}#{change}")
        return tuple(
            Approval(
                user=str((review.get("user") or {}).get("login", "")),
                submitted=api_time(review.get("submitted_at")),
                commit=review.get("commit_id"),
                body=str(review.get("body") or ""),
            )
            for review in as_list(reviews)
            if review.get("state") == "APPROVED"
        )


def _project_path(project: str) -> str:
    owner, _, name = project.partition("/")
    if not owner or not name or "/" in name:
        raise ForgeError(f"GitHub project {project!r} is not OWNER/NAME")
    return f"{quote(owner, safe='')}/{quote(name, safe='')}"


def _rulesets(reader: ApiReader, base: str) -> list[dict[str, Any]]:
    """Every ruleset that applies to the repository (its own and its organisation's)."""
    query = (*_PAGE, ("includes_parents", "true"))
    listed = reader.read(
        Request(f"{base}/rulesets", query), what="rulesets", scope=REPO_SCOPE, paged=True
    )
    details = []
    for summary in as_list(listed)[:MAX_RULESETS]:
        detail = reader.read(
            Request(f"{base}/rulesets/{int(summary['id'])}", (("includes_parents", "true"),)),
            what=f"ruleset {summary.get('name')!r}",
            scope=REPO_SCOPE,
        )
        ruleset = as_mapping(detail) or summary
        if "bypass_actors" not in ruleset and ruleset.get("enforcement") == "active":
            # Only those who may edit a ruleset see its bypass list: unknown is not empty.
            reader.note_unreadable(
                f"bypass actors of ruleset {ruleset.get('name')!r}",
                f"GET {base}/rulesets/{summary['id']}",
                REPO_SCOPE,
            )
        details.append(ruleset)
    return details


def _branch_policy(
    reader: ApiReader,
    base: str,
    branch: str,
    default: str,
    rulesets: list[dict[str, Any]],
) -> BranchPolicy:
    name = quote(branch, safe="")
    classic = reader.read(
        Request(f"{base}/branches/{name}/protection"),
        what=f"branch protection of {branch}",
        scope=REPO_SCOPE,
        absent=lambda r: r.status == 404 and "not protected" in r.message().lower(),
    )
    rules = reader.read(
        Request(f"{base}/rules/branches/{name}", _PAGE),
        what=f"rules for branch {branch}",
        scope="metadata (public repositories need none)",
        paged=True,
    )
    ref = f"refs/heads/{branch}"
    applying = [
        r
        for r in rulesets
        if r.get("target", "branch") == "branch"
        and ruleset_applies(r.get("conditions"), ref, default)
    ]
    unenforced = tuple(
        f"ruleset {r.get('name')!r} ({r.get('enforcement')})"
        for r in applying
        if r.get("enforcement") != "active"
    )
    bypass = tuple(
        f"{_bypass_actor(actor)} (ruleset {r.get('name')!r})"
        for r in applying
        if r.get("enforcement") == "active"
        for actor in r.get("bypass_actors") or ()
        if isinstance(actor, dict)
    )
    fields = _merge(branch, classic, as_list(rules))
    fields["bypass"] = (*fields.pop("bypass_classic"), *bypass)
    unknown = tuple(
        what
        for what, answer in (("classic branch protection", classic), ("ruleset rules", rules))
        if not answer.readable
    )
    return BranchPolicy(**fields, production=True, unenforced=unenforced, unknown=unknown)


def _merge(branch: str, classic: Answer, rules: list[dict[str, Any]]) -> dict[str, Any]:
    """Classic protection and active ruleset rules as one set of `BranchPolicy` fields."""
    protection = as_mapping(classic)
    reviews = protection.get("required_pull_request_reviews") or {}
    checks = protection.get("required_status_checks") or {}
    restrictions = protection.get("restrictions")
    contexts = [*(checks.get("contexts") or ())]
    contexts += [c.get("context") for c in checks.get("checks") or () if isinstance(c, dict)]
    allowances = reviews.get("bypass_pull_request_allowances") or {}
    fields: dict[str, Any] = {
        "branch": branch,
        "protected": bool(protection) or bool(rules),
        "force_push_allowed": _enabled(protection, "allow_force_pushes", not protection),
        "deletion_allowed": _enabled(protection, "allow_deletions", not protection),
        "required_approvals": int(reviews.get("required_approving_review_count") or 0),
        "code_owner_review": bool(reviews.get("require_code_owner_reviews")),
        "dismiss_stale_reviews": bool(reviews.get("dismiss_stale_reviews")),
        "last_push_approval": bool(reviews.get("require_last_push_approval")),
        "signed_commits": _enabled(protection, "required_signatures", False),
        "linear_history": _enabled(protection, "required_linear_history", False),
        "admins_exempt": bool(protection) and not _enabled(protection, "enforce_admins", False),
        "pushers": None
        if not isinstance(restrictions, dict)
        else tuple(
            [u.get("login") for u in restrictions.get("users") or ()]
            + [f"team:{t.get('slug')}" for t in restrictions.get("teams") or ()]
        ),
        "bypass_classic": tuple(
            [f"User:{u.get('login')} (pull request reviews)" for u in allowances.get("users", ())]
            + [f"Team:{t.get('slug')} (pull request reviews)" for t in allowances.get("teams", ())]
        ),
        "sources": ("classic branch protection",) if protection else (),
    }
    if rules:
        fields["admins_exempt"] = False
    for rule in rules:
        kind = rule.get("type")
        parameters = rule.get("parameters") or {}
        fields["sources"] += (f"ruleset {rule.get('ruleset_id')} ({kind})",)
        if kind == "non_fast_forward":
            fields["force_push_allowed"] = False
        elif kind == "deletion":
            fields["deletion_allowed"] = False
        elif kind == "required_signatures":
            fields["signed_commits"] = True
        elif kind == "required_linear_history":
            fields["linear_history"] = True
        elif kind == "pull_request":
            count = int(parameters.get("required_approving_review_count") or 0)
            fields["required_approvals"] = max(fields["required_approvals"], count)
            for field, parameter in (
                ("code_owner_review", "require_code_owner_review"),
                ("dismiss_stale_reviews", "dismiss_stale_reviews_on_push"),
                ("last_push_approval", "require_last_push_approval"),
            ):
                fields[field] = fields[field] or bool(parameters.get(parameter))
        elif kind == "required_status_checks":
            contexts += [
                c.get("context")
                for c in parameters.get("required_status_checks") or ()
                if isinstance(c, dict)
            ]
    fields["status_checks"] = tuple(dict.fromkeys(str(c) for c in contexts if c))
    return fields


def _enabled(protection: Mapping[str, Any], key: str, otherwise: bool) -> bool:
    setting = protection.get(key)
    if isinstance(setting, dict):
        return bool(setting.get("enabled"))
    return otherwise


def _bypass_actor(actor: Mapping[str, Any]) -> str:
    # GitHub names the actor by type and id only (a role, team, app or deploy key id).
    kind = str(actor.get("actor_type", "actor"))
    who = kind if actor.get("actor_id") is None else f"{kind}:{actor['actor_id']}"
    return f"{who} bypass {actor.get('bypass_mode', 'always')}"


def _tag_policy(rulesets: list[dict[str, Any]], default: str) -> TagPolicy:
    deletion = moves = False
    sources: list[str] = []
    for ruleset in rulesets:
        if ruleset.get("target") != "tag" or ruleset.get("enforcement") != "active":
            continue
        if not ruleset_applies(ruleset.get("conditions"), TAG_SAMPLE, default):
            continue
        kinds = {rule.get("type") for rule in ruleset.get("rules") or () if isinstance(rule, dict)}
        deletion = deletion or "deletion" in kinds
        moves = moves or bool(kinds & {"non_fast_forward", "update"})
        sources.append(f"ruleset {ruleset.get('name')!r}")
    return TagPolicy("v*", deletion, moves, tuple(sources))


def _access(reader: ApiReader, base: str) -> tuple[AccessGrant, ...] | None:
    everyone = reader.read(
        Request(f"{base}/collaborators", (*_PAGE, ("affiliation", "all"))),
        what="collaborators",
        scope=REPO_SCOPE,
        paged=True,
    )
    outside = reader.read(
        Request(f"{base}/collaborators", (*_PAGE, ("affiliation", "outside"))),
        what="outside collaborators",
        scope=REPO_SCOPE,
        paged=True,
    )
    teams = reader.read(Request(f"{base}/teams", _PAGE), what="teams", scope=REPO_SCOPE, paged=True)
    if not everyone.readable or not teams.readable:
        return None
    outsiders = {str(user.get("login")) for user in as_list(outside)}
    grants = [
        AccessGrant(
            name=str(user.get("login")),
            kind="user",
            level=_user_level(user),
            outside=str(user.get("login")) in outsiders,
        )
        for user in as_list(everyone)
    ]
    grants += [
        AccessGrant(
            name=str(team.get("slug")),
            kind="team",
            level=_LEVELS.get(str(team.get("permission")), "read"),
        )
        for team in as_list(teams)
    ]
    return tuple(grants)


def _user_level(user: Mapping[str, Any]) -> AccessLevel:
    role = user.get("role_name")
    if isinstance(role, str) and role in _LEVELS:
        return _LEVELS[role]
    permissions = user.get("permissions") or {}
    for flag, level in (("admin", "admin"), ("maintain", "maintain"), ("push", "write")):
        if permissions.get(flag):
            return _LEVELS[level]
    return "read"


def _user_keys(reader: ApiReader, user: str) -> tuple[ForgeKey, ...]:
    login = quote(user, safe="")
    lists = {
        kind: as_list(
            reader.read(
                Request(f"/users/{login}/{path}", _PAGE),
                what=f"{kind} keys of {user}",
                scope=USER_KEYS_SCOPE,
                paged=True,
            )
        )
        for path, kind in (("ssh_signing_keys", "ssh-signing"), ("keys", "ssh-auth"))
    }
    signing = [_ssh_key(user, "ssh-signing", key, {}) for key in lists["ssh-signing"]]
    # The public list of authentication keys has no dates; the same key listed for signing
    # has one.
    dates = {key.fingerprint: key.created for key in signing if key.fingerprint}
    found = [*signing, *(_ssh_key(user, "ssh-auth", key, dates) for key in lists["ssh-auth"])]
    gpg = reader.read(
        Request(f"/users/{login}/gpg_keys", _PAGE),
        what=f"GPG keys of {user}",
        scope=USER_KEYS_SCOPE,
        paged=True,
    )
    found += [
        ForgeKey(
            owner=user,
            kind="gpg",
            title=str(key.get("key_id")),
            fingerprint=str(key.get("key_id")),
            created=api_time(key.get("created_at")),
            expires=api_time(key.get("expires_at")),
        )
        for key in as_list(gpg)
    ]
    return tuple(found)


def _ssh_key(
    user: str,
    kind: KeyKind,
    key: Mapping[str, Any],
    dates: Mapping[str, datetime | None],
) -> ForgeKey:
    fingerprint = ssh_fingerprint(str(key.get("key", "")))
    return ForgeKey(
        owner=user,
        kind=kind,
        title=str(key.get("title") or key.get("id")),
        fingerprint=fingerprint,
        created=api_time(key.get("created_at")) or dates.get(fingerprint or ""),
    )


def _push_activity(reader: ApiReader, base: str, user: str) -> PushActivity:
    """The user's latest push to the repository (GitHub keeps this activity for 90 days)."""
    latest = reader.read(
        Request(f"{base}/activity", (("actor", user), ("per_page", "1"))),
        what=f"repository activity of {user}",
        scope="repo (fine-grained: Metadata read)",
    )
    entries = as_list(latest)
    return PushActivity(user, api_time(entries[0].get("timestamp")) if entries else None)


def _organisation(reader: ApiReader, login: str) -> OrganisationPosture:
    org = quote(login, safe="")
    settings = reader.read(Request(f"/orgs/{org}"), what=f"organisation {login}", scope=ORG_SCOPE)
    required = as_mapping(settings).get("two_factor_requirement_enabled")
    if settings.readable and not isinstance(required, bool):
        # GitHub shows the 2FA requirement to organisation owners only.
        reader.note_unreadable(
            f"2FA requirement of organisation {login}", f"GET /orgs/{org}", ORG_SCOPE
        )
    members = reader.read(
        Request(f"/orgs/{org}/members", (*_PAGE, ("filter", "2fa_disabled"))),
        what=f"members of {login} without 2FA",
        scope=ORG_SCOPE,
        paged=True,
    )
    return OrganisationPosture(
        name=login,
        two_factor_required=required if isinstance(required, bool) else None,
        members_without_two_factor=tuple(str(m.get("login")) for m in as_list(members))
        if members.readable
        else None,
    )


GITHUB = ForgeKind(
    name="github",
    token_variable="GITHUB_TOKEN",
    url_variable="GITHUB_API_URL",
    default_url="https://api.github.com",
    hosts=("github.com",),
    auth_headers=auth_headers,
    client=GitHubClient,
)
