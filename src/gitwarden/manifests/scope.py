"""Which objects live in a namespace: built-in knowledge plus the scan's own CRDs.

Kinds are keyed by API group as well as name because names collide across projects
(Crossplane's cluster-scoped ``Provider`` against Flux's namespaced one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from gitwarden.manifests.objects import K8sObject

GroupKind = tuple[str, str]

CLUSTER_SCOPED_KINDS: frozenset[GroupKind] = frozenset(
    {
        # Kubernetes itself (`kubectl api-resources --namespaced=false`).
        ("", "Namespace"),
        ("", "Node"),
        ("", "PersistentVolume"),
        ("", "ComponentStatus"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("apiregistration.k8s.io", "APIService"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
        ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"),
        ("storage.k8s.io", "StorageClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("storage.k8s.io", "CSINode"),
        ("storage.k8s.io", "VolumeAttachment"),
        ("storage.k8s.io", "VolumeAttributesClass"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("networking.k8s.io", "IngressClass"),
        ("networking.k8s.io", "IPAddress"),
        ("networking.k8s.io", "ServiceCIDR"),
        ("node.k8s.io", "RuntimeClass"),
        ("certificates.k8s.io", "CertificateSigningRequest"),
        ("certificates.k8s.io", "ClusterTrustBundle"),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
        ("policy", "PodSecurityPolicy"),
        ("extensions", "PodSecurityPolicy"),
        ("resource.k8s.io", "DeviceClass"),
        ("resource.k8s.io", "ResourceSlice"),
        ("snapshot.storage.k8s.io", "VolumeSnapshotClass"),
        ("snapshot.storage.k8s.io", "VolumeSnapshotContent"),
        ("gateway.networking.k8s.io", "GatewayClass"),
        # Widely installed add-ons.
        ("cert-manager.io", "ClusterIssuer"),
        ("kyverno.io", "ClusterPolicy"),
        ("kyverno.io", "ClusterCleanupPolicy"),
        ("wgpolicyk8s.io", "ClusterPolicyReport"),
        ("external-secrets.io", "ClusterSecretStore"),
        ("external-secrets.io", "ClusterExternalSecret"),
        ("external-secrets.io", "ClusterPushSecret"),
        ("policy.sigstore.dev", "ClusterImagePolicy"),
        ("templates.gatekeeper.sh", "ConstraintTemplate"),
        ("mutations.gatekeeper.sh", "Assign"),
        ("mutations.gatekeeper.sh", "AssignMetadata"),
        ("mutations.gatekeeper.sh", "AssignImage"),
        ("mutations.gatekeeper.sh", "ModifySet"),
        ("expansion.gatekeeper.sh", "ExpansionTemplate"),
        ("externaldata.gatekeeper.sh", "Provider"),
        ("policies.kubewarden.io", "ClusterAdmissionPolicy"),
        ("policies.kubewarden.io", "PolicyServer"),
        ("argoproj.io", "ClusterWorkflowTemplate"),
        ("tekton.dev", "ClusterTask"),
        ("triggers.tekton.dev", "ClusterTriggerBinding"),
        ("triggers.tekton.dev", "ClusterInterceptor"),
        ("pkg.crossplane.io", "Provider"),
        ("pkg.crossplane.io", "Configuration"),
        ("pkg.crossplane.io", "Function"),
        ("pkg.crossplane.io", "DeploymentRuntimeConfig"),
        ("apiextensions.crossplane.io", "CompositeResourceDefinition"),
        ("apiextensions.crossplane.io", "Composition"),
        ("apiextensions.crossplane.io", "EnvironmentConfig"),
        ("karpenter.sh", "NodePool"),
        ("karpenter.sh", "NodeClaim"),
        ("karpenter.sh", "Provisioner"),
        ("karpenter.k8s.aws", "EC2NodeClass"),
        ("karpenter.k8s.aws", "AWSNodeTemplate"),
        ("crd.projectcalico.org", "GlobalNetworkPolicy"),
        ("crd.projectcalico.org", "GlobalNetworkSet"),
        ("crd.projectcalico.org", "HostEndpoint"),
        ("crd.projectcalico.org", "IPPool"),
        ("crd.projectcalico.org", "FelixConfiguration"),
        ("crd.projectcalico.org", "BGPConfiguration"),
        ("crd.projectcalico.org", "BGPPeer"),
        ("projectcalico.org", "GlobalNetworkPolicy"),
        ("projectcalico.org", "GlobalNetworkSet"),
        ("projectcalico.org", "HostEndpoint"),
        ("projectcalico.org", "IPPool"),
        ("cilium.io", "CiliumClusterwideNetworkPolicy"),
        ("cilium.io", "CiliumClusterwideEnvoyConfig"),
        ("cilium.io", "CiliumNode"),
        ("cilium.io", "CiliumIdentity"),
        ("cilium.io", "CiliumLoadBalancerIPPool"),
        ("cilium.io", "CiliumCIDRGroup"),
        ("aquasecurity.github.io", "ClusterComplianceReport"),
        ("aquasecurity.github.io", "ClusterConfigAuditReport"),
        ("aquasecurity.github.io", "ClusterRbacAssessmentReport"),
        ("aquasecurity.github.io", "ClusterVulnerabilityReport"),
        ("capsule.clastix.io", "Tenant"),
        ("nvidia.com", "ClusterPolicy"),
    }
)

# Groups whose every kind is cluster-scoped (Gatekeeper generates one kind per template).
CLUSTER_SCOPED_GROUPS: frozenset[str] = frozenset({"constraints.gatekeeper.sh"})

# Configuration files that share the manifest shape but are read by a binary, never sent to
# the API server (kubeconfig, kubelet and kubeadm configs, audit policies, kind clusters).
_CONFIG_FILE_KINDS: frozenset[GroupKind] = frozenset({("", "Config")})
_CONFIG_FILE_GROUPS: frozenset[str] = frozenset(
    {
        "audit.k8s.io",
        "apiserver.k8s.io",
        "kubeadm.k8s.io",
        "credentialprovider.kubelet.k8s.io",
        "kind.x-k8s.io",
        "k3d.io",
        "eksctl.io",
        "kpt.dev",
        "skaffold",
    }
)
_CONFIG_FILE_GROUP_SUFFIX = "config.k8s.io"

_CRD_SCOPES = ("Namespaced", "Cluster")


def group_kind(obj: K8sObject) -> GroupKind:
    return (obj.api_group, obj.kind)


def is_config_file(obj: K8sObject) -> bool:
    """True for tool configuration files (kubeconfig, KubeletConfiguration...), not API objects."""
    group = obj.api_group
    return (
        group_kind(obj) in _CONFIG_FILE_KINDS
        or group in _CONFIG_FILE_GROUPS
        or group.endswith(_CONFIG_FILE_GROUP_SUFFIX)
    )


def _crd_scope(crd: Mapping[str, Any]) -> tuple[GroupKind, bool] | None:
    """``((group, kind), namespaced)`` from a CRD body, or None when a field is missing."""
    spec = crd.get("spec")
    if not isinstance(spec, Mapping):
        return None
    group, names, scope = spec.get("group"), spec.get("names"), spec.get("scope")
    kind = names.get("kind") if isinstance(names, Mapping) else None
    if not isinstance(group, str) or not isinstance(kind, str) or scope not in _CRD_SCOPES:
        return None
    return (group, kind), scope == "Namespaced"


@dataclass(frozen=True, eq=False)
class ScopeIndex:
    """Scope knowledge for one scan: the built-in lists, overridden by the scan's CRDs.

    ``declared`` maps a CRD's ``(group, kind)`` to whether its ``spec.scope`` is
    ``Namespaced``; a CRD in the scan is the authority for its own kind.
    """

    declared: Mapping[GroupKind, bool]

    @classmethod
    def of(cls, objects: Iterable[K8sObject]) -> ScopeIndex:
        declared: dict[GroupKind, bool] = {}
        for obj in objects:
            if obj.kind != "CustomResourceDefinition" or obj.api_group != "apiextensions.k8s.io":
                continue
            # The header holds these short fields; parsing the schemas is the slow path.
            found = _crd_scope(obj.head) or _crd_scope(obj.body)
            if found is not None:
                group_and_kind, namespaced = found
                declared[group_and_kind] = namespaced
        return cls(MappingProxyType(declared))

    def is_namespaced(self, obj: K8sObject) -> bool:
        """Whether ``obj`` is an API object that belongs in a namespace."""
        key = group_kind(obj)
        if key in self.declared:
            return self.declared[key]
        if key in CLUSTER_SCOPED_KINDS or obj.api_group in CLUSTER_SCOPED_GROUPS:
            return False
        return not is_config_file(obj)
