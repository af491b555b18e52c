from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import gitwarden
from gitwarden.checks.api_schema import (
    CHECKS,
    ApiSchemaSettings,
    KubernetesVersion,
    api_schema_checks,
)
from gitwarden.errors import GitwardenError
from gitwarden.findings import Finding, Severity
from k8s_fixtures import run


def findings_of(
    rule_id: str, yaml_text: str, settings: ApiSchemaSettings | None = None
) -> list[Finding]:
    checks = CHECKS if settings is None else api_schema_checks(settings)
    return [f for f in run(checks, yaml_text) if f.rule_id == rule_id]


def deployment(container_lines: str = "", pod_lines: str = "", spec_lines: str = "") -> str:
    """A valid Deployment; the extra lines go into its container, pod spec and spec."""

    def block(lines: str, indent: int) -> str:
        lines = textwrap.dedent(lines)
        if lines and not lines.endswith("\n"):
            lines += "\n"
        return textwrap.indent(lines, " " * indent)

    container, pod, spec = block(container_lines, 10), block(pod_lines, 6), block(spec_lines, 2)
    return (
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata: {name: web, namespace: shop}\n"
        "spec:\n"
        f"{spec}"
        "  selector:\n"
        "    matchLabels: {app: web}\n"
        "  template:\n"
        "    metadata:\n"
        "      labels: {app: web}\n"
        "    spec:\n"
        f"{pod}"
        "      containers:\n"
        "        - name: web\n"
        "          image: nginx:1.27\n"
        f"{container}"
    )


MISSPELLED_SECURITY_FIELDS = [
    ("securityContext: {privilegd: false}", "privileged"),
    ("securityContext: {runAsNonRot: true}", "runAsNonRoot"),
    ("securityContext: {readOnlyRootFileSystem: true}", "readOnlyRootFilesystem"),
    ("securityContext: {allowPrivilegeEscalaton: false}", "allowPrivilegeEscalation"),
    ("securityContext: {capabilities: {dorp: [ALL]}}", "drop"),
    ("securityContex: {runAsNonRoot: true}", "securityContext"),
]


@pytest.mark.parametrize(("line", "suggestion"), MISSPELLED_SECURITY_FIELDS)
def test_misspelled_security_field_is_high_with_did_you_mean(line: str, suggestion: str) -> None:
    [finding] = findings_of("schema-security-field-misspelled", deployment(line))
    assert finding.severity is Severity.HIGH
    assert f'did you mean "{suggestion}"?' in finding.message


@pytest.mark.parametrize(
    "line",
    [
        "securityContext: {privileged: false}",
        "securityContext: {runAsNonRoot: true}",
        "securityContext: {readOnlyRootFilesystem: true}",
        "securityContext: {allowPrivilegeEscalation: false}",
        "securityContext: {capabilities: {drop: [ALL]}}",
    ],
)
def test_correctly_spelled_security_field_is_silent(line: str) -> None:
    assert run(CHECKS, deployment(line)) == []


@pytest.mark.parametrize(
    ("pod_line", "suggestion"),
    [("hostPid: false", "hostPID"), ("hostNetwrok: false", "hostNetwork")],
)
def test_misspelled_host_namespace_field_is_high(pod_line: str, suggestion: str) -> None:
    [finding] = findings_of("schema-security-field-misspelled", deployment(pod_lines=pod_line))
    assert f'did you mean "{suggestion}"?' in finding.message


def test_security_field_at_the_wrong_level_is_high() -> None:
    [finding] = findings_of("schema-security-field-misspelled", deployment("runAsNonRoot: true"))
    assert finding.location.field_path == "spec.template.spec.containers[0].runAsNonRoot"
    assert "wrong level" in finding.message


def test_unknown_field_is_reported_at_its_own_line() -> None:
    text = deployment("securityContext:\n  colour: blue\n")
    [finding] = findings_of("schema-unknown-field", text)
    assert finding.severity is Severity.MEDIUM
    assert finding.location.line == text.splitlines().index("            colour: blue") + 1
    assert (
        'unknown field "spec.template.spec.containers[0].securityContext.colour"' in finding.message
    )


def test_unknown_field_in_metadata_is_reported() -> None:
    text = deployment().replace(
        "metadata: {name: web, namespace: shop}", "metadata: {name: web, label: x}"
    )
    [finding] = findings_of("schema-unknown-field", text)
    assert finding.location.field_path == "metadata.label"
    assert 'did you mean "labels"?' in finding.message


@pytest.mark.parametrize(
    ("spec_line", "container_line", "field"),
    [
        ("replicas: three", "", "spec.replicas"),
        (
            "",
            "ports: [{containerPort: http}]",
            "spec.template.spec.containers[0].ports[0].containerPort",
        ),
        ("", "args: run", "spec.template.spec.containers[0].args"),
        ("", "env: [{name: A, value: 1}]", "spec.template.spec.containers[0].env[0].value"),
    ],
)
def test_value_of_the_wrong_type_is_reported(
    spec_line: str, container_line: str, field: str
) -> None:
    [finding] = findings_of(
        "schema-invalid-value", deployment(container_line, spec_lines=spec_line)
    )
    assert finding.location.field_path == field
    assert "invalid type" in finding.message


@pytest.mark.parametrize(
    "container_line",
    [
        "ports: [{containerPort: 8080}]",
        "args: [run]",
        'env: [{name: A, value: "1"}]',
        "resources: {limits: {cpu: 500m, memory: 1}}",
    ],
)
def test_value_of_the_right_type_is_silent(container_line: str) -> None:
    assert findings_of("schema-invalid-value", deployment(container_line)) == []


SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: %s}]
"""


@pytest.mark.parametrize(
    ("target_port", "fires"), [("http", False), ("8080", False), ("true", True), ("[80]", True)]
)
def test_int_or_string_field_accepts_both_and_nothing_else(target_port: str, fires: bool) -> None:
    assert bool(findings_of("schema-invalid-value", SERVICE % target_port)) is fires


def test_missing_required_field_is_reported_on_its_parent() -> None:
    text = deployment().replace("        - name: web\n          image", "        - image")
    [finding] = findings_of("schema-required-field-missing", text)
    assert finding.message.startswith(
        'missing required field "name" in spec.template.spec.containers[0]'
    )


@pytest.mark.parametrize(
    ("body", "fires"),
    [
        ("subjects: [{kind: User, name: a}]", True),
        (
            "subjects: [{kind: User, name: a}]\n"
            "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}",
            False,
        ),
    ],
)
def test_role_binding_without_role_ref_is_reported(body: str, fires: bool) -> None:
    text = (
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\n" + body
    )
    assert bool(findings_of("schema-required-field-missing", text)) is fires


@pytest.mark.parametrize(
    ("api_version", "kind", "replacement", "severity"),
    [
        ("batch/v1beta1", "CronJob", "apiVersion batch/v1", Severity.MEDIUM),
        ("extensions/v1beta1", "Deployment", "apiVersion apps/v1", Severity.MEDIUM),
        ("extensions/v1beta1", "Ingress", "apiVersion networking.k8s.io/v1", Severity.MEDIUM),
        ("apps/v1beta2", "StatefulSet", "apiVersion apps/v1", Severity.MEDIUM),
        (
            "rbac.authorization.k8s.io/v1beta1",
            "ClusterRole",
            "apiVersion rbac.authorization.k8s.io/v1",
            Severity.MEDIUM,
        ),
        ("policy/v1beta1", "PodSecurityPolicy", "Pod Security Admission", Severity.HIGH),
    ],
)
def test_removed_api_version_names_its_replacement(
    api_version: str, kind: str, replacement: str, severity: Severity
) -> None:
    text = f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: old}}\nspec: {{}}\n"
    [finding] = findings_of("schema-removed-api-version", text)
    assert replacement in finding.message
    assert finding.severity is severity
    assert finding.location.field_path == "apiVersion"


@pytest.mark.parametrize(("version", "fires"), [("1.31", False), ("1.32", True)])
def test_removed_api_version_follows_the_target_release(version: str, fires: bool) -> None:
    text = (
        "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: f}\n"
        "spec: {priorityLevelConfiguration: {name: p}}\n"
    )
    settings = ApiSchemaSettings(KubernetesVersion.parse(version))
    assert bool(findings_of("schema-removed-api-version", text, settings)) is fires


def test_misspelled_built_in_kind_gets_a_suggestion() -> None:
    text = "apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: typo}\n"
    [finding] = findings_of("schema-unknown-api-version", text)
    assert "did you mean kind Deployment?" in finding.message


def test_built_in_kind_at_a_version_that_never_existed_lists_the_served_ones() -> None:
    text = "apiVersion: apps/v2\nkind: Deployment\nmetadata: {name: future}\n"
    [finding] = findings_of("schema-unknown-api-version", text)
    assert "use apiVersion apps/v1" in finding.message


CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: {type: integer, minimum: 1}
                port: {x-kubernetes-int-or-string: true}
                colour: {type: string, enum: [red, blue], nullable: true}
                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
    - name: v0
      served: false
      storage: false
      schema: {openAPIV3Schema: {type: object}}
---
"""


def widget(spec: str, version: str = "v1") -> str:
    return f"apiVersion: example.com/{version}\nkind: Widget\nmetadata: {{name: w}}\nspec: {spec}\n"


@pytest.mark.parametrize(
    ("spec", "rule_id"),
    [
        ("{size: 3, sise: 4}", "schema-unknown-field"),
        ("{size: three}", "schema-invalid-value"),
        ("{size: 0}", "schema-invalid-value"),
        ("{size: 3, colour: green}", "schema-invalid-value"),
        ("{port: 8080}", "schema-required-field-missing"),
    ],
)
def test_custom_resource_is_validated_against_its_crd(spec: str, rule_id: str) -> None:
    assert [
        f.rule_id for f in run(CHECKS, CRD + widget(spec)) if f.severity is not Severity.INFO
    ] == [rule_id]


@pytest.mark.parametrize(
    "spec",
    [
        "{size: 3}",
        "{size: 3, port: http}",
        "{size: 3, port: 80}",
        "{size: 3, colour: null}",
        "{size: 3, extra: {any: [thing]}}",
    ],
)
def test_custom_resource_that_its_crd_accepts_is_silent(spec: str) -> None:
    assert [f for f in run(CHECKS, CRD + widget(spec)) if f.severity is not Severity.INFO] == []


def test_custom_resource_at_a_version_its_crd_does_not_serve_is_reported() -> None:
    [finding] = findings_of("schema-unknown-api-version", CRD + widget("{size: 3}", "v0"))
    assert "use apiVersion v1" in finding.message


def test_custom_kinds_without_crd_are_listed_once_per_kind_as_info() -> None:
    text = widget("{size: 3}") + "---\n" + widget("{size: 4}").replace("name: w", "name: w2")
    [finding] = findings_of("schema-kind-not-validated", text)
    assert finding.severity is Severity.INFO
    assert finding.message.startswith("not validated: 2 objects of kind Widget (example.com/v1)")


def test_crd_spec_is_listed_as_not_validated() -> None:
    [finding] = findings_of("schema-kind-not-validated", CRD + widget("{size: 3}"))
    assert "CustomResourceDefinition" in finding.message
    assert "only its metadata" in finding.message


def test_a_crd_of_one_scan_does_not_validate_the_next_scan() -> None:
    assert findings_of("schema-unknown-field", CRD + widget("{size: 3, sise: 4}"))
    assert findings_of("schema-unknown-field", widget("{size: 3, sise: 4}")) == []


def test_kubernetes_version_without_installed_schemas_is_a_user_error() -> None:
    settings = ApiSchemaSettings(KubernetesVersion(1, 2))
    with pytest.raises(GitwardenError, match=r"no Kubernetes 1\.2 schemas installed"):
        run(api_schema_checks(settings), deployment())


SOPS_SECRET = """\
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
stringData: {password: "ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]"}
%s:
  mac: "ENC[AES256_GCM,data:xyz,type:str]"
  version: 3.8.1
"""


@pytest.mark.parametrize(("key", "fires"), [("sops", False), ("sopz", True)])
def test_sops_block_of_an_encrypted_file_is_not_an_unknown_field(key: str, fires: bool) -> None:
    assert bool(findings_of("schema-unknown-field", SOPS_SECRET % key)) is fires


def test_scan_reports_a_misspelled_security_field_at_its_line(tmp_path: Path) -> None:
    text = deployment("securityContext:\n  runAsNonRot: true\n")
    (tmp_path / "web.yaml").write_text(text, encoding="utf-8")
    report = gitwarden.scan(tmp_path)
    [finding] = [f for f in report.findings if f.rule_id == "schema-security-field-misspelled"]
    assert finding.location.file == "web.yaml"
    assert finding.location.line == text.splitlines().index("            runAsNonRot: true") + 1


def test_config_disables_an_api_schema_rule_like_any_other(tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(deployment("securityContext: {colour: blue}"), "utf-8")
    (tmp_path / ".gitwarden.yaml").write_text("disabled_rules: [schema-unknown-field]\n", "utf-8")
    report = gitwarden.scan(tmp_path)
    assert [f for f in report.findings if f.rule_id == "schema-unknown-field"] == []


def crd_with_pattern(pattern: str) -> str:
    return CRD.replace(
        "size: {type: integer, minimum: 1}",
        "size: {type: integer, minimum: 1}\n"
        + " " * 16
        + f"code: {{type: string, pattern: '{pattern}'}}",
    )


@pytest.mark.parametrize(("code", "fires"), [("AB-12", False), ("ab", True)])
def test_crd_pattern_is_enforced(code: str, fires: bool) -> None:
    text = crd_with_pattern("^[A-Z]+-[0-9]+$") + widget(f"{{size: 3, code: {code}}}")
    assert bool(findings_of("schema-invalid-value", text)) is fires


def test_crd_whose_schema_does_not_compile_is_listed_as_not_validated() -> None:
    # Lookahead is not RE2: the API server refuses such a CRD, gitwarden cannot use it.
    text = crd_with_pattern("^(?=a)a$") + widget("{size: 3, code: a}")
    [finding] = [
        f for f in findings_of("schema-kind-not-validated", text) if "kind Widget" in f.message
    ]
    assert "does not compile" in finding.message
