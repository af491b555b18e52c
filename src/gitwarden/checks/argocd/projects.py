"""Argo CD AppProjects: the only fence around a tenant, and what leaves it open."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from gitwarden.checks.argocd.argo_objects import (
    FAMILY,
    GPG_URL,
    PROJECTS_URL,
    WILDCARD,
    mappings,
    projects,
)
from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.rule_declaration import FamilyRules
from gitwarden.findings import Finding, Severity

# What Argo CD's own project documentation keeps away from tenants: the objects that set
# a namespace's quota, limits and network isolation.
SENSITIVE_NAMESPACED_KINDS = (
    ("", "ResourceQuota"),
    ("", "LimitRange"),
    ("networking.k8s.io", "NetworkPolicy"),
)

rules = FamilyRules(FAMILY)


PROJECT_ANY_SOURCE = rules.rule(
    "argocd-project-any-source-repo",
    Severity.HIGH,
    title="AppProject allows any source repository",
    rationale=(
        "With `sourceRepos: ['*']` an Application of this project may deploy from any Git or Helm "
        "repository, including one an attacker controls: the project no longer limits what code "
        "reaches the cluster."
    ),
    remediation="List the repositories this project deploys from in `spec.sourceRepos`.",
    references=(PROJECTS_URL,),
)


@rules.finds(PROJECT_ANY_SOURCE)
def find_any_source_repo(context: CheckContext) -> Iterator[Finding]:
    for obj, spec in projects(context):
        repos = spec.get("sourceRepos")
        if isinstance(repos, list) and WILDCARD in repos:
            yield PROJECT_ANY_SOURCE.finding(
                f"{obj.resource} allows Applications from any repository ('*' in sourceRepos): "
                "list its repositories.",
                obj.location(("spec", "sourceRepos", repos.index(WILDCARD))),
            )


PROJECT_ANY_DESTINATION = rules.rule(
    "argocd-project-any-destination",
    Severity.HIGH,
    title="AppProject allows any cluster or namespace",
    rationale=(
        "A destination with server, name or namespace `*` lets the project's Applications deploy "
        "into every namespace of every registered cluster, kube-system and argocd included, so a "
        "tenant can overwrite other tenants and Argo CD itself."
    ),
    remediation="List the destination clusters and namespaces of the project explicitly.",
    references=(PROJECTS_URL,),
)


@rules.finds(PROJECT_ANY_DESTINATION)
def find_any_destination(context: CheckContext) -> Iterator[Finding]:
    for obj, spec in projects(context):
        for index, destination in mappings(spec.get("destinations")):
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


PROJECT_ALL_CLUSTER_RESOURCES = rules.rule(
    "argocd-project-all-cluster-resources",
    Severity.HIGH,
    title="AppProject allows every cluster-scoped resource",
    rationale=(
        "`clusterResourceWhitelist` of group `*` and kind `*` lets the project create "
        "ClusterRoles, ClusterRoleBindings, CRDs, webhooks and namespaces: cluster-admin for "
        "whoever can push to its repositories."
    ),
    remediation="Allow only the cluster-scoped kinds the project needs (often none, or Namespace).",
    references=(PROJECTS_URL,),
)


@rules.finds(PROJECT_ALL_CLUSTER_RESOURCES)
def find_all_cluster_resources(context: CheckContext) -> Iterator[Finding]:
    for obj, spec in projects(context):
        for index, entry in mappings(spec.get("clusterResourceWhitelist")):
            if entry.get("group") == WILDCARD and entry.get("kind") == WILDCARD:
                yield PROJECT_ALL_CLUSTER_RESOURCES.finding(
                    f"{obj.resource} allows every cluster-scoped kind (clusterResourceWhitelist "
                    f"[{index}] is */*): list only the kinds the project needs.",
                    obj.location(("spec", "clusterResourceWhitelist", index)),
                )


PROJECT_SENSITIVE_KINDS = rules.rule(
    "argocd-project-sensitive-kinds-allowed",
    Severity.MEDIUM,
    title="AppProject lets tenants change quotas, limits or network policies",
    rationale=(
        "Without a `namespaceResourceBlacklist` (or a whitelist), a project's Applications may "
        "replace the ResourceQuota, LimitRange and NetworkPolicy objects that the platform "
        "team placed in the namespace to contain them."
    ),
    remediation=(
        "Add ResourceQuota, LimitRange and NetworkPolicy to `spec.namespaceResourceBlacklist`, "
        "or list the allowed kinds in `spec.namespaceResourceWhitelist`."
    ),
    references=(PROJECTS_URL,),
)


@rules.finds(PROJECT_SENSITIVE_KINDS)
def find_sensitive_kinds_allowed(context: CheckContext) -> Iterator[Finding]:
    for obj, spec in projects(context):
        if isinstance(spec.get("namespaceResourceWhitelist"), list):
            continue
        denied = {
            (str(entry.get("group", "")), str(entry.get("kind", "")))
            for _, entry in mappings(spec.get("namespaceResourceBlacklist"))
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


PROJECT_UNSIGNED = rules.rule(
    "argocd-project-unsigned-commits",
    Severity.MEDIUM,
    title="AppProject does not require signed commits",
    rationale=(
        "Without `signatureKeys` (or `sourceIntegrity`) Argo CD syncs any commit that reaches the "
        "tracked revision; a stolen Git credential or a compromised forge then deploys straight "
        "to the cluster."
    ),
    remediation=(
        "Import the release signers' GnuPG keys and list them in `spec.signatureKeys` (or "
        "configure `spec.sourceIntegrity`)."
    ),
    references=(GPG_URL,),
)


@rules.finds(PROJECT_UNSIGNED)
def find_unsigned_projects(context: CheckContext) -> Iterator[Finding]:
    for obj, spec in projects(context):
        keys = spec.get("signatureKeys")
        if (isinstance(keys, list) and keys) or isinstance(spec.get("sourceIntegrity"), Mapping):
            continue
        yield PROJECT_UNSIGNED.finding(
            f"{obj.resource} syncs unsigned commits: list the signers' GnuPG key ids in "
            "spec.signatureKeys.",
            obj.location(("spec",)),
        )


PROJECT_ORPHANS_UNMONITORED = rules.rule(
    "argocd-project-orphans-unmonitored",
    Severity.LOW,
    title="AppProject does not monitor orphaned resources",
    rationale=(
        "Objects created in a project's namespaces outside Git (by hand, or by an intruder) stay "
        "invisible unless orphaned-resource monitoring is on."
    ),
    remediation="Add `spec.orphanedResources: {warn: true}` to the project.",
    references=(PROJECTS_URL,),
)


@rules.finds(PROJECT_ORPHANS_UNMONITORED)
def find_orphans_unmonitored(context: CheckContext) -> Iterator[Finding]:
    for obj, spec in projects(context):
        if not isinstance(spec.get("orphanedResources"), Mapping):
            yield PROJECT_ORPHANS_UNMONITORED.finding(
                f"{obj.resource} does not watch for orphaned resources: add "
                "spec.orphanedResources: {warn: true}.",
                obj.location(("spec",)),
            )


CHECKS: tuple[Check, ...] = rules.checks()
