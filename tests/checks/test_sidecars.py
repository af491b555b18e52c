from __future__ import annotations

import textwrap

import pytest

from gitwarden.checks.check import CheckContext
from gitwarden.checks.sidecars import CHECKS, application_container
from gitwarden.findings import Finding, Severity
from k8s_fixtures import load_objects, run

CHECK_BY_ID = {check.rule.id: check for check in CHECKS}

# A confined application, and a sidecar whose securityContext and mounts each test varies.
POD = """\
    apiVersion: v1
    kind: Pod
    metadata: {{name: web, namespace: shop}}
    spec:
      automountServiceAccountToken: false
      containers:
        - name: app
          image: ghcr.io/acme/web:1.0
          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
            capabilities: {{add: [NET_BIND_SERVICE], drop: [ALL]}}
          volumeMounts:
            - {{name: cache, mountPath: /cache}}
        - name: agent
          image: ghcr.io/acme/agent:1.0
          securityContext: {sidecar_security}
          volumeMounts: {sidecar_mounts}
      volumes:
        - name: cache
          emptyDir: {{}}
        - name: varlog
          hostPath: {{path: /var/log}}
        - name: token
          projected:
            sources:
              - serviceAccountToken: {{path: token, expirationSeconds: 3600}}
    """

CONFINED = "{runAsNonRoot: true, runAsUser: 10002}"


def pod(sidecar_security: str = CONFINED, sidecar_mounts: str = "[]") -> str:
    return textwrap.dedent(POD).format(
        sidecar_security=sidecar_security, sidecar_mounts=sidecar_mounts
    )


FIRING = {
    "sidecars-privileged": pod("{privileged: true, runAsNonRoot: true, runAsUser: 10002}"),
    "sidecars-added-capabilities": pod(
        "{runAsNonRoot: true, runAsUser: 10002, capabilities: {add: [NET_ADMIN]}}"
    ),
    "sidecars-runs-as-root": pod("{runAsUser: 0}"),
    "sidecars-host-path": pod(sidecar_mounts="[{name: varlog, mountPath: /var/log}]"),
    "sidecars-service-account-token": pod(
        sidecar_mounts="[{name: token, mountPath: /var/run/secrets/tokens}]"
    ),
}

SILENT = {
    "sidecars-privileged": pod(),
    "sidecars-added-capabilities": pod(
        "{runAsNonRoot: true, runAsUser: 10002, capabilities: {add: [CAP_NET_BIND_SERVICE]}}"
    ),
    "sidecars-runs-as-root": pod(),
    "sidecars-host-path": pod(sidecar_mounts="[{name: cache, mountPath: /cache}]"),
    "sidecars-service-account-token": pod(),
}


def findings_of(rule_id: str, yaml_text: str) -> list[Finding]:
    return run([CHECK_BY_ID[rule_id]], yaml_text)


def test_every_rule_has_a_firing_and_a_silent_case() -> None:
    assert set(FIRING) == set(SILENT) == set(CHECK_BY_ID)


def test_every_rule_is_high_and_carries_its_metadata() -> None:
    for check in CHECKS:
        rule = check.rule
        assert rule.id.startswith("sidecars-")
        assert rule.family == "sidecars"
        assert rule.severity == Severity.HIGH
        assert rule.title and rule.rationale and rule.remediation and rule.references


@pytest.mark.parametrize("rule_id", sorted(FIRING))
def test_rule_fires_on_a_sidecar_with_more_privilege(rule_id: str) -> None:
    findings = findings_of(rule_id, FIRING[rule_id])
    assert [f.rule_id for f in findings] == [rule_id]
    assert "'agent'" in findings[0].message
    assert "'app'" in findings[0].message
    assert findings[0].details == {"sidecar": "agent", "application": "app"}


@pytest.mark.parametrize("rule_id", sorted(SILENT))
def test_rule_is_silent_when_the_sidecar_has_no_more_than_the_app(rule_id: str) -> None:
    assert findings_of(rule_id, SILENT[rule_id]) == []


def test_confined_pod_passes_every_sidecar_rule() -> None:
    assert run(CHECKS, pod()) == []


def test_privileged_sidecar_is_reported_at_its_field_and_line() -> None:
    yaml_text = """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: ghcr.io/acme/web:1.0
                - name: vpn
                  image: ghcr.io/acme/vpn:1.0
                  securityContext:
                    privileged: true
        """
    [finding] = findings_of("sidecars-privileged", yaml_text)
    assert (
        finding.location.field_path == "spec.template.spec.containers[1].securityContext.privileged"
    )
    assert finding.location.line == 13
    assert finding.message.startswith("Sidecar 'vpn' of Deployment/shop/web is privileged")
    assert "application container 'app' is not" in finding.message


def test_privileged_app_makes_a_privileged_sidecar_no_worse() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          containers:
            - {name: app, image: a:1, securityContext: {privileged: true}}
            - {name: helper, image: h:1, securityContext: {privileged: true}}
        """
    assert findings_of("sidecars-privileged", yaml_text) == []


def test_single_container_pods_have_no_sidecars() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          initContainers:
            - {name: setup, image: s:1, securityContext: {privileged: true}}
          containers:
            - {name: app, image: a:1}
        """
    assert run(CHECKS, yaml_text) == []


def test_native_sidecars_in_init_containers_count() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          initContainers:
            - name: setup
              image: s:1
              securityContext: {privileged: true}
            - name: mesh
              image: m:1
              restartPolicy: Always
              securityContext: {privileged: true}
          containers:
            - {name: app, image: a:1}
        """
    [finding] = findings_of("sidecars-privileged", yaml_text)
    assert finding.location.field_path == "spec.initContainers[1].securityContext.privileged"
    assert "'mesh'" in finding.message


def test_default_container_annotation_names_the_application() -> None:
    yaml_text = """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            metadata:
              annotations:
                kubectl.kubernetes.io/default-container: app
            spec:
              containers:
                - name: proxy
                  image: p:1
                - name: app
                  image: a:1
                  securityContext: {runAsNonRoot: true}
        """
    [app] = [
        application_container(spec) for spec in CheckContext(load_objects(yaml_text)).pod_specs
    ]
    assert app is not None and app.name == "app"
    [finding] = findings_of("sidecars-runs-as-root", yaml_text)
    assert "Sidecar 'proxy'" in finding.message
    assert finding.location.field_path == (
        "spec.template.spec.containers[0].securityContext.runAsNonRoot"
    )


def test_annotation_naming_no_container_falls_back_to_the_first() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          namespace: shop
          annotations: {kubectl.kubernetes.io/default-container: gone}
        spec:
          containers:
            - {name: first, image: a:1}
            - {name: second, image: b:1}
        """
    [spec] = CheckContext(load_objects(yaml_text)).pod_specs
    app = application_container(spec)
    assert app is not None and app.name == "first"


@pytest.mark.parametrize(
    ("pod_context", "app_context", "sidecar_context", "fires"),
    [
        # The pod-level setting applies to both containers: no difference.
        ("{runAsNonRoot: true}", "{}", "{}", False),
        # The sidecar overrides the pod's non-root setting.
        ("{runAsNonRoot: true}", "{}", "{runAsNonRoot: false}", True),
        # A non-zero UID is not root even without runAsNonRoot.
        ("{}", "{runAsNonRoot: true}", "{runAsUser: 1000}", False),
        ("{}", "{runAsNonRoot: true}", "{}", True),
        # The app may be root too: the sidecar is no worse.
        ("{}", "{}", "{runAsUser: 0}", False),
        ("{runAsUser: 0}", "{runAsUser: 10001}", "{}", True),
    ],
)
def test_root_comparison_uses_effective_settings(
    pod_context: str, app_context: str, sidecar_context: str, fires: bool
) -> None:
    yaml_text = f"""\
        apiVersion: v1
        kind: Pod
        metadata: {{name: p, namespace: shop}}
        spec:
          securityContext: {pod_context}
          containers:
            - {{name: app, image: a:1, securityContext: {app_context}}}
            - {{name: helper, image: h:1, securityContext: {sidecar_context}}}
        """
    assert len(findings_of("sidecars-runs-as-root", yaml_text)) == (1 if fires else 0)


def test_root_via_pod_user_zero_points_at_run_as_user() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          securityContext: {runAsUser: 0}
          containers:
            - {name: app, image: a:1, securityContext: {runAsUser: 10001}}
            - {name: helper, image: h:1}
        """
    [finding] = findings_of("sidecars-runs-as-root", yaml_text)
    assert finding.location.field_path == "spec.containers[1].securityContext.runAsUser"
    assert "runAsUser: 0" in finding.message


@pytest.mark.parametrize(
    ("app_add", "sidecar_add", "extra"),
    [
        ("[]", "[NET_ADMIN, SYS_ADMIN]", "NET_ADMIN, SYS_ADMIN"),
        ("[NET_ADMIN]", "[net_admin, SYS_TIME]", "SYS_TIME"),
        ("[ALL]", "[SYS_ADMIN]", None),
        ("[NET_ADMIN]", "[ALL]", "ALL"),
    ],
)
def test_capabilities_are_compared_by_name(
    app_add: str, sidecar_add: str, extra: str | None
) -> None:
    yaml_text = f"""\
        apiVersion: v1
        kind: Pod
        metadata: {{name: p, namespace: shop}}
        spec:
          containers:
            - name: app
              image: a:1
              securityContext: {{capabilities: {{add: {app_add}}}}}
            - name: helper
              image: h:1
              securityContext: {{capabilities: {{add: {sidecar_add}}}}}
        """
    findings = findings_of("sidecars-added-capabilities", yaml_text)
    if extra is None:
        assert findings == []
    else:
        [finding] = findings
        assert f"adds capabilities {extra} " in finding.message
        assert finding.location.field_path == "spec.containers[1].securityContext.capabilities.add"


def test_each_extra_host_path_mount_is_its_own_finding() -> None:
    yaml_text = pod(
        sidecar_mounts=(
            "[{name: varlog, mountPath: /var/log}, {name: cache, mountPath: /c},"
            " {name: docker, mountPath: /var/run/docker.sock}]"
        )
    ).replace(
        "  volumes:\n",
        "  volumes:\n    - {name: docker, hostPath: {path: /var/run/docker.sock}}\n",
    )
    findings = findings_of("sidecars-host-path", yaml_text)
    assert [f.location.field_path for f in findings] == [
        "spec.containers[1].volumeMounts[0]",
        "spec.containers[1].volumeMounts[2]",
    ]
    assert "/var/run/docker.sock" in findings[1].message


def test_host_path_the_app_mounts_too_is_not_excess() -> None:
    yaml_text = pod(sidecar_mounts="[{name: varlog, mountPath: /logs, readOnly: true}]").replace(
        "- {name: cache, mountPath: /cache}",
        "- {name: cache, mountPath: /cache}\n        - {name: varlog, mountPath: /var/log}",
    )
    assert findings_of("sidecars-host-path", yaml_text) == []


def test_token_mount_by_path_counts_as_a_token() -> None:
    yaml_text = pod(
        sidecar_mounts="[{name: cache, mountPath: /var/run/secrets/kubernetes.io/serviceaccount/}]"
    )
    [finding] = findings_of("sidecars-service-account-token", yaml_text)
    assert finding.location.field_path == "spec.containers[1].volumeMounts[0]"


@pytest.mark.parametrize(
    "change",
    [
        # Automounting gives the app the token as well.
        ("automountServiceAccountToken: false", "automountServiceAccountToken: true"),
        ("automountServiceAccountToken: false", "priority: 0"),
        # The app mounts the projected token itself.
        ("- {name: cache, mountPath: /cache}", "- {name: token, mountPath: /var/run/secrets/t}"),
    ],
)
def test_token_is_no_excess_when_the_app_has_one(change: tuple[str, str]) -> None:
    yaml_text = FIRING["sidecars-service-account-token"].replace(*change)
    assert findings_of("sidecars-service-account-token", yaml_text) == []


def test_service_account_that_disables_automount_leaves_the_app_without_token() -> None:
    yaml_text = (
        FIRING["sidecars-service-account-token"].replace(
            "automountServiceAccountToken: false", "priority: 0"
        )
        + "---\napiVersion: v1\nkind: ServiceAccount\n"
        "metadata: {name: default, namespace: shop}\nautomountServiceAccountToken: false\n"
    )
    assert len(findings_of("sidecars-service-account-token", yaml_text)) == 1
