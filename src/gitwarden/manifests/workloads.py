"""Where pod specs and containers live in each pod-bearing kind."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.yaml_nodes import FieldPath

# kind -> path of the pod spec inside it. Argo Rollouts embed a pod template like Deployments.
POD_SPEC_PATHS: Mapping[str, FieldPath] = {
    "Pod": ("spec",),
    "PodTemplate": ("template", "spec"),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "Rollout": ("spec", "template", "spec"),
}

CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


@dataclass(frozen=True)
class PodSpec:
    """A pod spec inside an object: the object, the path to the spec, and the spec itself."""

    obj: K8sObject
    path: FieldPath
    spec: Mapping[str, Any]

    def containers(self, lists: tuple[str, ...] = CONTAINER_LISTS) -> Iterator[Container]:
        for list_name in lists:
            items = self.spec.get(list_name)
            if not isinstance(items, list):
                continue
            for index, body in enumerate(items):
                if isinstance(body, Mapping):
                    yield Container(self, list_name, index, body)

    @property
    def security_context(self) -> Mapping[str, Any]:
        value = self.spec.get("securityContext")
        return value if isinstance(value, Mapping) else {}


@dataclass(frozen=True)
class Container:
    """One container of a pod spec, with its path (``...containers[1]``)."""

    pod: PodSpec
    list_name: str
    index: int
    body: Mapping[str, Any]

    @property
    def path(self) -> FieldPath:
        return (*self.pod.path, self.list_name, self.index)

    @property
    def name(self) -> str:
        return str(self.body.get("name", f"#{self.index}"))

    @property
    def security_context(self) -> Mapping[str, Any]:
        value = self.body.get("securityContext")
        return value if isinstance(value, Mapping) else {}

    def effective(self, field: str) -> Any:
        """A securityContext field, falling back to the pod's (as the kubelet does)."""
        if field in self.security_context:
            return self.security_context[field]
        return self.pod.security_context.get(field)


def is_pod_bearing(obj: K8sObject) -> bool:
    if obj.kind not in POD_SPEC_PATHS:
        return False
    # Argo's Rollout and other same-named kinds: only the Kubernetes/Argo groups are known.
    return obj.kind != "Rollout" or obj.api_group == "argoproj.io"


def pod_spec(obj: K8sObject) -> PodSpec | None:
    """The pod spec of a pod-bearing object, or None (other kinds, or a missing spec)."""
    if not is_pod_bearing(obj):
        return None
    path = POD_SPEC_PATHS[obj.kind]
    spec = obj.get(path)
    if not isinstance(spec, Mapping):
        return None
    return PodSpec(obj, path, spec)
