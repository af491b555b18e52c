"""Kyverno sample policies (kyverno/policies: best-practices and pod-security), offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_fixtures import evaluate, rule_ids

from gitwarden.findings import Severity

DISALLOW_LATEST_TAG = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: disallow-latest-tag
      annotations:
        policies.kyverno.io/title: Disallow Latest Tag
        policies.kyverno.io/severity: medium
        policies.kyverno.io/subject: Pod
    spec:
      validationFailureAction: audit
      background: true
      rules:
      - name: require-image-tag
        match:
          any:
          - resources:
              kinds:
              - Pod
        validate:
          message: "An image tag is required."
          foreach:
            - list: "request.object.spec.containers"
              pattern:
                image: "*:*"
            - list: "request.object.spec.initContainers"
              pattern:
                image: "*:*"
            - list: "request.object.spec.ephemeralContainers"
              pattern:
                image: "*:*"
      - name: validate-image-tag
        match:
          any:
          - resources:
              kinds:
              - Pod
        validate:
          message: "Using a mutable image tag e.g. 'latest' is not allowed."
          foreach:
            - list: "request.object.spec.containers"
              pattern:
                image: "!*:latest"
            - list: "request.object.spec.initContainers"
              pattern:
                image: "!*:latest"
            - list: "request.object.spec.ephemeralContainers"
              pattern:
                image: "!*:latest"
"""

REQUIRE_LABELS = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: require-labels
    spec:
      background: true
      rules:
        - name: check-for-labels
          match:
            any:
              - resources:
                  kinds:
                    - Pod
          validate:
            failureAction: Audit
            message: "The label `app.kubernetes.io/name` is required."
            pattern:
              metadata:
                labels:
                  app.kubernetes.io/name: "?*"
"""

DISALLOW_PRIVILEGED = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: disallow-privileged-containers
    spec:
      validationFailureAction: Enforce
      background: true
      rules:
        - name: privileged-containers
          match:
            any:
            - resources:
                kinds:
                  - Pod
          validate:
            message: >-
              Privileged mode is disallowed. The fields spec.containers[*].securityContext.privileged
              and spec.initContainers[*].securityContext.privileged must be unset or set to `false`.
            pattern:
              spec:
                =(ephemeralContainers):
                  - =(securityContext):
                      =(privileged): "false"
                =(initContainers):
                  - =(securityContext):
                      =(privileged): "false"
                containers:
                  - =(securityContext):
                      =(privileged): "false"
"""  # noqa: E501 (verbatim from kyverno/policies)

DISALLOW_CAPABILITIES = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: disallow-capabilities
    spec:
      validationFailureAction: audit
      background: true
      rules:
        - name: adding-capabilities
          match:
            resources:
              kinds:
                - Pod
          validate:
            message: >-
              Any capabilities added beyond the allowed list (AUDIT_WRITE, CHOWN, DAC_OVERRIDE,
              FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID,
              SYS_CHROOT) are disallowed.
            deny:
              conditions:
                all:
                - key: "{{ request.object.spec.[ephemeralContainers, initContainers, containers][].securityContext.capabilities.add[] }}"
                  operator: AnyNotIn
                  value:
                  - AUDIT_WRITE
                  - CHOWN
                  - DAC_OVERRIDE
                  - FOWNER
                  - FSETID
                  - KILL
                  - MKNOD
                  - NET_BIND_SERVICE
                  - SETFCAP
                  - SETGID
                  - SETPCAP
                  - SETUID
                  - SYS_CHROOT
"""  # noqa: E501 (verbatim from kyverno/policies)

DISALLOW_DEFAULT_NAMESPACE = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: disallow-default-namespace
      annotations:
        pod-policies.kyverno.io/autogen-controllers: none
    spec:
      validationFailureAction: audit
      background: true
      rules:
      - name: validate-namespace
        match:
          any:
          - resources:
              kinds:
              - Pod
        validate:
          message: "Using 'default' namespace is not allowed."
          pattern:
            metadata:
              namespace: "!default"
      - name: validate-podcontroller-namespace
        match:
          any:
          - resources:
              kinds:
              - DaemonSet
              - Deployment
              - Job
              - StatefulSet
        validate:
          message: "Using 'default' namespace is not allowed for pod controllers."
          pattern:
            metadata:
              namespace: "!default"
"""

REQUIRE_RUN_AS_NON_ROOT = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: require-run-as-nonroot
    spec:
      validationFailureAction: Enforce
      rules:
        - name: run-as-non-root
          match:
            any:
            - resources:
                kinds:
                  - Pod
          validate:
            message: >-
              Running as root is not allowed. Either the field spec.securityContext.runAsNonRoot
              must be set to `true`, or the fields spec.containers[*].securityContext.runAsNonRoot
              must be set to `true`.
            anyPattern:
            - spec:
                securityContext:
                  runAsNonRoot: "true"
                =(ephemeralContainers):
                - =(securityContext):
                    =(runAsNonRoot): "true"
                =(initContainers):
                - =(securityContext):
                    =(runAsNonRoot): "true"
                containers:
                - =(securityContext):
                    =(runAsNonRoot): "true"
            - spec:
                =(ephemeralContainers):
                - securityContext:
                    runAsNonRoot: "true"
                =(initContainers):
                - securityContext:
                    runAsNonRoot: "true"
                containers:
                - securityContext:
                    runAsNonRoot: "true"
"""


def pod(
    *,
    image: str = "nginx:1.27",
    labels: str = "app.kubernetes.io/name: web",
    security: str = "{}",
    pod_security: str = "{}",
    namespace: str = "shop",
) -> str:
    return f"""
    apiVersion: v1
    kind: Pod
    metadata:
      name: web
      namespace: {namespace}
      labels: {{{labels}}}
    spec:
      securityContext: {pod_security}
      containers:
        - name: web
          image: {image}
          securityContext: {security}
    """


def deployment(*, image: str = "nginx:1.27", security: str = "{}") -> str:
    return f"""
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: shop
    spec:
      template:
        metadata:
          labels:
            app.kubernetes.io/name: web
        spec:
          containers:
            - name: web
              image: {image}
              securityContext: {security}
    """


CASES = [
    # (policy, firing manifest, silent manifest, rule id)
    (
        DISALLOW_LATEST_TAG,
        pod(image="nginx:latest"),
        pod(image="nginx:1.27"),
        "kyverno:disallow-latest-tag/validate-image-tag",
    ),
    (
        DISALLOW_LATEST_TAG,
        pod(image="nginx"),
        pod(image="nginx:1.27"),
        "kyverno:disallow-latest-tag/require-image-tag",
    ),
    (
        REQUIRE_LABELS,
        pod(labels="app: web"),
        pod(),
        "kyverno:require-labels/check-for-labels",
    ),
    (
        DISALLOW_PRIVILEGED,
        pod(security="{privileged: true}"),
        pod(security="{privileged: false}"),
        "kyverno:disallow-privileged-containers/privileged-containers",
    ),
    (
        DISALLOW_CAPABILITIES,
        pod(security="{capabilities: {add: [NET_ADMIN]}}"),
        pod(security="{capabilities: {add: [CHOWN]}}"),
        "kyverno:disallow-capabilities/adding-capabilities",
    ),
    (
        DISALLOW_DEFAULT_NAMESPACE,
        pod(namespace="default"),
        pod(),
        "kyverno:disallow-default-namespace/validate-namespace",
    ),
    (
        REQUIRE_RUN_AS_NON_ROOT,
        pod(),
        pod(pod_security="{runAsNonRoot: true}"),
        "kyverno:require-run-as-nonroot/run-as-non-root",
    ),
]
IDS = [case[3].partition(":")[2] for case in CASES]


@pytest.mark.parametrize(("policy", "firing", "silent", "rule"), CASES, ids=IDS)
def test_sample_policy_fires(
    tmp_path: Path, policy: str, firing: str, silent: str, rule: str
) -> None:
    assert rule_ids(evaluate(tmp_path, firing, {"policy.yaml": policy})) == [rule]


@pytest.mark.parametrize(("policy", "firing", "silent", "rule"), CASES, ids=IDS)
def test_sample_policy_is_silent(
    tmp_path: Path, policy: str, firing: str, silent: str, rule: str
) -> None:
    assert evaluate(tmp_path, silent, {"policy.yaml": policy}) == []


def test_pod_rules_check_pod_templates_of_controllers(tmp_path: Path) -> None:
    manifests = deployment(security="{privileged: true}")
    [finding] = evaluate(tmp_path, manifests, {"policy.yaml": DISALLOW_PRIVILEGED})
    assert finding.location.resource == "Deployment/shop/web"
    assert (
        finding.location.field_path == "spec.template.spec.containers[0].securityContext.privileged"
    )


def test_pod_rules_are_silent_on_compliant_controllers(tmp_path: Path) -> None:
    manifests = deployment(security="{privileged: false}")
    assert evaluate(tmp_path, manifests, {"policy.yaml": DISALLOW_PRIVILEGED}) == []


def test_autogen_none_keeps_pod_rules_to_pods(tmp_path: Path) -> None:
    manifests = deployment().replace("namespace: shop", "namespace: default")
    findings = evaluate(tmp_path, manifests, {"policy.yaml": DISALLOW_DEFAULT_NAMESPACE})
    assert rule_ids(findings) == [
        "kyverno:disallow-default-namespace/validate-podcontroller-namespace"
    ]


@pytest.mark.parametrize(
    ("policy", "severity"),
    [(DISALLOW_PRIVILEGED, Severity.HIGH), (REQUIRE_LABELS, Severity.MEDIUM)],
    ids=["enforce", "audit"],
)
def test_failure_action_sets_the_severity(tmp_path: Path, policy: str, severity: Severity) -> None:
    manifests = pod(labels="app: web", security="{privileged: true}")
    [finding] = evaluate(tmp_path, manifests, {"policy.yaml": policy})
    assert finding.severity is severity


def test_exclude_skips_the_object(tmp_path: Path) -> None:
    policy = REQUIRE_LABELS.replace(
        "          validate:",
        "          exclude:\n"
        "            any:\n"
        "              - resources:\n"
        "                  namespaces: [shop]\n"
        "          validate:",
    )
    assert evaluate(tmp_path, pod(labels="app: web"), {"policy.yaml": policy}) == []


def test_message_names_the_failing_field(tmp_path: Path) -> None:
    [finding] = evaluate(tmp_path, pod(image="nginx:latest"), {"p.yaml": DISALLOW_LATEST_TAG})
    assert finding.location.field_path == "spec.containers[0].image"
    assert finding.message.startswith("Using a mutable image tag")


CONFIGMAP_CONTEXT = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: restrict-by-configmap
    spec:
      validationFailureAction: Enforce
      rules:
        - name: allowed-registries
          match:
            any:
            - resources:
                kinds: [Pod]
          context:
            - name: registries
              configMap:
                name: allowed-registries
                namespace: kyverno
          validate:
            message: "registry not allowed"
            deny:
              conditions:
                any:
                - key: "{{ images.containers.*.registry }}"
                  operator: AnyNotIn
                  value: "{{ registries.data.allowed }}"
"""


ALLOWED_REGISTRIES = """
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: allowed-registries
      namespace: kyverno
    data:
      allowed: '["ghcr.io"]'
"""


@pytest.mark.parametrize(
    ("image", "expected"),
    [("nginx:1.27", ["kyverno:restrict-by-configmap/allowed-registries"]), ("ghcr.io/x:1", [])],
)
def test_context_reads_config_maps_of_the_repository(
    tmp_path: Path, image: str, expected: list[str]
) -> None:
    policies = {"policy.yaml": CONFIGMAP_CONTEXT, "config.yaml": ALLOWED_REGISTRIES}
    assert rule_ids(evaluate(tmp_path, pod(image=image), policies)) == expected


def test_context_config_map_missing_is_a_policy_error(tmp_path: Path) -> None:
    [error] = evaluate(tmp_path, pod(), {"policy.yaml": CONFIGMAP_CONTEXT})
    assert error.rule_id == "policy-error"
    assert "kyverno/allowed-registries" in error.message


def test_unsupported_construct_is_reported_per_rule(tmp_path: Path) -> None:
    policy = CONFIGMAP_CONTEXT.replace(
        "configMap:\n                name: allowed-registries\n                namespace: kyverno",
        "apiCall:\n                urlPath: /api/v1/namespaces/kyverno/configmaps",
    )
    [finding] = evaluate(tmp_path, pod(), {"policy.yaml": policy})
    assert finding.rule_id == "policy-unsupported"
    assert "restrict-by-configmap/allowed-registries" in finding.message
    assert finding.severity is Severity.HIGH


def test_unresolvable_variable_is_a_policy_error(tmp_path: Path) -> None:
    policy = DISALLOW_CAPABILITIES.replace(
        "request.object.spec.[ephemeralContainers, initContainers, containers][]"
        ".securityContext.capabilities.add[]",
        "request.object.metadata.annotations.team",
    )
    [error] = evaluate(tmp_path, pod(), {"policy.yaml": policy})
    assert error.rule_id == "policy-error"
    assert "Pod/shop/web" in error.message


def test_images_variable_is_available(tmp_path: Path) -> None:
    policy = """
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata:
          name: restrict-image-registries
        spec:
          validationFailureAction: Enforce
          rules:
            - name: only-ghcr
              match:
                any:
                - resources:
                    kinds: [Pod]
              validate:
                message: "images must come from ghcr.io"
                deny:
                  conditions:
                    any:
                    - key: "{{ images.containers.*.registry }}"
                      operator: AnyNotIn
                      value: [ghcr.io]
    """
    findings = evaluate(tmp_path, pod(image="nginx:1.27"), {"p.yaml": policy})
    assert rule_ids(findings) == ["kyverno:restrict-image-registries/only-ghcr"]


KYVERNO_CEL = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: check-deployment-replicas
    spec:
      validationFailureAction: Enforce
      background: false
      rules:
        - name: check-deployment-replicas
          match:
            any:
            - resources:
                kinds:
                  - Deployment
          validate:
            cel:
              expressions:
                - expression: "object.spec.replicas < 4"
                  message:  "Deployment spec.replicas must be less than 4."
"""


@pytest.mark.parametrize(
    ("replicas", "expected"),
    [(5, ["kyverno:check-deployment-replicas/check-deployment-replicas"]), (3, [])],
)
def test_cel_rules_are_evaluated(tmp_path: Path, replicas: int, expected: list[str]) -> None:
    manifests = deployment().replace(
        "spec:\n      template:", f"spec:\n      replicas: {replicas}\n      template:"
    )
    assert rule_ids(evaluate(tmp_path, manifests, {"p.yaml": KYVERNO_CEL})) == expected


def test_cel_rule_that_does_not_compile_is_a_policy_error(tmp_path: Path) -> None:
    policy = KYVERNO_CEL.replace("object.spec.replicas < 4", "object.spec.replicas <")
    [error] = evaluate(tmp_path, deployment(), {"p.yaml": policy})
    assert error.rule_id == "policy-error"
    assert error.location.field_path == "spec.rules[0].validate.cel.expressions[0].expression"


def _pod_policy(pattern: str, name: str = "p") -> dict[str, str]:
    policy = f"""
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: {name}
    spec:
      rules:
        - name: r
          match:
            any:
              - resources:
                  kinds: [Pod]
          validate:
            message: "no"
            pattern:
{pattern}
    """
    return {"policy.yaml": policy}


def _pod(metadata: str, spec: str = "containers: [{name: a, image: nginx}]") -> str:
    return f"""
    apiVersion: v1
    kind: Pod
    metadata: {metadata}
    spec: {{{spec}}}
    """


@pytest.mark.parametrize(
    ("annotations", "fires"),
    [("{fluxcd.io/automated: 'true'}", True), ("{other.io/x: 'y'}", False)],
)
def test_wildcard_key_with_negation_anchor_matches_every_key(
    tmp_path: Path, annotations: str, fires: bool
) -> None:
    pattern = (
        "              metadata:\n"
        "                =(annotations):\n"
        '                  X(fluxcd.io/*): "*?"'
    )
    findings = evaluate(
        tmp_path, _pod(f"{{name: x, annotations: {annotations}}}"), _pod_policy(pattern)
    )
    assert bool(findings) is fires


@pytest.mark.parametrize(("account", "fires"), [("x", False), ("other", True)])
def test_variable_in_pattern_value_is_substituted(
    tmp_path: Path, account: str, fires: bool
) -> None:
    pattern = (
        "              spec:\n"
        '                serviceAccountName: "{{request.object.metadata.name}}"'
    )
    manifests = _pod(
        "{name: x}", f"serviceAccountName: {account}, containers: [{{name: a, image: b}}]"
    )
    assert bool(evaluate(tmp_path, manifests, _pod_policy(pattern))) is fires


@pytest.mark.parametrize(("groups", "fires"), [("[100, 150]", False), ("[100, 300]", True)])
def test_scalar_pattern_checks_each_element_of_a_list(
    tmp_path: Path, groups: str, fires: bool
) -> None:
    pattern = (
        "              spec:\n                =(securityContext):\n"
        '                  =(supplementalGroups): "100-200 | 500-600"'
    )
    manifests = _pod(
        "{name: x}", f"securityContext: {{supplementalGroups: {groups}}}, containers: []"
    )
    assert bool(evaluate(tmp_path, manifests, _pod_policy(pattern))) is fires


@pytest.mark.parametrize(("version", "fires"), [("v1.2.3", False), ("latest", True)])
def test_nested_variable_inside_quoted_argument_resolves(
    tmp_path: Path, version: str, fires: bool
) -> None:
    policy = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: version-label
    spec:
      rules:
        - name: r
          match:
            any:
              - resources:
                  kinds: [Pod]
          validate:
            message: "bad version"
            deny:
              conditions:
                any:
                  - key: >-
                      {{ regex_match('^v[0-9].[0-9].[0-9]$',
                      '{{ request.object.metadata.labels.version }}') }}
                    operator: Equals
                    value: false
    """
    manifests = _pod(f"{{name: x, labels: {{version: {version}}}}}")
    assert bool(evaluate(tmp_path, manifests, {"p.yaml": policy})) is fires


RESTRICT_JOBS = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: restrict-jobs
    spec:
      rules:
        - name: only-from-cronjobs
          match:
            any:
              - resources:
                  kinds: [Job]
          celPreconditions:
            - name: not-created-by-cronjob
              expression: >-
                !has(object.metadata.ownerReferences) ||
                object.metadata.ownerReferences[0].kind != 'CronJob'
          validate:
            cel:
              expressions:
                - expression: "false"
                  message: Jobs are only allowed if spawned from CronJobs.
"""


@pytest.mark.parametrize(
    ("owners", "fires"),
    [("[{kind: CronJob, name: c, apiVersion: batch/v1, uid: u}]", False), ("[]", True)],
)
def test_cel_preconditions_gate_the_rule(tmp_path: Path, owners: str, fires: bool) -> None:
    manifests = f"""
    apiVersion: batch/v1
    kind: Job
    metadata: {{name: j, ownerReferences: {owners}}}
    """
    if owners == "[]":
        manifests = manifests.replace(", ownerReferences: []", "")
    findings = evaluate(tmp_path, manifests, {"p.yaml": RESTRICT_JOBS})
    assert rule_ids(findings) == (["kyverno:restrict-jobs/only-from-cronjobs"] if fires else [])


def test_unknown_rule_field_is_unsupported_not_ignored(tmp_path: Path) -> None:
    policy = RESTRICT_JOBS.replace("celPreconditions:", "futureConditions:")
    findings = evaluate(tmp_path, _pod("{name: x}"), {"p.yaml": policy})
    assert rule_ids(findings) == ["policy-unsupported"]
    assert "futureConditions" in findings[0].message


TEAM_NAMES = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: team-names
    spec:
      rules:
        - name: prefix
          match:
            any:
              - resources:
                  kinds: [Namespace]
          validate:
            message: "names start with your team"
            deny:
              conditions:
                any:
                  - key: "{{ request.object.metadata.name }}"
                    operator: AnyNotIn
                    value: "{{ request.userInfo.groups[].join('-', [@, '*']) }}"
"""


def test_rule_deciding_by_the_requester_is_unsupported_offline(tmp_path: Path) -> None:
    manifests = """
    apiVersion: v1
    kind: Namespace
    metadata: {name: team1-test}
    """
    findings = evaluate(tmp_path, manifests, {"p.yaml": TEAM_NAMES})
    assert rule_ids(findings) == ["policy-unsupported"]
    assert "request.userInfo" in findings[0].message


def test_requester_in_the_message_only_does_not_matter(tmp_path: Path) -> None:
    policy = _pod_policy('              metadata:\n                name: "web"').copy()
    text = policy["policy.yaml"].replace(
        'message: "no"', 'message: "{{ request.userInfo.username }}"'
    )
    findings = evaluate(tmp_path, _pod("{name: web}"), {"policy.yaml": text})
    assert findings == []


QUOTED_OBJECT_PRECONDITION = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: team-images
    spec:
      rules:
        - name: registry
          match:
            any:
              - resources:
                  kinds: [Pod]
          preconditions:
            all:
              - key: '{{ request."object".metadata.labels.team || '''' }}'
                operator: Equals
                value: payments
          validate:
            message: "payments images come from ghcr.io/payments"
            pattern:
              spec:
                containers:
                  - image: "ghcr.io/payments/*"
"""


@pytest.mark.parametrize(("team", "fires"), [("payments", True), ("search", False)])
def test_autogen_reads_quoted_object_preconditions_from_the_pod_template(
    tmp_path: Path, team: str, fires: bool
) -> None:
    manifests = f"""
    apiVersion: apps/v1
    kind: Deployment
    metadata: {{name: api}}
    spec:
      template:
        metadata: {{labels: {{team: {team}}}}}
        spec:
          containers: [{{name: a, image: docker.io/nginx}}]
    """
    findings = evaluate(tmp_path, manifests, {"p.yaml": QUOTED_OBJECT_PRECONDITION})
    assert rule_ids(findings) == (["kyverno:team-images/registry"] if fires else [])
