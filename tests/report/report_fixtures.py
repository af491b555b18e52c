"""Builders for format tests: a small report with what every format must handle.

Two files, several severities, a suppressed finding, Kubernetes resources with field paths,
a finding from a rendered overlay, and a rule without findings.
"""

from __future__ import annotations

from datetime import date

from gitwarden.findings import Finding, Location, Severity, Suppression
from gitwarden.report.model import Report
from gitwarden.rules import PSS_URL, Rule

PRIVILEGED = Rule(
    id="privileged-container",
    family="pod-security",
    severity=Severity.CRITICAL,
    title="Container runs privileged",
    rationale="A privileged container is root on the node.",
    remediation="Set securityContext.privileged to false.",
    references=(PSS_URL, "https://example.org/second"),
)
LATEST_TAG = Rule(
    id="image-latest-tag",
    family="images",
    severity=Severity.MEDIUM,
    title="Image uses a mutable tag",
    rationale="A tag can be moved to other content after review.",
    remediation="Pin the image by digest.",
)
HOST_PATH = Rule(
    id="host-path-volume",
    family="pod-security",
    severity=Severity.HIGH,
    title="Pod mounts a hostPath volume",
    rationale="hostPath exposes the node's filesystem.",
    remediation="Use a persistentVolumeClaim or emptyDir.",
)
NO_LIMITS = Rule(
    id="missing-resource-limits",
    family="hardening",
    severity=Severity.LOW,
    title="Container has no resource limits",
    rationale="Without limits one pod can starve its neighbours.",
    remediation="Set resources.limits.",
)
RULES = (PRIVILEGED, LATEST_TAG, HOST_PATH, NO_LIMITS)

WEB = "apps/web/deployment.yaml"
CACHE = "apps/cache/statefulset.yaml"


def make_findings() -> tuple[Finding, ...]:
    return (
        LATEST_TAG.finding(
            "Image nginx:latest is not pinned; use nginx@sha256:...",
            Location(WEB, 30, 18, "Deployment/prod/web", "spec.template.spec.containers[0].image"),
        ),
        PRIVILEGED.finding(
            "Container web sets privileged: true",
            Location(
                WEB,
                12,
                11,
                "Deployment/prod/web",
                "spec.template.spec.containers[0].securityContext.privileged",
                origin="kustomize overlays/prod",
            ),
        ),
        NO_LIMITS.finding(
            "Container redis has no limits",
            Location(CACHE, 20, 9, "StatefulSet/prod/cache", "spec.template.spec.containers[0]"),
        ),
        HOST_PATH.finding(
            "Volume data mounts /var/lib/redis from the host",
            Location(CACHE, 40, 11, "StatefulSet/prod/cache", "spec.template.spec.volumes[0]"),
        ).with_suppression(
            Suppression("annotation", "node-local cache, reviewed in SEC-12", date(2031, 1, 31))
        ),
    )


def make_report(
    findings: tuple[Finding, ...] | None = None,
    *,
    fail_on: Severity = Severity.HIGH,
    rules: tuple[Rule, ...] = RULES,
) -> Report:
    return Report(
        command="scan",
        target=".",
        findings=make_findings() if findings is None else findings,
        rules={rule.id: rule for rule in rules},
        fail_on=fail_on,
        files_scanned=2,
        objects_scanned=2,
        tool_version="0.1.0",
    )


def make_finding(
    message: str = "something is wrong here",
    *,
    rule: Rule = LATEST_TAG,
    file: str = "app.yaml",
    line: int = 1,
    severity: Severity | None = None,
    resource: str | None = "Deployment/default/app",
    field_path: str | None = None,
) -> Finding:
    return rule.finding(message, Location(file, line, 1, resource, field_path), severity=severity)
