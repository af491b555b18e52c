from __future__ import annotations

import pytest

from gitwarden.checks.check import CheckSettings
from gitwarden.checks.images import CHECKS, ImageReference, TrustedRegistry
from gitwarden.findings import Finding, Severity
from k8s_fixtures import run

CHECK_BY_ID = {check.rule.id: check for check in CHECKS}
DIGEST = "sha256:" + "0123456789abcdef" * 4
PINNED = f"ghcr.io/acme/web:1.4.2@{DIGEST}"
TRUSTED = CheckSettings(trusted_registries=("ghcr.io/acme/",))

POD = """\
    apiVersion: v1
    kind: Pod
    metadata: {{name: web, namespace: shop}}
    spec:
      containers:
        - name: app
          image: {image}
    """


def pod(image: str) -> str:
    return POD.format(image=image)


FIRING = {
    "images-latest-tag": pod("ghcr.io/acme/web:latest"),
    "images-not-pinned-by-digest": pod("ghcr.io/acme/web:1.4.2"),
    "images-untrusted-registry": pod(f"quay.io/acme/web:1.4.2@{DIGEST}"),
}

SILENT = {
    "images-latest-tag": pod("ghcr.io/acme/web:1.4.2"),
    "images-not-pinned-by-digest": pod(PINNED),
    "images-untrusted-registry": pod(PINNED),
}


def findings_of(
    rule_id: str, yaml_text: str, settings: CheckSettings = TRUSTED, file: str = "manifest.yaml"
) -> list[Finding]:
    return run([CHECK_BY_ID[rule_id]], yaml_text, settings, file)


def test_every_rule_has_a_firing_and_a_silent_case() -> None:
    assert set(FIRING) == set(SILENT) == set(CHECK_BY_ID)


def test_every_rule_carries_its_metadata() -> None:
    for check in CHECKS:
        rule = check.rule
        assert rule.id.startswith("images-")
        assert rule.family == "images"
        assert rule.title and rule.rationale and rule.remediation and rule.references


@pytest.mark.parametrize("rule_id", sorted(FIRING))
def test_rule_fires_on_the_violation(rule_id: str) -> None:
    findings = findings_of(rule_id, FIRING[rule_id])
    assert [f.rule_id for f in findings] == [rule_id]
    assert findings[0].severity == CHECK_BY_ID[rule_id].rule.severity


@pytest.mark.parametrize("rule_id", sorted(SILENT))
def test_rule_is_silent_on_the_compliant_form(rule_id: str) -> None:
    assert findings_of(rule_id, SILENT[rule_id]) == []


def test_pinned_image_from_a_trusted_registry_passes_every_rule() -> None:
    assert run(CHECKS, pod(PINNED), TRUSTED) == []


@pytest.mark.parametrize(
    ("image", "fires"),
    [
        ("nginx", True),
        ("nginx:latest", True),
        ("localhost:5000/web", True),
        ("localhost:5000/web:latest", True),
        ("nginx:1.27", False),
        ("localhost:5000/web:2", False),
        # The runtime pulls by digest and ignores the tag.
        (f"nginx@{DIGEST}", False),
        (f"nginx:latest@{DIGEST}", False),
    ],
)
def test_latest_tag_means_no_tag_or_latest_without_digest(image: str, fires: bool) -> None:
    findings = findings_of("images-latest-tag", pod(image))
    assert len(findings) == (1 if fires else 0)


def test_image_findings_point_at_the_image_field_of_each_container_list() -> None:
    yaml_text = """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              initContainers:
                - name: setup
                  image: busybox
              containers:
                - name: app
                  image: ghcr.io/acme/web:1.4.2
              ephemeralContainers:
                - name: debug
                  image: busybox:latest
        """
    findings = findings_of("images-latest-tag", yaml_text)
    assert [(f.location.field_path, f.location.line) for f in findings] == [
        ("spec.template.spec.initContainers[0].image", 9),
        ("spec.template.spec.ephemeralContainers[0].image", 15),
    ]
    assert "'busybox' with no tag, which means latest" in findings[0].message
    assert findings[0].details["container"] == "setup"


def test_digest_severity_is_low_by_default() -> None:
    [finding] = findings_of("images-not-pinned-by-digest", FIRING["images-not-pinned-by-digest"])
    assert finding.severity == Severity.LOW
    assert finding.location.field_path == "spec.containers[0].image"


@pytest.mark.parametrize(
    ("file", "severity"),
    [
        ("clusters/prod/web.yaml", Severity.HIGH),
        ("clusters/staging/web.yaml", Severity.MEDIUM),
        ("clusters/dev/web.yaml", Severity.LOW),
    ],
)
def test_digest_severity_follows_the_environment_path(file: str, severity: Severity) -> None:
    settings = CheckSettings(
        digest_severity_by_path=(
            ("clusters/prod/*", Severity.HIGH),
            ("clusters/staging/*", Severity.MEDIUM),
        )
    )
    [finding] = findings_of(
        "images-not-pinned-by-digest", FIRING["images-not-pinned-by-digest"], settings, file
    )
    assert finding.severity == severity
    assert finding.location.file == file


def test_malformed_digest_is_not_a_pin() -> None:
    findings = findings_of("images-not-pinned-by-digest", pod("ghcr.io/acme/web@sha256:abc"))
    assert len(findings) == 1


def test_untrusted_registry_is_silent_without_a_trusted_list() -> None:
    assert findings_of("images-untrusted-registry", pod("evil.example/x:1"), CheckSettings()) == []


@pytest.mark.parametrize(
    ("trusted", "image", "allowed"),
    [
        # Bare names and library/ names are Docker Hub images.
        ("docker.io", "nginx:1.27", True),
        ("docker.io", "library/nginx:1.27", True),
        ("docker.io/library", "nginx:1.27", True),
        ("docker.io/library", "bitnami/redis:7", False),
        ("docker.io/bitnami/", "bitnami/redis:7", True),
        ("index.docker.io", "docker.io/library/nginx:1.27", True),
        ("docker.io", "registry-1.docker.io/library/nginx:1.27", True),
        ("ghcr.io", "nginx:1.27", False),
        # A port is part of the registry host.
        ("registry.local:5000", "registry.local:5000/team/app:1", True),
        ("registry.local", "registry.local:5000/team/app:1", False),
        ("registry.local:5000", "registry.local/team/app:1", False),
        ("localhost:5000", "localhost:5000/app", True),
        # Path prefixes match whole components, with or without the trailing slash.
        ("ghcr.io/acme/", "ghcr.io/acme/web:1", True),
        ("ghcr.io/acme", "ghcr.io/acme/web:1", True),
        ("ghcr.io/acme/", "ghcr.io/acme-evil/web:1", False),
        ("ghcr.io/acme/", "ghcr.io/web:1", False),
        # Digest-only references still name their registry.
        ("ghcr.io/acme/", f"ghcr.io/acme/web@{DIGEST}", True),
        ("ghcr.io/acme/", f"nginx@{DIGEST}", False),
        ("docker.io", f"nginx@{DIGEST}", True),
        # Hosts compare case-insensitively; "*." allows subdomains only.
        ("GHCR.io", "ghcr.IO/acme/web:1", True),
        ("*.dkr.ecr.eu-west-1.amazonaws.com", "1234.dkr.ecr.eu-west-1.amazonaws.com/a:1", True),
        ("*.dkr.ecr.eu-west-1.amazonaws.com", "dkr.ecr.eu-west-1.amazonaws.com.evil/a:1", False),
        ("https://ghcr.io/acme", "ghcr.io/acme/web:1", True),
        # A registry host is not a repository of Docker Hub.
        ("ghcr.io", "ghcr/app:1", False),
    ],
)
def test_trusted_registry_matching(trusted: str, image: str, allowed: bool) -> None:
    assert TrustedRegistry.parse(trusted).allows(ImageReference.parse(image)) is allowed
    settings = CheckSettings(trusted_registries=(trusted,))
    findings = findings_of("images-untrusted-registry", pod(image), settings)
    assert len(findings) == (0 if allowed else 1)


def test_any_trusted_entry_is_enough() -> None:
    settings = CheckSettings(trusted_registries=("quay.io", "ghcr.io/acme"))
    assert findings_of("images-untrusted-registry", pod("ghcr.io/acme/x:1"), settings) == []


def test_untrusted_registry_message_names_registry_and_trusted_list() -> None:
    [finding] = findings_of("images-untrusted-registry", pod("redis:7"))
    assert "docker.io/library/redis" in finding.message
    assert "ghcr.io/acme/" in finding.message
    assert finding.details["registry"] == "docker.io"
    assert finding.severity == Severity.MEDIUM


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest"),
    [
        ("nginx", "docker.io", "library/nginx", None, None),
        ("nginx:1.27", "docker.io", "library/nginx", "1.27", None),
        ("bitnami/redis:7", "docker.io", "bitnami/redis", "7", None),
        ("localhost/app", "localhost", "app", None, None),
        ("registry:5000/a/b:c", "registry:5000", "a/b", "c", None),
        (f"ghcr.io/o/a:1@{DIGEST}", "ghcr.io", "o/a", "1", DIGEST),
        (f"nginx@{DIGEST}", "docker.io", "library/nginx", None, DIGEST),
    ],
)
def test_image_reference_parsing(
    text: str, registry: str, repository: str, tag: str | None, digest: str | None
) -> None:
    assert ImageReference.parse(text) == ImageReference(registry, repository, tag, digest)


def test_containers_without_an_image_are_skipped() -> None:
    yaml_text = """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          containers:
            - name: app
        """
    assert run(CHECKS, yaml_text, TRUSTED) == []
