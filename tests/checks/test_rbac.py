from __future__ import annotations

import textwrap

import pytest

from gitwarden.checks.rbac import CHECKS
from gitwarden.findings import Finding, Severity
from k8s_fixtures import CORPORA, rule_ids, run

ARGO_CD_INSTALL = CORPORA / "argo-cd-manifests" / "install.yaml"


def one_rule(rule: str, kind: str = "ClusterRole") -> str:
    lines = textwrap.dedent(rule).strip().splitlines()
    body = "\n".join(["- " + lines[0], *("  " + line for line in lines[1:])])
    return (
        "apiVersion: rbac.authorization.k8s.io/v1\n"
        f"kind: {kind}\n"
        f"metadata: {{name: r{', namespace: team' if kind == 'Role' else ''}}}\n"
        f"rules:\n{body}\n"
    )


def binding(role_ref: str, subject: str, kind: str = "ClusterRoleBinding") -> str:
    return f"""\
apiVersion: rbac.authorization.k8s.io/v1
kind: {kind}
metadata: {{name: b, namespace: team}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {role_ref}}}
subjects:
- {subject}
"""


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, [(f.rule_id, f.message) for f in findings]
    return findings[0]


FIRING = [
    pytest.param(
        "rbac-wildcard-verbs",
        one_rule('apiGroups: [""]\nresources: [pods]\nverbs: ["*"]'),
        "rules[0].verbs",
        id="wildcard-verbs",
    ),
    pytest.param(
        "rbac-wildcard-resources",
        one_rule('apiGroups: [""]\nresources: ["*"]\nverbs: [get]'),
        "rules[0].resources",
        id="wildcard-resources",
    ),
    pytest.param(
        "rbac-wildcard-api-groups",
        one_rule('apiGroups: ["*"]\nresources: [configmaps]\nverbs: [get]'),
        "rules[0].apiGroups",
        id="wildcard-api-groups",
    ),
    pytest.param(
        "rbac-wildcard-non-resource-urls",
        one_rule('nonResourceURLs: ["*"]\nverbs: [get]'),
        "rules[0].nonResourceURLs",
        id="wildcard-non-resource-urls",
    ),
    pytest.param(
        "rbac-escalate-verb",
        one_rule("apiGroups: [rbac.authorization.k8s.io]\nresources: [roles]\nverbs: [escalate]"),
        "rules[0].verbs",
        id="escalate",
    ),
    pytest.param(
        "rbac-bind-verb",
        one_rule(
            "apiGroups: [rbac.authorization.k8s.io]\nresources: [clusterroles]\nverbs: [bind]"
        ),
        "rules[0].verbs",
        id="bind",
    ),
    pytest.param(
        "rbac-impersonate-verb",
        one_rule('apiGroups: [""]\nresources: [users, groups]\nverbs: [impersonate]'),
        "rules[0].verbs",
        id="impersonate",
    ),
    pytest.param(
        "rbac-cluster-wide-secrets-read",
        one_rule('apiGroups: [""]\nresources: [secrets]\nverbs: [get, list]'),
        "rules[0].resources",
        id="secrets-read-unbound-cluster-role",
    ),
    pytest.param(
        "rbac-cluster-wide-secrets-read",
        one_rule('apiGroups: [""]\nresources: [secrets]\nverbs: [watch]')
        + "---\n"
        + binding("r", "{kind: Group, name: readers, apiGroup: rbac.authorization.k8s.io}"),
        "rules[0].resources",
        id="secrets-read-cluster-role-binding",
    ),
    pytest.param(
        "rbac-pod-exec-attach",
        one_rule('apiGroups: [""]\nresources: [pods/exec]\nverbs: [create]', kind="Role"),
        "rules[0].resources",
        id="pods-exec",
    ),
    pytest.param(
        "rbac-pod-exec-attach",
        one_rule('apiGroups: [""]\nresources: ["*/attach"]\nverbs: [get]', kind="Role"),
        "rules[0].resources",
        id="any-attach-subresource",
    ),
    pytest.param(
        "rbac-nodes-proxy",
        one_rule('apiGroups: [""]\nresources: [nodes/proxy]\nverbs: [get]'),
        "rules[0].resources",
        id="nodes-proxy",
    ),
    pytest.param(
        "rbac-workload-write",
        one_rule("apiGroups: [apps]\nresources: [deployments]\nverbs: [patch]", kind="Role"),
        "rules[0].resources",
        id="deployments-patch",
    ),
    pytest.param(
        "rbac-workload-write",
        one_rule("apiGroups: [batch]\nresources: [cronjobs]\nverbs: [create]", kind="Role"),
        "rules[0].resources",
        id="cronjobs-create",
    ),
    pytest.param(
        "rbac-service-account-token-create",
        one_rule('apiGroups: [""]\nresources: [serviceaccounts/token]\nverbs: [create]'),
        "rules[0].resources",
        id="token-create",
    ),
    pytest.param(
        "rbac-cluster-admin-binding",
        binding("cluster-admin", "{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}"),
        "roleRef.name",
        id="cluster-admin",
    ),
    pytest.param(
        "rbac-unauthenticated-subject",
        binding("view", "{kind: User, name: 'system:anonymous'}"),
        "subjects[0].name",
        id="anonymous",
    ),
    pytest.param(
        "rbac-unauthenticated-subject",
        binding("view", "{kind: Group, name: 'system:unauthenticated'}", kind="RoleBinding"),
        "subjects[0].name",
        id="unauthenticated",
    ),
    pytest.param(
        "rbac-authenticated-group-subject",
        binding("view", "{kind: Group, name: 'system:authenticated'}"),
        "subjects[0].name",
        id="authenticated-to-view",
    ),
]

SILENT = [
    pytest.param(one_rule('apiGroups: [""]\nresources: [pods]\nverbs: [get, list]'), id="verbs"),
    pytest.param(
        one_rule('apiGroups: [""]\nresources: [configmaps]\nverbs: [get]'), id="resources"
    ),
    pytest.param(
        one_rule("apiGroups: [apps]\nresources: [replicasets]\nverbs: [get]"), id="groups"
    ),
    pytest.param(one_rule('nonResourceURLs: ["/metrics"]\nverbs: [get]'), id="urls"),
    pytest.param(
        one_rule("apiGroups: [rbac.authorization.k8s.io]\nresources: [roles]\nverbs: [get]"),
        id="roles-read",
    ),
    pytest.param(
        one_rule(
            "apiGroups: [rbac.authorization.k8s.io]\nresources: [clusterroles]\n"
            "resourceNames: [view]\nverbs: [bind]"
        ),
        id="bind-named-role",
    ),
    pytest.param(one_rule('apiGroups: [""]\nresources: [users]\nverbs: [get]'), id="users-read"),
    pytest.param(
        one_rule('apiGroups: [""]\nresources: [secrets]\nverbs: [get, list]', kind="Role"),
        id="secrets-read-namespaced-role",
    ),
    pytest.param(
        one_rule('apiGroups: [""]\nresources: [secrets]\nverbs: [get, list]')
        + "---\n"
        + binding("r", "{kind: Group, name: readers}", kind="RoleBinding"),
        id="secrets-read-cluster-role-bound-in-one-namespace",
    ),
    pytest.param(
        one_rule('apiGroups: [""]\nresources: [secrets]\nresourceNames: [tls]\nverbs: [get]'),
        id="secrets-read-named",
    ),
    pytest.param(
        one_rule('apiGroups: [""]\nresources: [secrets]\nverbs: [create, delete]'),
        id="secrets-write-only",
    ),
    pytest.param(
        one_rule("apiGroups: [apps]\nresources: [secrets, pods/exec]\nverbs: [get, create]"),
        id="core-resources-in-another-group",
    ),
    pytest.param(
        one_rule('apiGroups: [""]\nresources: [pods/log]\nverbs: [get]', kind="Role"),
        id="pods-log",
    ),
    pytest.param(
        one_rule('apiGroups: [""]\nresources: [nodes/metrics, nodes/stats]\nverbs: [get]'),
        id="nodes-metrics",
    ),
    pytest.param(
        one_rule("apiGroups: [apps]\nresources: [deployments]\nverbs: [get, list, watch]"),
        id="deployments-read",
    ),
    pytest.param(
        one_rule('apiGroups: [""]\nresources: [serviceaccounts]\nverbs: [get]'),
        id="serviceaccounts-read",
    ),
    pytest.param(
        one_rule(
            'apiGroups: [""]\nresources: [serviceaccounts/token]\n'
            "resourceNames: [ci]\nverbs: [create]"
        ),
        id="token-create-named-account",
    ),
    pytest.param(
        binding("view", "{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}"),
        id="view-binding",
    ),
    pytest.param(
        binding("system:discovery", "{kind: Group, name: 'system:authenticated'}"),
        id="authenticated-discovery",
    ),
]


@pytest.mark.parametrize(("rule_id", "manifest", "field_path"), FIRING)
def test_rule_fires_once_at_the_rule_field(rule_id: str, manifest: str, field_path: str) -> None:
    finding = only(run(CHECKS, manifest))
    assert finding.rule_id == rule_id
    assert finding.location.field_path == field_path


@pytest.mark.parametrize("manifest", SILENT)
def test_compliant_form_is_silent(manifest: str) -> None:
    assert run(CHECKS, manifest) == []


def test_every_rule_has_a_firing_case_and_full_metadata() -> None:
    fired = {param.values[0] for param in FIRING}
    for check in CHECKS:
        rule = check.rule
        assert rule.id in fired
        assert rule.id.startswith("rbac-") and rule.family == "rbac"
        assert rule.title and rule.rationale and rule.remediation
        assert any("rbac-good-practices" in reference for reference in rule.references)


def test_finding_is_placed_at_the_line_of_the_rule_field() -> None:
    manifest = """\
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: deployer
        rules:
        - apiGroups: [""]
          resources: [configmaps]
          verbs: [get]
        - apiGroups:
          - ""
          resources:
          - pods/exec
          verbs:
          - create
        """
    location = only(run(CHECKS, manifest)).location
    assert (location.line, location.field_path) == (11, "rules[1].resources")
    assert location.resource == "ClusterRole/deployer"


def test_all_three_wildcards_on_a_cluster_role_are_critical() -> None:
    manifest = one_rule('apiGroups: ["*"]\nresources: ["*"]\nverbs: ["*"]')
    findings = run(CHECKS, manifest)
    assert rule_ids(findings) == [
        "rbac-wildcard-api-groups",
        "rbac-wildcard-resources",
        "rbac-wildcard-verbs",
    ]
    assert {f.severity for f in findings} == {Severity.CRITICAL}
    assert all("cluster-admin" in f.message for f in findings)


def test_all_three_wildcards_on_a_role_keep_their_default_severity() -> None:
    manifest = one_rule('apiGroups: ["*"]\nresources: ["*"]\nverbs: ["*"]', kind="Role")
    severities = {f.rule_id: f.severity for f in run(CHECKS, manifest)}
    assert severities == {
        "rbac-wildcard-api-groups": Severity.MEDIUM,
        "rbac-wildcard-resources": Severity.HIGH,
        "rbac-wildcard-verbs": Severity.HIGH,
    }


def test_wildcard_verbs_are_reported_once_not_as_each_dangerous_verb() -> None:
    manifest = one_rule(
        'apiGroups: ["", rbac.authorization.k8s.io]\n'
        "resources: [secrets, pods/exec, users, clusterroles, nodes/proxy]\n"
        'verbs: ["*"]'
    )
    assert rule_ids(run(CHECKS, manifest)) == ["rbac-wildcard-verbs"]


def test_wildcard_resources_with_a_dangerous_verb_report_each_field() -> None:
    manifest = one_rule('apiGroups: ["rbac.authorization.k8s.io"]\nresources: ["*"]\nverbs: [bind]')
    findings = {f.rule_id: f.location.field_path for f in run(CHECKS, manifest)}
    assert findings == {
        "rbac-bind-verb": "rules[0].verbs",
        "rbac-wildcard-resources": "rules[0].resources",
    }


def test_wildcard_resources_are_not_reported_again_as_secrets_read() -> None:
    manifest = one_rule('apiGroups: [""]\nresources: ["*"]\nverbs: [get, list]')
    assert rule_ids(run(CHECKS, manifest)) == ["rbac-wildcard-resources"]


def test_prefix_wildcard_non_resource_url_counts_as_every_url() -> None:
    manifest = one_rule('nonResourceURLs: ["/*"]\nverbs: [get]')
    assert rule_ids(run(CHECKS, manifest)) == ["rbac-wildcard-non-resource-urls"]


def test_cluster_admin_through_a_role_binding_is_high() -> None:
    manifest = binding("cluster-admin", "{kind: User, name: alice}", kind="RoleBinding")
    finding = only(run(CHECKS, manifest))
    assert finding.severity == Severity.HIGH
    assert "in namespace team" in finding.message


def test_cluster_admin_through_a_cluster_role_binding_is_critical() -> None:
    manifest = binding("cluster-admin", "{kind: User, name: alice}")
    assert only(run(CHECKS, manifest)).severity == Severity.CRITICAL


ATTRIBUTED_APP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: argocd-server, namespace: argocd}
spec:
  template:
    spec:
      serviceAccountName: argocd-server
      containers: [{name: server, image: quay.io/argoproj/argocd:v3.0.0}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cleanup, namespace: argocd}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: argocd-server
          containers: [{name: cleanup, image: busybox:1.36}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: same-account-name-elsewhere, namespace: other}
spec:
  template:
    spec:
      serviceAccountName: argocd-server
      containers: [{name: app, image: busybox:1.36}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: server, namespace: argocd}
rules:
- apiGroups: [""]
  resources: [pods/exec]
  verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: server, namespace: argocd}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: server}
subjects:
- kind: ServiceAccount
  name: argocd-server
"""


def test_role_finding_names_the_workloads_of_its_service_account() -> None:
    finding = only(run(CHECKS, ATTRIBUTED_APP))
    assert "used by Deployment/argocd/argocd-server, CronJob/argocd/cleanup" in finding.message
    assert finding.details["workloads"] == (
        "Deployment/argocd/argocd-server, CronJob/argocd/cleanup"
    )


def test_workload_without_service_account_name_uses_default() -> None:
    manifest = """\
        apiVersion: v1
        kind: Pod
        metadata: {name: debug, namespace: ops}
        spec:
          containers: [{name: shell, image: busybox:1.36}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: node-debugger}
        rules:
        - apiGroups: [""]
          resources: [nodes/proxy]
          verbs: [get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: node-debugger}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-debugger}
        subjects:
        - {kind: ServiceAccount, name: default, namespace: ops}
        """
    assert only(run(CHECKS, manifest)).details["workloads"] == "Pod/ops/debug"


def test_role_without_workloads_has_no_workloads_detail() -> None:
    finding = only(run(CHECKS, one_rule('apiGroups: [""]\nresources: [nodes/proxy]\nverbs: [get]')))
    assert "workloads" not in finding.details
    assert "used by" not in finding.message


def test_cluster_admin_binding_names_the_workloads_of_its_service_accounts() -> None:
    manifest = ATTRIBUTED_APP.replace(
        "kind: Role, name: server", "kind: ClusterRole, name: cluster-admin"
    )
    findings = [f for f in run(CHECKS, manifest) if f.rule_id == "rbac-cluster-admin-binding"]
    assert only(findings).details["workloads"] == (
        "Deployment/argocd/argocd-server, CronJob/argocd/cleanup"
    )


AGGREGATED = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {example.com/aggregate-to-monitoring: "true"}
rules: null
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-secrets
  labels: {example.com/aggregate-to-monitoring: "true"}
rules:
- apiGroups: [""]
  resources: [secrets]
  verbs: [list]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: prometheus, namespace: monitoring}
spec:
  template:
    spec:
      serviceAccountName: prometheus
      containers: [{name: prometheus, image: prom/prometheus:v3.0.0}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: BINDING_KIND
metadata: {name: monitoring, namespace: monitoring}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: monitoring}
subjects:
- {kind: ServiceAccount, name: prometheus, namespace: monitoring}
"""


def test_aggregated_role_bound_cluster_wide_reports_its_sources_with_workloads() -> None:
    finding = only(run(CHECKS, AGGREGATED.replace("BINDING_KIND", "ClusterRoleBinding")))
    assert finding.rule_id == "rbac-cluster-wide-secrets-read"
    assert finding.location.resource == "ClusterRole/monitoring-secrets"
    assert finding.details["workloads"] == "Deployment/monitoring/prometheus"


def test_aggregated_role_bound_in_one_namespace_keeps_its_sources_namespaced() -> None:
    assert run(CHECKS, AGGREGATED.replace("BINDING_KIND", "RoleBinding")) == []


def test_rules_written_into_an_aggregated_role_are_not_checked() -> None:
    # The aggregation controller replaces them with the rules its selectors collect.
    manifest = AGGREGATED.replace("BINDING_KIND", "RoleBinding").replace(
        "rules: null", 'rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]'
    )
    assert run(CHECKS, manifest) == []


def test_objects_of_other_api_groups_named_role_are_ignored() -> None:
    manifest = """\
        apiVersion: example.com/v1
        kind: Role
        metadata: {name: r}
        rules:
        - apiGroups: ["*"]
          resources: ["*"]
          verbs: ["*"]
        """
    assert run(CHECKS, manifest) == []


def test_malformed_rules_do_not_crash() -> None:
    manifest = """\
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: r}
        rules:
        - just-a-string
        - apiGroups: ""
          resources: {secrets: true}
          verbs: null
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: b}
        roleRef: cluster-admin
        subjects: [nobody]
        """
    assert run(CHECKS, manifest) == []


@pytest.mark.skipif(not ARGO_CD_INSTALL.is_file(), reason="corpora not available")
def test_argo_cd_application_controller_wildcards_at_their_lines() -> None:
    findings = run(CHECKS, ARGO_CD_INSTALL.read_text(), file=str(ARGO_CD_INSTALL))
    controller = sorted(
        (f.location.line, f.location.field_path, f.rule_id, f.severity)
        for f in findings
        if f.location.resource == "ClusterRole/argocd-application-controller"
    )
    assert controller == [
        (31475, "rules[0].apiGroups", "rbac-wildcard-api-groups", Severity.CRITICAL),
        (31477, "rules[0].resources", "rbac-wildcard-resources", Severity.CRITICAL),
        (31479, "rules[0].verbs", "rbac-wildcard-verbs", Severity.CRITICAL),
        (31481, "rules[1].nonResourceURLs", "rbac-wildcard-non-resource-urls", Severity.MEDIUM),
        (31483, "rules[1].verbs", "rbac-wildcard-verbs", Severity.HIGH),
    ]
    controller_findings = [
        f for f in findings if f.location.resource == "ClusterRole/argocd-application-controller"
    ]
    assert {f.location.file for f in controller_findings} == {str(ARGO_CD_INSTALL)}
    # The StatefulSet (namespace left to `kubectl apply -n argocd`) runs as the account the
    # ClusterRoleBinding names in argocd.
    assert {f.details["workloads"] for f in controller_findings} == {
        "StatefulSet/argocd-application-controller"
    }


AUTHENTICATED = "{kind: Group, name: 'system:authenticated'}"
UNAUTHENTICATED = "{kind: Group, name: 'system:unauthenticated'}"
ANONYMOUS = "{kind: User, name: 'system:anonymous'}"


@pytest.mark.parametrize(
    ("rules", "binding_kind", "severity"),
    [
        (
            'apiGroups: [""]\nresources: [configmaps]\nverbs: [get, list, watch]',
            "ClusterRoleBinding",
            Severity.MEDIUM,
        ),
        (
            'apiGroups: [""]\nresources: [configmaps]\nverbs: [get, list, watch]',
            "RoleBinding",
            Severity.LOW,
        ),
        (
            'apiGroups: [""]\nresources: [configmaps]\nverbs: [get, update]',
            "ClusterRoleBinding",
            Severity.HIGH,
        ),
        ('apiGroups: [""]\nresources: [secrets]\nverbs: [get]', "RoleBinding", Severity.HIGH),
        ('apiGroups: [""]\nresources: [pods/exec]\nverbs: [get]', "RoleBinding", Severity.HIGH),
        ('apiGroups: [""]\nresources: ["*"]\nverbs: [get]', "RoleBinding", Severity.HIGH),
    ],
)
def test_authenticated_group_severity_follows_what_the_role_reads(
    rules: str, binding_kind: str, severity: Severity
) -> None:
    manifest = one_rule(rules) + "---\n" + binding("r", AUTHENTICATED, kind=binding_kind)
    finding = only(
        [f for f in run(CHECKS, manifest) if f.rule_id == "rbac-authenticated-group-subject"]
    )
    assert finding.severity is severity


def test_authenticated_group_bound_to_a_role_outside_the_scan_stays_high() -> None:
    finding = only(run(CHECKS, binding("view", AUTHENTICATED)))
    assert finding.severity is Severity.HIGH


@pytest.mark.parametrize(
    ("role", "subject", "severity"),
    [
        ("system:public-info-viewer", UNAUTHENTICATED, Severity.LOW),
        ("system:public-info-viewer", ANONYMOUS, Severity.LOW),
        ("system:discovery", UNAUTHENTICATED, Severity.MEDIUM),
        ("view", ANONYMOUS, Severity.CRITICAL),
    ],
)
def test_unauthenticated_binding_is_reported_whatever_the_role(
    role: str, subject: str, severity: Severity
) -> None:
    finding = only(run(CHECKS, binding(role, subject)))
    assert finding.rule_id == "rbac-unauthenticated-subject"
    assert finding.severity is severity
