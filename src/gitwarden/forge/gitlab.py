"""GitLab: protected branches and tags, approval settings, push rules, members, deploy keys.

Endpoints are those of GitLab's REST API v4. GitLab protects a branch by one rule per name
pattern; approvals and push rules are project-wide, so they apply to every audited branch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from gitwarden.forge.api_reading import (
    ApiReader,
    ForgeReading,
    ProjectEndpoint,
    api_time,
    as_list,
    as_mapping,
    read_deploy_keys,
)
from gitwarden.forge.errors import ForgeError
from gitwarden.forge.gitlab_approvals import merge_request_approvals
from gitwarden.forge.interface import Approval, AuditScope, ForgeKind
from gitwarden.forge.posture import (
    AccessGrant,
    AccessLevel,
    BranchPolicy,
    ForgeKey,
    ForgePosture,
    OrganisationPosture,
    TagPolicy,
)
from gitwarden.forge.ref_patterns import gitlab_pattern_matches
from gitwarden.forge.ssh_fingerprints import ssh_fingerprint
from gitwarden.forge.transport import Request

READ_SCOPE = "read_api (and the Maintainer role on the project)"
PROJECT_HINT = "check --project and that GITLAB_TOKEN has the read_api scope"
OWNER_SCOPE = "read_api (and the Owner role on the group)"
MAX_KEY_USERS = 200
TAG_SAMPLE = "v1.0.0"
NO_ONE = 0
DEVELOPER = 30
MAINTAINER = 40
OWNER = 50
_PAGE = (("per_page", "100"),)
PROJECT = ProjectEndpoint(
    "GitLab", "project", READ_SCOPE, PROJECT_HINT, lambda name: f"/projects/{quote(name, safe='')}"
)


def auth_headers(token: str | None) -> Mapping[str, str]:
    return {"PRIVATE-TOKEN": token} if token else {}


def _level(access_level: int) -> AccessLevel:
    if access_level >= OWNER:
        return "admin"
    if access_level >= MAINTAINER:
        return "maintain"
    if access_level >= DEVELOPER:
        return "write"
    return "read"


class GitLabClient(ForgeReading):
    name = "gitlab"
    project_endpoint = PROJECT

    def approvals(self, project: str, change: int) -> tuple[Approval, ...]:
        """Who approved merge request ``change``, tied to the commit they saw (through the
        merge request's versions) and to the note they wrote before approving."""
        return merge_request_approvals(ApiReader(self.transport), project, change)

    def team_members(self, team: str) -> tuple[str, ...]:
        """Active members of the group, inherited ones included (``members/all``)."""
        members = ApiReader(self.transport).read(
            Request(f"/groups/{quote(team, safe='')}/members/all", _PAGE),
            what=f"members of group {team}",
            scope=READ_SCOPE,
            paged=True,
        )
        if not members.readable:
            raise ForgeError(
                f"GitLab: cannot read the members of group {team}",
                hint="the token needs read_api and access to the group",
            )
        return tuple(
            str(m["username"])
            for m in as_list(members)
            if m.get("username") and m.get("state", "active") == "active"
        )

    def posture(self, scope: AuditScope) -> ForgePosture:
        project = self.open_project(scope.project)
        reader, base, default = project.reader, project.base, project.default_branch
        settings = project.settings
        members = reader.read(
            Request(f"{base}/members/all", _PAGE),
            what="project members",
            scope=READ_SCOPE,
            paged=True,
        )
        levels = {str(m.get("username")): int(m.get("access_level") or 0) for m in as_list(members)}
        ids = {int(m.get("id") or 0): str(m.get("username")) for m in as_list(members)}
        protected = reader.read(
            Request(f"{base}/protected_branches", _PAGE),
            what="protected branches",
            scope=READ_SCOPE,
            paged=True,
        )
        approvals = reader.read(
            Request(f"{base}/approvals"), what="approval settings", scope=READ_SCOPE
        )
        approval_rules = reader.read(
            Request(f"{base}/approval_rules", _PAGE),
            what="approval rules",
            scope=READ_SCOPE,
            paged=True,
        )
        push_rule = reader.read(
            Request(f"{base}/push_rule"),
            what="push rules",
            scope=READ_SCOPE,
            absent=lambda r: r.status == 404 and "push rule" in r.message().lower(),
        )
        shared = _project_wide(settings, as_mapping(approvals), as_list(approval_rules))
        shared.update(_push_rule_fields(as_mapping(push_rule)))
        shared["unknown"] = tuple(
            what
            for what, answer in (
                ("protected branches", protected),
                ("approval settings", approvals),
                ("approval rules", approval_rules),
                ("push rules", push_rule),
            )
            if not answer.readable
        )
        branches = tuple(dict.fromkeys((*scope.production_branches, default)))
        policies = tuple(
            replace(
                _branch_policy(branch, as_list(protected), shared, levels, ids),
                production=scope.deploys_from(branch),
            )
            for branch in branches
        )
        access = (
            tuple(
                AccessGrant(name=name, kind="user", level=_level(level))
                for name, level in levels.items()
            )
            if members.readable
            else None
        )
        keys = read_deploy_keys(
            reader,
            f"{base}/deploy_keys",
            scope=READ_SCOPE,
            can_write=lambda key: bool(key.get("can_push")),
        )
        users = dict.fromkeys((*scope.key_users, *(g.name for g in access or ())))
        key_users = tuple(users)[:MAX_KEY_USERS]
        user_ids = {name: uid for uid, name in ids.items()}
        for user in key_users:
            keys += _user_keys(reader, user, user_ids.get(user))
        namespace = settings.get("namespace") or {}
        organisation = _group(reader, namespace) if namespace.get("kind") == "group" else None
        return ForgePosture(
            forge=self.name,
            project=scope.project,
            default_branch=default,
            branches=policies,
            tags=_tag_policy(reader, base),
            access=access,
            keys=keys,
            organisation=organisation,
            unreadable=tuple(reader.unreadable),
            key_owners_read=key_users,
        )


def _project_wide(
    settings: Mapping[str, Any],
    approvals: Mapping[str, Any],
    rules: list[dict[str, Any]],
) -> dict[str, Any]:
    required = max(
        [int(approvals.get("approvals_before_merge") or 0)]
        + [int(rule.get("approvals_required") or 0) for rule in rules]
    )
    return {
        "required_approvals": required,
        "dismiss_stale_reviews": bool(approvals.get("reset_approvals_on_push")),
        # Committers may not approve: whoever pushed last cannot approve their own push.
        "last_push_approval": bool(approvals.get("merge_requests_disable_committers_approval")),
        "author_may_approve": bool(approvals.get("merge_requests_author_approval"))
        if approvals
        else None,
        "status_checks": ("pipeline",)
        if settings.get("only_allow_merge_if_pipeline_succeeds")
        else (),
        "linear_history": settings.get("merge_method") == "ff",
    }


def _push_rule_fields(push_rule: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "signed_commits": bool(push_rule.get("reject_unsigned_commits")),
        "member_check": bool(push_rule.get("member_check")),
        "committer_check": bool(push_rule.get("commit_committer_check")),
    }


def _branch_policy(
    branch: str,
    protected: list[dict[str, Any]],
    shared: Mapping[str, Any],
    levels: Mapping[str, int],
    ids: Mapping[int, str],
) -> BranchPolicy:
    rules = [p for p in protected if gitlab_pattern_matches(str(p.get("name")), branch)]
    pushers: set[str] = set()
    force = False
    code_owners = False
    for rule in rules:
        force = force or bool(rule.get("allow_force_push"))
        code_owners = code_owners or bool(rule.get("code_owner_approval_required"))
        for access in rule.get("push_access_levels") or ():
            pushers |= _who(access, levels, ids)
    return BranchPolicy(
        branch=branch,
        production=True,
        protected=bool(rules),
        # An unprotected branch takes force pushes and deletions from every developer.
        force_push_allowed=force or not rules,
        deletion_allowed=not rules,
        code_owner_review=code_owners,
        admins_exempt=False,
        pushers=tuple(sorted(pushers)) if rules else None,
        sources=tuple(f"protected branch {r.get('name')!r}" for r in rules),
        **shared,
    )


def _who(access: Mapping[str, Any], levels: Mapping[str, int], ids: Mapping[int, str]) -> set[str]:
    if access.get("user_id"):
        return {ids.get(int(access["user_id"]), f"user:{access['user_id']}")}
    if access.get("group_id"):
        return {f"group:{access['group_id']}"}
    level = int(access.get("access_level") or 0)
    if level == NO_ONE:
        return set()
    return {name for name, member in levels.items() if member >= level}


def _tag_policy(reader: ApiReader, base: str) -> TagPolicy:
    tags = reader.read(
        Request(f"{base}/protected_tags", _PAGE),
        what="protected tags",
        scope=READ_SCOPE,
        paged=True,
    )
    matching = [t for t in as_list(tags) if gitlab_pattern_matches(str(t.get("name")), TAG_SAMPLE)]
    # A protected tag cannot be updated or deleted over git by anyone.
    return TagPolicy(
        "v*",
        bool(matching),
        bool(matching),
        tuple(f"protected tag {t.get('name')!r}" for t in matching),
    )


def _user_keys(reader: ApiReader, user: str, user_id: int | None) -> tuple[ForgeKey, ...]:
    if user_id is None:
        found = reader.read(
            Request("/users", (("username", user),)), what=f"user {user}", scope=READ_SCOPE
        )
        matches = as_list(found)
        if not matches:
            return ()
        user_id = int(matches[0].get("id") or 0)
    keys = reader.read(
        Request(f"/users/{user_id}/keys", _PAGE),
        what=f"SSH keys of {user}",
        scope=READ_SCOPE,
        paged=True,
    )
    found_keys: list[ForgeKey] = []
    for key in as_list(keys):
        usage = str(key.get("usage_type") or "auth_and_signing")
        kinds = [
            k for k, word in (("ssh-auth", "auth"), ("ssh-signing", "signing")) if word in usage
        ]
        found_keys += [
            ForgeKey(
                owner=user,
                kind=kind,  # type: ignore[arg-type]
                title=str(key.get("title") or key.get("id")),
                fingerprint=ssh_fingerprint(str(key.get("key", ""))),
                created=api_time(key.get("created_at")),
                expires=api_time(key.get("expires_at")),
            )
            for kind in kinds
        ]
    return tuple(found_keys)


def _group(reader: ApiReader, namespace: Mapping[str, Any]) -> OrganisationPosture:
    path = str(namespace.get("full_path") or namespace.get("id"))
    group = reader.read(
        Request(f"/groups/{quote(path, safe='')}", (("with_projects", "false"),)),
        what=f"group {path}",
        scope=OWNER_SCOPE,
    )
    required = as_mapping(group).get("require_two_factor_authentication")
    return OrganisationPosture(
        name=path, two_factor_required=required if isinstance(required, bool) else None
    )


GITLAB = ForgeKind(
    name="gitlab",
    token_variable="GITLAB_TOKEN",
    url_variable="CI_API_V4_URL",
    default_url="https://gitlab.com/api/v4",
    hosts=("gitlab.com",),
    auth_headers=auth_headers,
    client=GitLabClient,
)
