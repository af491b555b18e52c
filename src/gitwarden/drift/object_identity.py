"""Which declared object a live one is: API group, kind, namespace and name."""

from __future__ import annotations

from dataclasses import dataclass

from gitwarden.manifests.objects import K8sObject
from gitwarden.sources.live_state import LiveObject

CLUSTER_SCOPED_KINDS = frozenset(
    {
        ("", "Namespace"),
        ("", "Node"),
        ("", "PersistentVolume"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
        ("storage.k8s.io", "StorageClass"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("networking.k8s.io", "IngressClass"),
        ("apiregistration.k8s.io", "APIService"),
    }
)


@dataclass(frozen=True, order=True)
class ObjectKey:
    group: str
    kind: str
    namespace: str
    name: str

    @property
    def resource(self) -> str:
        """``Kind/namespace/name`` as every finding writes it."""
        return "/".join(part for part in (self.kind, self.namespace, self.name) if part)


def desired_key(obj: K8sObject, default_namespace: str) -> ObjectKey:
    """A manifest without a namespace lands in the default one, unless its kind has none."""
    cluster_scoped = (obj.api_group, obj.kind) in CLUSTER_SCOPED_KINDS
    namespace = "" if cluster_scoped else obj.namespace or default_namespace
    return ObjectKey(obj.api_group, obj.kind, namespace, obj.name)


def live_key(obj: LiveObject) -> ObjectKey:
    return ObjectKey(obj.api_group, obj.kind, obj.namespace or "", obj.name)
