"""Argo CD: projects that allow everything, Applications that deploy whatever a branch holds,
settings that open the API server, and credentials committed in plain text.

Argo CD applies what its Applications point at with a ClusterRole that can change anything,
so an AppProject is the only fence around a tenant, and argocd-cm / argocd-rbac-cm decide
who may drive it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.gitops_sources import (
    chart_version_floats,
    git_revision_floats,
    is_plain_http,
    secret_values,
)
from gitwarden.findings import Finding, Location, Severity
from gitwarden.manifests.objects import K8sObject, format_field_path
from gitwarden.manifests.yaml_nodes import (
    FieldPath,
    YamlLimitError,
    YamlSyntaxError,
    parse_documents,
)
from gitwarden.rules import Rule

FAMILY = "argocd"
ARGO_GROUP = "argoproj.io"
PROJECTS_URL = "https://argo-cd.readthedocs.io/en/stable/user-guide/projects/"
SECURITY_URL = "https://argo-cd.readthedocs.io/en/stable/operator-manual/security/"
RBAC_URL = "https://argo-cd.readthedocs.io/en/stable/operator-manual/rbac/"
GPG_URL = "https://argo-cd.readthedocs.io/en/stable/user-guide/gpg-verification/"
SYNC_WINDOWS_URL = "https://argo-cd.readthedocs.io/en/stable/user-guide/sync_windows/"
APPSET_SECURITY_URL = (
    "https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Security/"
)
DECLARATIVE_URL = "https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/"
USER_MANAGEMENT_URL = "https://argo-cd.readthedocs.io/en/stable/operator-manual/user-management/"
SECRET_MANAGEMENT_URL = (
    "https://argo-cd.readthedocs.io/en/stable/operator-manual/secret-management/"
)

DEFAULT_PROJECT = "default"
WILDCARD = "*"
# What Argo CD's own project documentation keeps away from tenants: the objects that set
# a namespace's quota, limits and network isolation.
SENSITIVE_NAMESPACED_KINDS = (
    ("", "ResourceQuota"),
    ("", "LimitRange"),
    ("networking.k8s.io", "NetworkPolicy"),
)
CREDENTIAL_SECRET_TYPES = frozenset(
    {"repository", "repo-creds", "repository-write", "repo-write-creds", "cluster"}
)
CREDENTIAL_KEYS = (
    "password",
    "sshPrivateKey",
    "tlsClientCertKey",
    "githubAppPrivateKey",
    "bearerToken",
    "config",
)
SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type"
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


def _rule(
    rule_id: str,
    severity: Severity,
    title: str,
    rationale: str,
    remediation: str,
    *references: str,
) -> Rule:
    return Rule(rule_id, FAMILY, severity, title, rationale, remediation, references)


# --- AppProject ------------------------------------------------------------------------------

PROJECT_ANY_SOURCE = _rule(
    "argocd-project-any-source-repo",
    Severity.HIGH,
    "AppProject allows any source repository",
    "With `sourceRepos: ['*']` an Application of this project may deploy from any Git or Helm "
    "repository, including one an attacker controls: the project no longer limits what code "
    "reaches the cluster.",
    "List the repositories this project deploys from in `spec.sourceRepos`.",
    PROJECTS_URL,
)
PROJECT_ANY_DESTINATION = _rule(
    "argocd-project-any-destination",
    Severity.HIGH,
    "AppProject allows any cluster or namespace",
    "A destination with server, name or namespace `*` lets the project's Applications deploy "
    "into every namespace of every registered cluster, kube-system and argocd included, so a "
    "tenant can overwrite other tenants and Argo CD itself.",
    "List the destination clusters and namespaces of the project explicitly.",
    PROJECTS_URL,
)
PROJECT_ALL_CLUSTER_RESOURCES = _rule(
    "argocd-project-all-cluster-resources",
    Severity.HIGH,
    "AppProject allows every cluster-scoped resource",
    "`clusterResourceWhitelist` of group `*` and kind `*` lets the project create "
    "ClusterRoles, ClusterRoleBindings, CRDs, webhooks and namespaces: cluster-admin for "
    "whoever can push to its repositories.",
    "Allow only the cluster-scoped kinds the project needs (often none, or Namespace).",
    PROJECTS_URL,
)
PROJECT_SENSITIVE_KINDS = _rule(
    "argocd-project-sensitive-kinds-allowed",
    Severity.MEDIUM,
    "AppProject lets tenants change quotas, limits or network policies",
    "Without a `namespaceResourceBlacklist` (or a whitelist), a project's Applications may "
    "replace the ResourceQuota, LimitRange and NetworkPolicy objects that the platform "
    "team placed in the namespace to contain them.",
    "Add ResourceQuota, LimitRange and NetworkPolicy to `spec.namespaceResourceBlacklist`, "
    "or list the allowed kinds in `spec.namespaceResourceWhitelist`.",
    PROJECTS_URL,
)
PROJECT_UNSIGNED = _rule(
    "argocd-project-unsigned-commits",
    Severity.MEDIUM,
    "AppProject does not require signed commits",
    "Without `signatureKeys` (or `sourceIntegrity`) Argo CD syncs any commit that reaches the "
    "tracked revision; a stolen Git credential or a compromised forge then deploys straight "
    "to the cluster.",
    "Import the release signers' GnuPG keys and list them in `spec.signatureKeys` (or "
    "configure `spec.sourceIntegrity`).",
    GPG_URL,
)
PROJECT_ORPHANS_UNMONITORED = _rule(
    "argocd-project-orphans-unmonitored",
    Severity.LOW,
    "AppProject does not monitor orphaned resources",
    "Objects created in a project's namespaces outside Git (by hand, or by an intruder) stay "
    "invisible unless orphaned-resource monitoring is on.",
    "Add `spec.orphanedResources: {warn: true}` to the project.",
    PROJECTS_URL,
)

# --- Application / ApplicationSet ------------------------------------------------------------

APP_DEFAULT_PROJECT = _rule(
    "argocd-app-default-project",
    Severity.MEDIUM,
    "Application uses the default project",
    "Argo CD's `default` project allows every source, destination and kind: an Application in "
    "it is not fenced in at all, and anyone allowed to create Applications there gets "
    "Argo CD's cluster-wide rights.",
    "Create an AppProject per team or environment with explicit sources, destinations and "
    "kinds, and set `spec.project` to it.",
    PROJECTS_URL,
    SECURITY_URL,
)
APP_FLOATING_REVISION = _rule(
    "argocd-app-floating-revision",
    Severity.HIGH,
    "Production Application tracks a moving revision",
    "`targetRevision` HEAD, a branch or a chart version range means production runs whatever "
    "was pushed last: no review of the exact release, no reproducible rollback.",
    "Pin production to a release tag or commit SHA (or an exact chart version) and promote "
    "by changing it in a reviewed commit.",
    DECLARATIVE_URL,
)
APP_INSECURE_REPO = _rule(
    "argocd-app-insecure-repo-url",
    Severity.HIGH,
    "Application source fetched over plain HTTP",
    "A repoURL over `http://` or `git://` is neither encrypted nor authenticated: anyone on "
    "the path can change the manifests Argo CD applies.",
    "Use an `https://` or `ssh://` URL with known hosts configured.",
    SECURITY_URL,
)
APP_AUTO_SYNC_NO_WINDOW = _rule(
    "argocd-app-auto-sync-without-window",
    Severity.MEDIUM,
    "Production auto-sync with prune and selfHeal, and no sync window",
    "Automated sync with prune and selfHeal applies and deletes on every push, at any hour, and "
    "reverts emergency fixes; without a sync window nothing stops a bad commit from "
    "reaching production immediately.",
    "Add a sync window to the Application's AppProject (`spec.syncWindows`) or turn off "
    "`prune` or `selfHeal` for production.",
    SYNC_WINDOWS_URL,
)
APPSET_TEMPLATED_PROJECT = _rule(
    "argocd-appset-templated-project",
    Severity.HIGH,
    "ApplicationSet takes the project from generator parameters",
    "When `template.spec.project` is a template, whoever controls the generator's input (a "
    "file in a Git repository, a pull request, a cluster label) chooses the project and so "
    "escapes the limits of their own.",
    "Write the project name literally in the ApplicationSet template.",
    APPSET_SECURITY_URL,
)
APP_INLINE_HELM_SECRET = _rule(
    "argocd-app-inline-helm-secret",
    Severity.HIGH,
    "Secret value in an Application's inline Helm values",
    "Inline `helm.values`, `valuesObject` and `parameters` are stored in the Application "
    "object, which every user who may view the application can read, and in Git history.",
    "Move the secret into a Secret managed by Sealed Secrets, SOPS or External Secrets and "
    "reference it from the chart.",
    SECRET_MANAGEMENT_URL,
)

INSECURE_REPOSITORY = _rule(
    "argocd-repository-insecure",
    Severity.HIGH,
    "Argo CD repository credentials skip TLS or SSH host verification",
    '`insecure: "true"` or `insecureIgnoreHostKey: "true"` on a repository Secret makes Argo '
    "CD accept any server certificate or SSH host key for that repository: whoever sits in the "
    "network path serves the manifests it applies and receives its credentials.",
    "Remove the flag; add the server's CA (argocd-tls-certs-cm) or SSH host key "
    "(argocd-ssh-known-hosts-cm) instead.",
    DECLARATIVE_URL,
)

# --- settings ---------------------------------------------------------------------------------

CM_ADMIN_ENABLED = _rule(
    "argocd-admin-user-enabled",
    Severity.MEDIUM,
    "Argo CD's built-in admin user is enabled",
    "The local `admin` account has full rights, a shared password and no second factor; "
    "Argo CD recommends disabling it once SSO is configured.",
    'Set `admin.enabled: "false"` in argocd-cm after configuring SSO or local users.',
    USER_MANAGEMENT_URL,
)
CM_ANONYMOUS = _rule(
    "argocd-anonymous-access",
    Severity.HIGH,
    "Argo CD allows anonymous access",
    "`users.anonymous.enabled` gives every unauthenticated visitor the `policy.default` role "
    "and shows them every application, its manifests and its parameters.",
    'Set `users.anonymous.enabled: "false"` (or remove it).',
    USER_MANAGEMENT_URL,
)
CM_EXEC_ENABLED = _rule(
    "argocd-exec-enabled",
    Severity.MEDIUM,
    "Argo CD web terminal (exec) is enabled",
    "`exec.enabled` lets users with the `exec` RBAC action open shells in application pods from "
    "the web UI, through the API server's service account.",
    'Remove `exec.enabled: "true"`, or grant the `exec` action to no one but break-glass roles.',
    SECURITY_URL,
)
CM_UNSAFE_KUSTOMIZE = _rule(
    "argocd-kustomize-unsafe-build-options",
    Severity.HIGH,
    "Argo CD runs kustomize with plugins, exec or no load restrictor",
    "The repo server renders every repository Argo CD tracks; with alpha plugins or exec "
    "functions a repository runs programs there, and without the load restrictor it reads "
    "other repositories' files and credentials.",
    "Remove `--enable-alpha-plugins`, `--enable-exec` and `--load-restrictor "
    "LoadRestrictionsNone` from `kustomize.buildOptions`; use Config Management Plugins in "
    "a sidecar for anything else.",
    SECURITY_URL,
)
CM_INSECURE_OIDC = _rule(
    "argocd-insecure-oidc",
    Severity.HIGH,
    "Argo CD SSO skips TLS or e-mail verification",
    "An OIDC issuer over http, `insecureSkipVerify` or unverified e-mail addresses let an "
    "attacker in the network path or with a self-registered account log in as someone else.",
    "Use an https issuer with a verified certificate (set `rootCA` for a private CA) and "
    "require verified e-mail.",
    USER_MANAGEMENT_URL,
)
RBAC_DEFAULT_ADMIN = _rule(
    "argocd-rbac-default-admin",
    Severity.CRITICAL,
    "Every Argo CD user is an administrator by default",
    "`policy.default: role:admin` gives every authenticated user (and anonymous users, if "
    "enabled) full control of Argo CD and so of every cluster it manages.",
    "Set `policy.default` to `role:readonly` or to nothing, and grant roles to groups.",
    RBAC_URL,
)
RBAC_WILDCARD_POLICY = _rule(
    "argocd-rbac-wildcard-policy",
    Severity.HIGH,
    "Argo CD RBAC policy allows every action on every project",
    "A `p,` line allowing `*` resources or actions on `*/*` objects makes its subject an "
    "administrator of every project, including the right to sync, delete and exec.",
    "Grant the actions the role needs on the projects it owns (`applications, sync, team-a/*`).",
    RBAC_URL,
)
SERVER_INSECURE = _rule(
    "argocd-server-insecure",
    Severity.MEDIUM,
    "Argo CD API server serves without TLS",
    "`server.insecure` turns TLS off on the API server; unless TLS ends right in front of it, "
    "session tokens and repository credentials cross the network in clear.",
    'Remove `server.insecure: "true"`, or make sure TLS terminates at an ingress in the '
    "same namespace with the connection from it protected.",
    SECURITY_URL,
)
REPO_SERVER_EXEC_TIMEOUT = _rule(
    "argocd-repo-server-long-exec-timeout",
    Severity.LOW,
    "Repo server allows very long manifest generation",
    "`reposerver.exec.timeout` bounds how long one repository's kustomize, helm or plugin run "
    "may take; a long bound lets one hostile repository tie up the repo server for everyone.",
    f"Keep `reposerver.exec.timeout` at or below {MAX_EXEC_TIMEOUT_SECONDS}s (default 90s).",
    SECURITY_URL,
)
PLAINTEXT_CREDENTIALS = _rule(
    "argocd-plaintext-credentials",
    Severity.CRITICAL,
    "Argo CD repository or cluster credentials committed in plain text",
    "A Secret labelled `argocd.argoproj.io/secret-type` holds Git passwords, SSH keys or "
    "cluster bearer tokens; committed as `data`/`stringData` they are readable by everyone "
    "who can read the repository, forever, through its history.",
    "Rotate the credential, then commit it as a SealedSecret, a SOPS-encrypted Secret or an "
    "ExternalSecret instead.",
    DECLARATIVE_URL,
    SECRET_MANAGEMENT_URL,
)


# --- helpers ----------------------------------------------------------------------------------


def _is_argo(obj: K8sObject, *kinds: str) -> bool:
    return obj.kind in kinds and obj.api_group == ARGO_GROUP


def _argo_objects(context: CheckContext, *kinds: str) -> Iterator[K8sObject]:
    return (obj for obj in context.objects if _is_argo(obj, *kinds))


def _mappings(value: Any) -> list[tuple[int, Mapping[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, Mapping)]


@dataclass(frozen=True)
class AppSpec:
    """The Application spec of an Application, or the template spec of an ApplicationSet."""

    obj: K8sObject
    path: FieldPath
    spec: Mapping[str, Any]

    def sources(self) -> list[tuple[FieldPath, Mapping[str, Any]]]:
        found: list[tuple[FieldPath, Mapping[str, Any]]] = []
        single = self.spec.get("source")
        if isinstance(single, Mapping):
            found.append(((*self.path, "source"), single))
        for index, source in _mappings(self.spec.get("sources")):
            found.append(((*self.path, "sources", index), source))
        return found

    @property
    def destination(self) -> Mapping[str, Any]:
        value = self.spec.get("destination")
        return value if isinstance(value, Mapping) else {}

    @property
    def project(self) -> str:
        value = self.spec.get("project")
        return str(value) if value not in (None, "") else DEFAULT_PROJECT

    def is_production(self, context: CheckContext) -> bool:
        destination = self.destination
        paths = [self.obj.file, self.obj.rendered_from]
        paths += [str(source.get("path")) for _, source in self.sources() if source.get("path")]
        return context.settings.production.matches(
            namespaces=[_text(destination.get("namespace"))],
            clusters=[_text(destination.get("server")), _text(destination.get("name"))],
            paths=paths,
        )


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def _app_specs(context: CheckContext) -> Iterator[AppSpec]:
    for obj in _argo_objects(context, "Application", "ApplicationSet"):
        path: FieldPath = ("spec",) if obj.kind == "Application" else ("spec", "template", "spec")
        spec = obj.get(path)
        if isinstance(spec, Mapping):
            yield AppSpec(obj, path, spec)


def _config_maps(context: CheckContext, name: str) -> Iterator[tuple[K8sObject, Mapping[str, Any]]]:
    for obj in context.of_kind("ConfigMap"):
        if obj.name == name and obj.api_version == "v1":
            data = obj.get(("data",))
            yield obj, data if isinstance(data, Mapping) else {}


def _is_true(value: Any) -> bool:
    return str(value).strip().lower() == "true"


def _line_in_value(obj: K8sObject, path: FieldPath, value: str, offset: int) -> Location:
    """The location of the line at character ``offset`` of a (block) string value."""
    location = obj.location(path)
    if "\n" not in value.rstrip("\n"):
        return location
    # A block scalar starts on the line after its key.
    line = location.line + 1 + value.count("\n", 0, offset)
    return Location(
        file=location.file,
        line=line,
        column=1,
        resource=location.resource,
        field_path=location.field_path,
        origin=location.origin,
    )


# --- AppProject checks ------------------------------------------------------------------------


def _projects(context: CheckContext) -> Iterator[tuple[K8sObject, Mapping[str, Any]]]:
    for obj in _argo_objects(context, "AppProject"):
        spec = obj.get(("spec",))
        yield obj, spec if isinstance(spec, Mapping) else {}


def find_any_source_repo(context: CheckContext) -> Iterator[Finding]:
    for obj, spec in _projects(context):
        repos = spec.get("sourceRepos")
        if isinstance(repos, list) and WILDCARD in repos:
            yield PROJECT_ANY_SOURCE.finding(
                f"{obj.resource} allows Applications from any repository ('*' in sourceRepos): "
                "list its repositories.",
                obj.location(("spec", "sourceRepos", repos.index(WILDCARD))),
            )


def find_any_destination(context: CheckContext) -> Iterator[Finding]:
    for obj, spec in _projects(context):
        for index, destination in _mappings(spec.get("destinations")):
            open_fields = [
                key for key in ("server", "name", "namespace") if destination.get(key) == WILDCARD
            ]
            if open_fields:
                yield PROJECT_ANY_DESTINATION.finding(
                    f"{obj.resource} destinations[{index}] allows any "
                    f"{' and any '.join(open_fields)} ('*'): list the clusters and namespaces "
                    "the project deploys to.",
                    obj.location(("spec", "destinations", index, open_fields[0])),
                )


def find_all_cluster_resources(context: CheckContext) -> Iterator[Finding]:
    for obj, spec in _projects(context):
        for index, entry in _mappings(spec.get("clusterResourceWhitelist")):
            if entry.get("group") == WILDCARD and entry.get("kind") == WILDCARD:
                yield PROJECT_ALL_CLUSTER_RESOURCES.finding(
                    f"{obj.resource} allows every cluster-scoped kind (clusterResourceWhitelist "
                    f"[{index}] is */*): list only the kinds the project needs.",
                    obj.location(("spec", "clusterResourceWhitelist", index)),
                )


def find_sensitive_kinds_allowed(context: CheckContext) -> Iterator[Finding]:
    for obj, spec in _projects(context):
        if isinstance(spec.get("namespaceResourceWhitelist"), list):
            continue
        denied = {
            (str(entry.get("group", "")), str(entry.get("kind", "")))
            for _, entry in _mappings(spec.get("namespaceResourceBlacklist"))
        }
        missing = [
            kind
            for group, kind in SENSITIVE_NAMESPACED_KINDS
            if not {(group, kind), (WILDCARD, kind), (group, WILDCARD), (WILDCARD, WILDCARD)}
            & denied
        ]
        if missing:
            yield PROJECT_SENSITIVE_KINDS.finding(
                f"{obj.resource} lets its Applications manage {', '.join(missing)}: add them to "
                "spec.namespaceResourceBlacklist.",
                obj.location(("spec", "namespaceResourceBlacklist")),
                details={"kinds": ", ".join(missing)},
            )


def find_unsigned_projects(context: CheckContext) -> Iterator[Finding]:
    for obj, spec in _projects(context):
        keys = spec.get("signatureKeys")
        if (isinstance(keys, list) and keys) or isinstance(spec.get("sourceIntegrity"), Mapping):
            continue
        yield PROJECT_UNSIGNED.finding(
            f"{obj.resource} syncs unsigned commits: list the signers' GnuPG key ids in "
            "spec.signatureKeys.",
            obj.location(("spec",)),
        )


def find_orphans_unmonitored(context: CheckContext) -> Iterator[Finding]:
    for obj, spec in _projects(context):
        if not isinstance(spec.get("orphanedResources"), Mapping):
            yield PROJECT_ORPHANS_UNMONITORED.finding(
                f"{obj.resource} does not watch for orphaned resources: add "
                "spec.orphanedResources: {warn: true}.",
                obj.location(("spec",)),
            )


# --- Application checks -----------------------------------------------------------------------


def find_default_project(context: CheckContext) -> Iterator[Finding]:
    for app in _app_specs(context):
        if app.project == DEFAULT_PROJECT:
            yield APP_DEFAULT_PROJECT.finding(
                f"{app.obj.resource} runs in the 'default' project, which allows every source "
                "and destination: give it a project of its own.",
                app.obj.location((*app.path, "project")),
            )


def find_floating_revisions(context: CheckContext) -> Iterator[Finding]:
    for app in _app_specs(context):
        if not app.is_production(context):
            continue
        for path, source in app.sources():
            revision = source.get("targetRevision")
            is_chart = bool(source.get("chart"))
            floats = chart_version_floats(revision) if is_chart else git_revision_floats(revision)
            if not floats:
                continue
            shown = "none (HEAD)" if revision in (None, "") else repr(str(revision))
            what = "chart version" if is_chart else "revision"
            yield APP_FLOATING_REVISION.finding(
                f"{app.obj.resource} deploys to production from {what} {shown}, which moves: "
                "pin a release tag or commit SHA.",
                app.obj.location((*path, "targetRevision")),
                details={"targetRevision": "" if revision is None else str(revision)},
            )


def find_insecure_repo_urls(context: CheckContext) -> Iterator[Finding]:
    for app in _app_specs(context):
        for path, source in app.sources():
            url = source.get("repoURL")
            if is_plain_http(url):
                yield APP_INSECURE_REPO.finding(
                    f"{app.obj.resource} fetches '{url}' without TLS: use https:// or ssh://.",
                    app.obj.location((*path, "repoURL")),
                )


def _projects_with_windows(context: CheckContext) -> set[str]:
    names = set()
    for obj, spec in _projects(context):
        windows = spec.get("syncWindows")
        if isinstance(windows, list) and windows:
            names.add(obj.name)
    return names


def find_auto_sync_without_window(context: CheckContext) -> Iterator[Finding]:
    windowed = _projects_with_windows(context)
    for app in _app_specs(context):
        automated = app.spec.get("syncPolicy")
        automated = automated.get("automated") if isinstance(automated, Mapping) else None
        if not isinstance(automated, Mapping) or automated.get("enabled") is False:
            continue
        if not (automated.get("prune") is True and automated.get("selfHeal") is True):
            continue
        if app.project in windowed or not app.is_production(context):
            continue
        yield APP_AUTO_SYNC_NO_WINDOW.finding(
            f"{app.obj.resource} auto-syncs to production with prune and selfHeal, and its "
            f"project '{app.project}' has no sync window in the repository: add "
            "spec.syncWindows to the project.",
            app.obj.location((*app.path, "syncPolicy", "automated")),
        )


def find_templated_projects(context: CheckContext) -> Iterator[Finding]:
    for obj in _argo_objects(context, "ApplicationSet"):
        project = obj.get(("spec", "template", "spec", "project"))
        if isinstance(project, str) and ("{{" in project or "${" in project):
            yield APPSET_TEMPLATED_PROJECT.finding(
                f"{obj.resource} sets the project from generator parameters ({project!r}): "
                "write the project name literally.",
                obj.location(("spec", "template", "spec", "project")),
            )
        patch = obj.get(("spec", "templatePatch"))
        if isinstance(patch, str) and re.search(r"^\s*project:\s*.*\{\{", patch, re.MULTILINE):
            yield APPSET_TEMPLATED_PROJECT.finding(
                f"{obj.resource} templatePatch sets the project from generator parameters: "
                "write the project name literally.",
                obj.location(("spec", "templatePatch")),
            )


def _inline_values_secrets(
    obj: K8sObject, helm_path: FieldPath, helm: Mapping[str, Any]
) -> Iterator[Finding]:
    values_object = helm.get("valuesObject")
    if isinstance(values_object, Mapping):
        for secret_path in secret_values(values_object):
            yield APP_INLINE_HELM_SECRET.finding(
                f"{obj.resource} sets '{format_field_path(secret_path)}' in inline Helm "
                "values: reference a Secret instead.",
                obj.location((*helm_path, "valuesObject", *secret_path)),
            )
    values = helm.get("values")
    if isinstance(values, str):
        try:
            documents = list(parse_documents(values))
        except (YamlSyntaxError, YamlLimitError):
            documents = []
        for document in documents:
            for secret_path in secret_values(document.value):
                yield APP_INLINE_HELM_SECRET.finding(
                    f"{obj.resource} sets '{format_field_path(secret_path)}' in inline Helm "
                    "values: reference a Secret instead.",
                    obj.location((*helm_path, "values")),
                    details={"key": format_field_path(secret_path)},
                )
    for index, parameter in _mappings(helm.get("parameters")):
        name = str(parameter.get("name", ""))
        leaf = name.rpartition(".")[2]
        if secret_values({leaf: parameter.get("value")}):
            yield APP_INLINE_HELM_SECRET.finding(
                f"{obj.resource} sets Helm parameter '{name}' to a literal secret: reference "
                "a Secret instead.",
                obj.location((*helm_path, "parameters", index, "value")),
            )


def find_inline_helm_secrets(context: CheckContext) -> Iterator[Finding]:
    for app in _app_specs(context):
        for path, source in app.sources():
            helm = source.get("helm")
            if isinstance(helm, Mapping):
                yield from _inline_values_secrets(app.obj, (*path, "helm"), helm)


# --- settings ConfigMaps and credential Secrets ----------------------------------------------


def find_admin_enabled(context: CheckContext) -> Iterator[Finding]:
    for obj, data in _config_maps(context, "argocd-cm"):
        if str(data.get("admin.enabled", "true")).strip().lower() != "false":
            where: FieldPath = ("data", "admin.enabled") if "admin.enabled" in data else ()
            yield CM_ADMIN_ENABLED.finding(
                f"{obj.resource} leaves the built-in admin user enabled"
                + ("" if where else " (the default)")
                + ': set admin.enabled: "false" once SSO works.',
                obj.location(where),
            )


def find_anonymous_access(context: CheckContext) -> Iterator[Finding]:
    for obj, data in _config_maps(context, "argocd-cm"):
        if _is_true(data.get("users.anonymous.enabled")):
            yield CM_ANONYMOUS.finding(
                f"{obj.resource} lets unauthenticated users in (users.anonymous.enabled): "
                "turn it off.",
                obj.location(("data", "users.anonymous.enabled")),
            )


def find_exec_enabled(context: CheckContext) -> Iterator[Finding]:
    for obj, data in _config_maps(context, "argocd-cm"):
        if _is_true(data.get("exec.enabled")):
            yield CM_EXEC_ENABLED.finding(
                f"{obj.resource} enables the web terminal (exec.enabled): turn it off.",
                obj.location(("data", "exec.enabled")),
            )


def find_unsafe_kustomize_options(context: CheckContext) -> Iterator[Finding]:
    for obj, data in _config_maps(context, "argocd-cm"):
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


def find_insecure_oidc(context: CheckContext) -> Iterator[Finding]:
    for obj, data in _config_maps(context, "argocd-cm"):
        if _is_true(data.get("oidc.tls.insecure.skip.verify")):
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
                    _line_in_value(obj, ("data", key), value, match.start()),
                )


def find_default_admin_role(context: CheckContext) -> Iterator[Finding]:
    for obj, data in _config_maps(context, "argocd-rbac-cm"):
        if str(data.get("policy.default", "")).strip() == "role:admin":
            yield RBAC_DEFAULT_ADMIN.finding(
                f"{obj.resource} makes every user an administrator (policy.default: "
                "role:admin): use role:readonly or nothing.",
                obj.location(("data", "policy.default")),
            )


def find_wildcard_policies(context: CheckContext) -> Iterator[Finding]:
    for obj, data in _config_maps(context, "argocd-rbac-cm"):
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
                    _line_in_value(obj, ("data", str(key)), value, start),
                    details={"policy": line.strip()},
                )


def find_insecure_server(context: CheckContext) -> Iterator[Finding]:
    for obj, data in _config_maps(context, "argocd-cmd-params-cm"):
        if _is_true(data.get("server.insecure")):
            yield SERVER_INSECURE.finding(
                f"{obj.resource} turns TLS off on the API server (server.insecure): remove it "
                "unless TLS ends in front of it.",
                obj.location(("data", "server.insecure")),
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


def find_long_exec_timeouts(context: CheckContext) -> Iterator[Finding]:
    for obj, data in _config_maps(context, "argocd-cmd-params-cm"):
        value = data.get("reposerver.exec.timeout")
        seconds = _duration_seconds(str(value)) if value is not None else None
        if seconds is not None and seconds > MAX_EXEC_TIMEOUT_SECONDS:
            yield REPO_SERVER_EXEC_TIMEOUT.finding(
                f"{obj.resource} lets manifest generation run for {value}: keep it at or "
                f"below {MAX_EXEC_TIMEOUT_SECONDS}s.",
                obj.location(("data", "reposerver.exec.timeout")),
            )


def _is_sops_encrypted(obj: K8sObject) -> bool:
    sops = obj.get(("sops",))
    return isinstance(sops, Mapping) and bool(sops.get("mac"))


_TRUE_VALUES = frozenset({"true", "dHJ1ZQ=="})  # "true", and "true" base64-encoded in data
REPOSITORY_SECRET_TYPES = frozenset(
    {"repository", "repo-creds", "repository-write", "repo-write-creds"}
)


def find_insecure_repositories(context: CheckContext) -> Iterator[Finding]:
    for obj in context.of_kind("Secret"):
        if obj.labels.get(SECRET_TYPE_LABEL) not in REPOSITORY_SECRET_TYPES:
            continue
        for section in ("data", "stringData"):
            values = obj.get((section,))
            if not isinstance(values, Mapping):
                continue
            for key in ("insecure", "insecureIgnoreHostKey"):
                if str(values.get(key, "")).strip() in _TRUE_VALUES:
                    yield INSECURE_REPOSITORY.finding(
                        f"{obj.resource} sets {key}: Argo CD does not verify the repository "
                        "server; add its CA or SSH host key instead.",
                        obj.location((section, key)),
                    )


def find_plaintext_credentials(context: CheckContext) -> Iterator[Finding]:
    for obj in context.of_kind("Secret"):
        secret_type = obj.labels.get(SECRET_TYPE_LABEL)
        if secret_type not in CREDENTIAL_SECRET_TYPES or _is_sops_encrypted(obj):
            continue
        for section in ("data", "stringData"):
            values = obj.get((section,))
            if not isinstance(values, Mapping):
                continue
            for key in CREDENTIAL_KEYS:
                value = values.get(key)
                if isinstance(value, str) and value.strip():
                    yield PLAINTEXT_CREDENTIALS.finding(
                        f"{obj.resource} ({secret_type} credentials) holds '{key}' in plain "
                        f"{section}: rotate it and commit it encrypted (SealedSecret, SOPS) "
                        "or as an ExternalSecret.",
                        obj.location((section, key)),
                        details={"key": key, "secret_type": str(secret_type)},
                    )


CHECKS: tuple[Check, ...] = (
    Check(PROJECT_ANY_SOURCE, find_any_source_repo),
    Check(PROJECT_ANY_DESTINATION, find_any_destination),
    Check(PROJECT_ALL_CLUSTER_RESOURCES, find_all_cluster_resources),
    Check(PROJECT_SENSITIVE_KINDS, find_sensitive_kinds_allowed),
    Check(PROJECT_UNSIGNED, find_unsigned_projects),
    Check(PROJECT_ORPHANS_UNMONITORED, find_orphans_unmonitored),
    Check(APP_DEFAULT_PROJECT, find_default_project),
    Check(APP_FLOATING_REVISION, find_floating_revisions),
    Check(APP_INSECURE_REPO, find_insecure_repo_urls),
    Check(APP_AUTO_SYNC_NO_WINDOW, find_auto_sync_without_window),
    Check(APPSET_TEMPLATED_PROJECT, find_templated_projects),
    Check(APP_INLINE_HELM_SECRET, find_inline_helm_secrets),
    Check(CM_ADMIN_ENABLED, find_admin_enabled),
    Check(CM_ANONYMOUS, find_anonymous_access),
    Check(CM_EXEC_ENABLED, find_exec_enabled),
    Check(CM_UNSAFE_KUSTOMIZE, find_unsafe_kustomize_options),
    Check(CM_INSECURE_OIDC, find_insecure_oidc),
    Check(RBAC_DEFAULT_ADMIN, find_default_admin_role),
    Check(RBAC_WILDCARD_POLICY, find_wildcard_policies),
    Check(SERVER_INSECURE, find_insecure_server),
    Check(REPO_SERVER_EXEC_TIMEOUT, find_long_exec_timeouts),
    Check(PLAINTEXT_CREDENTIALS, find_plaintext_credentials),
    Check(INSECURE_REPOSITORY, find_insecure_repositories),
)
