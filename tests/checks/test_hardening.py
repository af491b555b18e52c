from __future__ import annotations

import pytest

from gitwarden.checks.hardening import CHECKS
from gitwarden.findings import Finding, Severity
from k8s_fixtures import run

CHECK_BY_ID = {check.rule.id: check for check in CHECKS}

COMPLIANT_DEPLOYMENT = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: shop
    spec:
      template:
        spec:
          automountServiceAccountToken: false
          initContainers:
            - name: migrate
              image: ghcr.io/acme/migrate:1.0
              resources:
                limits: {cpu: 500m, memory: 64Mi}
              securityContext:
                readOnlyRootFilesystem: true
          containers:
            - name: app
              image: ghcr.io/acme/web:1.0
              resources:
                requests: {cpu: 100m, memory: 128Mi}
                limits: {cpu: "1", memory: 256Mi}
              securityContext:
                readOnlyRootFilesystem: true
              volumeMounts:
                - {name: db, mountPath: /etc/db, readOnly: true}
          volumes:
            - name: db
              secret: {secretName: db}
    """

FIRING = {
    "hardening-resource-requests-missing": """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          containers:
            - name: app
              image: ghcr.io/acme/web:1.0
              resources:
                requests: {cpu: 100m}
        """,
    "hardening-resource-limits-missing": """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          containers:
            - name: app
              image: ghcr.io/acme/web:1.0
              resources:
                requests: {cpu: 100m, memory: 128Mi}
                limits: {cpu: "1"}
        """,
    "hardening-writable-root-filesystem": """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          containers:
            - name: app
              image: ghcr.io/acme/web:1.0
              securityContext: {readOnlyRootFilesystem: false}
        """,
    "hardening-service-account-token-automounted": """\
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: web, namespace: shop}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              serviceAccountName: web
              containers:
                - {name: app, image: ghcr.io/acme/web:1.0}
        """,
    "hardening-secret-in-environment": """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          containers:
            - name: app
              image: ghcr.io/acme/web:1.0
              env:
                - name: DB_PASSWORD
                  valueFrom:
                    secretKeyRef: {name: db, key: password}
        """,
    "hardening-default-namespace": """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: default}
        """,
    "hardening-namespace-missing": """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        """,
    "hardening-host-aliases": """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          hostAliases:
            - ip: 203.0.113.7
              hostnames: [api.payments.example]
          containers:
            - {name: app, image: ghcr.io/acme/web:1.0}
        """,
    "hardening-exposed-service": """\
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          type: LoadBalancer
          ports: [{port: 443}]
        """,
    "hardening-ingress-without-tls": """\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec:
          rules:
            - host: shop.example.com
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend: {service: {name: web, port: {number: 80}}}
        """,
}

SILENT = {
    "hardening-resource-requests-missing": COMPLIANT_DEPLOYMENT,
    "hardening-resource-limits-missing": COMPLIANT_DEPLOYMENT,
    "hardening-writable-root-filesystem": COMPLIANT_DEPLOYMENT,
    "hardening-service-account-token-automounted": COMPLIANT_DEPLOYMENT,
    "hardening-secret-in-environment": COMPLIANT_DEPLOYMENT,
    "hardening-default-namespace": COMPLIANT_DEPLOYMENT,
    "hardening-namespace-missing": COMPLIANT_DEPLOYMENT,
    "hardening-host-aliases": COMPLIANT_DEPLOYMENT,
    "hardening-exposed-service": """\
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          type: ClusterIP
          ports: [{port: 80}]
        """,
    "hardening-ingress-without-tls": """\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec:
          tls:
            - hosts: [shop.example.com]
              secretName: shop-tls
          rules:
            - host: shop.example.com
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend: {service: {name: web, port: {number: 80}}}
        """,
}


def findings_of(rule_id: str, yaml_text: str) -> list[Finding]:
    return run([CHECK_BY_ID[rule_id]], yaml_text)


def test_every_rule_has_a_firing_and_a_silent_case() -> None:
    assert set(FIRING) == set(SILENT) == set(CHECK_BY_ID)


def test_every_rule_carries_its_metadata() -> None:
    for check in CHECKS:
        rule = check.rule
        assert rule.id.startswith("hardening-")
        assert rule.family == "hardening"
        assert rule.title and rule.rationale and rule.remediation and rule.references


@pytest.mark.parametrize("rule_id", sorted(FIRING))
def test_rule_fires_on_the_violation(rule_id: str) -> None:
    findings = findings_of(rule_id, FIRING[rule_id])
    assert [f.rule_id for f in findings] == [rule_id]
    assert findings[0].severity == CHECK_BY_ID[rule_id].rule.severity


@pytest.mark.parametrize("rule_id", sorted(SILENT))
def test_rule_is_silent_on_the_compliant_form(rule_id: str) -> None:
    assert findings_of(rule_id, SILENT[rule_id]) == []


def test_compliant_deployment_passes_every_hardening_rule() -> None:
    assert run(CHECKS, COMPLIANT_DEPLOYMENT) == []


def test_missing_resources_are_reported_at_the_field_to_add() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          containers:
            - name: app
              image: ghcr.io/acme/web:1.0
        """
    [finding] = findings_of("hardening-resource-limits-missing", yaml_text)
    assert finding.location.field_path == "spec.containers[0].resources.limits"
    assert finding.location.line == 6  # the container, nearest written ancestor
    assert "resources.limits.cpu and resources.limits.memory" in finding.message


def test_limits_imply_requests_as_the_api_server_defaults_them() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          containers:
            - name: app
              image: ghcr.io/acme/web:1.0
              resources:
                limits: {cpu: "1", memory: 256Mi}
        """
    assert findings_of("hardening-resource-requests-missing", yaml_text) == []


@pytest.mark.parametrize(
    ("limit_range_item", "rule_id"),
    [
        ("default: {cpu: 500m, memory: 256Mi}", "hardening-resource-limits-missing"),
        ("default: {cpu: 500m, memory: 256Mi}", "hardening-resource-requests-missing"),
        ("max: {cpu: '2', memory: 1Gi}", "hardening-resource-limits-missing"),
        ("defaultRequest: {cpu: 100m, memory: 64Mi}", "hardening-resource-requests-missing"),
        ("min: {cpu: 10m, memory: 16Mi}", "hardening-resource-requests-missing"),
    ],
)
def test_limit_range_defaults_of_the_namespace_cover_missing_resources(
    limit_range_item: str, rule_id: str
) -> None:
    yaml_text = f"""\
        apiVersion: v1
        kind: LimitRange
        metadata: {{name: defaults, namespace: shop}}
        spec:
          limits:
            - type: Container
              {limit_range_item}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {{name: p, namespace: shop}}
        spec:
          containers:
            - {{name: app, image: ghcr.io/acme/web:1.0}}
        """
    assert findings_of(rule_id, yaml_text) == []


def test_pod_level_resources_cover_its_containers() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          resources:
            limits: {cpu: "2", memory: 1Gi}
          containers:
            - {name: app, image: ghcr.io/acme/web:1.0}
            - {name: helper, image: ghcr.io/acme/helper:1.0}
        """
    assert findings_of("hardening-resource-limits-missing", yaml_text) == []
    assert findings_of("hardening-resource-requests-missing", yaml_text) == []


def test_limit_range_of_another_namespace_does_not_cover() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: LimitRange
        metadata: {name: defaults, namespace: other}
        spec:
          limits:
            - type: Container
              default: {cpu: 500m, memory: 256Mi}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          containers:
            - {name: app, image: ghcr.io/acme/web:1.0}
        """
    assert len(findings_of("hardening-resource-limits-missing", yaml_text)) == 1


def test_ephemeral_containers_need_no_resources() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          containers:
            - name: app
              image: ghcr.io/acme/web:1.0
              resources:
                limits: {cpu: "1", memory: 256Mi}
              securityContext: {readOnlyRootFilesystem: true}
          ephemeralContainers:
            - {name: debug, image: busybox:1.36}
        """
    for rule_id in (
        "hardening-resource-limits-missing",
        "hardening-resource-requests-missing",
        "hardening-writable-root-filesystem",
    ):
        assert findings_of(rule_id, yaml_text) == []


def test_windows_pods_are_not_asked_for_a_read_only_root() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          os: {name: windows}
          containers:
            - {name: app, image: mcr.microsoft.com/windows/nanoserver:ltsc2022}
        """
    assert findings_of("hardening-writable-root-filesystem", yaml_text) == []


def test_writable_root_is_reported_for_init_containers_too() -> None:
    yaml_text = """\
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly, namespace: shop}
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  initContainers:
                    - {name: fetch, image: ghcr.io/acme/fetch:1.0}
                  containers:
                    - name: run
                      image: ghcr.io/acme/run:1.0
                      securityContext: {readOnlyRootFilesystem: true}
        """
    [finding] = findings_of("hardening-writable-root-filesystem", yaml_text)
    assert finding.location.field_path == (
        "spec.jobTemplate.spec.template.spec.initContainers[0]"
        ".securityContext.readOnlyRootFilesystem"
    )


@pytest.mark.parametrize(
    ("service_account", "pod_setting", "fires"),
    [
        ("automountServiceAccountToken: false", "", False),
        ("automountServiceAccountToken: false", "automountServiceAccountToken: true", True),
        ("automountServiceAccountToken: true", "automountServiceAccountToken: false", False),
        ("automountServiceAccountToken: true", "", True),
        ("{}", "", True),
    ],
)
def test_token_automount_follows_pod_then_service_account(
    service_account: str, pod_setting: str, fires: bool
) -> None:
    yaml_text = f"""\
        apiVersion: v1
        kind: ServiceAccount
        metadata: {{name: web, namespace: shop}}
        {service_account}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {{name: p, namespace: shop}}
        spec:
          serviceAccountName: web
          {pod_setting}
          containers:
            - {{name: app, image: ghcr.io/acme/web:1.0}}
        """.replace("\n        {}\n", "\n")
    findings = findings_of("hardening-service-account-token-automounted", yaml_text)
    assert len(findings) == (1 if fires else 0)


def test_token_automount_of_the_default_service_account_is_resolved() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: default, namespace: shop}
        automountServiceAccountToken: false
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          containers:
            - {name: app, image: ghcr.io/acme/web:1.0}
        """
    assert findings_of("hardening-service-account-token-automounted", yaml_text) == []


def test_service_account_of_another_namespace_does_not_decide() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: web, namespace: other}
        automountServiceAccountToken: false
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          serviceAccountName: web
          containers:
            - {name: app, image: ghcr.io/acme/web:1.0}
        """
    [finding] = findings_of("hardening-service-account-token-automounted", yaml_text)
    assert finding.location.field_path == "spec.automountServiceAccountToken"


def test_secret_env_findings_point_at_each_reference_with_its_line() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          containers:
            - name: app
              image: ghcr.io/acme/web:1.0
              env:
                - name: PLAIN
                  value: x
                - name: DB_PASSWORD
                  valueFrom:
                    secretKeyRef: {name: db, key: password}
                - name: MODE
                  valueFrom:
                    configMapKeyRef: {name: settings, key: mode}
              envFrom:
                - configMapRef: {name: settings}
                - secretRef: {name: api-keys}
        """
    findings = findings_of("hardening-secret-in-environment", yaml_text)
    assert [(f.location.field_path, f.location.line) for f in findings] == [
        ("spec.containers[0].env[1].valueFrom.secretKeyRef", 13),
        ("spec.containers[0].envFrom[1].secretRef", 19),
    ]
    assert "mount the Secret as a volume" in findings[0].message
    assert "DB_PASSWORD" in findings[0].message


def test_explicit_default_namespace_is_reported_at_the_field() -> None:
    yaml_text = """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: default
        spec: {}
        """
    [finding] = findings_of("hardening-default-namespace", yaml_text)
    assert (finding.location.field_path, finding.location.line) == ("metadata.namespace", 5)
    assert finding.severity == Severity.MEDIUM


@pytest.mark.parametrize(
    "yaml_text",
    [
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\n",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\n",
        "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\n",
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\n",
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\n"
        "metadata: {name: w}\n",
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\n"
        "metadata: {name: b}\n",
        "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\n",
        "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\n",
        "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: gvisor}\n",
        "apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata: {name: v1.x}\n",
        "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: le}\n",
        "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: p}\n",
        "apiVersion: external-secrets.io/v1beta1\nkind: ClusterSecretStore\n"
        "metadata: {name: vault}\n",
        "apiVersion: policy.sigstore.dev/v1beta1\nkind: ClusterImagePolicy\n"
        "metadata: {name: signed}\n",
        "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\n"
        "metadata: {name: owner}\n",
        "apiVersion: pkg.crossplane.io/v1\nkind: Provider\nmetadata: {name: aws}\n",
        # Files read by a binary, never applied to the API server.
        "apiVersion: v1\nkind: Config\nclusters: []\n",
        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n",
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n",
        "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes: []\n",
    ],
)
def test_cluster_scoped_kinds_need_no_namespace(yaml_text: str) -> None:
    for rule_id in ("hardening-namespace-missing", "hardening-default-namespace"):
        assert findings_of(rule_id, yaml_text) == []
        assert findings_of(rule_id, yaml_text.replace("{name:", "{namespace: default, name:")) == []


def test_same_kind_name_in_a_namespaced_group_still_needs_a_namespace() -> None:
    yaml_text = """\
        apiVersion: notification.toolkit.fluxcd.io/v1beta3
        kind: Provider
        metadata: {name: slack}
        """
    assert len(findings_of("hardening-namespace-missing", yaml_text)) == 1


CUSTOM_RESOURCE = """\
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {{name: tenants.acme.io}}
    spec:
      group: acme.io
      names: {{kind: Tenant, plural: tenants}}
      scope: {scope}
      versions: [{{name: v1, served: true, storage: true}}]
    ---
    apiVersion: acme.io/v1
    kind: Tenant
    metadata: {{name: blue}}
    """


@pytest.mark.parametrize(("scope", "fires"), [("Cluster", False), ("Namespaced", True)])
def test_custom_kinds_follow_the_scope_of_their_crd_in_the_scan(scope: str, fires: bool) -> None:
    findings = findings_of("hardening-namespace-missing", CUSTOM_RESOURCE.format(scope=scope))
    assert [f.location.resource for f in findings] == (["Tenant/blue"] if fires else [])


def test_crd_scope_is_read_whatever_the_order_of_its_spec_fields() -> None:
    yaml_text = """\
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: tenants.acme.io}
        spec:
          versions:
            - name: v1
              served: true
              storage: true
              schema: {openAPIV3Schema: {type: object}}
          group: acme.io
          names: {kind: Tenant, plural: tenants}
          scope: Cluster
        ---
        apiVersion: acme.io/v1
        kind: Tenant
        metadata: {name: blue}
        """
    assert findings_of("hardening-namespace-missing", yaml_text) == []


def test_missing_namespace_is_info_and_names_the_fix() -> None:
    # A default changed on purpose (CHANGELOG, docs/noise.md): was low.
    [finding] = findings_of("hardening-namespace-missing", FIRING["hardening-namespace-missing"])
    assert finding.severity == Severity.INFO
    assert finding.location.field_path == "metadata.namespace"
    assert "ConfigMap/settings" in finding.message


def test_host_aliases_are_reported_per_entry() -> None:
    [finding] = findings_of("hardening-host-aliases", FIRING["hardening-host-aliases"])
    assert finding.location.field_path == "spec.hostAliases[0]"
    assert "api.payments.example" in finding.message
    assert "203.0.113.7" in finding.message


@pytest.mark.parametrize("service_type", ["NodePort", "LoadBalancer"])
def test_node_port_and_load_balancer_services_are_info(service_type: str) -> None:
    yaml_text = FIRING["hardening-exposed-service"].replace("LoadBalancer", service_type)
    [finding] = findings_of("hardening-exposed-service", yaml_text)
    assert finding.severity == Severity.INFO
    assert (finding.location.field_path, finding.location.line) == ("spec.type", 5)


INGRESS = """\
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
      namespace: shop
      annotations: {annotations}
    spec:
      tls: {tls}
      rules:
        - host: shop.example.com
          http: {{paths: [{{path: /, pathType: Prefix, backend: {{service: {{name: a}}}}}}]}}
        - host: api.example.com
          http: {{paths: [{{path: /, pathType: Prefix, backend: {{service: {{name: b}}}}}}]}}
        - http: {{paths: [{{path: /, pathType: Prefix, backend: {{service: {{name: c}}}}}}]}}
    """


@pytest.mark.parametrize(
    ("tls", "annotations", "uncovered"),
    [
        ("[]", "{}", ["shop.example.com", "api.example.com", "*"]),
        ("[{hosts: [shop.example.com], secretName: s}]", "{}", ["api.example.com", "*"]),
        ("[{hosts: ['*.example.com'], secretName: s}]", "{}", ["*"]),
        ("[{hosts: ['*.com'], secretName: s}]", "{}", ["shop.example.com", "api.example.com", "*"]),
        ("[{secretName: default-cert}]", "{}", []),
        ("[]", "{alb.ingress.kubernetes.io/certificate-arn: 'arn:aws:acm:x'}", []),
    ],
)
def test_ingress_rules_are_reported_per_host_not_covered_by_tls(
    tls: str, annotations: str, uncovered: list[str]
) -> None:
    yaml_text = INGRESS.format(tls=tls, annotations=annotations)
    findings = findings_of("hardening-ingress-without-tls", yaml_text)
    assert [f.details["host"] for f in findings] == uncovered


def test_ingress_finding_points_at_the_host() -> None:
    findings = findings_of(
        "hardening-ingress-without-tls", INGRESS.format(tls="[]", annotations="{}")
    )
    assert [(f.location.field_path, f.location.line) for f in findings] == [
        ("spec.rules[0].host", 10),
        ("spec.rules[1].host", 12),
        ("spec.rules[2]", 14),
    ]


def test_ingress_default_backend_without_tls_fires() -> None:
    yaml_text = """\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec:
          defaultBackend: {service: {name: web, port: {number: 80}}}
        """
    [finding] = findings_of("hardening-ingress-without-tls", yaml_text)
    assert finding.location.field_path == "spec.defaultBackend"


def test_missing_namespaces_are_reported_once_per_file() -> None:
    findings = [
        f
        for f in run(
            CHECKS,
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: one}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: two}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: three}
            """,
        )
        if f.rule_id == "hardening-namespace-missing"
    ]
    assert len(findings) == 1
    assert findings[0].location.line == 4
    assert "3 namespaced objects" in findings[0].message
    assert findings[0].details["resources"] == "ConfigMap/one,ConfigMap/two,Secret/three"


def test_missing_limits_are_low_like_missing_requests() -> None:
    # A default changed on purpose (CHANGELOG, docs/noise.md): was medium.
    [finding] = findings_of(
        "hardening-resource-limits-missing", FIRING["hardening-resource-limits-missing"]
    )
    assert finding.severity == Severity.LOW
