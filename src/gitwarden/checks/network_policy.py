"""NetworkPolicy: namespaces whose workloads no NetworkPolicy selects, so all traffic is open.

A pod that no NetworkPolicy selects accepts connections from, and may connect to, every pod
in the cluster. Selection is evaluated the way the API server does: a policy applies to the
pods of its own namespace whose labels its ``podSelector`` matches (``{}`` matches all).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.rule_declaration import FamilyRules
from gitwarden.findings import Finding, Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.selectors import label_selector_matches
from gitwarden.manifests.workloads import PodSpec
from gitwarden.rules import CIS_URL, NSA_CISA_URL

FAMILY = "network-policy"
NETWORK_POLICIES_URL = "https://kubernetes.io/docs/concepts/services-networking/network-policies/"
NETWORKING_GROUP = "networking.k8s.io"
# Objects without a namespace land where they are applied; like kubectl, assume "default".
DEFAULT_NAMESPACE = "default"
# A PodTemplate only stores a template for others to use; it runs no pod of its own.
NON_RUNNING_KINDS = frozenset({"PodTemplate"})

rules = FamilyRules(FAMILY)


def _effective_namespace(obj: K8sObject) -> str:
    return obj.namespace or DEFAULT_NAMESPACE


def pod_labels(spec: PodSpec) -> Mapping[str, Any]:
    """The labels the pods of ``spec`` will carry: the metadata next to the pod spec."""
    labels = spec.obj.get((*spec.path[:-1], "metadata", "labels"))
    return labels if isinstance(labels, Mapping) else {}


def _networked_workloads(context: CheckContext) -> Iterator[PodSpec]:
    for spec in context.pod_specs:
        if spec.obj.kind in NON_RUNNING_KINDS:
            continue
        # NetworkPolicy does not apply to host-network pods; pod-security rules flag those.
        if spec.spec.get("hostNetwork") is True:
            continue
        yield spec


WORKLOADS_NOT_ISOLATED = rules.rule(
    "netpol-workloads-not-isolated",
    Severity.MEDIUM,
    title="Namespace has workloads that no NetworkPolicy selects",
    rationale=(
        "Kubernetes allows all pod-to-pod traffic until a NetworkPolicy selects a pod. An "
        "unselected workload can be reached from any compromised pod in the cluster and can "
        "itself reach any service, which turns one foothold into lateral movement "
        "(CIS Kubernetes Benchmark 5.3.2)."
    ),
    remediation=(
        "Add a default-deny NetworkPolicy to the namespace (`podSelector: {}` with "
        "`policyTypes: [Ingress, Egress]`), then policies that allow only the traffic each "
        "workload needs."
    ),
    references=(
        NETWORK_POLICIES_URL,
        NSA_CISA_URL,
        CIS_URL,
        "CIS Kubernetes Benchmark 5.3.2",
    ),
)


@rules.finds(WORKLOADS_NOT_ISOLATED)
def find_workloads_not_isolated(context: CheckContext) -> Iterator[Finding]:
    selectors_by_namespace: dict[str, list[Any]] = {}
    for policy in context.of_kind("NetworkPolicy"):
        if policy.api_group != NETWORKING_GROUP:
            continue
        # podSelector is required; when left out the API reads it as {} (all pods).
        selectors_by_namespace.setdefault(_effective_namespace(policy), []).append(
            policy.get(("spec", "podSelector"), {})
        )

    unselected_by_namespace: dict[str, list[K8sObject]] = {}
    for spec in _networked_workloads(context):
        namespace = _effective_namespace(spec.obj)
        labels = pod_labels(spec)
        selectors = selectors_by_namespace.get(namespace, [])
        if not any(label_selector_matches(selector, labels) for selector in selectors):
            unselected_by_namespace.setdefault(namespace, []).append(spec.obj)

    for namespace, workloads in unselected_by_namespace.items():
        anchor = context.namespaces.get(namespace, workloads[0])
        names = ", ".join(obj.resource for obj in workloads)
        yield WORKLOADS_NOT_ISOLATED.finding(
            f"No NetworkPolicy selects these workloads in namespace {namespace}: {names}. "
            f"Add a default-deny NetworkPolicy to {namespace} (podSelector: {{}}, "
            "policyTypes: [Ingress, Egress]), then policies allowing the traffic each needs.",
            anchor.location(),
            details={"namespace": namespace, "workloads": names},
        )


CHECKS: tuple[Check, ...] = rules.checks()
