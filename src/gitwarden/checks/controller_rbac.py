"""The GitOps controllers' own RBAC: one finding per controller that holds the whole cluster.

Argo CD's application controller and Flux's kustomize- and helm-controller are installed with
cluster-admin (or a wildcard ClusterRole) so that they can apply anything a repository says.
The rbac family reports each wildcard field and each binding; this family names the
controller once, at the grant that makes it all-powerful, with the least-privilege way out.

A controller is recognised by its ServiceAccount: the ``argocd-*`` accounts or the
``argocd`` namespace, Flux's controller accounts, and any other account named
``*-controller``, ``*-operator`` or ``*-manager``. The same controller installed by several
bundles of a repository (install.yaml, ha/install.yaml, ...) is reported once per file that
grants it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.rbac import (
    CLUSTER_ADMIN,
    RBAC_GROUP,
    Binding,
    PolicyRule,
    rbac_graph,
)
from gitwarden.checks.rule_declaration import FamilyRules
from gitwarden.findings import Finding, Location, Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.rules import RBAC_GOOD_PRACTICES_URL

FAMILY = "controller-rbac"
WILDCARD = "*"
FLUX_ACCOUNTS = frozenset(
    {
        "source-controller",
        "kustomize-controller",
        "helm-controller",
        "notification-controller",
        "image-reflector-controller",
        "image-automation-controller",
        "source-watcher",
    }
)
_GENERIC_CONTROLLER = re.compile(r"(^|-)(controller|operator|manager)$")

LEAST_PRIVILEGE = {
    "Argo CD": (
        "install Argo CD namespace-scoped (namespace-install.yaml) and add clusters with "
        "namespaces, or narrow the ClusterRole to the kinds your projects deploy; fence "
        "tenants with AppProject destinations and clusterResourceWhitelist, and enable sync "
        "impersonation (application.sync.impersonation.enabled) with a service account per "
        "destination"
    ),
    "Flux": (
        "keep cluster-admin for the flux-system reconciliation only: give every tenant "
        "Kustomization and HelmRelease a spec.serviceAccountName bound to its namespaces "
        "(impersonation) and start the controller with --default-service-account so that "
        "nothing falls back to its own rights"
    ),
    "controller": (
        "bind a ClusterRole that lists the API groups, resources and verbs the controller "
        "reconciles, or a Role in each namespace it manages"
    ),
}

rules = FamilyRules(FAMILY)


@dataclass(frozen=True)
class Controller:
    """A controller's ServiceAccount as a binding names it."""

    product: str
    name: str
    namespace: str | None


@dataclass(frozen=True)
class Grant:
    """One cluster-wide grant to a controller: where it is written and what it gives."""

    location: Location
    what: str
    everything: bool


def recognise_controller(name: str, namespace: str | None) -> Controller | None:
    if name.startswith("argocd-") or namespace == "argocd":
        return Controller("Argo CD", name, namespace)
    if name in FLUX_ACCOUNTS:
        return Controller("Flux", name, namespace)
    if _GENERIC_CONTROLLER.search(name):
        return Controller("controller", name, namespace)
    return None


def _wildcard_rules(role: K8sObject, policy_rules: list[PolicyRule]) -> list[PolicyRule]:
    """Rules of ``role`` that reach every resource of every API group (any verbs)."""
    return [
        rule
        for rule in policy_rules
        if rule.role is role and WILDCARD in rule.api_groups and WILDCARD in rule.resources
    ]


def _cluster_roles_of(binding: Binding, roles: Mapping[str, list[K8sObject]]) -> list[K8sObject]:
    """The ClusterRoles a binding grants, preferring the copy that ships beside it."""
    candidates = roles.get(binding.role_name, [])
    same_file = [role for role in candidates if role.file == binding.obj.file]
    if same_file:
        return same_file
    rendered = binding.obj.rendered_from
    same_render = [r for r in candidates if rendered is not None and r.rendered_from == rendered]
    return same_render or candidates


def _grants(context: CheckContext) -> Iterator[tuple[Controller, Grant, str]]:
    graph = rbac_graph(context)
    roles: dict[str, list[K8sObject]] = {}
    for obj in context.of_kind("ClusterRole"):
        if obj.api_group == RBAC_GROUP:
            roles.setdefault(obj.name, []).append(obj)
    policy_rules = list(graph.policy_rules)
    for binding in graph.bindings:
        if not binding.cluster_wide or binding.role_kind != "ClusterRole":
            continue
        for subject in binding.subjects:
            if subject.kind != "ServiceAccount":
                continue
            controller = recognise_controller(subject.name, subject.namespace)
            if controller is None:
                continue
            via = f"{binding.obj.resource}"
            if binding.role_name == CLUSTER_ADMIN:
                location = binding.obj.location(("subjects", subject.index))
                yield controller, Grant(location, f"cluster-admin via {via}", True), via
                continue
            for role in _cluster_roles_of(binding, roles):
                for rule in _wildcard_rules(role, policy_rules):
                    verbs = ", ".join(rule.verbs) or "no verbs"
                    yield (
                        controller,
                        Grant(
                            rule.role.location(("rules", rule.index)),
                            f"{verbs} on every resource of every API group ({rule.where}, "
                            f"bound by {via})",
                            rule.grants_everything,
                        ),
                        via,
                    )


CONTROLLER_CLUSTER_WIDE = rules.rule(
    "controller-cluster-wide-grant",
    Severity.HIGH,
    title="GitOps controller holds cluster-wide wildcard or cluster-admin rights",
    rationale=(
        "A GitOps controller applies whatever its repositories say. With cluster-admin or a "
        "wildcard ClusterRole, anyone who can push to any repository it tracks, or who "
        "compromises the controller, owns every namespace, secret and node of the cluster."
    ),
    remediation=(
        "Argo CD: namespace-scoped install or a narrowed ClusterRole, AppProjects and sync "
        "impersonation. Flux: per-tenant service accounts (spec.serviceAccountName) and "
        "--default-service-account. Other controllers: list the resources they reconcile."
    ),
    references=(
        RBAC_GOOD_PRACTICES_URL,
        "https://argo-cd.readthedocs.io/en/stable/operator-manual/app-sync-using-impersonation/",
        "https://fluxcd.io/flux/installation/configuration/multitenancy/",
    ),
)


@rules.finds(CONTROLLER_CLUSTER_WIDE)
def find_controller_cluster_wide_grants(context: CheckContext) -> Iterator[Finding]:
    # One finding per controller and file: its most powerful grant, naming the others.
    grouped: dict[tuple[str, str], list[tuple[Controller, Grant]]] = {}
    for controller, grant, _ in _grants(context):
        grouped.setdefault((controller.name, grant.location.file), []).append((controller, grant))
    for (name, _), entries in grouped.items():
        entries.sort(key=lambda e: (not e[1].everything, e[1].location.line))
        controller, primary = entries[0]
        others = list(dict.fromkeys(g.what for _, g in entries[1:] if g.what != primary.what))
        namespaces = sorted({c.namespace for c, _ in entries if c.namespace})
        account = f"ServiceAccount {'/'.join([*namespaces[:1], name])}"
        also = f" (also: {'; '.join(others)})" if others else ""
        yield CONTROLLER_CLUSTER_WIDE.finding(
            f"{controller.product} controller {account} holds {primary.what}{also}. Least "
            f"privilege: {LEAST_PRIVILEGE[controller.product]}.",
            primary.location,
            severity=Severity.CRITICAL if primary.everything else None,
            details={
                "controller": name,
                "product": controller.product,
                "grants": "; ".join(dict.fromkeys(g.what for _, g in entries)),
            },
        )


CHECKS: tuple[Check, ...] = rules.checks()
