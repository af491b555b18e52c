"""What a check is: a rule (data) plus the function that finds its violations."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from gitwarden.checks.production import ProductionScope
from gitwarden.findings import Finding, Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.workloads import PodSpec, pod_spec
from gitwarden.path_patterns import glob_match
from gitwarden.rules import Rule
from gitwarden.sources.tree import TreeWalk

PSS_LEVELS = ("privileged", "baseline", "restricted")
PSS_ENFORCE_LABEL = "pod-security.kubernetes.io/enforce"


@dataclass(frozen=True)
class CheckSettings:
    """The configuration the built-in checks read (from .gitwarden.yaml)."""

    # Applies where a namespace carries no pod-security.kubernetes.io/enforce label.
    pod_security_level: str = "restricted"
    trusted_registries: tuple[str, ...] = ()
    # (path glob, severity) pairs for image-not-pinned-by-digest, first match wins.
    digest_severity_by_path: tuple[tuple[str, Severity], ...] = ()
    # Where Argo CD and Flux rules apply their production-only checks.
    production: ProductionScope = field(default_factory=ProductionScope)

    def digest_severity(self, *paths: str | None) -> Severity | None:
        """The severity configured for the first path glob matching any of ``paths``."""
        for pattern, severity in self.digest_severity_by_path:
            if any(path is not None and glob_match(pattern, path) for path in paths):
                return severity
        return None


@dataclass(frozen=True, eq=False)
class CheckContext:
    """Everything a check may look at: all objects of the scan and the settings."""

    objects: Sequence[K8sObject]
    settings: CheckSettings = field(default_factory=CheckSettings)
    # The scanned tree, for checks that read files which are not Kubernetes objects
    # (.sops.yaml, Dockerfiles); None when a single file is scanned.
    repository: TreeWalk | None = None

    def of_kind(self, *kinds: str) -> Iterator[K8sObject]:
        return (obj for obj in self.objects if obj.kind in kinds)

    @cached_property
    def pod_specs(self) -> tuple[PodSpec, ...]:
        return tuple(spec for obj in self.objects if (spec := pod_spec(obj)) is not None)

    @cached_property
    def namespaces(self) -> Mapping[str, K8sObject]:
        return {obj.name: obj for obj in self.of_kind("Namespace")}

    def pss_level(self, namespace: str | None) -> str:
        """The Pod Security level enforced for ``namespace``: its label, else the setting."""
        ns = self.namespaces.get(namespace or "default")
        if ns is not None:
            level = ns.labels.get(PSS_ENFORCE_LABEL)
            if isinstance(level, str) and level in PSS_LEVELS:
                return level
        return self.settings.pod_security_level


@dataclass(frozen=True)
class Check:
    """One rule and the function that finds where it is broken."""

    rule: Rule
    find: Callable[[CheckContext], Iterable[Finding]]


def run_checks(checks: Iterable[Check], context: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for check in checks:
        findings.extend(check.find(context))
    return findings
