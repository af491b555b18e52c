"""Values the API server fills in when a manifest leaves a field out, as data.

The OpenAPI schemas shipped by kubernetes-validate carry no ``default`` values for built-in
kinds (Kubernetes sets them in Go defaulting functions), so the common ones are listed here,
from the API reference. A live field that Git leaves out is not drift when it holds its
default, even when `managedFields` credits it to a hand edit (Update operations own the
defaults they caused).

Patterns end a field path; ``*`` stands for any list item.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

Pattern = tuple[str, ...]
DefaultValue = Callable[[Mapping[str, Any]], Any]

_PROBE_DEFAULTS = {
    "timeoutSeconds": 1,
    "periodSeconds": 10,
    "successThreshold": 1,
    "failureThreshold": 3,
}


def _constant(value: Any) -> DefaultValue:
    return lambda _parent: value


def _pull_policy(container: Mapping[str, Any]) -> str:
    image = str(container.get("image", ""))
    last = image.rsplit("/", 1)[-1]
    untagged = "@" not in last and ":" not in last
    return "Always" if untagged or last.endswith(":latest") else "IfNotPresent"


def _service_target_port(port: Mapping[str, Any]) -> Any:
    return port.get("port")


_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")

DEFAULTS: Mapping[Pattern, DefaultValue] = {
    **{(lst, "*", "imagePullPolicy"): _pull_policy for lst in _CONTAINER_LISTS},
    **{
        (lst, "*", "terminationMessagePath"): _constant("/dev/termination-log")
        for lst in _CONTAINER_LISTS
    },
    **{(lst, "*", "terminationMessagePolicy"): _constant("File") for lst in _CONTAINER_LISTS},
    **{(lst, "*", "resources"): _constant({}) for lst in _CONTAINER_LISTS},
    ("ports", "*", "protocol"): _constant("TCP"),
    ("ports", "*", "targetPort"): _service_target_port,
    **{
        (probe, field): _constant(value)
        for probe in ("livenessProbe", "readinessProbe", "startupProbe")
        for field, value in _PROBE_DEFAULTS.items()
    },
    ("spec", "restartPolicy"): _constant("Always"),
    ("spec", "dnsPolicy"): _constant("ClusterFirst"),
    ("spec", "schedulerName"): _constant("default-scheduler"),
    ("spec", "securityContext"): _constant({}),
    ("spec", "terminationGracePeriodSeconds"): _constant(30),
    ("spec", "enableServiceLinks"): _constant(True),
    ("spec", "replicas"): _constant(1),
    ("spec", "revisionHistoryLimit"): _constant(10),
    ("spec", "progressDeadlineSeconds"): _constant(600),
    ("spec", "strategy"): _constant(
        {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}
    ),
    ("spec", "sessionAffinity"): _constant("None"),
    ("spec", "type"): _constant("ClusterIP"),
    ("spec", "internalTrafficPolicy"): _constant("Cluster"),
    ("spec", "ipFamilyPolicy"): _constant("SingleStack"),
    ("metadata", "creationTimestamp"): _constant(None),
}


# Fields the server allocates (addresses, ports): any value is the server's.
SERVER_ALLOCATED: frozenset[Pattern] = frozenset(
    {
        ("spec", "clusterIP"),
        ("spec", "clusterIPs"),
        ("spec", "ipFamilies"),
        ("ports", "*", "nodePort"),
        ("spec", "healthCheckNodePort"),
    }
)


def is_default(path: Sequence[str], value: Any, parent: Mapping[str, Any]) -> bool:
    """Whether ``value`` at ``path`` (list items as ``*``) is what the server would set."""
    for length in (3, 2):
        if tuple(path[-length:]) in SERVER_ALLOCATED:
            return True
        default = DEFAULTS.get(tuple(path[-length:]))
        if default is not None and default(parent) == value:
            return True
    return False
