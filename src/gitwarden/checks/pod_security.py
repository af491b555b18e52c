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
from gitwarden.checks.rule_declaration import FamilyRules
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


ViolationFinder = Callable[[PodSpec], Iterable[Violation]]


@dataclass(frozen=True)
class PodSecurityControl:
    """A rule, the level that enforces it, and the function that finds its violations."""

    rule: Rule
    level: str
    find_violations: ViolationFinder
    # The version of the standard that added the control; older pinned versions lack it.
    since: KubernetesVersion | None = None

    def findings(self, context: CheckContext) -> Iterator[Finding]:
        for pod in context.pod_specs:
            if not level_enforces(context.pss_level(pod.obj.namespace), self.level):
                continue
            standard = enforced_standard(context, pod.obj.namespace)
            if self.since is not None and standard is not None and standard < self.since:
                continue
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


rules = FamilyRules(FAMILY, leading_references=(PSS_URL,))
# Filled while the module is imported, one control per decorated finder; read-only afterwards.
_controls: list[PodSecurityControl] = []


def control(
    rule: Rule, level: str, *, since: KubernetesVersion | None = None
) -> Callable[[ViolationFinder], ViolationFinder]:
    """Declare the finder of ``rule``, a control of the standard at ``level`` (from ``since``)."""

    def register(find_violations: ViolationFinder) -> ViolationFinder:
        declared = PodSecurityControl(rule, level, find_violations, since)
        rules.add(declared.as_check())
        _controls.append(declared)
        return find_violations

    return register


# --- baseline -------------------------------------------------------------------------


HOST_PROCESS = rules.rule(
    "pss-host-process",
    Severity.CRITICAL,
    title="Windows HostProcess containers are forbidden",
    rationale=(
        "A HostProcess container runs directly on the Windows node with the privileges of its "
        "user, outside any container isolation: it is administrator access to the node."
    ),
    remediation=(
        "Remove securityContext.windowsOptions.hostProcess (or set it to false) in the pod and "
        "in every container; run node agents in a namespace labelled for the privileged level."
    ),
    references=(CIS_URL,),
)


@control(HOST_PROCESS, BASELINE)
def find_host_process(pod: PodSpec) -> Iterator[Violation]:
    for owner in security_context_owners(pod):
        if _mapping(owner.context.get("windowsOptions")).get("hostProcess") is True:
            yield Violation(
                (*owner.path, "windowsOptions", "hostProcess"),
                f"{owner.description} requests Windows HostProcess mode, which runs on the "
                "node outside any container: remove securityContext.windowsOptions.hostProcess "
                "or set it to false.",
            )


HOST_NAMESPACES_RULE = rules.rule(
    "pss-host-namespaces",
    Severity.CRITICAL,
    title="Pods must not share the host's PID, IPC or network namespace",
    rationale=(
        "hostPID lets a container see, signal and ptrace every process on the node and read "
        "their environment and memory, a direct escape (reported as critical). hostIPC exposes "
        "the node's shared memory and hostNetwork lets the pod sniff node traffic and reach "
        "services bound to the node's localhost (both reported as high)."
    ),
    remediation="Remove hostPID, hostIPC and hostNetwork from the pod spec (or set them to false).",
    references=(NSA_CISA_URL, CIS_URL),
)


@control(HOST_NAMESPACES_RULE, BASELINE)
def find_host_namespaces(pod: PodSpec) -> Iterator[Violation]:
    for field, (namespace, severity) in HOST_NAMESPACES.items():
        if pod.spec.get(field) is True:
            yield Violation(
                (*pod.path, field),
                f"The pod shares the host's {namespace} namespace: remove {field} or set it "
                "to false.",
                severity,
            )


PRIVILEGED = rules.rule(
    "pss-privileged",
    Severity.CRITICAL,
    title="Privileged containers are forbidden",
    rationale=(
        "A privileged container has every capability, all host devices and no seccomp, AppArmor "
        "or SELinux confinement: root in it is root on the node."
    ),
    remediation=(
        "Set securityContext.privileged to false (or remove it) in every container; add the one "
        "capability the workload needs instead."
    ),
    references=(NSA_CISA_URL, CIS_URL),
)


@control(PRIVILEGED, BASELINE)
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


CAPABILITIES_BASELINE = rules.rule(
    "pss-capabilities-baseline",
    Severity.HIGH,
    title="Containers must not add capabilities beyond the runtime's default set",
    rationale=(
        "Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or NET_RAW give a container "
        "kernel powers that are known routes to escaping it or attacking the node's network. "
        "Only the default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, "
        "NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT) may be added."
    ),
    remediation="Remove every other capability from securityContext.capabilities.add.",
    references=(NSA_CISA_URL, CIS_URL),
)


@control(CAPABILITIES_BASELINE, BASELINE)
def find_capabilities_beyond_baseline(pod: PodSpec) -> Iterator[Violation]:
    for container in pod.containers():
        for index, capability in _added_capabilities(container):
            if not _is_one_of(capability, BASELINE_CAPABILITIES):
                yield Violation(
                    _container_context_path(container, "capabilities", "add", index),
                    f"{describe(container)} adds capability {capability}: remove it from "
                    "securityContext.capabilities.add.",
                )


HOST_PATH_VOLUMES = rules.rule(
    "pss-host-path-volumes",
    Severity.HIGH,
    title="hostPath volumes are forbidden",
    rationale=(
        "A hostPath volume mounts a directory of the node into the container: the container "
        "runtime socket, kubelet credentials or /etc can be read or written from the pod."
    ),
    remediation=(
        "Replace hostPath volumes with configMap, secret, emptyDir or persistentVolumeClaim "
        "volumes."
    ),
    references=(NSA_CISA_URL, CIS_URL),
)


@control(HOST_PATH_VOLUMES, BASELINE)
def find_host_path_volumes(pod: PodSpec) -> Iterator[Violation]:
    for index, item in enumerate(_items(pod.spec.get("volumes"))):
        volume = _mapping(item)
        if HOST_PATH_VOLUME in volume:
            yield Violation(
                (*pod.path, "volumes", index, HOST_PATH_VOLUME),
                f"Volume '{volume.get('name', index)}' mounts a path of the node: replace the "
                "hostPath volume with a configMap, secret, emptyDir or persistentVolumeClaim.",
            )


HOST_PORTS = rules.rule(
    "pss-host-ports",
    Severity.HIGH,
    title="Containers must not bind host ports",
    rationale=(
        "A hostPort opens the port on the node's own address, bypassing Services and most "
        "NetworkPolicy implementations, and ties the pod to nodes where the port is free."
    ),
    remediation="Remove hostPort (or set it to 0) and expose the port through a Service.",
    references=(CIS_URL,),
)


@control(HOST_PORTS, BASELINE)
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


def _unconfined_profiles(pod: PodSpec, field: str, name: str) -> Iterator[Violation]:
    """``field`` (seccompProfile, appArmorProfile) set to a type that does not confine.

    seccomp and AppArmor profiles are read the same way by admission: an unset profile is the
    runtime's default, a set one must be RuntimeDefault or Localhost.
    """
    for owner in security_context_owners(pod):
        profile = owner.context.get(field)
        if profile is None:
            continue
        profile_type = _mapping(profile).get("type")
        if not _is_one_of(profile_type, CONFINED_PROFILE_TYPES):
            yield Violation(
                (*owner.path, field, "type"),
                f"{owner.description} sets {name} profile type {_shown(profile_type)}: set "
                f"securityContext.{field}.type to RuntimeDefault or Localhost.",
            )


APPARMOR = rules.rule(
    "pss-apparmor",
    Severity.HIGH,
    title="AppArmor must not be disabled or overridden",
    rationale=(
        "The runtime's default AppArmor profile blocks writes to /proc and /sys and mounts that "
        "lead out of the container; an Unconfined profile removes that protection."
    ),
    remediation=(
        "Remove securityContext.appArmorProfile or set its type to RuntimeDefault or Localhost; "
        "for the deprecated container.apparmor.security.beta.kubernetes.io/* annotations, use "
        "runtime/default or localhost/<profile>."
    ),
    references=(NSA_CISA_URL,),
)


@control(APPARMOR, BASELINE)
def find_apparmor_overrides(pod: PodSpec) -> Iterator[Violation]:
    yield from _unconfined_profiles(pod, "appArmorProfile", "AppArmor")
    yield from _apparmor_annotation_violations(pod)


SELINUX = rules.rule(
    "pss-selinux",
    Severity.HIGH,
    title="SELinux options must not loosen the container's confinement",
    rationale=(
        "A custom SELinux type, user or role can run the container in an unconfined domain such "
        "as spc_t, undoing the labels that keep it away from host files."
    ),
    remediation=(
        "Remove seLinuxOptions.user and seLinuxOptions.role; leave seLinuxOptions.type unset or "
        "use container_t, container_init_t, container_kvm_t or container_engine_t."
    ),
    references=(NSA_CISA_URL,),
)


@control(SELINUX, BASELINE)
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


PROC_MOUNT = rules.rule(
    "pss-proc-mount",
    Severity.HIGH,
    title="The default masked /proc mount is required",
    rationale=(
        "procMount Unmasked exposes kernel settings under /proc that the runtime normally hides, "
        "such as /proc/sys and /proc/sysrq-trigger. A pod with hostUsers: false may unmask /proc "
        "at the baseline level because its root is not root on the node."
    ),
    remediation="Remove securityContext.procMount or set it to Default.",
    references=(USER_NAMESPACES_URL,),
)


@control(PROC_MOUNT, BASELINE)
def find_unmasked_proc_mounts(pod: PodSpec) -> Iterator[Violation]:
    # Baseline lets a pod in its own user namespace unmask /proc; restricted does not.
    if not in_user_namespace(pod):
        yield from _unmasked_proc_mounts(pod)


SECCOMP_BASELINE = rules.rule(
    "pss-seccomp-baseline",
    Severity.HIGH,
    title="Seccomp must not be set to Unconfined",
    rationale=(
        "Without seccomp every system call reaches the kernel, including the rarely used ones "
        "behind most container-escape vulnerabilities."
    ),
    remediation=(
        "Set securityContext.seccompProfile.type to RuntimeDefault or Localhost, or remove an "
        "Unconfined profile."
    ),
    references=(NSA_CISA_URL, CIS_URL),
)


@control(SECCOMP_BASELINE, BASELINE)
def find_unconfined_seccomp(pod: PodSpec) -> Iterator[Violation]:
    return _unconfined_profiles(pod, "seccompProfile", "seccomp")


SYSCTLS = rules.rule(
    "pss-sysctls",
    Severity.HIGH,
    title="Only safe sysctls may be set",
    rationale=(
        "A sysctl that is not namespaced, or not isolated from other pods, changes the kernel of "
        "the whole node: it can disable protections or starve its neighbours. Safe: "
        + ", ".join(sorted(SAFE_SYSCTLS))
        + f" (as of v{NEWEST_STANDARD}; a namespace whose {PSS_ENFORCE_VERSION_LABEL} label pins "
        "an older version allows only the sysctls of that version)."
    ),
    remediation=(
        "Remove other sysctls from securityContext.sysctls; tune the node itself if it needs them."
    ),
)


@control(SYSCTLS, BASELINE)
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


PROBE_HOST = rules.rule(
    "pss-probe-host",
    Severity.HIGH,
    title="Probes and lifecycle hooks must not target another host",
    rationale=(
        "The kubelet sends httpGet and tcpSocket probes and hooks from the node: a host field "
        "turns it into a proxy that reaches node-local and internal endpoints for the pod's "
        "author (standard since v1.34)."
    ),
    remediation="Remove the host field from httpGet and tcpSocket probes and lifecycle handlers.",
)


@control(PROBE_HOST, BASELINE, since=KubernetesVersion(1, 34))
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


VOLUME_TYPES = rules.rule(
    "pss-volume-types",
    Severity.MEDIUM,
    title="Only core volume types may be used",
    rationale=(
        "Inline network and driver volumes (nfs, iscsi, rbd, flexVolume, gitRepo...) run node "
        "side code with pod-supplied parameters and bypass the storage administrator; "
        "persistent volumes should come through PersistentVolumeClaims."
    ),
    remediation=f"Use only these volume types: {ALLOWED_VOLUME_TYPES_TEXT}.",
    references=(NSA_CISA_URL,),
)


@control(VOLUME_TYPES, RESTRICTED)
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


PRIVILEGE_ESCALATION = rules.rule(
    "pss-privilege-escalation",
    Severity.MEDIUM,
    title="Containers must forbid privilege escalation",
    rationale=(
        "Unless allowPrivilegeEscalation is false, a process can gain privileges through setuid "
        "binaries or file capabilities (no_new_privs is not set)."
    ),
    remediation="Set securityContext.allowPrivilegeEscalation to false in every container.",
    references=(NSA_CISA_URL, CIS_URL),
)


@control(PRIVILEGE_ESCALATION, RESTRICTED)
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


RUN_AS_NON_ROOT = rules.rule(
    "pss-run-as-non-root",
    Severity.MEDIUM,
    title="Containers must be required to run as non-root",
    rationale=(
        "Root in a container is root for the kernel: any escape or writable host mount then acts "
        "as root on the node. runAsNonRoot makes the kubelet refuse an image that would start as "
        "UID 0. Pods with hostUsers: false are exempt (their root is unprivileged on the node)."
    ),
    remediation=(
        "Set securityContext.runAsNonRoot to true in the pod (or in every container), and do not "
        "set it to false anywhere."
    ),
    references=(NSA_CISA_URL, CIS_URL, USER_NAMESPACES_URL),
)


@control(RUN_AS_NON_ROOT, RESTRICTED)
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


RUN_AS_USER = rules.rule(
    "pss-run-as-user",
    Severity.MEDIUM,
    title="Containers must not run as user 0",
    rationale=(
        "runAsUser: 0 runs the container as root whatever the image says. Pods with hostUsers: "
        "false are exempt."
    ),
    remediation=(
        "Set securityContext.runAsUser to a non-zero UID, or remove it and build the image with "
        "a non-root USER."
    ),
    references=(NSA_CISA_URL, CIS_URL, USER_NAMESPACES_URL),
)


@control(RUN_AS_USER, RESTRICTED)
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


SECCOMP_RESTRICTED = rules.rule(
    "pss-seccomp-restricted",
    Severity.MEDIUM,
    title="A seccomp profile must be set",
    rationale=(
        "Kubernetes runs containers without seccomp unless a profile is requested, leaving the "
        "whole system-call surface of the kernel reachable."
    ),
    remediation=(
        "Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost) in the pod, or "
        "in every container."
    ),
    references=(NSA_CISA_URL, CIS_URL),
)


@control(SECCOMP_RESTRICTED, RESTRICTED)
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


CAPABILITIES_RESTRICTED = rules.rule(
    "pss-capabilities-restricted",
    Severity.MEDIUM,
    title="Containers must drop ALL capabilities and may add only NET_BIND_SERVICE",
    rationale=(
        "The runtime's default capabilities (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW on some "
        "runtimes...) are more than most workloads need and widen what an attacker can do in the "
        "container."
    ),
    remediation=(
        'Set securityContext.capabilities.drop to ["ALL"] in every container and add back only '
        "NET_BIND_SERVICE if the process binds a port below 1024."
    ),
    references=(NSA_CISA_URL, CIS_URL),
)


@control(CAPABILITIES_RESTRICTED, RESTRICTED)
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


PROC_MOUNT_RESTRICTED = rules.rule(
    "pss-proc-mount-restricted",
    Severity.MEDIUM,
    title="The default masked /proc mount is required, even in a user namespace",
    rationale=(
        "The restricted level keeps /proc masked for pods with hostUsers: false too; pods outside "
        "user namespaces are reported by pss-proc-mount."
    ),
    remediation="Remove securityContext.procMount or set it to Default.",
    references=(USER_NAMESPACES_URL,),
)


@control(PROC_MOUNT_RESTRICTED, RESTRICTED)
def find_unmasked_proc_mounts_in_user_namespaces(pod: PodSpec) -> Iterator[Violation]:
    # Outside user namespaces the baseline rule already reports these fields.
    if in_user_namespace(pod):
        yield from _unmasked_proc_mounts(pod)


CONTROLS: tuple[PodSecurityControl, ...] = tuple(_controls)
CHECKS: tuple[Check, ...] = rules.checks()
