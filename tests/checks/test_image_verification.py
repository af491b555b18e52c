from __future__ import annotations

import textwrap

import pytest

from gitwarden.checks.image_verification import CHECKS, image_forms
from gitwarden.findings import Finding
from k8s_fixtures import run

CHECK_BY_ID = {check.rule.id: check for check in CHECKS}


def deployment(image: str, name: str = "web") -> str:
    return textwrap.dedent(
        f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: {name}, namespace: shop}}
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: {image}
        """
    )


def kyverno(references: str, action: str = "Enforce") -> str:
    return textwrap.dedent(
        f"""\
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata: {{name: verify-images}}
        spec:
          validationFailureAction: {action}
          rules:
            - name: signed-by-ci
              match: {{any: [{{resources: {{kinds: [Pod]}}}}]}}
              verifyImages:
                - imageReferences: {references}
                  attestors:
                    - entries:
                        - keyless:
                            subject: "https://github.com/acme/*"
                            issuer: https://token.actions.githubusercontent.com
        """
    )


def cluster_image_policy(glob: str, mode: str = "enforce") -> str:
    return textwrap.dedent(
        f"""\
        apiVersion: policy.sigstore.dev/v1beta1
        kind: ClusterImagePolicy
        metadata: {{name: signed-images}}
        spec:
          mode: {mode}
          images:
            - glob: "{glob}"
          authorities:
            - keyless:
                url: https://fulcio.sigstore.dev
        """
    )


FIRING = {
    "images-no-signature-policy": deployment("ghcr.io/acme/web:1.4.2"),
    "images-not-covered-by-signature-policy": kyverno('["ghcr.io/acme/*"]')
    + "---\n"
    + deployment("docker.io/library/redis:7.2"),
}

SILENT = {
    "images-no-signature-policy": kyverno('["ghcr.io/acme/*"]')
    + "---\n"
    + deployment("ghcr.io/acme/web:1.4.2"),
    "images-not-covered-by-signature-policy": kyverno('["ghcr.io/acme/*"]')
    + "---\n"
    + deployment("ghcr.io/acme/web:1.4.2"),
}


def findings_of(rule_id: str, yaml_text: str) -> list[Finding]:
    return run([CHECK_BY_ID[rule_id]], yaml_text)


def test_every_rule_has_a_firing_and_a_silent_case() -> None:
    assert set(FIRING) == set(SILENT) == set(CHECK_BY_ID)


def test_every_rule_carries_its_metadata() -> None:
    for check in CHECKS:
        assert check.rule.family == "image-verification"
        assert check.rule.rationale and check.rule.remediation and check.rule.references


@pytest.mark.parametrize("rule_id", sorted(FIRING))
def test_rule_fires(rule_id: str) -> None:
    assert [f.rule_id for f in findings_of(rule_id, FIRING[rule_id])] == [rule_id]


@pytest.mark.parametrize("rule_id", sorted(SILENT))
def test_rule_is_silent(rule_id: str) -> None:
    assert findings_of(rule_id, SILENT[rule_id]) == []


def test_missing_policy_is_reported_once_for_the_repository() -> None:
    text = deployment("ghcr.io/acme/web:1.4.2") + "---\n" + deployment("redis:7", name="cache")
    [finding] = findings_of("images-no-signature-policy", text)
    assert finding.details["images"] == "2"


def test_no_workloads_means_no_missing_policy_finding() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n"
    assert findings_of("images-no-signature-policy", text) == []


def test_audit_mode_policy_does_not_count() -> None:
    text = kyverno('["ghcr.io/acme/*"]', action="Audit") + "---\n" + deployment("ghcr.io/acme/w:1")
    assert [f.rule_id for f in findings_of("images-no-signature-policy", text)] == [
        "images-no-signature-policy"
    ]


@pytest.mark.parametrize(
    ("glob", "image", "covered"),
    [
        ("ghcr.io/acme/**", "ghcr.io/acme/team/web:1.0", True),
        ("ghcr.io/acme/*", "ghcr.io/acme/team/web:1.0", False),
        ("ghcr.io/acme/*", "ghcr.io/acme/web:1.0", True),
        ("index.docker.io/library/redis*", "redis:7", True),
    ],
)
def test_cluster_image_policy_globs(glob: str, image: str, covered: bool) -> None:
    text = cluster_image_policy(glob) + "---\n" + deployment(image)
    assert (findings_of("images-not-covered-by-signature-policy", text) == []) is covered


def test_kyverno_wildcards_cross_path_segments() -> None:
    text = kyverno('["ghcr.io/acme/*"]') + "---\n" + deployment("ghcr.io/acme/team/web:1.0")
    assert findings_of("images-not-covered-by-signature-policy", text) == []


def test_uncovered_image_is_reported_at_the_image_field() -> None:
    [finding] = findings_of(
        "images-not-covered-by-signature-policy",
        FIRING["images-not-covered-by-signature-policy"],
    )
    assert finding.location.field_path == "spec.template.spec.containers[0].image"


def test_image_forms_include_the_fully_qualified_name() -> None:
    assert "docker.io/library/nginx:1.25" in image_forms("nginx:1.25")
    assert "index.docker.io/library/nginx:1.25" in image_forms("nginx:1.25")
