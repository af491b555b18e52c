"""Hardening rules: resources, root filesystem, API tokens, secrets, namespaces, exposure."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.rule_declaration import FamilyRules
from gitwarden.findings import Finding, Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.scope import ScopeIndex
from gitwarden.manifests.workloads import PodSpec
from gitwarden.rules import CIS_URL, NSA_CISA_URL

FAMILY = "hardening"

RESOURCES_URL = "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"
LIMIT_RANGE_URL = "https://kubernetes.io/docs/concepts/policy/limit-range/"
SECURITY_CONTEXT_URL = "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"
SERVICE_ACCOUNT_TOKEN_URL = (
    "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
    "#opt-out-of-api-credential-automounting"
)
SECRETS_GOOD_PRACTICES_URL = "https://kubernetes.io/docs/concepts/security/secrets-good-practices/"
SECRET_FILES_URL = (
    "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod"
)
NAMESPACES_URL = "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/"
HOST_ALIASES_URL = "https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/"
SERVICE_TYPES_URL = (
    "https://kubernetes.io/docs/concepts/services-networking/service/"
    "#publishing-services-service-types"
)
INGRESS_TLS_URL = "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls"

COMPUTE_RESOURCES = ("cpu", "memory")
# Ephemeral (debug) containers may not declare resources, and need no writable-root rule.
LONG_RUNNING_AND_INIT = ("initContainers", "containers")
EXPOSING_SERVICE_TYPES = ("NodePort", "LoadBalancer")
INGRESS_GROUPS = ("networking.k8s.io", "extensions")
# Annotations by which cloud ingress controllers terminate TLS with a certificate that is
# not a Secret, so that an Ingress without `spec.tls` is still served over HTTPS.
LOAD_BALANCER_CERTIFICATE_ANNOTATIONS = (
    "alb.ingress.kubernetes.io/certificate-arn",
    "ingress.gcp.kubernetes.io/pre-shared-cert",
    "networking.gke.io/managed-certificates",
    "appgw.ingress.kubernetes.io/appgw-ssl-certificate",
)

rules = FamilyRules(FAMILY)


@dataclass(frozen=True)
class ContainerDefaults:
    """Resource names a LimitRange fills in for containers that omit them."""

    requests: frozenset[str] = frozenset()
    limits: frozenset[str] = frozenset()


def namespaces_may_match(first: str | None, second: str | None) -> bool:
    # An object without a namespace gets one from the tool that applies it, usually the
    # same one as its neighbours; assuming otherwise would report what cannot be known.
    return first == second or first is None or second is None


def _resource_names(value: Any) -> frozenset[str]:
    if not isinstance(value, Mapping):
        return frozenset()
    return frozenset(str(name) for name, amount in value.items() if amount is not None)


def _limit_range_defaults(
    limit_ranges: Sequence[K8sObject], namespace: str | None
) -> ContainerDefaults:
    # Mirrors the API server's defaulting of LimitRange items: a default limit falls back to
    # max; a default request falls back to the default limit, then to min.
    requests: set[str] = set()
    limits: set[str] = set()
    for limit_range in limit_ranges:
        if not namespaces_may_match(limit_range.namespace, namespace):
            continue
        items = limit_range.get(("spec", "limits"))
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, Mapping) or item.get("type") != "Container":
                continue
            default_limits = _resource_names(item.get("default")) | _resource_names(item.get("max"))
            limits |= default_limits
            requests |= (
                default_limits
                | _resource_names(item.get("defaultRequest"))
                | _resource_names(item.get("min"))
            )
    return ContainerDefaults(frozenset(requests), frozenset(limits))


def _declared_resources(holder: Mapping[str, Any], *, limits: bool) -> frozenset[str]:
    """Resources set in ``holder["resources"]`` (a container or, since 1.32, a pod)."""
    resources = holder.get("resources")
    if not isinstance(resources, Mapping):
        return frozenset()
    declared_limits = _resource_names(resources.get("limits"))
    if limits:
        return declared_limits
    # The API server copies a limit into a missing request of the same resource.
    return declared_limits | _resource_names(resources.get("requests"))


def _missing_resources(context: CheckContext, *, limits: bool) -> Iterator[Finding]:
    rule = RESOURCE_LIMITS_MISSING if limits else RESOURCE_REQUESTS_MISSING
    section = "limits" if limits else "requests"
    limit_ranges = list(context.of_kind("LimitRange"))
    for pod in context.pod_specs:
        defaults = _limit_range_defaults(limit_ranges, pod.obj.namespace)
        covered = _declared_resources(pod.spec, limits=limits) | (
            defaults.limits if limits else defaults.requests
        )
        for container in pod.containers(LONG_RUNNING_AND_INIT):
            declared = _declared_resources(container.body, limits=limits) | covered
            missing = [name for name in COMPUTE_RESOURCES if name not in declared]
            if not missing:
                continue
            names = " and ".join(missing)
            fields = " and ".join(f"resources.{section}.{name}" for name in missing)
            yield rule.finding(
                f"Container '{container.name}' of {pod.obj.resource} sets no {names} "
                f"{section}: add {fields} (or a LimitRange for the namespace).",
                pod.obj.location((*container.path, "resources", section)),
                details={"container": container.name, "missing": ",".join(missing)},
            )


RESOURCE_REQUESTS_MISSING = rules.rule(
    "hardening-resource-requests-missing",
    Severity.LOW,
    title="Container without CPU or memory requests",
    rationale=(
        "Without requests the scheduler cannot reserve capacity for the container, which "
        "then runs as BestEffort or Burstable and is the first evicted under node pressure; "
        "noisy neighbours can starve it."
    ),
    remediation=(
        "Set resources.requests.cpu and resources.requests.memory on every container, or a "
        "LimitRange with defaultRequest in the namespace."
    ),
    references=(RESOURCES_URL, LIMIT_RANGE_URL, NSA_CISA_URL),
)


@rules.finds(RESOURCE_REQUESTS_MISSING)
def find_missing_resource_requests(context: CheckContext) -> Iterator[Finding]:
    return _missing_resources(context, limits=False)


RESOURCE_LIMITS_MISSING = rules.rule(
    "hardening-resource-limits-missing",
    # Availability hygiene, not a security boundary (docs/noise.md): low, like requests.
    Severity.LOW,
    title="Container without CPU or memory limits",
    rationale=(
        "A container without limits can consume all CPU and memory of its node: a bug, a "
        "leak or an attacker inside it becomes a denial of service for every pod there."
    ),
    remediation=(
        "Set resources.limits.memory (and resources.limits.cpu where throttling is acceptable) "
        "on every container, or a LimitRange with default limits in the namespace."
    ),
    references=(RESOURCES_URL, LIMIT_RANGE_URL, NSA_CISA_URL, CIS_URL),
)


@rules.finds(RESOURCE_LIMITS_MISSING)
def find_missing_resource_limits(context: CheckContext) -> Iterator[Finding]:
    return _missing_resources(context, limits=True)


def _is_windows(pod: PodSpec) -> bool:
    os_spec = pod.spec.get("os")
    return isinstance(os_spec, Mapping) and os_spec.get("name") == "windows"


WRITABLE_ROOT_FILESYSTEM = rules.rule(
    "hardening-writable-root-filesystem",
    Severity.LOW,
    title="Container root filesystem is writable",
    rationale=(
        "A writable root filesystem lets an intruder drop tools, alter binaries or persist "
        "inside the container; an immutable one confines writes to declared volumes."
    ),
    remediation=(
        "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the "
        "process must write (for example /tmp)."
    ),
    references=(SECURITY_CONTEXT_URL, NSA_CISA_URL),
)


@rules.finds(WRITABLE_ROOT_FILESYSTEM)
def find_writable_root_filesystems(context: CheckContext) -> Iterator[Finding]:
    for pod in context.pod_specs:
        if _is_windows(pod):  # Windows containers do not support a read-only root.
            continue
        for container in pod.containers(LONG_RUNNING_AND_INIT):
            if container.security_context.get("readOnlyRootFilesystem") is True:
                continue
            yield WRITABLE_ROOT_FILESYSTEM.finding(
                f"Container '{container.name}' of {pod.obj.resource} can write to its root "
                "filesystem: set securityContext.readOnlyRootFilesystem: true and mount an "
                "emptyDir where it must write.",
                pod.obj.location((*container.path, "securityContext", "readOnlyRootFilesystem")),
                details={"container": container.name},
            )


def service_account_name(pod: PodSpec) -> str:
    """The pod's service account: serviceAccountName, the deprecated serviceAccount, default."""
    for field in ("serviceAccountName", "serviceAccount"):
        name = pod.spec.get(field)
        if isinstance(name, str) and name:
            return name
    return "default"


def token_disabling_accounts(context: CheckContext) -> Mapping[str, tuple[K8sObject, ...]]:
    """The scan's ServiceAccounts that turn token automounting off, by name (once per scan:
    every pod asks, and most accounts leave the default)."""
    return context.derived(_token_disabling_accounts)


def _token_disabling_accounts(context: CheckContext) -> Mapping[str, tuple[K8sObject, ...]]:
    by_name: dict[str, list[K8sObject]] = {}
    for account in context.of_kind("ServiceAccount"):
        if account.get(("automountServiceAccountToken",)) is False:
            by_name.setdefault(account.name, []).append(account)
    return {name: tuple(accounts) for name, accounts in by_name.items()}


def service_account_token_automounted(
    pod: PodSpec, disabling_accounts: Mapping[str, Sequence[K8sObject]]
) -> bool:
    """Whether Kubernetes mounts an API token into the pod's containers.

    The pod's own field wins; otherwise a matching ServiceAccount that turns automounting off
    (``disabling_accounts``, from `token_disabling_accounts`) decides; otherwise the token is
    mounted, the Kubernetes default.
    """
    pod_setting = pod.spec.get("automountServiceAccountToken")
    if isinstance(pod_setting, bool):
        return pod_setting
    candidates = disabling_accounts.get(service_account_name(pod), ())
    return not any(namespaces_may_match(a.namespace, pod.obj.namespace) for a in candidates)


SERVICE_ACCOUNT_TOKEN_AUTOMOUNTED = rules.rule(
    "hardening-service-account-token-automounted",
    Severity.MEDIUM,
    title="Service-account API token mounted into the pod",
    rationale=(
        "Unless disabled, Kubernetes mounts a token for the pod's service account into every "
        "container; anyone who compromises one of them can call the Kubernetes API with that "
        "account's permissions. Most workloads never talk to the API."
    ),
    remediation=(
        "Set automountServiceAccountToken: false on the pod spec or on its ServiceAccount; "
        "workloads that call the API can mount a projected token explicitly."
    ),
    references=(SERVICE_ACCOUNT_TOKEN_URL, NSA_CISA_URL, CIS_URL),
)


@rules.finds(SERVICE_ACCOUNT_TOKEN_AUTOMOUNTED)
def find_automounted_service_account_tokens(context: CheckContext) -> Iterator[Finding]:
    disabling_accounts = token_disabling_accounts(context)
    for pod in context.pod_specs:
        if not service_account_token_automounted(pod, disabling_accounts):
            continue
        account = service_account_name(pod)
        if pod.spec.get("automountServiceAccountToken") is True:
            reason = "sets automountServiceAccountToken: true"
        else:
            reason = "does not turn off token automounting (nor does its ServiceAccount)"
        yield SERVICE_ACCOUNT_TOKEN_AUTOMOUNTED.finding(
            f"{pod.obj.resource} {reason}, so every container holds an API token for "
            f"ServiceAccount '{account}': set automountServiceAccountToken: false on the pod "
            "spec or the ServiceAccount unless it calls the Kubernetes API.",
            pod.obj.location((*pod.path, "automountServiceAccountToken")),
            details={"serviceAccount": account},
        )


SECRET_IN_ENVIRONMENT = rules.rule(
    "hardening-secret-in-environment",
    Severity.LOW,
    title="Secret passed to a container as an environment variable",
    rationale=(
        "Environment variables leak: they are inherited by every child process, readable in "
        "/proc, printed by crash handlers and debug endpoints, and cannot be rotated without "
        "a restart. Files mounted from a Secret volume are updated in place and stay private."
    ),
    remediation=(
        "Mount the Secret as a volume and have the application read the file; keep "
        "secretKeyRef and envFrom.secretRef for software that only reads its environment."
    ),
    references=(SECRETS_GOOD_PRACTICES_URL, SECRET_FILES_URL, CIS_URL),
)


@rules.finds(SECRET_IN_ENVIRONMENT)
def find_secrets_in_environment(context: CheckContext) -> Iterator[Finding]:
    for pod in context.pod_specs:
        for container in pod.containers():
            env = container.body.get("env")
            for index, variable in enumerate(env if isinstance(env, list) else []):
                if not isinstance(variable, Mapping):
                    continue
                reference = variable.get("valueFrom")
                secret = reference.get("secretKeyRef") if isinstance(reference, Mapping) else None
                if not isinstance(secret, Mapping):
                    continue
                yield SECRET_IN_ENVIRONMENT.finding(
                    f"Container '{container.name}' of {pod.obj.resource} reads key "
                    f"'{secret.get('key')}' of Secret '{secret.get('name')}' into environment "
                    f"variable {variable.get('name')}: mount the Secret as a volume and read "
                    "the file instead.",
                    pod.obj.location((*container.path, "env", index, "valueFrom", "secretKeyRef")),
                    details={"container": container.name, "secret": str(secret.get("name"))},
                )
            env_from = container.body.get("envFrom")
            for index, source in enumerate(env_from if isinstance(env_from, list) else []):
                secret = source.get("secretRef") if isinstance(source, Mapping) else None
                if not isinstance(secret, Mapping):
                    continue
                yield SECRET_IN_ENVIRONMENT.finding(
                    f"Container '{container.name}' of {pod.obj.resource} loads every key of "
                    f"Secret '{secret.get('name')}' into its environment: mount the Secret as "
                    "a volume and read the files instead.",
                    pod.obj.location((*container.path, "envFrom", index, "secretRef")),
                    details={"container": container.name, "secret": str(secret.get("name"))},
                )


DEFAULT_NAMESPACE = rules.rule(
    "hardening-default-namespace",
    Severity.MEDIUM,
    title="Object placed in the default namespace",
    rationale=(
        "The default namespace is shared by everything that forgot to choose one: policies, "
        "quotas and RBAC scoped to a namespace cannot separate workloads that all live there."
    ),
    remediation="Create a namespace for the application and set metadata.namespace to it.",
    references=(NAMESPACES_URL, NSA_CISA_URL, CIS_URL),
)


@rules.finds(DEFAULT_NAMESPACE)
def find_default_namespace(context: CheckContext) -> Iterator[Finding]:
    scopes = ScopeIndex.of(context.objects)
    for obj in context.objects:
        if obj.namespace == "default" and scopes.is_namespaced(obj):
            yield DEFAULT_NAMESPACE.finding(
                f"{obj.resource} is placed in the default namespace: give the application "
                "its own namespace.",
                obj.location(("metadata", "namespace")),
            )


NAMESPACE_MISSING = rules.rule(
    "hardening-namespace-missing",
    # In GitOps the Application, Kustomization or overlay usually sets it (docs/noise.md).
    Severity.INFO,
    title="Namespaced object without a namespace",
    rationale=(
        "An object without metadata.namespace lands in whatever namespace the applying tool "
        "defaults to, often `default`; the manifest alone does not say where it runs. In "
        "GitOps the controller or the overlay usually sets it, so this is information."
    ),
    remediation=(
        "Set metadata.namespace, or let the tool that renders the folder set it explicitly "
        "(kustomize `namespace:`, Argo CD destination.namespace, Flux targetNamespace)."
    ),
    references=(NAMESPACES_URL, CIS_URL),
)


@rules.finds(NAMESPACE_MISSING)
def find_missing_namespace(context: CheckContext) -> Iterator[Finding]:
    # Install bundles (applied with `kubectl apply -n`) leave out the namespace on purpose
    # and hold hundreds of objects: one finding per file says it without drowning the rest.
    scopes = ScopeIndex.of(context.objects)
    by_file: dict[tuple[str, str | None], list[K8sObject]] = {}
    for obj in context.objects:
        if obj.namespace is None and scopes.is_namespaced(obj):
            by_file.setdefault((obj.file, obj.origin), []).append(obj)
    for objects in by_file.values():
        first = objects[0]
        names = ", ".join(obj.resource for obj in objects[:5])
        more = f" and {len(objects) - 5} more" if len(objects) > 5 else ""
        subject = (
            f"{first.resource} has"
            if len(objects) == 1
            else f"{len(objects)} namespaced objects in this file have"
        )
        yield NAMESPACE_MISSING.finding(
            f"{subject} no metadata.namespace ({names}{more}): set it, or have the renderer "
            "or GitOps controller set it explicitly.",
            first.location(("metadata", "namespace")),
            details={"resources": ",".join(obj.resource for obj in objects)},
        )


HOST_ALIASES = rules.rule(
    "hardening-host-aliases",
    Severity.LOW,
    title="Pod overrides name resolution with hostAliases",
    rationale=(
        "hostAliases writes fixed entries into the pod's /etc/hosts, silently redirecting "
        "traffic for those names past DNS, network policy reviews and certificate rotation; "
        "it is also a quiet way to point a workload at an attacker's address."
    ),
    remediation=(
        "Remove hostAliases and publish the name in DNS (a Service, ExternalName or an "
        "internal zone)."
    ),
    references=(HOST_ALIASES_URL,),
)


@rules.finds(HOST_ALIASES)
def find_host_aliases(context: CheckContext) -> Iterator[Finding]:
    for pod in context.pod_specs:
        aliases = pod.spec.get("hostAliases")
        for index, alias in enumerate(aliases if isinstance(aliases, list) else []):
            if not isinstance(alias, Mapping):
                continue
            hostnames = alias.get("hostnames")
            names = ", ".join(map(str, hostnames)) if isinstance(hostnames, list) else "?"
            yield HOST_ALIASES.finding(
                f"{pod.obj.resource} pins {names} to {alias.get('ip')} in /etc/hosts: remove "
                "hostAliases and publish the name in DNS.",
                pod.obj.location((*pod.path, "hostAliases", index)),
            )


EXPOSED_SERVICE = rules.rule(
    "hardening-exposed-service",
    Severity.INFO,
    title="Service exposed outside the cluster (NodePort or LoadBalancer)",
    rationale=(
        "NodePort opens the port on every node and LoadBalancer asks the cloud for an "
        "address, usually public; either bypasses the ingress layer where TLS, "
        "authentication and rate limits are enforced."
    ),
    remediation=(
        "Use type ClusterIP behind an Ingress or Gateway; if exposure is intended, restrict "
        "it with loadBalancerSourceRanges or an internal load-balancer annotation."
    ),
    references=(SERVICE_TYPES_URL, NSA_CISA_URL),
)


@rules.finds(EXPOSED_SERVICE)
def find_exposed_services(context: CheckContext) -> Iterator[Finding]:
    for service in context.of_kind("Service"):
        service_type = service.get(("spec", "type"))
        if service.api_group or service_type not in EXPOSING_SERVICE_TYPES:
            continue
        yield EXPOSED_SERVICE.finding(
            f"{service.resource} is of type {service_type} and reachable from outside the "
            "cluster: use ClusterIP behind an Ingress or Gateway, or restrict the sources.",
            service.location(("spec", "type")),
            details={"type": str(service_type)},
        )


def _tls_covers(tls_hosts: Sequence[str], host: str) -> bool:
    for tls_host in tls_hosts:
        if tls_host == host:
            return True
        # A wildcard certificate covers exactly one more label.
        if tls_host.startswith("*.") and host.partition(".")[2] == tls_host[2:]:
            return True
    return False


INGRESS_WITHOUT_TLS = rules.rule(
    "hardening-ingress-without-tls",
    Severity.MEDIUM,
    title="Ingress host served without TLS",
    rationale=(
        "A host without a tls entry is served over plain HTTP: credentials, cookies and "
        "data cross the network readable and modifiable by anyone on the path."
    ),
    remediation=(
        "Add a spec.tls entry listing the host with a certificate Secret (cert-manager can "
        "issue it), and redirect HTTP to HTTPS."
    ),
    references=(INGRESS_TLS_URL, NSA_CISA_URL),
)


@rules.finds(INGRESS_WITHOUT_TLS)
def find_ingresses_without_tls(context: CheckContext) -> Iterator[Finding]:
    for ingress in context.of_kind("Ingress"):
        if ingress.api_group not in INGRESS_GROUPS:
            continue
        if any(name in ingress.annotations for name in LOAD_BALANCER_CERTIFICATE_ANNOTATIONS):
            continue
        tls = ingress.get(("spec", "tls"))
        tls_entries = [e for e in tls if isinstance(e, Mapping)] if isinstance(tls, list) else []
        # A tls entry without hosts uses the controller's default certificate for all hosts.
        if any(not entry.get("hosts") for entry in tls_entries):
            continue
        tls_hosts = [
            str(host)
            for entry in tls_entries
            if isinstance(entry.get("hosts"), list)
            for host in entry["hosts"]
        ]
        rules = ingress.get(("spec", "rules"))
        for index, rule in enumerate(rules if isinstance(rules, list) else []):
            if not isinstance(rule, Mapping):
                continue
            host = rule.get("host")
            if isinstance(host, str) and host and _tls_covers(tls_hosts, host):
                continue
            shown = f"host {host}" if host else "the rule without a host"
            yield INGRESS_WITHOUT_TLS.finding(
                f"{ingress.resource} serves {shown} over plain HTTP: add it to a spec.tls "
                "entry with a certificate Secret.",
                ingress.location(("spec", "rules", index, *(("host",) if host else ()))),
                details={"host": str(host or "*")},
            )
        for field in ("defaultBackend", "backend"):
            if ingress.get(("spec", field)) is not None and not tls_entries:
                yield INGRESS_WITHOUT_TLS.finding(
                    f"{ingress.resource} serves its default backend over plain HTTP: add a "
                    "spec.tls entry with a certificate Secret.",
                    ingress.location(("spec", field)),
                    details={"host": "*"},
                )


CHECKS: tuple[Check, ...] = rules.checks()
