"""Argo CD, Flux and Kyverno custom resources are validated against the CRD schemas gitwarden ships
when the repository holds no CRD for them; a repository's own CRD wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitwarden.checks.api_schema.shipped_crds import release_tolerant, shipped_definition
from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.config import Config
from gitwarden.findings import Finding

APPLICATION = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: guestbook, namespace: argocd}
spec:
  project: guestbook
  source:
    repoURL: https://github.com/argoproj/argocd-example-apps.git
    path: guestbook
    targetRevision: HEAD
  destination: {server: https://kubernetes.default.svc, namespace: guestbook}
  syncPolicy:
    automated: {FIELD: true, selfHeal: true}
"""
KUSTOMIZATION = """\
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: INTERVAL
  path: ./apps
  prune: true
  serviceAccountName: apps
  sourceRef: {kind: SOURCE_KIND, name: flux-system}
"""
KYVERNO_POLICY = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: require-labels}
spec:
  validationFailureAction: Enforce
  rules:
    - name: check-team
      match: {any: [{resources: {kinds: [Pod]}}]}
      validate: {message: "label team is required", pattern: {metadata: {labels: {team: "?*"}}}}
"""
# A repository's own Application CRD: accepts any spec, so nothing is unknown.
OPEN_APPLICATION_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: applications.argoproj.io}
spec:
  group: argoproj.io
  scope: Namespaced
  names: {kind: Application, plural: applications}
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
"""


def schema_findings(tmp_path: Path, files: dict[str, str]) -> list[Finding]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = scan(tmp_path, Config(), ScanOptions(render=False, secrets=False))
    return [f for f in report.findings if f.rule_id.startswith("schema-")]


def rules_at(findings: list[Finding]) -> list[tuple[str, str | None]]:
    return sorted((f.rule_id, f.location.field_path) for f in findings)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("prun", [("schema-unknown-field", "spec.syncPolicy.automated.prun")]),
        ("prune", []),
    ],
)
def test_an_argo_cd_application_is_validated_against_the_shipped_schema(
    tmp_path: Path, field: str, expected: list[tuple[str, str]]
) -> None:
    findings = schema_findings(tmp_path, {"app.yaml": APPLICATION.replace("FIELD", field)})
    assert rules_at(findings) == expected


def test_a_misspelled_argo_cd_field_is_offered_its_correct_name(tmp_path: Path) -> None:
    [finding] = schema_findings(tmp_path, {"app.yaml": APPLICATION.replace("FIELD", "prun")})
    assert 'did you mean "prune"?' in finding.message


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        ("10", [("schema-invalid-value", "spec.interval")]),
        ("10m", []),
    ],
)
def test_a_flux_kustomization_of_the_wrong_type_is_reported(
    tmp_path: Path, interval: str, expected: list[tuple[str, str]]
) -> None:
    text = KUSTOMIZATION.replace("INTERVAL", interval).replace("SOURCE_KIND", "GitRepository")
    assert rules_at(schema_findings(tmp_path, {"ks.yaml": text})) == expected


def test_values_a_newer_flux_release_allows_are_not_rejected(tmp_path: Path) -> None:
    # ExternalArtifact came with Flux 2.7; the shipped schemas are older.
    text = KUSTOMIZATION.replace("INTERVAL", "10m").replace("SOURCE_KIND", "ExternalArtifact")
    assert schema_findings(tmp_path, {"ks.yaml": text}) == []


def test_a_crd_in_the_repository_wins_over_the_shipped_schema(tmp_path: Path) -> None:
    files = {"app.yaml": APPLICATION.replace("FIELD", "prun"), "crd.yaml": OPEN_APPLICATION_CRD}
    assert rules_at(schema_findings(tmp_path, files)) == [
        ("schema-kind-not-validated", None)  # the CRD itself: only its metadata is validated
    ]


def test_a_version_the_shipped_schemas_lack_is_not_validated_rather_than_refused(
    tmp_path: Path,
) -> None:
    release = (
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
        "metadata: {name: podinfo, namespace: podinfo}\nspec: {interval: 1h, bogus: 1}\n"
    )
    [finding] = schema_findings(tmp_path, {"release.yaml": release})
    assert finding.rule_id == "schema-kind-not-validated"
    assert "the schemas gitwarden ships cover v2beta1, v2beta2 only" in finding.message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("", "", []),
        ("rules:", "rulez:", [("schema-unknown-field", "spec.rulez")]),
        ("pattern:", "patern:", [("schema-unknown-field", "spec.rules[0].validate.patern")]),
        (
            "validationFailureAction: Enforce",
            "background: maybe",
            [("schema-invalid-value", "spec.background")],
        ),
    ],
)
def test_a_kyverno_policy_is_validated_against_the_shipped_schema(
    tmp_path: Path, old: str, new: str, expected: list[tuple[str, str]]
) -> None:
    text = KYVERNO_POLICY.replace(old, new) if old else KYVERNO_POLICY
    assert rules_at(schema_findings(tmp_path, {"policy.yaml": text})) == expected


@pytest.mark.parametrize(
    ("group", "kind", "versions"),
    [
        ("argoproj.io", "Application", ("v1alpha1",)),
        ("argoproj.io", "ApplicationSet", ("v1alpha1",)),
        ("kustomize.toolkit.fluxcd.io", "Kustomization", ("v1", "v1beta1", "v1beta2")),
        ("source.toolkit.fluxcd.io", "GitRepository", ("v1", "v1beta1", "v1beta2")),
        ("kyverno.io", "ClusterPolicy", ("v1", "v2beta1")),
        ("kyverno.io", "PolicyException", ("v2", "v2beta1")),
    ],
)
def test_argo_cd_and_flux_kinds_are_shipped(
    group: str, kind: str, versions: tuple[str, ...]
) -> None:
    definition = shipped_definition(group, kind)
    assert definition is not None and definition.versions == versions


def test_kinds_of_other_projects_are_not_shipped() -> None:
    assert shipped_definition("example.org", "Widget") is None


def test_release_tolerance_drops_enums_and_admits_description_fields() -> None:
    node = {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": ["GitRepository"]},
            # A field named like a keyword is a field, not the keyword.
            "enum": {"type": "array", "items": {"type": "string", "enum": ["a"]}},
        },
        "required": ["kind"],
        "anyOf": [{"enum": [1]}],
    }
    assert release_tolerant(node) == {
        "type": "object",
        "properties": {
            "kind": {"type": "string"},
            "enum": {"type": "array", "items": {"type": "string"}},
            "description": {},
        },
        "required": ["kind"],
        "anyOf": [{}],
    }


APP_PROJECT = """\
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: payments, namespace: argocd}
spec:
  description: Payments team
  FIELD: ["https://github.com/example/payments.git"]
  destinations: [{server: https://kubernetes.default.svc, namespace: payments}]
"""


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("sourceRepos", []),
        ("sourceRepo", [("schema-unknown-field", "spec.sourceRepo")]),
    ],
)
def test_an_app_project_keeps_its_description_and_loses_no_misspelling(
    tmp_path: Path, field: str, expected: list[tuple[str, str]]
) -> None:
    findings = schema_findings(tmp_path, {"project.yaml": APP_PROJECT.replace("FIELD", field)})
    assert rules_at(findings) == expected
