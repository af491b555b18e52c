"""RBAC: roles that grant more than their holders need, and bindings that hand out too much.

Role and ClusterRole rules are reported at the exact field of the rule entry
(``rules[0].verbs``). A finding on a role names the workloads that can use it, following the
chain workload -> its ServiceAccount -> a RoleBinding or ClusterRoleBinding naming that account
-> the binding's roleRef -> the role in the scan.

Aggregated ClusterRoles (``aggregationRule``): the controller overwrites their ``rules`` with
the rules of every ClusterRole their selectors match, so their own ``rules`` are not checked;
instead the matched ClusterRoles count as bound wherever the aggregating role is bound, and
their findings name the workloads of the aggregating role's bindings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.rule_declaration import FamilyRules
from gitwarden.findings import Finding, Location, Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.selectors import label_selector_matches
from gitwarden.rules import CIS_URL, NSA_CISA_URL, RBAC_GOOD_PRACTICES_URL, Rule

FAMILY = "rbac"
RBAC_GROUP = "rbac.authorization.k8s.io"
ROLE_KINDS = ("Role", "ClusterRole")
BINDING_KINDS = ("RoleBinding", "ClusterRoleBinding")
WILDCARD = "*"
# The three fields whose wildcards together grant everything on every API resource.
RESOURCE_RULE_FIELDS = ("apiGroups", "resources", "verbs")
CLUSTER_ADMIN = "cluster-admin"
# What Kubernetes itself grants every authenticated user: API discovery and self-review.
DISCOVERY_ROLES = frozenset({"system:discovery", "system:basic-user", "system:public-info-viewer"})
UNAUTHENTICATED_SUBJECTS = frozenset(
    {("User", "system:anonymous"), ("Group", "system:unauthenticated")}
)
AUTHENTICATED_GROUP = "system:authenticated"
# Kubernetes' own default binding of the health and version endpoints to everyone.
PUBLIC_INFO_ROLE = "system:public-info-viewer"
DEFAULT_SERVICE_ACCOUNT = "default"


def _references(cis_section: str | None = None) -> tuple[str, ...]:
    base = (RBAC_GOOD_PRACTICES_URL, NSA_CISA_URL, CIS_URL)
    return (*base, f"CIS Kubernetes Benchmark {cis_section}") if cis_section else base


rules = FamilyRules(FAMILY)


# --- the RBAC objects of a scan, and who uses them ------------------------------------------


@dataclass(frozen=True)
class PolicyRule:
    """One entry of a role's ``rules`` list."""

    role: K8sObject
    index: int
    body: Mapping[str, Any]

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.body.get(key)
        return tuple(str(item) for item in value) if isinstance(value, list) else ()

    @property
    def verbs(self) -> tuple[str, ...]:
        return self.strings("verbs")

    @property
    def api_groups(self) -> tuple[str, ...]:
        return self.strings("apiGroups")

    @property
    def resources(self) -> tuple[str, ...]:
        return self.strings("resources")

    @property
    def resource_names(self) -> tuple[str, ...]:
        return self.strings("resourceNames")

    @property
    def grants_everything(self) -> bool:
        """``*`` verbs on ``*`` resources of ``*`` API groups: cluster-admin under a new name."""
        return all(WILDCARD in self.strings(key) for key in RESOURCE_RULE_FIELDS)

    @property
    def where(self) -> str:
        return f"{self.role.resource} rules[{self.index}]"

    def location(self, key: str) -> Location:
        return self.role.location(("rules", self.index, key))


@dataclass(frozen=True)
class Subject:
    """One subject of a binding; a ServiceAccount's namespace is resolved already."""

    index: int
    kind: str
    name: str
    namespace: str | None

    def __str__(self) -> str:
        if self.kind == "ServiceAccount":
            return f"ServiceAccount {self.namespace or '<namespace of apply>'}/{self.name}"
        return f"{self.kind} {self.name}"


@dataclass(frozen=True, eq=False)
class Binding:
    """A RoleBinding or ClusterRoleBinding: which role it grants, to whom."""

    obj: K8sObject
    role_kind: str
    role_name: str
    subjects: tuple[Subject, ...]

    @property
    def cluster_wide(self) -> bool:
        return self.obj.kind == "ClusterRoleBinding"

    def grants_cluster_role(self, name: str) -> bool:
        return self.role_kind == "ClusterRole" and self.role_name == name


@dataclass(frozen=True, eq=False)
class RbacGraph:
    """The roles and bindings of a scan, each binding's workloads, each role's bindings.

    ``bindings_by_role`` holds, for every role, the bindings that grant it, including the
    bindings of the aggregated ClusterRoles that collect its rules.
    """

    policy_rules: tuple[PolicyRule, ...]
    bindings: tuple[Binding, ...]
    bindings_by_role: Mapping[K8sObject, tuple[Binding, ...]]
    workloads_by_binding: Mapping[Binding, tuple[str, ...]]

    def workloads_of_binding(self, binding: Binding) -> tuple[str, ...]:
        return self.workloads_by_binding.get(binding, ())

    def workloads_of_role(self, role: K8sObject) -> tuple[str, ...]:
        names: dict[str, None] = {}
        for binding in self.bindings_by_role.get(role, ()):
            names.update(dict.fromkeys(self.workloads_of_binding(binding)))
        return tuple(names)

    def is_cluster_wide(self, role: K8sObject) -> bool:
        """A ClusterRole granted by a ClusterRoleBinding, or whose bindings are not in the scan."""
        if role.kind != "ClusterRole":
            return False
        bindings = self.bindings_by_role.get(role, ())
        return not bindings or any(binding.cluster_wide for binding in bindings)


def _same_namespace(first: str | None, second: str | None) -> bool:
    # Manifests applied with `kubectl apply -n`, a kustomize namespace or an Argo CD
    # destination leave the namespace out; such an object may land in any namespace, so it
    # matches every namespace rather than breaking the chain.
    return first is None or second is None or first == second


def _is_rbac_object(obj: K8sObject, kinds: tuple[str, ...]) -> bool:
    return obj.kind in kinds and obj.api_group == RBAC_GROUP


def _policy_rules(role: K8sObject) -> Iterator[PolicyRule]:
    if role.kind == "ClusterRole" and isinstance(role.get(("aggregationRule",)), Mapping):
        return  # the aggregation controller overwrites these rules; see the module docstring
    rules = role.get(("rules",))
    if not isinstance(rules, list):
        return
    for index, body in enumerate(rules):
        if isinstance(body, Mapping):
            yield PolicyRule(role, index, body)


def _binding(obj: K8sObject) -> Binding:
    role_ref = obj.get(("roleRef",))
    role_ref = role_ref if isinstance(role_ref, Mapping) else {}
    subjects: list[Subject] = []
    raw_subjects = obj.get(("subjects",))
    for index, raw in enumerate(raw_subjects if isinstance(raw_subjects, list) else []):
        if not isinstance(raw, Mapping):
            continue
        kind = str(raw.get("kind", ""))
        namespace = raw.get("namespace")
        if kind == "ServiceAccount" and not namespace and obj.kind == "RoleBinding":
            namespace = obj.namespace  # a RoleBinding's ServiceAccount defaults to its namespace
        subjects.append(
            Subject(index, kind, str(raw.get("name", "")), str(namespace) if namespace else None)
        )
    return Binding(
        obj, str(role_ref.get("kind", "")), str(role_ref.get("name", "")), tuple(subjects)
    )


def _workloads_by_service_account(
    context: CheckContext,
) -> dict[str, list[tuple[str | None, str]]]:
    """ServiceAccount name -> (namespace, workload) of every pod-bearing object using it."""
    users: dict[str, list[tuple[str | None, str]]] = {}
    for spec in context.pod_specs:
        account = (
            spec.spec.get("serviceAccountName")
            or spec.spec.get("serviceAccount")  # the deprecated alias, still honoured
            or DEFAULT_SERVICE_ACCOUNT
        )
        users.setdefault(str(account), []).append((spec.obj.namespace, spec.obj.resource))
    return users


def _roles_granted(
    binding: Binding, roles_by_name: Mapping[str, list[K8sObject]]
) -> list[K8sObject]:
    candidates = roles_by_name.get(binding.role_name, [])
    if binding.role_kind == "ClusterRole":
        return [role for role in candidates if role.kind == "ClusterRole"]
    if binding.role_kind == "Role" and binding.obj.kind == "RoleBinding":
        return [
            role
            for role in candidates
            if role.kind == "Role" and _same_namespace(role.namespace, binding.obj.namespace)
        ]
    return []


def _aggregators(cluster_roles: list[K8sObject]) -> dict[K8sObject, list[K8sObject]]:
    """For each ClusterRole, the aggregated ClusterRoles whose selectors collect its rules."""
    collected_by: dict[K8sObject, list[K8sObject]] = {}
    for aggregator in cluster_roles:
        selectors = aggregator.get(("aggregationRule", "clusterRoleSelectors"))
        if not isinstance(selectors, list):
            continue
        valid = [selector for selector in selectors if isinstance(selector, Mapping)]
        for source in cluster_roles:
            if source is aggregator:
                continue
            if any(label_selector_matches(selector, source.labels) for selector in valid):
                collected_by.setdefault(source, []).append(aggregator)
    return collected_by


def build_rbac_graph(context: CheckContext) -> RbacGraph:
    roles = [obj for obj in context.objects if _is_rbac_object(obj, ROLE_KINDS)]
    bindings = tuple(
        _binding(obj) for obj in context.objects if _is_rbac_object(obj, BINDING_KINDS)
    )

    roles_by_name: dict[str, list[K8sObject]] = {}
    for role in roles:
        roles_by_name.setdefault(role.name, []).append(role)
    direct: dict[K8sObject, list[Binding]] = {}
    for binding in bindings:
        for role in _roles_granted(binding, roles_by_name):
            direct.setdefault(role, []).append(binding)

    # Aggregation chains (edit -> admin) pass rules on, so follow them to the end.
    collected_by = _aggregators([role for role in roles if role.kind == "ClusterRole"])
    bindings_by_role: dict[K8sObject, tuple[Binding, ...]] = {}
    for role in roles:
        reached: list[K8sObject] = [role]
        pending = list(collected_by.get(role, ()))
        while pending:
            aggregator = pending.pop()
            if aggregator in reached:
                continue
            reached.append(aggregator)
            pending.extend(collected_by.get(aggregator, ()))
        granting = [binding for each in reached for binding in direct.get(each, ())]
        bindings_by_role[role] = tuple(dict.fromkeys(granting))

    users = _workloads_by_service_account(context)
    workloads_by_binding: dict[Binding, tuple[str, ...]] = {}
    for binding in bindings:
        workloads = [
            workload
            for subject in binding.subjects
            if subject.kind == "ServiceAccount"
            for namespace, workload in users.get(subject.name, ())
            if _same_namespace(namespace, subject.namespace)
        ]
        if workloads:
            workloads_by_binding[binding] = tuple(dict.fromkeys(workloads))

    policy_rules = tuple(rule for role in roles for rule in _policy_rules(role))
    return RbacGraph(policy_rules, bindings, bindings_by_role, workloads_by_binding)


def rbac_graph(context: CheckContext) -> RbacGraph:
    # Every rule of this module reads the same graph; build it once per scan.
    return context.derived(build_rbac_graph)


def _used_by(workloads: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """The message suffix and the details that name the workloads holding a permission."""
    if not workloads:
        return "", {}
    names = ", ".join(workloads)
    return f"; used by {names}", {"workloads": names}


# --- wildcards ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WildcardField:
    """A rule field where a wildcard grants everything: one finding per rule entry."""

    rule: Rule
    key: str
    wildcards: frozenset[str]
    grants: str
    advice: str


def _wildcard_finder(spec: WildcardField) -> Callable[[CheckContext], Iterator[Finding]]:
    def find(context: CheckContext) -> Iterator[Finding]:
        graph = rbac_graph(context)
        for policy_rule in graph.policy_rules:
            if not spec.wildcards.intersection(policy_rule.strings(spec.key)):
                continue
            severity: Severity | None = None
            everything = ""
            if (
                spec.key in RESOURCE_RULE_FIELDS
                and policy_rule.role.kind == "ClusterRole"
                and policy_rule.grants_everything
            ):
                severity = Severity.CRITICAL
                everything = " (with '*' apiGroups, resources and verbs: cluster-admin)"
            used_by, details = _used_by(graph.workloads_of_role(policy_rule.role))
            yield spec.rule.finding(
                f"{policy_rule.where} grants {spec.grants}{everything}{used_by}. {spec.advice}",
                policy_rule.location(spec.key),
                severity=severity,
                details=details,
            )

    return find


_WILDCARD_RATIONALE = (
    "A wildcard grants everything that exists now and everything added later (new "
    "resources, CRDs, subresources such as pods/exec), so the role silently gains powers "
    "nobody reviewed. On a ClusterRole, '*' verbs on '*' resources of '*' API groups is "
    "cluster-admin (CIS Kubernetes Benchmark 5.1.3)."
)

WILDCARD_VERBS = WildcardField(
    rules.rule(
        "rbac-wildcard-verbs",
        Severity.HIGH,
        title="Role rule grants every verb ('*')",
        rationale=_WILDCARD_RATIONALE + " Wildcard verbs include escalate, bind and impersonate.",
        remediation="List only the verbs the holder needs, e.g. get, list, watch.",
        references=_references("5.1.3"),
    ),
    key="verbs",
    wildcards=frozenset({WILDCARD}),
    grants="every verb ('*')",
    advice="List only the verbs it needs.",
)

WILDCARD_RESOURCES = WildcardField(
    rules.rule(
        "rbac-wildcard-resources",
        Severity.HIGH,
        title="Role rule grants every resource ('*')",
        rationale=_WILDCARD_RATIONALE + " Wildcard resources include secrets and pods/exec.",
        remediation="List only the resources the holder needs.",
        references=_references("5.1.3"),
    ),
    key="resources",
    wildcards=frozenset({WILDCARD}),
    grants="access to every resource ('*'), including secrets and pods/exec",
    advice="List only the resources it needs.",
)

WILDCARD_API_GROUPS = WildcardField(
    rules.rule(
        "rbac-wildcard-api-groups",
        Severity.MEDIUM,
        title="Role rule matches every API group ('*')",
        rationale=(
            _WILDCARD_RATIONALE
            + " Wildcard API groups extend the rule to every CRD installed later."
        ),
        remediation="List only the API groups the holder needs ('' is the core group).",
        references=_references("5.1.3"),
    ),
    key="apiGroups",
    wildcards=frozenset({WILDCARD}),
    grants="its resources in every API group ('*'), including CRDs installed later",
    advice="List only the API groups it needs.",
)

WILDCARD_NON_RESOURCE_URLS = WildcardField(
    rules.rule(
        "rbac-wildcard-non-resource-urls",
        Severity.MEDIUM,
        title="Role rule grants every non-resource URL ('*')",
        rationale=(
            "nonResourceURLs '*' opens every API server path outside the resource API, "
            "including /debug/pprof profiling and /metrics, which leak internals and can "
            "burden the API server (CIS Kubernetes Benchmark 5.1.3)."
        ),
        remediation="List only the URLs the holder needs (e.g. /metrics, /healthz).",
        references=_references("5.1.3"),
    ),
    key="nonResourceURLs",
    # A trailing '*' is a prefix match, so '/*' matches every path as well.
    wildcards=frozenset({WILDCARD, "/*"}),
    grants="every non-resource URL ('*'), including /debug/pprof",
    advice="List only the URLs it needs, e.g. /metrics.",
)

WILDCARD_FIELDS = (
    WILDCARD_VERBS,
    WILDCARD_RESOURCES,
    WILDCARD_API_GROUPS,
    WILDCARD_NON_RESOURCE_URLS,
)
# Each field above is a rule with its finder's data; one finder reads them all.
for wildcard_field in WILDCARD_FIELDS:
    rules.add(Check(wildcard_field.rule, _wildcard_finder(wildcard_field)))


# --- dangerous permissions ------------------------------------------------------------------


@dataclass(frozen=True)
class DangerousGrant:
    """A permission that opens a path to more privilege: some verbs on some resources.

    The finding is placed at ``key`` (``verbs`` or ``resources``). Rules with '*' verbs are
    left to rbac-wildcard-verbs, and '*' in the field the finding is placed at to the
    wildcard rule of that field, so that one rule field is not reported twice.
    """

    rule: Rule
    verbs: frozenset[str] | None  # None: any verb
    resources: tuple[tuple[str, str], ...]  # (API group, resource or resource/subresource)
    key: str
    consequence: str
    cluster_wide_only: bool = False
    # resourceNames limits the grant to objects someone named and reviewed.
    named_objects_exempt: bool = False

    def granted_verbs(self, policy_rule: PolicyRule) -> list[str]:
        if WILDCARD in policy_rule.verbs:
            return []
        return [verb for verb in policy_rule.verbs if self.verbs is None or verb in self.verbs]

    def granted_resources(self, policy_rule: PolicyRule) -> list[str]:
        groups = policy_rule.api_groups
        wildcard_counts = self.key != "resources"
        return [
            resource
            for group, resource in self.resources
            if group in groups or WILDCARD in groups
            if any(
                _resource_matches(entry, resource, wildcard_counts=wildcard_counts)
                for entry in policy_rule.resources
            )
        ]


def _resource_matches(entry: str, resource: str, *, wildcard_counts: bool) -> bool:
    if entry == WILDCARD:
        return wildcard_counts
    if entry == resource:
        return True
    # '*/exec' grants the exec subresource of every resource; RBAC has no other partial form.
    _, slash, subresource = resource.partition("/")
    return bool(slash) and entry == f"*/{subresource}"


def _grant_finder(grant: DangerousGrant) -> Callable[[CheckContext], Iterator[Finding]]:
    def find(context: CheckContext) -> Iterator[Finding]:
        graph = rbac_graph(context)
        for policy_rule in graph.policy_rules:
            verbs = grant.granted_verbs(policy_rule)
            if not verbs:
                continue
            resources = grant.granted_resources(policy_rule)
            if not resources:
                continue
            if grant.named_objects_exempt and policy_rule.resource_names:
                continue
            if grant.cluster_wide_only and not graph.is_cluster_wide(policy_rule.role):
                continue
            used_by, details = _used_by(graph.workloads_of_role(policy_rule.role))
            yield grant.rule.finding(
                f"{policy_rule.where} grants {', '.join(verbs)} on {', '.join(resources)}"
                f"{used_by}. {grant.consequence}",
                policy_rule.location(grant.key),
                details=details,
            )

    return find


_ROLE_RESOURCES = ((RBAC_GROUP, "roles"), (RBAC_GROUP, "clusterroles"))

ESCALATE = DangerousGrant(
    rules.rule(
        "rbac-escalate-verb",
        Severity.HIGH,
        title="Role grants escalate on roles or clusterroles",
        rationale=(
            "The escalate verb lifts RBAC's rule that nobody may write a role granting more "
            "than they hold: its holder can give itself any permission, up to cluster-admin "
            "(CIS Kubernetes Benchmark 5.1.8)."
        ),
        remediation="Remove the escalate verb; let cluster administrators edit roles.",
        references=_references("5.1.8"),
    ),
    verbs=frozenset({"escalate"}),
    resources=_ROLE_RESOURCES,
    key="verbs",
    consequence="Its holders can write roles granting any permission; remove escalate.",
)

BIND = DangerousGrant(
    rules.rule(
        "rbac-bind-verb",
        Severity.HIGH,
        title="Role grants bind on roles or clusterroles",
        rationale=(
            "The bind verb lets its holder create bindings to roles with permissions it does "
            "not hold, such as cluster-admin, and so grant them to itself "
            "(CIS Kubernetes Benchmark 5.1.8). bind limited with resourceNames to named "
            "roles is the reviewed pattern and is not reported."
        ),
        remediation=(
            "Remove the bind verb, or restrict it with resourceNames to the roles the holder "
            "may hand out."
        ),
        references=_references("5.1.8"),
    ),
    verbs=frozenset({"bind"}),
    resources=_ROLE_RESOURCES,
    key="verbs",
    consequence=(
        "Its holders can bind themselves to any role, cluster-admin included; remove bind "
        "or limit it with resourceNames."
    ),
    named_objects_exempt=True,
)

IMPERSONATE = DangerousGrant(
    rules.rule(
        "rbac-impersonate-verb",
        Severity.HIGH,
        title="Role grants impersonate on users, groups or serviceaccounts",
        rationale=(
            "Impersonation lets its holder act as another user, group or ServiceAccount, for "
            "example the system:masters group, and so use every permission they hold "
            "(CIS Kubernetes Benchmark 5.1.8)."
        ),
        remediation=(
            "Remove the impersonate verb. Where impersonation is required, limit it with "
            "resourceNames to unprivileged identities and suppress the finding with the reason."
        ),
        references=_references("5.1.8"),
    ),
    verbs=frozenset({"impersonate"}),
    resources=(
        ("", "users"),
        ("", "groups"),
        ("", "serviceaccounts"),
        ("authentication.k8s.io", "uids"),
    ),
    key="verbs",
    consequence=(
        "Its holders can act as other identities, system:masters included; remove "
        "impersonate or limit it with resourceNames."
    ),
)

CLUSTER_WIDE_SECRETS_READ = DangerousGrant(
    rules.rule(
        "rbac-cluster-wide-secrets-read",
        Severity.HIGH,
        title="ClusterRole reads Secrets in every namespace",
        rationale=(
            "get, list or watch on secrets through a ClusterRoleBinding reads every Secret of "
            "the cluster, including ServiceAccount tokens and credentials of more privileged "
            "workloads (CIS Kubernetes Benchmark 5.1.2). A ClusterRole whose bindings are not "
            "in the scan is assumed to be bound cluster-wide."
        ),
        remediation=(
            "Grant Secret access in a namespaced Role (or a RoleBinding to the ClusterRole), "
            "limited with resourceNames to the Secrets the holder needs."
        ),
        references=_references("5.1.2"),
    ),
    verbs=frozenset({"get", "list", "watch"}),
    resources=(("", "secrets"),),
    key="resources",
    consequence=(
        "Bound cluster-wide, it reads every Secret in the cluster; grant it per namespace "
        "with resourceNames instead."
    ),
    cluster_wide_only=True,
    named_objects_exempt=True,
)

POD_EXEC_ATTACH = DangerousGrant(
    rules.rule(
        "rbac-pod-exec-attach",
        Severity.HIGH,
        title="Role grants pods/exec or pods/attach",
        rationale=(
            "Exec and attach run commands inside other pods, with their ServiceAccount "
            "tokens, mounted Secrets and network position, bypassing whatever limits the "
            "holder's own role has."
        ),
        remediation=(
            "Remove pods/exec and pods/attach from roles of workloads and automation; give "
            "humans time-limited, audited access instead."
        ),
        references=_references(),
    ),
    verbs=frozenset({"create", "get"}),
    resources=(("", "pods/exec"), ("", "pods/attach")),
    key="resources",
    consequence="Its holders can run commands in other pods and take their credentials.",
)

NODES_PROXY = DangerousGrant(
    rules.rule(
        "rbac-nodes-proxy",
        Severity.HIGH,
        title="Role grants nodes/proxy",
        rationale=(
            "nodes/proxy reaches the kubelet API directly, which runs commands in any pod of "
            "the node without passing through API server admission or audit "
            "(CIS Kubernetes Benchmark 5.1.10)."
        ),
        remediation="Remove nodes/proxy; use nodes/metrics or nodes/stats for monitoring.",
        references=_references("5.1.10"),
    ),
    verbs=None,
    resources=(("", "nodes/proxy"),),
    key="resources",
    consequence="Its holders reach the kubelet API, which can exec into any pod of a node.",
)

WORKLOAD_WRITE = DangerousGrant(
    rules.rule(
        "rbac-workload-write",
        Severity.MEDIUM,
        title="Role grants create, update or patch on workloads",
        rationale=(
            "Whoever can create or change a pod-bearing workload can run it with any "
            "ServiceAccount and mount any Secret of its namespace, and so gains their "
            "permissions: an indirect privilege escalation (CIS Kubernetes Benchmark 5.1.4)."
        ),
        remediation=(
            "Keep workload writes to deployment tooling; enforce Pod Security admission in "
            "the namespaces where they are allowed."
        ),
        references=_references("5.1.4"),
    ),
    verbs=frozenset({"create", "update", "patch"}),
    resources=(
        ("", "pods"),
        ("", "replicationcontrollers"),
        ("apps", "deployments"),
        ("apps", "daemonsets"),
        ("apps", "statefulsets"),
        ("apps", "replicasets"),
        ("batch", "jobs"),
        ("batch", "cronjobs"),
    ),
    key="resources",
    consequence=(
        "Its holders can run pods as any ServiceAccount of the namespace and mount its "
        "Secrets; keep this to deployment tooling."
    ),
)

SERVICE_ACCOUNT_TOKEN_CREATE = DangerousGrant(
    rules.rule(
        "rbac-service-account-token-create",
        Severity.HIGH,
        title="Role grants create on serviceaccounts/token",
        rationale=(
            "Creating ServiceAccount tokens lets the holder mint credentials for any "
            "ServiceAccount in reach, and use their permissions from outside the cluster "
            "(CIS Kubernetes Benchmark 5.1.13). create limited with resourceNames to named "
            "accounts is not reported."
        ),
        remediation=(
            "Remove create on serviceaccounts/token, or restrict it with resourceNames to "
            "the accounts the holder must issue tokens for."
        ),
        references=_references("5.1.13"),
    ),
    verbs=frozenset({"create"}),
    resources=(("", "serviceaccounts/token"),),
    key="resources",
    consequence=(
        "Its holders can mint tokens for ServiceAccounts and act as them; limit it with "
        "resourceNames to the accounts they must issue tokens for."
    ),
    named_objects_exempt=True,
)

DANGEROUS_GRANTS = (
    ESCALATE,
    BIND,
    IMPERSONATE,
    CLUSTER_WIDE_SECRETS_READ,
    POD_EXEC_ATTACH,
    NODES_PROXY,
    WORKLOAD_WRITE,
    SERVICE_ACCOUNT_TOKEN_CREATE,
)
# Each grant above is a rule with its finder's data; one finder reads them all.
for dangerous_grant in DANGEROUS_GRANTS:
    rules.add(Check(dangerous_grant.rule, _grant_finder(dangerous_grant)))


# --- bindings -------------------------------------------------------------------------------

CLUSTER_ADMIN_BINDING = rules.rule(
    "rbac-cluster-admin-binding",
    Severity.CRITICAL,
    title="Binding grants cluster-admin",
    rationale=(
        "cluster-admin is unrestricted superuser access; through a ClusterRoleBinding it "
        "covers every namespace, through a RoleBinding full control of one namespace. A "
        "compromised subject takes over that scope (CIS Kubernetes Benchmark 5.1.1)."
    ),
    remediation=(
        "Bind a role that lists only the permissions the subjects need; keep cluster-admin "
        "for break-glass accounts outside Git."
    ),
    references=_references("5.1.1"),
)


@rules.finds(CLUSTER_ADMIN_BINDING)
def find_cluster_admin_bindings(context: CheckContext) -> Iterator[Finding]:
    graph = rbac_graph(context)
    for binding in graph.bindings:
        if not binding.grants_cluster_role(CLUSTER_ADMIN):
            continue
        scope = (
            "cluster-wide"
            if binding.cluster_wide
            else f"in namespace {binding.obj.namespace or '<namespace of apply>'}"
        )
        subjects = ", ".join(str(subject) for subject in binding.subjects) or "no subjects"
        used_by, details = _used_by(graph.workloads_of_binding(binding))
        yield CLUSTER_ADMIN_BINDING.finding(
            f"{binding.obj.resource} grants cluster-admin {scope} to {subjects}{used_by}. "
            "Bind a role with only the permissions they need.",
            binding.obj.location(("roleRef", "name")),
            severity=None if binding.cluster_wide else Severity.HIGH,
            details=details,
        )


# What a subject binding is worth reporting at: None when it is not reported at all.
SubjectSeverity = Callable[[RbacGraph, Binding, Subject], Severity | None]


def _subject_findings(
    rule: Rule, graph: RbacGraph, severity_of: SubjectSeverity
) -> Iterator[Finding]:
    for binding in graph.bindings:
        for subject in binding.subjects:
            severity = severity_of(graph, binding, subject)
            if severity is not None:
                yield rule.finding(
                    f"{binding.obj.resource} grants {binding.role_kind} {binding.role_name} "
                    f"to {subject}. {rule.remediation}",
                    binding.obj.location(("subjects", subject.index, "name")),
                    severity=severity,
                )


UNAUTHENTICATED_BINDING = rules.rule(
    "rbac-unauthenticated-subject",
    Severity.CRITICAL,
    title="Binding grants permissions to anonymous or unauthenticated users",
    rationale=(
        "system:anonymous and system:unauthenticated are every request without credentials: "
        "anyone who can reach the API server gets the role. Kubernetes' own default, "
        "system:public-info-viewer (health and version endpoints), is reported as low: it "
        "tells an attacker the exact version to aim at; the discovery roles system:discovery "
        "and system:basic-user as medium (they map the whole API); any other role as critical."
    ),
    remediation="Remove system:anonymous and system:unauthenticated from the subjects.",
    references=_references(),
)


def _unauthenticated_grant_severity(
    graph: RbacGraph, binding: Binding, subject: Subject
) -> Severity | None:
    if (subject.kind, subject.name) not in UNAUTHENTICATED_SUBJECTS:
        return None
    if binding.grants_cluster_role(PUBLIC_INFO_ROLE):
        return Severity.LOW  # Kubernetes' default: version and health endpoints
    if binding.role_kind == "ClusterRole" and binding.role_name in DISCOVERY_ROLES:
        return Severity.MEDIUM
    return UNAUTHENTICATED_BINDING.severity


@rules.finds(UNAUTHENTICATED_BINDING)
def find_unauthenticated_subjects(context: CheckContext) -> Iterator[Finding]:
    return _subject_findings(
        UNAUTHENTICATED_BINDING, rbac_graph(context), _unauthenticated_grant_severity
    )


# Reading these hands over credentials or a shell, whatever the verb: `get` on pods/exec
# opens an exec session over WebSocket, and proxy subresources reach the kubelet or pods.
SENSITIVE_READ_RESOURCES = frozenset(
    {
        "secrets",
        "pods/exec",
        "pods/attach",
        "pods/portforward",
        "pods/proxy",
        "nodes/proxy",
        "services/proxy",
        "serviceaccounts/token",
    }
)


READ_VERBS = frozenset({"get", "list", "watch"})


def _reads_only_non_sensitive(policy_rule: PolicyRule) -> bool:
    if not policy_rule.verbs or not set(policy_rule.verbs) <= READ_VERBS:
        return False
    for resource in policy_rule.resources:
        subresource = resource.partition("/")[2]
        if WILDCARD in resource or resource in SENSITIVE_READ_RESOURCES:
            return False
        if subresource and any(s.endswith(f"/{subresource}") for s in SENSITIVE_READ_RESOURCES):
            return False
    return all(WILDCARD not in url for url in policy_rule.strings("nonResourceURLs"))


AUTHENTICATED_BINDING = rules.rule(
    "rbac-authenticated-group-subject",
    Severity.HIGH,
    title="Binding grants more than discovery to every authenticated user",
    rationale=(
        "system:authenticated contains every ServiceAccount of every pod and, with many "
        "identity providers, every account of the provider, not only the organisation's "
        "staff. Kubernetes grants it discovery roles only; anything more is shared with all. "
        "A role in the scan that only reads (get, list, watch) non-sensitive resources, such "
        "as configmaps, is reported as medium cluster-wide and low in one namespace; a role "
        "that reads secrets, reaches exec, attach or proxy subresources, or that the scan "
        "does not hold, stays high."
    ),
    remediation="Bind the role to the specific users, groups or ServiceAccounts that need it.",
    references=_references(),
)


def _authenticated_grant_severity(
    graph: RbacGraph, binding: Binding, subject: Subject
) -> Severity | None:
    if subject.kind != "Group" or subject.name != AUTHENTICATED_GROUP:
        return None
    if binding.role_kind == "ClusterRole" and binding.role_name in DISCOVERY_ROLES:
        return None
    granted = [
        policy_rule
        for policy_rule in graph.policy_rules
        if binding in graph.bindings_by_role.get(policy_rule.role, ())
    ]
    # A role the scan does not hold may grant anything: it stays at the rule's severity.
    if not granted or not all(_reads_only_non_sensitive(rule) for rule in granted):
        return AUTHENTICATED_BINDING.severity
    return Severity.MEDIUM if binding.cluster_wide else Severity.LOW


@rules.finds(AUTHENTICATED_BINDING)
def find_authenticated_group_subjects(context: CheckContext) -> Iterator[Finding]:
    return _subject_findings(
        AUTHENTICATED_BINDING, rbac_graph(context), _authenticated_grant_severity
    )


CHECKS: tuple[Check, ...] = rules.checks()
