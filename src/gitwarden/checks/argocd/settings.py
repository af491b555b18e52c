"""Argo CD settings: argocd-cm, argocd-rbac-cm and argocd-cmd-params-cm, who may drive it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gitwarden.checks.argocd.argo_objects import (
    FAMILY,
    RBAC_URL,
    SECURITY_URL,
    USER_MANAGEMENT_URL,
    WILDCARD,
    config_maps,
    is_true,
    line_in_value,
)
from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.rule_declaration import FamilyRules
from gitwarden.findings import Finding, Location, Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.yaml_nodes import (
    FieldPath,
)

UNSAFE_KUSTOMIZE_OPTIONS = (
    ("--enable-alpha-plugins", "runs plugins (arbitrary programs) named by the repository"),
    ("--enable-exec", "runs exec functions (arbitrary programs) named by the repository"),
    ("LoadRestrictionsNone", "lets a kustomization read any file of the repo server"),
)
MAX_EXEC_TIMEOUT_SECONDS = 300
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(h|ms|m|s|us|ns)")
_DURATION_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}
_POLICY_CSV_KEY = re.compile(r"^policy(\..+)?\.csv$")
_INSECURE_OIDC = re.compile(
    r"(insecureSkipVerify:\s*[\"']?true|issuer:\s*[\"']?http://|"
    r"insecureSkipEmailVerified:\s*[\"']?true)",
    re.IGNORECASE,
)

rules = FamilyRules(FAMILY)


def _flags_turned_on(
    context: CheckContext, config_map: str, key: str
) -> Iterator[tuple[K8sObject, Location]]:
    """Each ``config_map`` whose ``key`` is "true", with the location of that key."""
    for obj, data in config_maps(context, config_map):
        if is_true(data.get(key)):
            yield obj, obj.location(("data", key))


CM_ADMIN_ENABLED = rules.rule(
    "argocd-admin-user-enabled",
    Severity.MEDIUM,
    title="Argo CD's built-in admin user is enabled",
    rationale=(
        "The local `admin` account has full rights, a shared password and no second factor; "
        "Argo CD recommends disabling it once SSO is configured."
    ),
    remediation='Set `admin.enabled: "false"` in argocd-cm after configuring SSO or local users.',
    references=(USER_MANAGEMENT_URL,),
)


@rules.finds(CM_ADMIN_ENABLED)
def find_admin_enabled(context: CheckContext) -> Iterator[Finding]:
    for obj, data in config_maps(context, "argocd-cm"):
        if str(data.get("admin.enabled", "true")).strip().lower() != "false":
            where: FieldPath = ("data", "admin.enabled") if "admin.enabled" in data else ()
            yield CM_ADMIN_ENABLED.finding(
                f"{obj.resource} leaves the built-in admin user enabled"
                + ("" if where else " (the default)")
                + ': set admin.enabled: "false" once SSO works.',
                obj.location(where),
            )


CM_ANONYMOUS = rules.rule(
    "argocd-anonymous-access",
    Severity.HIGH,
    title="Argo CD allows anonymous access",
    rationale=(
        "`users.anonymous.enabled` gives every unauthenticated visitor the `policy.default` role "
        "and shows them every application, its manifests and its parameters."
    ),
    remediation='Set `users.anonymous.enabled: "false"` (or remove it).',
    references=(USER_MANAGEMENT_URL,),
)


@rules.finds(CM_ANONYMOUS)
def find_anonymous_access(context: CheckContext) -> Iterator[Finding]:
    for obj, where in _flags_turned_on(context, "argocd-cm", "users.anonymous.enabled"):
        yield CM_ANONYMOUS.finding(
            f"{obj.resource} lets unauthenticated users in (users.anonymous.enabled): turn it off.",
            where,
        )


CM_EXEC_ENABLED = rules.rule(
    "argocd-exec-enabled",
    Severity.MEDIUM,
    title="Argo CD web terminal (exec) is enabled",
    rationale=(
        "`exec.enabled` lets users with the `exec` RBAC action open shells in application pods "
        "from the web UI, through the API server's service account."
    ),
    remediation=(
        'Remove `exec.enabled: "true"`, or grant the `exec` action to no one but break-glass roles.'
    ),
    references=(SECURITY_URL,),
)


@rules.finds(CM_EXEC_ENABLED)
def find_exec_enabled(context: CheckContext) -> Iterator[Finding]:
    for obj, where in _flags_turned_on(context, "argocd-cm", "exec.enabled"):
        yield CM_EXEC_ENABLED.finding(
            f"{obj.resource} enables the web terminal (exec.enabled): turn it off.", where
        )


CM_UNSAFE_KUSTOMIZE = rules.rule(
    "argocd-kustomize-unsafe-build-options",
    Severity.HIGH,
    title="Argo CD runs kustomize with plugins, exec or no load restrictor",
    rationale=(
        "The repo server renders every repository Argo CD tracks; with alpha plugins or exec "
        "functions a repository runs programs there, and without the load restrictor it reads "
        "other repositories' files and credentials."
    ),
    remediation=(
        "Remove `--enable-alpha-plugins`, `--enable-exec` and `--load-restrictor "
        "LoadRestrictionsNone` from `kustomize.buildOptions`; use Config Management Plugins in "
        "a sidecar for anything else."
    ),
    references=(SECURITY_URL,),
)


@rules.finds(CM_UNSAFE_KUSTOMIZE)
def find_unsafe_kustomize_options(context: CheckContext) -> Iterator[Finding]:
    for obj, data in config_maps(context, "argocd-cm"):
        for key, value in data.items():
            if not str(key).startswith("kustomize.buildOptions") or not isinstance(value, str):
                continue
            for option, effect in UNSAFE_KUSTOMIZE_OPTIONS:
                if option in value:
                    yield CM_UNSAFE_KUSTOMIZE.finding(
                        f"{obj.resource} {key} passes {option}, which {effect}: remove it.",
                        obj.location(("data", str(key))),
                        details={"option": option},
                    )


CM_INSECURE_OIDC = rules.rule(
    "argocd-insecure-oidc",
    Severity.HIGH,
    title="Argo CD SSO skips TLS or e-mail verification",
    rationale=(
        "An OIDC issuer over http, `insecureSkipVerify` or unverified e-mail addresses let an "
        "attacker in the network path or with a self-registered account log in as someone else."
    ),
    remediation=(
        "Use an https issuer with a verified certificate (set `rootCA` for a private CA) and "
        "require verified e-mail."
    ),
    references=(USER_MANAGEMENT_URL,),
)


@rules.finds(CM_INSECURE_OIDC)
def find_insecure_oidc(context: CheckContext) -> Iterator[Finding]:
    for obj, data in config_maps(context, "argocd-cm"):
        if is_true(data.get("oidc.tls.insecure.skip.verify")):
            yield CM_INSECURE_OIDC.finding(
                f"{obj.resource} skips TLS verification of the OIDC provider "
                "(oidc.tls.insecure.skip.verify): set rootCA instead.",
                obj.location(("data", "oidc.tls.insecure.skip.verify")),
            )
        for key in ("oidc.config", "dex.config"):
            value = data.get(key)
            if not isinstance(value, str):
                continue
            for match in _INSECURE_OIDC.finditer(value):
                yield CM_INSECURE_OIDC.finding(
                    f"{obj.resource} {key} sets '{match.group(0).strip()}': use a verified "
                    "https issuer and verified e-mail.",
                    line_in_value(obj, ("data", key), value, match.start()),
                )


RBAC_DEFAULT_ADMIN = rules.rule(
    "argocd-rbac-default-admin",
    Severity.CRITICAL,
    title="Every Argo CD user is an administrator by default",
    rationale=(
        "`policy.default: role:admin` gives every authenticated user (and anonymous users, if "
        "enabled) full control of Argo CD and so of every cluster it manages."
    ),
    remediation="Set `policy.default` to `role:readonly` or to nothing, and grant roles to groups.",
    references=(RBAC_URL,),
)


@rules.finds(RBAC_DEFAULT_ADMIN)
def find_default_admin_role(context: CheckContext) -> Iterator[Finding]:
    for obj, data in config_maps(context, "argocd-rbac-cm"):
        if str(data.get("policy.default", "")).strip() == "role:admin":
            yield RBAC_DEFAULT_ADMIN.finding(
                f"{obj.resource} makes every user an administrator (policy.default: "
                "role:admin): use role:readonly or nothing.",
                obj.location(("data", "policy.default")),
            )


RBAC_WILDCARD_POLICY = rules.rule(
    "argocd-rbac-wildcard-policy",
    Severity.HIGH,
    title="Argo CD RBAC policy allows every action on every project",
    rationale=(
        "A `p,` line allowing `*` resources or actions on `*/*` objects makes its subject an "
        "administrator of every project, including the right to sync, delete and exec."
    ),
    remediation=(
        "Grant the actions the role needs on the projects it owns (`applications, sync, team-a/*`)."
    ),
    references=(RBAC_URL,),
)


@rules.finds(RBAC_WILDCARD_POLICY)
def find_wildcard_policies(context: CheckContext) -> Iterator[Finding]:
    for obj, data in config_maps(context, "argocd-rbac-cm"):
        for key, value in data.items():
            if not _POLICY_CSV_KEY.match(str(key)) or not isinstance(value, str):
                continue
            offset = 0
            for line in value.splitlines(keepends=True):
                fields = [part.strip() for part in line.split(",")]
                start, offset = offset, offset + len(line)
                if len(fields) < 5 or fields[0] != "p":
                    continue
                resource, action, target = fields[2], fields[3], fields[4]
                effect = fields[5] if len(fields) > 5 else "allow"
                if effect != "allow" or target not in (WILDCARD, "*/*"):
                    continue
                if WILDCARD not in (resource, action):
                    continue
                yield RBAC_WILDCARD_POLICY.finding(
                    f"{obj.resource} {key} allows {fields[1]} '{action}' on '{resource}' of every "
                    f"project ({line.strip()}): grant named actions on named projects.",
                    line_in_value(obj, ("data", str(key)), value, start),
                    details={"policy": line.strip()},
                )


SERVER_INSECURE = rules.rule(
    "argocd-server-insecure",
    Severity.MEDIUM,
    title="Argo CD API server serves without TLS",
    rationale=(
        "`server.insecure` turns TLS off on the API server; unless TLS ends right in front of it, "
        "session tokens and repository credentials cross the network in clear."
    ),
    remediation=(
        'Remove `server.insecure: "true"`, or make sure TLS terminates at an ingress in the '
        "same namespace with the connection from it protected."
    ),
    references=(SECURITY_URL,),
)


@rules.finds(SERVER_INSECURE)
def find_insecure_server(context: CheckContext) -> Iterator[Finding]:
    for obj, where in _flags_turned_on(context, "argocd-cmd-params-cm", "server.insecure"):
        yield SERVER_INSECURE.finding(
            f"{obj.resource} turns TLS off on the API server (server.insecure): remove it "
            "unless TLS ends in front of it.",
            where,
        )


REPO_SERVER_EXEC_TIMEOUT = rules.rule(
    "argocd-repo-server-long-exec-timeout",
    Severity.LOW,
    title="Repo server allows very long manifest generation",
    rationale=(
        "`reposerver.exec.timeout` bounds how long one repository's kustomize, helm or plugin run "
        "may take; a long bound lets one hostile repository tie up the repo server for everyone."
    ),
    remediation=(
        f"Keep `reposerver.exec.timeout` at or below {MAX_EXEC_TIMEOUT_SECONDS}s (default 90s)."
    ),
    references=(SECURITY_URL,),
)


def _duration_seconds(text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    parts = _DURATION_PART.findall(text)
    if "".join(number + unit for number, unit in parts) != text:
        return None
    return sum(float(number) * _DURATION_SECONDS[unit] for number, unit in parts)


@rules.finds(REPO_SERVER_EXEC_TIMEOUT)
def find_long_exec_timeouts(context: CheckContext) -> Iterator[Finding]:
    for obj, data in config_maps(context, "argocd-cmd-params-cm"):
        value = data.get("reposerver.exec.timeout")
        seconds = _duration_seconds(str(value)) if value is not None else None
        if seconds is not None and seconds > MAX_EXEC_TIMEOUT_SECONDS:
            yield REPO_SERVER_EXEC_TIMEOUT.finding(
                f"{obj.resource} lets manifest generation run for {value}: keep it at or "
                f"below {MAX_EXEC_TIMEOUT_SECONDS}s.",
                obj.location(("data", "reposerver.exec.timeout")),
            )


CHECKS: tuple[Check, ...] = rules.checks()
