"""Kyverno's `validate.podSecurity` answered by gitwarden's own Pod Security checks.

The policy family may not import the check families (both are scanners), so the evaluator
is built here, above both, and handed to the Kyverno engine by the scan pipeline and by
`gitwarden policy test`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from gitwarden.checks.pod_security import CONTROLS, level_enforces
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.workloads import PodSpec
from gitwarden.manifests.yaml_nodes import FieldPath

if TYPE_CHECKING:  # the Kyverno engine (and JMESPath) loads only when a policy asks for it
    from gitwarden.policy.kyverno_pod_security import PodSecurityViolation


def pod_security_evaluator(
    obj: K8sObject, spec_path: FieldPath, level: str
) -> list[PodSecurityViolation]:
    """Kyverno's ``validate.podSecurity`` evaluated with gitwarden's Pod Security checks.

    It lives above both scanners because the policy family may not import the checks; the
    scan pipeline and `gitwarden policy test` pass it to the Kyverno evaluator.
    """

    from gitwarden.policy.kyverno_pod_security import PodSecurityViolation

    spec = obj.get(spec_path)
    if not isinstance(spec, Mapping):
        return []
    pod = PodSpec(obj, spec_path, spec)
    found: list[PodSecurityViolation] = []
    for control in CONTROLS:
        if not level_enforces(level, control.level):
            continue
        name = POD_SECURITY_CONTROL_NAMES.get(control.rule.id, control.rule.title)
        for violation in control.find_violations(pod):
            found.append(
                PodSecurityViolation(
                    name, violation.path, violation.message, _image_at(obj, violation.path)
                )
            )
    return found


# gitwarden's Pod Security rules by the control names Kyverno's podSecurity.exclude uses.
POD_SECURITY_CONTROL_NAMES = {
    "pss-host-process": "HostProcess",
    "pss-host-namespaces": "Host Namespaces",
    "pss-privileged": "Privileged Containers",
    "pss-capabilities-baseline": "Capabilities",
    "pss-host-path-volumes": "HostPath Volumes",
    "pss-host-ports": "Host Ports",
    "pss-apparmor": "AppArmor",
    "pss-selinux": "SELinux",
    "pss-proc-mount": "/proc Mount Type",
    "pss-seccomp-baseline": "Seccomp",
    "pss-sysctls": "Sysctls",
    "pss-probe-host": "Host Probes / Lifecycle Hooks",
    "pss-volume-types": "Volume Types",
    "pss-privilege-escalation": "Privilege Escalation",
    "pss-run-as-non-root": "Running as Non-root",
    "pss-run-as-user": "Running as Non-root user",
    "pss-seccomp-restricted": "Seccomp",
    "pss-capabilities-restricted": "Capabilities",
    "pss-proc-mount-restricted": "/proc Mount Type",
}
_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


def _image_at(obj: K8sObject, path: FieldPath) -> str | None:
    """The image of the container a violation's path lies in, if it lies in one."""
    for index, part in enumerate(path[:-1]):
        if part in _CONTAINER_LISTS and isinstance(path[index + 1], int):
            image = obj.get((*path[: index + 2], "image"))
            return image if isinstance(image, str) else None
    return None
