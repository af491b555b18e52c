"""Pod Security Standards: every baseline and restricted control, one rule each.

The controls follow the standard as the Pod Security admission controller enforces it
(``k8s.io/pod-security-admission/policy``), so a pod this module passes is one the cluster
admits at the same level. Where admission reports one pod-wide message, this module reports
one finding per offending field, at that field's line. Where a restricted control tightens a
baseline one (capabilities, seccomp, /proc mount), the restricted rule reports only what the
baseline rule lets through, so a field never carries two findings.

Which controls apply depends on the namespace: the ``pod-security.kubernetes.io/enforce``
label of its Namespace object, else the configured default level.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gitwarden.checks.check import PSS_LEVELS, Check, CheckContext
from gitwarden.checks.kubernetes_release import KubernetesVersion
from gitwarden.findings import Finding, Severity
from gitwarden.manifests.workloads import Container, PodSpec
from gitwarden.manifests.yaml_nodes import FieldPath
from gitwarden.rules import CIS_URL, NSA_CISA_URL, PSS_URL, Rule

FAMILY = "pod-security"
BASELINE = "baseline"
RESTRICTED = "restricted"
USER_NAMESPACES_URL = (
    "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/"
    "#integration-with-pod-security-admission-checks"
)

# Capabilities the container runtime grants by default; adding them back is no escalation.
BASELINE_CAPABILITIES = frozenset(
    {
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    }
)
RESTRICTED_ADDABLE_CAPABILITY = "NET_BIND_SERVICE"
DROP_ALL_CAPABILITIES = "ALL"

# Namespaced sysctls isolated from other pods, by the version of the standard that first
# allowed them (k8s.io/pod-security-admission check_sysctls; the v1.37 pair: kubernetes#138389).
SAFE_SYSCTLS_SINCE: Mapping[str, KubernetesVersion] = {
    **dict.fromkeys(
        (
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
        ),
        KubernetesVersion(1, 0),
    ),
    "net.ipv4.ip_local_reserved_ports": KubernetesVersion(1, 27),
    **dict.fromkeys(
        (
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes",
        ),
        KubernetesVersion(1, 29),
    ),
    **dict.fromkeys(("net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"), KubernetesVersion(1, 32)),
    **dict.fromkeys(
        ("net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"),
        KubernetesVersion(1, 37),
    ),
}
SAFE_SYSCTLS = frozenset(SAFE_SYSCTLS_SINCE)
NEWEST_STANDARD = max(SAFE_SYSCTLS_SINCE.values())
# "latest", or a release such as "v1.29": which version of the standard admission applies.
PSS_ENFORCE_VERSION_LABEL = "pod-security.kubernetes.io/enforce-version"

ALLOWED_SELINUX_TYPES = frozenset(
    {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}
)
CONFINED_PROFILE_TYPES = frozenset({"RuntimeDefault", "Localhost"})
APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
APPARMOR_RUNTIME_DEFAULT_ANNOTATION = "runtime/default"
APPARMOR_LOCALHOST_ANNOTATION_PREFIX = "localhost/"
DEFAULT_PROC_MOUNT = "Default"

# Volume sources that only expose cluster-managed or pod-local data. Admission also allows
# `image` (read-only OCI image content) since v1.33; the published page still omits it.
RESTRICTED_VOLUME_TYPES = frozenset(
    {
        "configMap",
        "csi",
        "downwardAPI",
        "emptyDir",
        "ephemeral",
        "image",
        "persistentVolumeClaim",
        "projected",
        "secret",
    }
)
ALLOWED_VOLUME_TYPES_TEXT = ", ".join(sorted(RESTRICTED_VOLUME_TYPES))
HOST_PATH_VOLUME = "hostPath"

# field -> (what is shared, severity): the host PID namespace lets a container signal,
# ptrace and read the environment of every process on the node.
HOST_NAMESPACES: Mapping[str, tuple[str, Severity]] = {
    "hostPID": ("process (PID)", Severity.CRITICAL),
    "hostIPC": ("IPC", Severity.HIGH),
    "hostNetwork": ("network", Severity.HIGH),
}

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
LIFECYCLE_HOOKS = ("postStart", "preStop")
HOST_CAPABLE_HANDLERS = ("httpGet", "tcpSocket")

CONTAINER_KINDS = {
    "initContainers": "Init container",
    "containers": "Container",
    "ephemeralContainers": "Ephemeral container",
}


@dataclass(frozen=True)
class Violation:
    """One field of a pod spec that breaks a control: where, what to change, how bad."""

    path: FieldPath
    message: str
    severity: Severity | None = None
    # Set when the standard allows the field from this version on: a namespace that pins an
    # older version (pod-security.kubernetes.io/enforce-version) still forbids it.
    allowed_since: KubernetesVersion | None = None

    def applies_to(self, standard: KubernetesVersion | None) -> bool:
        """Whether the standard at ``standard`` (None: the newest) forbids this field."""
        if self.allowed_since is None:
            return True
        return standard is not None and standard < self.allowed_since


@dataclass(frozen=True)
class PodSecurityControl:
    """A rule, the level that enforces it, and the function that finds its violations."""

    rule: Rule
    level: str
    find_violations: Callable[[PodSpec], Iterable[Violation]]

    def findings(self, context: CheckContext) -> Iterator[Finding]:
        for pod in context.pod_specs:
            if not level_enforces(context.pss_level(pod.obj.namespace), self.level):
                continue
            standard = enforced_standard(context, pod.obj.namespace)
            for violation in self.find_violations(pod):
                if not violation.applies_to(standard):
                    continue
                yield self.rule.finding(
                    violation.message,
                    pod.obj.location(violation.path),
                    severity=violation.severity,
                )

    def as_check(self) -> Check:
        return Check(self.rule, self.findings)


def enforced_standard(context: CheckContext, namespace: str | None) -> KubernetesVersion | None:
    """The version of the standard a namespace pins; None for ``latest`` or no label."""
    ns = context.namespaces.get(namespace or "default")
    label = ns.labels.get(PSS_ENFORCE_VERSION_LABEL) if ns is not None else None
    if not isinstance(label, str) or label.strip() == "latest":
        return None
    try:
        return KubernetesVersion.parse(label)
    except ValueError:
        return None  # admission reads an unparsable version as latest, so do we


def level_enforces(namespace_level: str, control_level: str) -> bool:
    """Whether a namespace at ``namespace_level`` enforces a ``control_level`` control."""
    return PSS_LEVELS.index(namespace_level) >= PSS_LEVELS.index(control_level)


# --- reading pod specs ----------------------------------------------------------------


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_zero(value: Any) -> bool:
    # YAML's `false` is a bool, and bool is an int in Python: only a real 0 counts.
    return value == 0 and not isinstance(value, bool)


def _is_one_of(value: Any, allowed: frozenset[str]) -> bool:
    # Hand-written YAML may put a list or mapping where a name belongs.
    return isinstance(value, str) and value in allowed


def _shown(value: Any) -> str:
    """A value as it is written in YAML (``false``, ``null``), for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def describe(container: Container) -> str:
    return f"{CONTAINER_KINDS.get(container.list_name, 'Container')} '{container.name}'"


@dataclass(frozen=True)
class SecurityContextOwner:
    """The pod or a container, with its securityContext and the path to it."""

    description: str
    context: Mapping[str, Any]
    path: FieldPath


def security_context_owners(pod: PodSpec) -> Iterator[SecurityContextOwner]:
    """The pod first, then every container (init, regular, ephemeral)."""
    yield SecurityContextOwner("The pod", pod.security_context, (*pod.path, "securityContext"))
    for container in pod.containers():
        yield SecurityContextOwner(
            describe(container), container.security_context, (*container.path, "securityContext")
        )


def _container_context_path(container: Container, *fields: str | int) -> FieldPath:
    return (*container.path, "securityContext", *fields)


def in_user_namespace(pod: PodSpec) -> bool:
    """``hostUsers: false``: container root maps to an unprivileged user on the node."""
    return pod.spec.get("hostUsers") is False


def is_windows(pod: PodSpec) -> bool:
    return _mapping(pod.spec.get("os")).get("name") == "windows"


# --- baseline -------------------------------------------------------------------------


def find_host_process(pod: PodSpec) -> Iterator[Violation]:
    for owner in security_context_owners(pod):
        if _mapping(owner.context.get("windowsOptions")).get("hostProcess") is True:
            yield Violation(
                (*owner.path, "windowsOptions", "hostProcess"),
                f"{owner.description} requests Windows HostProcess mode, which runs on the "
                "node outside any container: remove securityContext.windowsOptions.hostProcess "
                "or set it to false.",
            )


def find_host_namespaces(pod: PodSpec) -> Iterator[Violation]:
    for field, (namespace, severity) in HOST_NAMESPACES.items():
        if pod.spec.get(field) is True:
            yield Violation(
                (*pod.path, field),
                f"The pod shares the host's {namespace} namespace: remove {field} or set it "
                "to false.",
                severity,
            )


def find_privileged_containers(pod: PodSpec) -> Iterator[Violation]:
    for container in pod.containers():
        if container.security_context.get("privileged") is True:
            yield Violation(
                _container_context_path(container, "privileged"),
                f"{describe(container)} runs privileged: set securityContext.privileged to false.",
            )


def _added_capabilities(container: Container) -> Iterator[tuple[int, Any]]:
    capabilities = _mapping(container.security_context.get("capabilities"))
    yield from enumerate(_items(capabilities.get("add")))


def find_capabilities_beyond_baseline(pod: PodSpec) -> Iterator[Violation]:
    for container in pod.containers():
        for index, capability in _added_capabilities(container):
            if not _is_one_of(capability, BASELINE_CAPABILITIES):
                yield Violation(
                    _container_context_path(container, "capabilities", "add", index),
                    f"{describe(container)} adds capability {capability}: remove it from "
                    "securityContext.capabilities.add.",
                )


def find_host_path_volumes(pod: PodSpec) -> Iterator[Violation]:
    for index, item in enumerate(_items(pod.spec.get("volumes"))):
        volume = _mapping(item)
        if HOST_PATH_VOLUME in volume:
            yield Violation(
                (*pod.path, "volumes", index, HOST_PATH_VOLUME),
                f"Volume '{volume.get('name', index)}' mounts a path of the node: replace the "
                "hostPath volume with a configMap, secret, emptyDir or persistentVolumeClaim.",
            )


def find_host_ports(pod: PodSpec) -> Iterator[Violation]:
    for container in pod.containers():
        for index, port in enumerate(_items(container.body.get("ports"))):
            host_port = _mapping(port).get("hostPort")
            if host_port is not None and not _is_zero(host_port):
                yield Violation(
                    (*container.path, "ports", index, "hostPort"),
                    f"{describe(container)} binds host port {host_port}: remove hostPort and "
                    "expose the port through a Service.",
                )


def _is_allowed_apparmor_annotation(value: Any) -> bool:
    if value is None:
        return True
    return isinstance(value, str) and (
        value in ("", APPARMOR_RUNTIME_DEFAULT_ANNOTATION)
        or value.startswith(APPARMOR_LOCALHOST_ANNOTATION_PREFIX)
    )


def _apparmor_annotation_violations(pod: PodSpec) -> Iterator[Violation]:
    # Annotations sit on the metadata next to the pod spec (the pod or its template).
    path = (*pod.path[:-1], "metadata", "annotations")
    for key, value in _mapping(pod.obj.get(path)).items():
        if str(key).startswith(APPARMOR_ANNOTATION_PREFIX) and not (
            _is_allowed_apparmor_annotation(value)
        ):
            container_name = str(key).removeprefix(APPARMOR_ANNOTATION_PREFIX)
            yield Violation(
                (*path, key),
                f"Container '{container_name}' runs with AppArmor profile {_shown(value)}: set the "
                "annotation to runtime/default or localhost/<profile>, or use "
                "securityContext.appArmorProfile.type RuntimeDefault.",
            )


def find_apparmor_overrides(pod: PodSpec) -> Iterator[Violation]:
    for owner in security_context_owners(pod):
        profile = owner.context.get("appArmorProfile")
        if profile is None:
            continue
        profile_type = _mapping(profile).get("type")
        if not _is_one_of(profile_type, CONFINED_PROFILE_TYPES):
            yield Violation(
                (*owner.path, "appArmorProfile", "type"),
                f"{owner.description} sets AppArmor profile type {_shown(profile_type)}: set "
                "securityContext.appArmorProfile.type to RuntimeDefault or Localhost.",
            )
    yield from _apparmor_annotation_violations(pod)


def find_selinux_options(pod: PodSpec) -> Iterator[Violation]:
    for owner in security_context_owners(pod):
        options = _mapping(owner.context.get("seLinuxOptions"))
        path = (*owner.path, "seLinuxOptions")
        selinux_type = options.get("type")
        if selinux_type is not None and not _is_one_of(selinux_type, ALLOWED_SELINUX_TYPES):
            yield Violation(
                (*path, "type"),
                f"{owner.description} sets SELinux type {selinux_type}: remove "
                "seLinuxOptions.type or use container_t, container_init_t, container_kvm_t "
                "or container_engine_t.",
            )
        for field in ("user", "role"):
            if options.get(field):
                yield Violation(
                    (*path, field),
                    f"{owner.description} sets a custom SELinux {field}: remove "
                    f"seLinuxOptions.{field}.",
                )


def _unmasked_proc_mounts(pod: PodSpec) -> Iterator[Violation]:
    for container in pod.containers():
        proc_mount = container.security_context.get("procMount")
        if proc_mount is not None and proc_mount != DEFAULT_PROC_MOUNT:
            yield Violation(
                _container_context_path(container, "procMount"),
                f"{describe(container)} sets procMount to {proc_mount}: remove "
                "securityContext.procMount or set it to Default.",
            )


def find_unmasked_proc_mounts(pod: PodSpec) -> Iterator[Violation]:
    # Baseline lets a pod in its own user namespace unmask /proc; restricted does not.
    if not in_user_namespace(pod):
        yield from _unmasked_proc_mounts(pod)


def find_unconfined_seccomp(pod: PodSpec) -> Iterator[Violation]:
    for owner in security_context_owners(pod):
        profile = owner.context.get("seccompProfile")
        if profile is None:
            continue
        profile_type = _mapping(profile).get("type")
        if not _is_one_of(profile_type, CONFINED_PROFILE_TYPES):
            yield Violation(
                (*owner.path, "seccompProfile", "type"),
                f"{owner.description} sets seccomp profile type {_shown(profile_type)}: set "
                "securityContext.seccompProfile.type to RuntimeDefault or Localhost.",
            )


def find_unsafe_sysctls(pod: PodSpec) -> Iterator[Violation]:
    path = (*pod.path, "securityContext", "sysctls")
    for index, sysctl in enumerate(_items(pod.security_context.get("sysctls"))):
        name = _mapping(sysctl).get("name")
        if not isinstance(name, str) or name not in SAFE_SYSCTLS:
            yield Violation(
                (*path, index, "name"),
                f"The pod sets sysctl {name}, which is not namespaced or not isolated from "
                "other pods: remove it, or tune it on the node.",
            )
            continue
        since = SAFE_SYSCTLS_SINCE[name]
        if since > KubernetesVersion(1, 0):
            yield Violation(
                (*path, index, "name"),
                f"The pod sets sysctl {name}, which the standard allows only from v{since} "
                f"on, and its namespace pins an older version ({PSS_ENFORCE_VERSION_LABEL}): "
                f"remove it, or raise the label to v{since} or latest.",
                allowed_since=since,
            )


# Paths, inside a container, of the host fields the kubelet would connect to.
HANDLER_HOST_PATHS: tuple[FieldPath, ...] = (
    *((probe, handler, "host") for probe in PROBES for handler in HOST_CAPABLE_HANDLERS),
    *(
        ("lifecycle", hook, handler, "host")
        for hook in LIFECYCLE_HOOKS
        for handler in HOST_CAPABLE_HANDLERS
    ),
)


def find_probe_hosts(pod: PodSpec) -> Iterator[Violation]:
    for container in pod.containers():
        for relative in HANDLER_HOST_PATHS:
            path = (*container.path, *relative)
            host = pod.obj.get(path)
            if host:
                yield Violation(
                    path,
                    f"{describe(container)} sends its {relative[-3]} {relative[-2]} to host "
                    f"{host}: remove the host field so that the kubelet targets the pod's "
                    "own IP.",
                )


# --- restricted -----------------------------------------------------------------------


def find_restricted_volume_types(pod: PodSpec) -> Iterator[Violation]:
    for index, item in enumerate(_items(pod.spec.get("volumes"))):
        volume = _mapping(item)
        for source in volume:
            # hostPath is the baseline rule's finding; "name" is not a source.
            if source in (*RESTRICTED_VOLUME_TYPES, HOST_PATH_VOLUME, "name"):
                continue
            yield Violation(
                (*pod.path, "volumes", index, source),
                f"Volume '{volume.get('name', index)}' uses the {source} volume type: use a "
                f"persistentVolumeClaim or another allowed type ({ALLOWED_VOLUME_TYPES_TEXT}).",
            )


def find_privilege_escalation(pod: PodSpec) -> Iterator[Violation]:
    if is_windows(pod):
        return
    for container in pod.containers():
        value = container.security_context.get("allowPrivilegeEscalation")
        if value is not False:
            problem = "allows" if value is True else "does not forbid"
            yield Violation(
                _container_context_path(container, "allowPrivilegeEscalation"),
                f"{describe(container)} {problem} privilege escalation: set "
                "securityContext.allowPrivilegeEscalation to false.",
            )


def find_root_allowed(pod: PodSpec) -> Iterator[Violation]:
    if in_user_namespace(pod):
        return
    pod_value = pod.security_context.get("runAsNonRoot")
    uncovered: list[Container] = []
    for container in pod.containers():
        value = container.security_context.get("runAsNonRoot")
        if value is None:
            if pod_value is not True:
                uncovered.append(container)
        elif value is not True:
            yield Violation(
                _container_context_path(container, "runAsNonRoot"),
                f"{describe(container)} sets runAsNonRoot to {_shown(value)}: set "
                "securityContext.runAsNonRoot to true.",
            )
    yield from _pod_run_as_non_root_violations(pod, pod_value, uncovered)


def _pod_run_as_non_root_violations(
    pod: PodSpec, pod_value: Any, uncovered: list[Container]
) -> Iterator[Violation]:
    if pod_value is not None and pod_value is not True:
        # One field to fix, so one finding, whichever containers inherit it.
        yield Violation(
            (*pod.path, "securityContext", "runAsNonRoot"),
            f"The pod sets runAsNonRoot to {_shown(pod_value)}: set "
            "securityContext.runAsNonRoot to true.",
        )
        return
    for container in uncovered:
        yield Violation(
            _container_context_path(container, "runAsNonRoot"),
            f"{describe(container)} may run as root: set securityContext.runAsNonRoot to "
            "true in the container or in the pod.",
        )


def find_root_user(pod: PodSpec) -> Iterator[Violation]:
    if in_user_namespace(pod):
        return
    for owner in security_context_owners(pod):
        if _is_zero(owner.context.get("runAsUser")):
            yield Violation(
                (*owner.path, "runAsUser"),
                f"{owner.description} runs as user 0 (root): set securityContext.runAsUser to "
                "a non-zero UID.",
            )


def find_missing_seccomp(pod: PodSpec) -> Iterator[Violation]:
    # A profile that is set but unconfined is the baseline rule's finding.
    if is_windows(pod) or pod.security_context.get("seccompProfile") is not None:
        return
    for container in pod.containers():
        if container.security_context.get("seccompProfile") is None:
            yield Violation(
                _container_context_path(container, "seccompProfile", "type"),
                f"{describe(container)} has no seccomp profile: set "
                "securityContext.seccompProfile.type to RuntimeDefault in the pod or the "
                "container.",
            )


def find_unrestricted_capabilities(pod: PodSpec) -> Iterator[Violation]:
    if is_windows(pod):
        return
    for container in pod.containers():
        capabilities = _mapping(container.security_context.get("capabilities"))
        if DROP_ALL_CAPABILITIES not in _items(capabilities.get("drop")):
            yield Violation(
                _container_context_path(container, "capabilities", "drop"),
                f"{describe(container)} keeps the runtime's default capabilities: set "
                'securityContext.capabilities.drop to ["ALL"].',
            )
        for index, capability in _added_capabilities(container):
            # Capabilities outside the baseline set are the baseline rule's finding.
            if _is_one_of(capability, BASELINE_CAPABILITIES - {RESTRICTED_ADDABLE_CAPABILITY}):
                yield Violation(
                    _container_context_path(container, "capabilities", "add", index),
                    f"{describe(container)} adds capability {capability}: remove it; only "
                    f"{RESTRICTED_ADDABLE_CAPABILITY} may be added.",
                )


def find_unmasked_proc_mounts_in_user_namespaces(pod: PodSpec) -> Iterator[Violation]:
    # Outside user namespaces the baseline rule already reports these fields.
    if in_user_namespace(pod):
        yield from _unmasked_proc_mounts(pod)


# --- rules ----------------------------------------------------------------------------


def _rule(
    rule_id: str, severity: Severity, title: str, rationale: str, remediation: str, *refs: str
) -> Rule:
    return Rule(
        id=rule_id,
        family=FAMILY,
        severity=severity,
        title=title,
        rationale=rationale,
        remediation=remediation,
        references=(PSS_URL, *refs),
    )


HOST_PROCESS = _rule(
    "pss-host-process",
    Severity.CRITICAL,
    "Windows HostProcess containers are forbidden",
    "A HostProcess container runs directly on the Windows node with the privileges of its "
    "user, outside any container isolation: it is administrator access to the node.",
    "Remove securityContext.windowsOptions.hostProcess (or set it to false) in the pod and "
    "in every container; run node agents in a namespace labelled for the privileged level.",
    CIS_URL,
)
HOST_NAMESPACES_RULE = _rule(
    "pss-host-namespaces",
    Severity.CRITICAL,
    "Pods must not share the host's PID, IPC or network namespace",
    "hostPID lets a container see, signal and ptrace every process on the node and read "
    "their environment and memory, a direct escape (reported as critical). hostIPC exposes "
    "the node's shared memory and hostNetwork lets the pod sniff node traffic and reach "
    "services bound to the node's localhost (both reported as high).",
    "Remove hostPID, hostIPC and hostNetwork from the pod spec (or set them to false).",
    NSA_CISA_URL,
    CIS_URL,
)
PRIVILEGED = _rule(
    "pss-privileged",
    Severity.CRITICAL,
    "Privileged containers are forbidden",
    "A privileged container has every capability, all host devices and no seccomp, AppArmor "
    "or SELinux confinement: root in it is root on the node.",
    "Set securityContext.privileged to false (or remove it) in every container; add the one "
    "capability the workload needs instead.",
    NSA_CISA_URL,
    CIS_URL,
)
CAPABILITIES_BASELINE = _rule(
    "pss-capabilities-baseline",
    Severity.HIGH,
    "Containers must not add capabilities beyond the runtime's default set",
    "Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or NET_RAW give a container "
    "kernel powers that are known routes to escaping it or attacking the node's network. "
    "Only the default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, "
    "NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT) may be added.",
    "Remove every other capability from securityContext.capabilities.add.",
    NSA_CISA_URL,
    CIS_URL,
)
HOST_PATH_VOLUMES = _rule(
    "pss-host-path-volumes",
    Severity.HIGH,
    "hostPath volumes are forbidden",
    "A hostPath volume mounts a directory of the node into the container: the container "
    "runtime socket, kubelet credentials or /etc can be read or written from the pod.",
    "Replace hostPath volumes with configMap, secret, emptyDir or persistentVolumeClaim volumes.",
    NSA_CISA_URL,
    CIS_URL,
)
HOST_PORTS = _rule(
    "pss-host-ports",
    Severity.HIGH,
    "Containers must not bind host ports",
    "A hostPort opens the port on the node's own address, bypassing Services and most "
    "NetworkPolicy implementations, and ties the pod to nodes where the port is free.",
    "Remove hostPort (or set it to 0) and expose the port through a Service.",
    CIS_URL,
)
APPARMOR = _rule(
    "pss-apparmor",
    Severity.HIGH,
    "AppArmor must not be disabled or overridden",
    "The runtime's default AppArmor profile blocks writes to /proc and /sys and mounts that "
    "lead out of the container; an Unconfined profile removes that protection.",
    "Remove securityContext.appArmorProfile or set its type to RuntimeDefault or Localhost; "
    "for the deprecated container.apparmor.security.beta.kubernetes.io/* annotations, use "
    "runtime/default or localhost/<profile>.",
    NSA_CISA_URL,
)
SELINUX = _rule(
    "pss-selinux",
    Severity.HIGH,
    "SELinux options must not loosen the container's confinement",
    "A custom SELinux type, user or role can run the container in an unconfined domain such "
    "as spc_t, undoing the labels that keep it away from host files.",
    "Remove seLinuxOptions.user and seLinuxOptions.role; leave seLinuxOptions.type unset or "
    "use container_t, container_init_t, container_kvm_t or container_engine_t.",
    NSA_CISA_URL,
)
PROC_MOUNT = _rule(
    "pss-proc-mount",
    Severity.HIGH,
    "The default masked /proc mount is required",
    "procMount Unmasked exposes kernel settings under /proc that the runtime normally hides, "
    "such as /proc/sys and /proc/sysrq-trigger. A pod with hostUsers: false may unmask /proc "
    "at the baseline level because its root is not root on the node.",
    "Remove securityContext.procMount or set it to Default.",
    USER_NAMESPACES_URL,
)
SECCOMP_BASELINE = _rule(
    "pss-seccomp-baseline",
    Severity.HIGH,
    "Seccomp must not be set to Unconfined",
    "Without seccomp every system call reaches the kernel, including the rarely used ones "
    "behind most container-escape vulnerabilities.",
    "Set securityContext.seccompProfile.type to RuntimeDefault or Localhost, or remove an "
    "Unconfined profile.",
    NSA_CISA_URL,
    CIS_URL,
)
SYSCTLS = _rule(
    "pss-sysctls",
    Severity.HIGH,
    "Only safe sysctls may be set",
    "A sysctl that is not namespaced, or not isolated from other pods, changes the kernel of "
    "the whole node: it can disable protections or starve its neighbours. Safe: "
    + ", ".join(sorted(SAFE_SYSCTLS))
    + f" (as of v{NEWEST_STANDARD}; a namespace whose {PSS_ENFORCE_VERSION_LABEL} label pins "
    "an older version allows only the sysctls of that version).",
    "Remove other sysctls from securityContext.sysctls; tune the node itself if it needs them.",
)
PROBE_HOST = _rule(
    "pss-probe-host",
    Severity.HIGH,
    "Probes and lifecycle hooks must not target another host",
    "The kubelet sends httpGet and tcpSocket probes and hooks from the node: a host field "
    "turns it into a proxy that reaches node-local and internal endpoints for the pod's "
    "author (standard since v1.34).",
    "Remove the host field from httpGet and tcpSocket probes and lifecycle handlers.",
)
VOLUME_TYPES = _rule(
    "pss-volume-types",
    Severity.MEDIUM,
    "Only core volume types may be used",
    "Inline network and driver volumes (nfs, iscsi, rbd, flexVolume, gitRepo...) run node "
    "side code with pod-supplied parameters and bypass the storage administrator; "
    "persistent volumes should come through PersistentVolumeClaims.",
    f"Use only these volume types: {ALLOWED_VOLUME_TYPES_TEXT}.",
    NSA_CISA_URL,
)
PRIVILEGE_ESCALATION = _rule(
    "pss-privilege-escalation",
    Severity.MEDIUM,
    "Containers must forbid privilege escalation",
    "Unless allowPrivilegeEscalation is false, a process can gain privileges through setuid "
    "binaries or file capabilities (no_new_privs is not set).",
    "Set securityContext.allowPrivilegeEscalation to false in every container.",
    NSA_CISA_URL,
    CIS_URL,
)
RUN_AS_NON_ROOT = _rule(
    "pss-run-as-non-root",
    Severity.MEDIUM,
    "Containers must be required to run as non-root",
    "Root in a container is root for the kernel: any escape or writable host mount then acts "
    "as root on the node. runAsNonRoot makes the kubelet refuse an image that would start as "
    "UID 0. Pods with hostUsers: false are exempt (their root is unprivileged on the node).",
    "Set securityContext.runAsNonRoot to true in the pod (or in every container), and do not "
    "set it to false anywhere.",
    NSA_CISA_URL,
    CIS_URL,
    USER_NAMESPACES_URL,
)
RUN_AS_USER = _rule(
    "pss-run-as-user",
    Severity.MEDIUM,
    "Containers must not run as user 0",
    "runAsUser: 0 runs the container as root whatever the image says. Pods with hostUsers: "
    "false are exempt.",
    "Set securityContext.runAsUser to a non-zero UID, or remove it and build the image with "
    "a non-root USER.",
    NSA_CISA_URL,
    CIS_URL,
    USER_NAMESPACES_URL,
)
SECCOMP_RESTRICTED = _rule(
    "pss-seccomp-restricted",
    Severity.MEDIUM,
    "A seccomp profile must be set",
    "Kubernetes runs containers without seccomp unless a profile is requested, leaving the "
    "whole system-call surface of the kernel reachable.",
    "Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost) in the pod, or "
    "in every container.",
    NSA_CISA_URL,
    CIS_URL,
)
CAPABILITIES_RESTRICTED = _rule(
    "pss-capabilities-restricted",
    Severity.MEDIUM,
    "Containers must drop ALL capabilities and may add only NET_BIND_SERVICE",
    "The runtime's default capabilities (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW on some "
    "runtimes...) are more than most workloads need and widen what an attacker can do in the "
    "container.",
    'Set securityContext.capabilities.drop to ["ALL"] in every container and add back only '
    "NET_BIND_SERVICE if the process binds a port below 1024.",
    NSA_CISA_URL,
    CIS_URL,
)
PROC_MOUNT_RESTRICTED = _rule(
    "pss-proc-mount-restricted",
    Severity.MEDIUM,
    "The default masked /proc mount is required, even in a user namespace",
    "The restricted level keeps /proc masked for pods with hostUsers: false too; pods outside "
    "user namespaces are reported by pss-proc-mount.",
    "Remove securityContext.procMount or set it to Default.",
    USER_NAMESPACES_URL,
)

CONTROLS: tuple[PodSecurityControl, ...] = (
    PodSecurityControl(HOST_PROCESS, BASELINE, find_host_process),
    PodSecurityControl(HOST_NAMESPACES_RULE, BASELINE, find_host_namespaces),
    PodSecurityControl(PRIVILEGED, BASELINE, find_privileged_containers),
    PodSecurityControl(CAPABILITIES_BASELINE, BASELINE, find_capabilities_beyond_baseline),
    PodSecurityControl(HOST_PATH_VOLUMES, BASELINE, find_host_path_volumes),
    PodSecurityControl(HOST_PORTS, BASELINE, find_host_ports),
    PodSecurityControl(APPARMOR, BASELINE, find_apparmor_overrides),
    PodSecurityControl(SELINUX, BASELINE, find_selinux_options),
    PodSecurityControl(PROC_MOUNT, BASELINE, find_unmasked_proc_mounts),
    PodSecurityControl(SECCOMP_BASELINE, BASELINE, find_unconfined_seccomp),
    PodSecurityControl(SYSCTLS, BASELINE, find_unsafe_sysctls),
    PodSecurityControl(PROBE_HOST, BASELINE, find_probe_hosts),
    PodSecurityControl(VOLUME_TYPES, RESTRICTED, find_restricted_volume_types),
    PodSecurityControl(PRIVILEGE_ESCALATION, RESTRICTED, find_privilege_escalation),
    PodSecurityControl(RUN_AS_NON_ROOT, RESTRICTED, find_root_allowed),
    PodSecurityControl(RUN_AS_USER, RESTRICTED, find_root_user),
    PodSecurityControl(SECCOMP_RESTRICTED, RESTRICTED, find_missing_seccomp),
    PodSecurityControl(CAPABILITIES_RESTRICTED, RESTRICTED, find_unrestricted_capabilities),
    PodSecurityControl(
        PROC_MOUNT_RESTRICTED, RESTRICTED, find_unmasked_proc_mounts_in_user_namespaces
    ),
)

CHECKS: tuple[Check, ...] = tuple(control.as_check() for control in CONTROLS)
