"""Sidecar rules: a helper container must not hold more privilege than the application.

Sidecars (proxies, log shippers, secret agents) are often third-party images added by a
chart or an operator. When one is privileged while the application is not, compromising the
least-reviewed container of the pod yields the most power, and the privilege is easy to
miss because the reviewer looks at the application.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.hardening import (
    service_account_token_automounted,
    token_disabling_accounts,
)
from gitwarden.checks.rule_declaration import FamilyRules
from gitwarden.findings import Finding, Severity
from gitwarden.manifests.workloads import Container, PodSpec
from gitwarden.manifests.yaml_nodes import FieldPath
from gitwarden.rules import NSA_CISA_URL, PSS_URL, Rule

FAMILY = "sidecars"

DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container"
SIDECAR_CONTAINERS_URL = "https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/"
SECURITY_CONTEXT_URL = "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"
HOST_PATH_URL = "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"
SERVICE_ACCOUNT_TOKEN_URL = (
    "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
    "#launch-a-pod-using-service-account-token-projection"
)
SERVICE_ACCOUNT_TOKEN_PATHS = (
    "/var/run/secrets/kubernetes.io/serviceaccount",
    "/run/secrets/kubernetes.io/serviceaccount",
)
ALL_CAPABILITIES = "ALL"


@dataclass(frozen=True)
class Excess:
    """One privilege a sidecar has beyond the application: where it is set and what it is."""

    field: FieldPath  # relative to the sidecar container
    privilege: str  # what the sidecar has ("is privileged", "adds NET_ADMIN")
    app_lacks: str  # what the application container lacks ("is not")
    fix: str


def application_container(pod: PodSpec) -> Container | None:
    """The container named by kubectl's default-container annotation, else the first one."""
    containers = list(pod.containers(("containers",)))
    if not containers:
        return None
    # The pod template's annotation is what kubectl reads; the workload's own is a fallback.
    template_annotations = pod.obj.get((*pod.path[:-1], "metadata", "annotations"))
    for source in (template_annotations, pod.obj.annotations):
        wanted = source.get(DEFAULT_CONTAINER_ANNOTATION) if isinstance(source, Mapping) else None
        named = [container for container in containers if container.body.get("name") == wanted]
        if wanted is not None and named:
            return named[0]
    return containers[0]


def sidecars(pod: PodSpec, app: Container) -> Iterator[Container]:
    """Native sidecars (restartPolicy: Always init containers), then the other containers."""
    for container in pod.containers(("initContainers",)):
        if container.body.get("restartPolicy") == "Always":
            yield container
    for container in pod.containers(("containers",)):
        if container.index != app.index:
            yield container


# Compares a sidecar with the application container: the privileges only the sidecar has.
Comparison = Callable[[Container, Container, CheckContext], Iterable[Excess]]


def excess_privilege_finder(
    rule: Rule, compare: Comparison
) -> Callable[[CheckContext], Iterator[Finding]]:
    """A check function reporting each ``compare`` result for each sidecar of each pod."""

    def find(context: CheckContext) -> Iterator[Finding]:
        for pod in context.pod_specs:
            app = application_container(pod)
            if app is None:
                continue
            for sidecar in sidecars(pod, app):
                for excess in compare(app, sidecar, context):
                    yield rule.finding(
                        f"Sidecar '{sidecar.name}' of {pod.obj.resource} {excess.privilege} "
                        f"but the application container '{app.name}' {excess.app_lacks}: "
                        f"{excess.fix}.",
                        pod.obj.location((*sidecar.path, *excess.field)),
                        details={"sidecar": sidecar.name, "application": app.name},
                    )

    return find


rules = FamilyRules(FAMILY)


def excess_privilege(rule: Rule) -> Callable[[Comparison], Comparison]:
    """Declare ``compare`` as the finder of ``rule``: what a sidecar has and the app lacks."""

    def register(compare: Comparison) -> Comparison:
        rules.add(Check(rule, excess_privilege_finder(rule, compare)))
        return compare

    return register


PRIVILEGED_SIDECAR = rules.rule(
    "sidecars-privileged",
    Severity.HIGH,
    title="Sidecar is privileged while the application container is not",
    rationale=(
        "A privileged container has every capability and the host's devices: whoever "
        "compromises the sidecar owns the node, although the application itself needed none "
        "of it."
    ),
    remediation=(
        "Remove securityContext.privileged from the sidecar; move work that needs the host to "
        "a node agent (DaemonSet) or a short-lived init container."
    ),
    references=(PSS_URL, SECURITY_CONTEXT_URL, SIDECAR_CONTAINERS_URL, NSA_CISA_URL),
)


@excess_privilege(PRIVILEGED_SIDECAR)
def compare_privileged(app: Container, sidecar: Container, _: CheckContext) -> Iterator[Excess]:
    sidecar_privileged = sidecar.security_context.get("privileged") is True
    if sidecar_privileged and app.security_context.get("privileged") is not True:
        yield Excess(
            ("securityContext", "privileged"),
            "is privileged",
            "is not",
            "remove privileged from the sidecar, or move the host work to a DaemonSet",
        )


def added_capabilities(container: Container) -> frozenset[str]:
    """Capabilities in securityContext.capabilities.add, as the runtime names them."""
    capabilities = container.security_context.get("capabilities")
    added: Any = capabilities.get("add") if isinstance(capabilities, Mapping) else None
    if not isinstance(added, list):
        return frozenset()
    return frozenset(str(name).upper().removeprefix("CAP_") for name in added)


SIDECAR_CAPABILITIES = rules.rule(
    "sidecars-added-capabilities",
    Severity.HIGH,
    title="Sidecar adds Linux capabilities the application container does not have",
    rationale=(
        "Capabilities such as NET_ADMIN or SYS_ADMIN let a process reconfigure the pod's "
        "network or escape its sandbox; granted to a sidecar they widen the pod's attack "
        "surface beyond what the application needs."
    ),
    remediation=(
        "Drop the extra capabilities from the sidecar's securityContext.capabilities.add, or "
        "do the setup that needs them in an init container (or a CNI plugin) instead."
    ),
    references=(PSS_URL, SECURITY_CONTEXT_URL, SIDECAR_CONTAINERS_URL),
)


@excess_privilege(SIDECAR_CAPABILITIES)
def compare_capabilities(app: Container, sidecar: Container, _: CheckContext) -> Iterator[Excess]:
    app_capabilities = added_capabilities(app)
    if ALL_CAPABILITIES in app_capabilities:
        return
    extra = added_capabilities(sidecar) - app_capabilities
    if extra:
        yield Excess(
            ("securityContext", "capabilities", "add"),
            f"adds capabilities {', '.join(sorted(extra))}",
            "does not",
            "drop them from the sidecar, or do the setup that needs them in an init container",
        )


def may_run_as_root(container: Container) -> bool:
    """False only when the effective settings rule out UID 0; the image decides otherwise."""
    user = container.effective("runAsUser")
    if isinstance(user, int) and not isinstance(user, bool):
        return user == 0
    return container.effective("runAsNonRoot") is not True


ROOT_SIDECAR = rules.rule(
    "sidecars-runs-as-root",
    Severity.HIGH,
    title="Sidecar may run as root while the application container may not",
    rationale=(
        "A root process is one kernel bug or misconfigured mount away from the host; when the "
        "application is already confined to a non-root user, a root sidecar is the pod's "
        "weakest point."
    ),
    remediation=(
        "Set securityContext.runAsNonRoot: true and a non-zero runAsUser on the sidecar, as "
        "the application container does."
    ),
    references=(PSS_URL, SECURITY_CONTEXT_URL, NSA_CISA_URL),
)


@excess_privilege(ROOT_SIDECAR)
def compare_root(app: Container, sidecar: Container, _: CheckContext) -> Iterator[Excess]:
    if not may_run_as_root(sidecar) or may_run_as_root(app):
        return
    if sidecar.effective("runAsUser") == 0:
        yield Excess(
            ("securityContext", "runAsUser"),
            "runs as root (runAsUser: 0)",
            "does not",
            "give the sidecar a non-zero runAsUser and runAsNonRoot: true",
        )
    else:
        yield Excess(
            ("securityContext", "runAsNonRoot"),
            "may run as root (runAsNonRoot is not true and no non-zero runAsUser is set)",
            "may not",
            "set runAsNonRoot: true and a non-zero runAsUser on the sidecar",
        )


def _volumes(pod: PodSpec) -> Mapping[str, Mapping[str, Any]]:
    volumes = pod.spec.get("volumes")
    return {
        str(volume.get("name")): volume
        for volume in (volumes if isinstance(volumes, list) else [])
        if isinstance(volume, Mapping)
    }


def _mounts(container: Container) -> Iterator[tuple[int, Mapping[str, Any]]]:
    mounts = container.body.get("volumeMounts")
    for index, mount in enumerate(mounts if isinstance(mounts, list) else []):
        if isinstance(mount, Mapping):
            yield index, mount


def _host_path(volume: Mapping[str, Any] | None) -> str | None:
    host_path = volume.get("hostPath") if volume is not None else None
    if not isinstance(host_path, Mapping):
        return None
    return str(host_path.get("path", ""))


HOST_PATH_SIDECAR = rules.rule(
    "sidecars-host-path",
    Severity.HIGH,
    title="Sidecar mounts a hostPath volume the application container does not",
    rationale=(
        "A hostPath mount exposes the node's filesystem (logs of every pod, the container "
        "runtime socket, kubelet credentials); in a sidecar it grants host access the "
        "application does not need."
    ),
    remediation=(
        "Remove the hostPath mount from the sidecar; collect node files with a dedicated "
        "DaemonSet, or use an emptyDir shared with the application."
    ),
    references=(HOST_PATH_URL, PSS_URL, NSA_CISA_URL),
)


@excess_privilege(HOST_PATH_SIDECAR)
def compare_host_paths(app: Container, sidecar: Container, _: CheckContext) -> Iterator[Excess]:
    volumes = _volumes(app.pod)
    app_host_paths = {
        path
        for _, mount in _mounts(app)
        if (path := _host_path(volumes.get(str(mount.get("name"))))) is not None
    }
    for index, mount in _mounts(sidecar):
        name = str(mount.get("name"))
        path = _host_path(volumes.get(name))
        if path is not None and path not in app_host_paths:
            yield Excess(
                ("volumeMounts", index),
                f"mounts host path {path} (volume '{name}')",
                "does not",
                "remove the mount from the sidecar, or collect node files with a DaemonSet",
            )


def _is_token_volume(volume: Mapping[str, Any] | None) -> bool:
    projected = volume.get("projected") if volume is not None else None
    sources = projected.get("sources") if isinstance(projected, Mapping) else None
    return isinstance(sources, list) and any(
        isinstance(source, Mapping) and "serviceAccountToken" in source for source in sources
    )


def token_mounts(container: Container) -> Iterator[tuple[int, str]]:
    """Indexes and volume names of the container's service-account token mounts."""
    volumes = _volumes(container.pod)
    for index, mount in _mounts(container):
        name = str(mount.get("name"))
        mount_path = str(mount.get("mountPath", "")).rstrip("/")
        if _is_token_volume(volumes.get(name)) or mount_path in SERVICE_ACCOUNT_TOKEN_PATHS:
            yield index, name


TOKEN_SIDECAR = rules.rule(
    "sidecars-service-account-token",
    Severity.HIGH,
    title="Sidecar mounts a service-account token the application container does not have",
    rationale=(
        "A service-account token is a credential for the Kubernetes API (or, with an "
        "audience, for another service); a sidecar holding one while the application runs "
        "without gives the pod an identity that only the sidecar's code protects."
    ),
    remediation=(
        "Remove the token mount from the sidecar, or give the sidecar its own workload and "
        "ServiceAccount with the narrowest permissions."
    ),
    references=(SERVICE_ACCOUNT_TOKEN_URL, SIDECAR_CONTAINERS_URL, NSA_CISA_URL),
)


@excess_privilege(TOKEN_SIDECAR)
def compare_tokens(app: Container, sidecar: Container, context: CheckContext) -> Iterator[Excess]:
    sidecar_tokens = list(token_mounts(sidecar))
    if not sidecar_tokens or any(True for _ in token_mounts(app)):
        return
    if service_account_token_automounted(app.pod, token_disabling_accounts(context)):
        return  # every container holds the token: hardening reports that, not this rule
    for index, name in sidecar_tokens:
        yield Excess(
            ("volumeMounts", index),
            f"mounts a service-account token (volume '{name}')",
            "has none",
            "remove the token from the sidecar, or run it as its own workload and account",
        )


CHECKS: tuple[Check, ...] = rules.checks()
