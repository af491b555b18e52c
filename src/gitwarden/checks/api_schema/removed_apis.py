"""API versions Kubernetes stopped serving, with the release that removed them and the fix.

From the Kubernetes Deprecated API Migration Guide
(https://kubernetes.io/docs/reference/using-api/deprecation-guide/). The schema package only
reaches back to v1.25, so versions removed earlier are known from this table alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gitwarden.checks.kubernetes_release import KubernetesVersion

DEPRECATION_GUIDE_URL = "https://kubernetes.io/docs/reference/using-api/deprecation-guide/"


@dataclass(frozen=True)
class RemovedApi:
    """One kind at one API version that a release stopped serving."""

    removed_in: KubernetesVersion
    replacement: str

    @property
    def replaced_by_api_version(self) -> bool:
        # A replacement with a slash is an apiVersion; otherwise it is a sentence.
        return "/" in self.replacement and " " not in self.replacement


def _removed(
    minor: int, replacement: str, *api_kinds: tuple[str, str]
) -> dict[tuple[str, str], RemovedApi]:
    entry = RemovedApi(KubernetesVersion(1, minor), replacement)
    return dict.fromkeys(api_kinds, entry)


_WORKLOADS = ("Deployment", "DaemonSet", "ReplicaSet", "StatefulSet")

REMOVED_APIS: Mapping[tuple[str, str], RemovedApi] = {
    **_removed(
        16,
        "apps/v1",
        *(
            (api, kind)
            for api in ("extensions/v1beta1", "apps/v1beta1", "apps/v1beta2")
            for kind in _WORKLOADS
        ),
    ),
    **_removed(16, "networking.k8s.io/v1", ("extensions/v1beta1", "NetworkPolicy")),
    **_removed(
        16,
        "Pod Security Admission (pod-security.kubernetes.io/* namespace labels); "
        "PodSecurityPolicy itself was removed in v1.25",
        ("extensions/v1beta1", "PodSecurityPolicy"),
    ),
    **_removed(
        22,
        "admissionregistration.k8s.io/v1",
        ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"),
    ),
    **_removed(
        22, "apiextensions.k8s.io/v1", ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition")
    ),
    **_removed(22, "apiregistration.k8s.io/v1", ("apiregistration.k8s.io/v1beta1", "APIService")),
    **_removed(22, "authentication.k8s.io/v1", ("authentication.k8s.io/v1beta1", "TokenReview")),
    **_removed(
        22,
        "authorization.k8s.io/v1",
        *(
            ("authorization.k8s.io/v1beta1", kind)
            for kind in (
                "SubjectAccessReview",
                "LocalSubjectAccessReview",
                "SelfSubjectAccessReview",
            )
        ),
    ),
    **_removed(
        22, "certificates.k8s.io/v1", ("certificates.k8s.io/v1beta1", "CertificateSigningRequest")
    ),
    **_removed(22, "coordination.k8s.io/v1", ("coordination.k8s.io/v1beta1", "Lease")),
    **_removed(
        22,
        "networking.k8s.io/v1",
        ("extensions/v1beta1", "Ingress"),
        ("networking.k8s.io/v1beta1", "Ingress"),
        ("networking.k8s.io/v1beta1", "IngressClass"),
    ),
    **_removed(
        22,
        "rbac.authorization.k8s.io/v1",
        *(
            ("rbac.authorization.k8s.io/v1beta1", kind)
            for kind in ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
        ),
    ),
    **_removed(22, "scheduling.k8s.io/v1", ("scheduling.k8s.io/v1beta1", "PriorityClass")),
    **_removed(
        22,
        "storage.k8s.io/v1",
        *(
            ("storage.k8s.io/v1beta1", kind)
            for kind in ("CSIDriver", "CSINode", "StorageClass", "VolumeAttachment")
        ),
    ),
    **_removed(25, "batch/v1", ("batch/v1beta1", "CronJob")),
    **_removed(25, "discovery.k8s.io/v1", ("discovery.k8s.io/v1beta1", "EndpointSlice")),
    **_removed(25, "events.k8s.io/v1", ("events.k8s.io/v1beta1", "Event")),
    **_removed(25, "autoscaling/v2", ("autoscaling/v2beta1", "HorizontalPodAutoscaler")),
    **_removed(25, "policy/v1", ("policy/v1beta1", "PodDisruptionBudget")),
    **_removed(
        25,
        "Pod Security Admission (pod-security.kubernetes.io/* namespace labels) or a policy "
        "engine; nothing enforces a PodSecurityPolicy any more",
        ("policy/v1beta1", "PodSecurityPolicy"),
    ),
    **_removed(25, "node.k8s.io/v1", ("node.k8s.io/v1beta1", "RuntimeClass")),
    **_removed(
        26,
        "flowcontrol.apiserver.k8s.io/v1",
        ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration"),
    ),
    **_removed(26, "autoscaling/v2", ("autoscaling/v2beta2", "HorizontalPodAutoscaler")),
    **_removed(27, "storage.k8s.io/v1", ("storage.k8s.io/v1beta1", "CSIStorageCapacity")),
    **_removed(
        29,
        "flowcontrol.apiserver.k8s.io/v1",
        ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration"),
    ),
    **_removed(
        32,
        "flowcontrol.apiserver.k8s.io/v1",
        ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration"),
    ),
}

# Groups that only ever held removed APIs: still built-in, never custom resources.
REMOVED_ONLY_GROUPS = frozenset({"extensions"})


def removed_api(api_version: str, kind: str, target: KubernetesVersion) -> RemovedApi | None:
    """The removal of ``kind`` at ``api_version`` if it happened at or before ``target``."""
    removed = REMOVED_APIS.get((api_version, kind))
    return removed if removed is not None and removed.removed_in <= target else None
