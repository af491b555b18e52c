"""The pod controllers Kyverno auto-generates rules for, and where each keeps its pod template.

A policy written for Pods also judges these controllers' pod templates, as the cluster would
when the controllers create the Pods.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitwarden.manifests.yaml_nodes import FieldPath

# Kyverno's ClusterPolicy and Policy; the order is that of Kyverno's default annotation.
POD_TEMPLATES: Mapping[str, FieldPath] = {
    "Deployment": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}
# Kyverno's CEL policies (ValidatingPolicy) generate for the same controllers but one.
CEL_POD_TEMPLATES: Mapping[str, FieldPath] = {
    kind: path for kind, path in POD_TEMPLATES.items() if kind != "ReplicationController"
}


def template_as_pod(template: Mapping[str, Any]) -> dict[str, Any]:
    """A controller's pod template as the Pod it creates, for a policy written for Pods."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": template.get("metadata") or {},
        "spec": template.get("spec") or {},
    }
