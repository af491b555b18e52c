from __future__ import annotations

import textwrap
from typing import Any

import pytest

from gitwarden.checks.check import CheckSettings
from gitwarden.checks.pod_security import BASELINE, CHECKS, CONTROLS, RESTRICTED
from gitwarden.findings import Finding, Severity
from gitwarden.rules import PSS_URL
from k8s_fixtures import load_objects, rule_ids, run

CHECKS_BY_ID = {check.rule.id: check for check in CHECKS}
SEVERITIES_BY_LEVEL = {
    BASELINE: {Severity.HIGH, Severity.CRITICAL},
    RESTRICTED: {Severity.MEDIUM},
}
APPARMOR_KEY = "container.apparmor.security.beta.kubernetes.io/app"


def pod_yaml(spec: str, metadata: str = "") -> str:
    """A Pod named web in namespace shop, with ``spec`` and extra ``metadata`` lines."""
    return (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n"
        + textwrap.indent(textwrap.dedent(metadata), "  ")
        + "spec:\n"
        + textwrap.indent(textwrap.dedent(spec), "  ")
    )


def app_pod(security_context: str, pod_fields: str = "", container_fields: str = "") -> str:
    """A Pod whose one container, app, has ``security_context`` (flow YAML)."""
    return pod_yaml(
        pod_fields
        + "containers:\n- name: app\n  image: nginx\n"
        + f"  securityContext: {security_context}\n"
        + textwrap.indent(container_fields, "  ")
    )


def hardened_pod(
    *,
    capabilities: str = "{drop: [ALL]}",
    container_extra: str = "",
    seccomp: str = "RuntimeDefault",
    pod_fields: str = "",
) -> str:
    """A Pod that meets the restricted level unless the arguments say otherwise."""
    return app_pod(
        f"{{allowPrivilegeEscalation: false, capabilities: {capabilities}{container_extra}}}",
        f"securityContext: {{runAsNonRoot: true, seccompProfile: {{type: {seccomp}}}}}\n"
        + pod_fields,
    )


def run_rule(rule_id: str, yaml_text: str, settings: CheckSettings | None = None) -> list[Finding]:
    return run([CHECKS_BY_ID[rule_id]], yaml_text, settings)


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, [f.message for f in findings]
    return findings[0]


def case(rule_id: str, firing: str, compliant: str, name: str) -> Any:
    return pytest.param(rule_id, firing, compliant, id=name)


# Every rule: a manifest that breaks it once, and the compliant form of the same manifest.
CASES = [
    case(
        "pss-host-process",
        app_pod("{windowsOptions: {hostProcess: true}}"),
        app_pod("{windowsOptions: {hostProcess: false}}"),
        "host-process-container",
    ),
    case(
        "pss-host-process",
        app_pod("{}", "securityContext: {windowsOptions: {hostProcess: true}}\n"),
        app_pod("{}", "securityContext: {windowsOptions: {runAsUserName: app}}\n"),
        "host-process-pod",
    ),
    case("pss-host-namespaces", app_pod("{}", "hostPID: true\n"), app_pod("{}"), "host-pid"),
    case(
        "pss-host-namespaces",
        app_pod("{}", "hostNetwork: true\n"),
        app_pod("{}", "hostNetwork: false\nhostIPC: false\n"),
        "host-network",
    ),
    case(
        "pss-privileged",
        app_pod("{privileged: true}"),
        app_pod("{privileged: false}"),
        "privileged",
    ),
    case(
        "pss-capabilities-baseline",
        app_pod("{capabilities: {add: [CHOWN, SYS_ADMIN]}}"),
        app_pod("{capabilities: {add: [CHOWN, NET_BIND_SERVICE, SYS_CHROOT]}}"),
        "capabilities-baseline",
    ),
    case(
        "pss-host-path-volumes",
        app_pod("{}", "volumes:\n- name: docker\n  hostPath: {path: /var/run}\n"),
        app_pod("{}", "volumes:\n- name: cache\n  emptyDir: {}\n"),
        "host-path",
    ),
    case(
        "pss-host-ports",
        app_pod("{}", container_fields="ports: [{containerPort: 80, hostPort: 8080}]\n"),
        app_pod("{}", container_fields="ports: [{containerPort: 80, hostPort: 0}]\n"),
        "host-port",
    ),
    case(
        "pss-apparmor",
        app_pod("{appArmorProfile: {type: Unconfined}}"),
        app_pod("{appArmorProfile: {type: RuntimeDefault}}"),
        "apparmor-field",
    ),
    case(
        "pss-apparmor",
        pod_yaml(
            "containers: [{name: app, image: nginx}]\n",
            f"annotations:\n  {APPARMOR_KEY}: unconfined\n",
        ),
        pod_yaml(
            "containers: [{name: app, image: nginx}]\n",
            f"annotations:\n  {APPARMOR_KEY}: localhost/k8s-app\n",
        ),
        "apparmor-annotation",
    ),
    case(
        "pss-selinux",
        app_pod("{seLinuxOptions: {type: spc_t}}"),
        app_pod("{seLinuxOptions: {type: container_engine_t, level: 's0:c1,c2'}}"),
        "selinux-type",
    ),
    case(
        "pss-selinux",
        app_pod("{}", "securityContext: {seLinuxOptions: {role: sysadm_r}}\n"),
        app_pod("{}", "securityContext: {seLinuxOptions: {role: ''}}\n"),
        "selinux-role",
    ),
    case(
        "pss-proc-mount",
        app_pod("{procMount: Unmasked}"),
        app_pod("{procMount: Default}"),
        "proc-mount",
    ),
    case(
        "pss-seccomp-baseline",
        app_pod("{seccompProfile: {type: Unconfined}}"),
        app_pod("{seccompProfile: {type: Localhost, localhostProfile: app.json}}"),
        "seccomp-baseline",
    ),
    case(
        "pss-sysctls",
        app_pod("{}", "securityContext:\n  sysctls: [{name: kernel.msgmax, value: '65536'}]\n"),
        app_pod("{}", "securityContext:\n  sysctls: [{name: net.ipv4.tcp_rmem, value: '4096'}]\n"),
        "sysctls",
    ),
    case(
        "pss-probe-host",
        app_pod("{}", container_fields="livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}\n"),
        app_pod("{}", container_fields="livenessProbe: {httpGet: {path: /healthz, port: 80}}\n"),
        "probe-host",
    ),
    case(
        "pss-probe-host",
        app_pod("{}", container_fields="lifecycle: {preStop: {tcpSocket: {host: db, port: 1}}}\n"),
        app_pod("{}", container_fields="lifecycle: {preStop: {exec: {command: [stop]}}}\n"),
        "lifecycle-host",
    ),
    case(
        "pss-volume-types",
        app_pod("{}", "volumes:\n- name: data\n  nfs: {server: nas, path: /data}\n"),
        app_pod(
            "{}",
            "volumes:\n- name: data\n  persistentVolumeClaim: {claimName: data}\n"
            "- name: tools\n  image: {reference: 'registry.example/tools:1'}\n",
        ),
        "volume-types",
    ),
    case(
        "pss-privilege-escalation",
        app_pod("{}"),
        app_pod("{allowPrivilegeEscalation: false}"),
        "privilege-escalation",
    ),
    case(
        "pss-run-as-non-root",
        app_pod("{}"),
        app_pod("{}", "securityContext: {runAsNonRoot: true}\n"),
        "run-as-non-root-missing",
    ),
    case(
        "pss-run-as-non-root",
        app_pod("{runAsNonRoot: false}", "securityContext: {runAsNonRoot: true}\n"),
        app_pod("{runAsNonRoot: true}", "securityContext: {runAsUser: 1000}\n"),
        "run-as-non-root-container-override",
    ),
    case(
        "pss-run-as-user",
        app_pod("{runAsUser: 0}"),
        app_pod("{runAsUser: 1000}"),
        "run-as-user",
    ),
    case(
        "pss-seccomp-restricted",
        app_pod("{}"),
        app_pod("{}", "securityContext: {seccompProfile: {type: RuntimeDefault}}\n"),
        "seccomp-restricted",
    ),
    case(
        "pss-capabilities-restricted",
        app_pod("{}"),
        app_pod("{capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}"),
        "capabilities-restricted-drop",
    ),
    case(
        "pss-capabilities-restricted",
        app_pod("{capabilities: {drop: [ALL], add: [CHOWN]}}"),
        app_pod("{capabilities: {drop: [ALL]}}"),
        "capabilities-restricted-add",
    ),
    case(
        "pss-proc-mount-restricted",
        app_pod("{procMount: Unmasked}", "hostUsers: false\n"),
        app_pod("{procMount: Default}", "hostUsers: false\n"),
        "proc-mount-user-namespace",
    ),
]


@pytest.mark.parametrize(("rule_id", "firing", "compliant"), CASES)
def test_rule_fires_once_on_its_violation(rule_id: str, firing: str, compliant: str) -> None:
    assert rule_ids(run_rule(rule_id, firing)) == [rule_id]


@pytest.mark.parametrize(("rule_id", "firing", "compliant"), CASES)
def test_rule_is_silent_on_the_compliant_form(rule_id: str, firing: str, compliant: str) -> None:
    assert run_rule(rule_id, compliant) == []


def test_every_rule_has_a_firing_and_a_silent_case() -> None:
    assert {param.values[0] for param in CASES} == set(CHECKS_BY_ID)


def test_rules_carry_their_documentation() -> None:
    ids = [check.rule.id for check in CHECKS]
    assert len(ids) == len(set(ids))
    for control in CONTROLS:
        rule = control.rule
        assert rule.id.startswith("pss-")
        assert rule.family == "pod-security"
        assert rule.title and rule.rationale and rule.remediation
        assert rule.references[0] == PSS_URL
        assert rule.severity in SEVERITIES_BY_LEVEL[control.level], rule.id


def test_finding_points_at_the_offending_field_and_names_the_container() -> None:
    findings = run_rule(
        "pss-privileged",
        """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              containers:
              - name: app
                image: nginx
              - name: sidecar
                image: envoy
                securityContext:
                  privileged: true
        """,
    )
    finding = only(findings)
    assert finding.severity is Severity.CRITICAL
    assert finding.message == (
        "Container 'sidecar' runs privileged: set securityContext.privileged to false."
    )
    assert (
        finding.location.field_path == "spec.template.spec.containers[1].securityContext.privileged"
    )
    assert (finding.location.line, finding.location.resource) == (13, "Deployment/shop/web")


def test_missing_field_is_reported_where_it_must_be_added() -> None:
    yaml_text = pod_yaml(
        """\
        containers:
        - name: app
          image: nginx
          securityContext:
            runAsNonRoot: true
        """
    )
    finding = only(run_rule("pss-privilege-escalation", yaml_text))
    assert (
        finding.location.field_path == "spec.containers[0].securityContext.allowPrivilegeEscalation"
    )
    # Not written yet: the line of the securityContext the field belongs in.
    assert finding.location.line == 10


def test_init_and_ephemeral_containers_are_checked() -> None:
    yaml_text = pod_yaml(
        """\
        initContainers:
        - {name: setup, image: busybox, securityContext: {privileged: true}}
        containers:
        - {name: app, image: nginx}
        ephemeralContainers:
        - {name: debugger, image: busybox, securityContext: {privileged: true}}
        """
    )
    findings = run_rule("pss-privileged", yaml_text)
    assert [f.location.field_path for f in findings] == [
        "spec.initContainers[0].securityContext.privileged",
        "spec.ephemeralContainers[0].securityContext.privileged",
    ]
    assert findings[0].message.startswith("Init container 'setup' runs privileged")
    assert findings[1].message.startswith("Ephemeral container 'debugger' runs privileged")


def test_cronjob_and_argo_rollout_pod_templates_are_checked() -> None:
    findings = run_rule(
        "pss-host-namespaces",
        """\
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly, namespace: shop}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  hostPID: true
                  containers: [{name: job, image: busybox}]
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              hostNetwork: true
              containers: [{name: app, image: nginx}]
        """,
    )
    assert [(f.location.resource, f.location.field_path) for f in findings] == [
        ("CronJob/shop/nightly", "spec.jobTemplate.spec.template.spec.hostPID"),
        ("Rollout/shop/web", "spec.template.spec.hostNetwork"),
    ]


def test_host_pid_is_critical_and_host_network_high() -> None:
    findings = run_rule("pss-host-namespaces", app_pod("{}", "hostPID: true\nhostNetwork: true\n"))
    severities = {f.location.field_path: f.severity for f in findings}
    assert severities == {
        "spec.hostPID": Severity.CRITICAL,
        "spec.hostNetwork": Severity.HIGH,
    }


NAMESPACE = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: {level}
---
"""

# Breaks one baseline control and most restricted ones.
PRIVILEGED_POD = app_pod("{privileged: true}")


def test_baseline_namespace_reports_only_baseline_rules() -> None:
    findings = run(CHECKS, NAMESPACE.format(level="baseline") + PRIVILEGED_POD)
    assert rule_ids(findings) == ["pss-privileged"]


def test_baseline_default_level_reports_only_baseline_rules() -> None:
    findings = run(CHECKS, PRIVILEGED_POD, CheckSettings(pod_security_level="baseline"))
    assert rule_ids(findings) == ["pss-privileged"]


def test_restricted_namespace_also_reports_restricted_rules() -> None:
    findings = run(CHECKS, NAMESPACE.format(level="restricted") + PRIVILEGED_POD)
    assert rule_ids(findings) == [
        "pss-capabilities-restricted",
        "pss-privilege-escalation",
        "pss-privileged",
        "pss-run-as-non-root",
        "pss-seccomp-restricted",
    ]


def test_privileged_namespace_reports_nothing() -> None:
    yaml_text = app_pod(
        "{privileged: true, runAsUser: 0}",
        "hostPID: true\nvolumes: [{name: r, hostPath: {path: /}}]\n",
    )
    assert run(CHECKS, NAMESPACE.format(level="privileged") + yaml_text) == []


def test_restricted_compliant_deployment_has_no_finding() -> None:
    yaml_text = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: shop}
    spec:
      template:
        metadata:
          annotations:
            container.apparmor.security.beta.kubernetes.io/app: runtime/default
        spec:
          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
            seccompProfile: {type: RuntimeDefault}
            sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: "0"}]
          initContainers:
          - name: migrate
            image: app
            securityContext:
              allowPrivilegeEscalation: false
              capabilities: {drop: [ALL]}
          containers:
          - name: app
            image: app
            ports: [{containerPort: 8080}]
            readinessProbe: {httpGet: {path: /ready, port: 8080}}
            securityContext:
              allowPrivilegeEscalation: false
              capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
              readOnlyRootFilesystem: true
              procMount: Default
              appArmorProfile: {type: RuntimeDefault}
          volumes:
          - {name: config, configMap: {name: web}}
          - {name: tmp, emptyDir: {}}
          - {name: token, projected: {sources: [{serviceAccountToken: {path: token}}]}}
    """
    assert run(CHECKS, yaml_text) == []


def test_pod_level_run_as_non_root_covers_containers_that_do_not_override_it() -> None:
    yaml_text = pod_yaml(
        """\
        securityContext: {runAsNonRoot: true}
        containers:
        - {name: app, image: nginx}
        - {name: sidecar, image: envoy, securityContext: {runAsNonRoot: false}}
        """
    )
    finding = only(run_rule("pss-run-as-non-root", yaml_text))
    assert finding.location.field_path == "spec.containers[1].securityContext.runAsNonRoot"
    assert finding.message.startswith("Container 'sidecar' sets runAsNonRoot to false")


def test_pod_level_run_as_non_root_false_is_one_finding_for_all_inheriting_containers() -> None:
    yaml_text = pod_yaml(
        """\
        securityContext: {runAsNonRoot: false}
        containers:
        - {name: app, image: nginx}
        - {name: sidecar, image: envoy}
        """
    )
    finding = only(run_rule("pss-run-as-non-root", yaml_text))
    assert finding.location.field_path == "spec.securityContext.runAsNonRoot"


def test_missing_run_as_non_root_is_one_finding_per_container() -> None:
    yaml_text = pod_yaml(
        """\
        containers:
        - {name: app, image: nginx}
        - {name: sidecar, image: envoy}
        """
    )
    findings = run_rule("pss-run-as-non-root", yaml_text)
    assert [f.location.field_path for f in findings] == [
        "spec.containers[0].securityContext.runAsNonRoot",
        "spec.containers[1].securityContext.runAsNonRoot",
    ]


def test_pod_level_seccomp_profile_covers_every_container() -> None:
    yaml_text = pod_yaml(
        """\
        securityContext: {seccompProfile: {type: RuntimeDefault}}
        initContainers: [{name: setup, image: busybox}]
        containers: [{name: app, image: nginx}]
        """
    )
    assert run_rule("pss-seccomp-restricted", yaml_text) == []


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        pytest.param(
            hardened_pod(pod_fields="volumes: [{name: root, hostPath: {path: /}}]\n"),
            ["pss-host-path-volumes"],
            id="host-path-not-also-a-volume-type",
        ),
        pytest.param(
            hardened_pod(capabilities="{drop: [ALL], add: [SYS_ADMIN]}"),
            ["pss-capabilities-baseline"],
            id="capability-reported-by-one-rule",
        ),
        pytest.param(
            hardened_pod(seccomp="Unconfined"),
            ["pss-seccomp-baseline"],
            id="unconfined-seccomp-not-also-missing",
        ),
        pytest.param(
            hardened_pod(container_extra=", procMount: Unmasked"),
            ["pss-proc-mount"],
            id="proc-mount-reported-by-one-rule",
        ),
    ],
)
def test_a_field_breaking_baseline_and_restricted_is_reported_once(
    yaml_text: str, expected: list[str]
) -> None:
    assert rule_ids(run(CHECKS, yaml_text)) == expected


def test_user_namespace_pod_may_run_as_root_at_either_level() -> None:
    yaml_text = hardened_pod(
        container_extra=", runAsUser: 0, runAsNonRoot: false, procMount: Unmasked",
        pod_fields="hostUsers: false\n",
    )
    assert run(CHECKS, yaml_text, CheckSettings(pod_security_level="baseline")) == []
    assert rule_ids(run(CHECKS, yaml_text)) == ["pss-proc-mount-restricted"]


def test_windows_pods_are_exempt_from_linux_only_restricted_controls() -> None:
    yaml_text = app_pod("{runAsNonRoot: true}", "os: {name: windows}\n")
    assert run(CHECKS, yaml_text) == []
    linux = app_pod("{runAsNonRoot: true}", "os: {name: linux}\n")
    assert rule_ids(run(CHECKS, linux)) == [
        "pss-capabilities-restricted",
        "pss-privilege-escalation",
        "pss-seccomp-restricted",
    ]


def test_apparmor_annotation_is_read_from_the_pod_template() -> None:
    findings = run_rule(
        "pss-apparmor",
        f"""\
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {{name: db, namespace: shop}}
        spec:
          template:
            metadata:
              annotations:
                {APPARMOR_KEY}: unconfined
            spec:
              containers: [{{name: app, image: postgres}}]
        """,
    )
    finding = only(findings)
    assert finding.location.field_path == f'spec.template.metadata.annotations["{APPARMOR_KEY}"]'
    assert finding.location.line == 8
    assert finding.message.startswith("Container 'app' runs with AppArmor profile unconfined")


def test_only_the_offending_capability_and_sysctl_entries_are_reported() -> None:
    yaml_text = app_pod(
        "{capabilities: {add: [NET_ADMIN, CHOWN, SYS_PTRACE]}}",
        "securityContext:\n  sysctls: [{name: kernel.shm_rmid_forced, value: '1'}, "
        "{name: vm.swappiness, value: '0'}]\n",
    )
    findings = run(
        [CHECKS_BY_ID["pss-capabilities-baseline"], CHECKS_BY_ID["pss-sysctls"]], yaml_text
    )
    assert [f.location.field_path for f in findings] == [
        "spec.containers[0].securityContext.capabilities.add[0]",
        "spec.containers[0].securityContext.capabilities.add[2]",
        "spec.securityContext.sysctls[1].name",
    ]


def test_objects_without_a_pod_spec_are_ignored() -> None:
    yaml_text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: {}\n"
    assert load_objects(yaml_text)
    assert run(CHECKS, yaml_text) == []


def test_malformed_fields_are_read_without_crashing() -> None:
    yaml_text = pod_yaml(
        """\
        securityContext: oops
        volumes: [config, {name: v, hostPath: /}]
        containers:
        - name: app
          securityContext: {capabilities: {add: [{name: SYS_ADMIN}], drop: ALL}, seccompProfile: 1}
          ports: [80]
          livenessProbe: {httpGet: [host]}
        - plain-string
        """
    )
    assert rule_ids(run(CHECKS, yaml_text)) == [
        "pss-capabilities-baseline",
        "pss-capabilities-restricted",
        "pss-host-path-volumes",
        "pss-privilege-escalation",
        "pss-run-as-non-root",
        "pss-seccomp-baseline",
    ]


def sysctl_pod(name: str) -> str:
    return app_pod("{}", f"securityContext:\n  sysctls: [{{name: {name}, value: '1'}}]\n")


def pinned_namespace(version: str) -> str:
    return (
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n"
        "    pod-security.kubernetes.io/enforce: baseline\n"
        f"    pod-security.kubernetes.io/enforce-version: {version}\n---\n"
    )


@pytest.mark.parametrize(
    "name",
    [
        "net.ipv4.tcp_slow_start_after_idle",
        "net.ipv4.tcp_notsent_lowat",
        "net.ipv4.tcp_rmem",
        "net.ipv4.tcp_keepalive_probes",
        "net.ipv4.ip_local_reserved_ports",
    ],
)
def test_sysctl_safe_in_the_newest_standard_is_silent_without_a_pinned_version(name: str) -> None:
    assert run_rule("pss-sysctls", sysctl_pod(name)) == []


@pytest.mark.parametrize(
    ("version", "name", "fires"),
    [
        ("v1.36", "net.ipv4.tcp_slow_start_after_idle", True),
        ("v1.37", "net.ipv4.tcp_slow_start_after_idle", False),
        ("latest", "net.ipv4.tcp_notsent_lowat", False),
        ("v1.31", "net.ipv4.tcp_wmem", True),
        ("v1.32", "net.ipv4.tcp_wmem", False),
        ("v1.28", "net.ipv4.tcp_fin_timeout", True),
        ("v1.29", "net.ipv4.tcp_fin_timeout", False),
        ("v1.26", "net.ipv4.ip_local_reserved_ports", True),
        ("v1.27", "net.ipv4.ip_local_reserved_ports", False),
        ("v1.20", "net.ipv4.ping_group_range", False),
        ("not-a-version", "net.ipv4.tcp_notsent_lowat", False),
    ],
)
def test_sysctls_follow_the_enforce_version_of_the_namespace(
    version: str, name: str, fires: bool
) -> None:
    findings = run_rule("pss-sysctls", pinned_namespace(version) + sysctl_pod(name))
    assert bool(findings) is fires


def test_sysctl_newer_than_the_pinned_standard_names_the_version_that_allows_it() -> None:
    [finding] = run_rule(
        "pss-sysctls", pinned_namespace("v1.36") + sysctl_pod("net.ipv4.tcp_notsent_lowat")
    )
    assert "allows only from v1.37 on" in finding.message


def test_unsafe_sysctl_fires_whatever_the_pinned_version() -> None:
    [finding] = run_rule("pss-sysctls", pinned_namespace("latest") + sysctl_pod("kernel.msgmax"))
    assert "not namespaced or not isolated" in finding.message


@pytest.mark.parametrize(
    ("version", "fires"), [("v1.33", False), ("v1.34", True), ("latest", True)]
)
def test_probe_host_control_applies_from_the_standard_that_added_it(
    version: str, fires: bool
) -> None:
    pod = app_pod("{}", container_fields="livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}\n")
    assert bool(run_rule("pss-probe-host", pinned_namespace(version) + pod)) is fires
