"""What a check is: a rule (data) plus the function that finds its violations."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar, cast

from gitwarden.checks.production import ProductionScope
from gitwarden.checks.sops import SopsState
from gitwarden.findings import Finding, Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.workloads import PodSpec, pod_spec
from gitwarden.path_patterns import glob_match
from gitwarden.rules import Rule

_Derived = TypeVar("_Derived")

PSS_LEVELS = ("privileged", "baseline", "restricted")
PSS_ENFORCE_LABEL = "pod-security.kubernetes.io/enforce"


@dataclass(frozen=True)
class CheckSettings:
    """The configuration the built-in checks read (from .gitwarden.yaml)."""

    # Applies where a namespace carries no pod-security.kubernetes.io/enforce label.
    pod_security_level: str = "restricted"
    # The Kubernetes release manifests are validated against ("1.31"); None: the newest.
    kubernetes_version: str | None = None
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


@dataclass(frozen=True)
class FileText:
    """A repository file that is not a Kubernetes object, as the scan pipeline read it.

    ``text`` is None when the file could not be read; ``problem`` then says why (a finding
    at the file), or is None when the reader had nothing to report.
    """

    path: str
    text: str | None
    problem: Finding | None = None

    @property
    def name(self) -> str:
        return self.path.rpartition("/")[2]


@dataclass(frozen=True)
class RepositoryInputs:
    """What checks read besides Kubernetes objects, read once by the scan pipeline.

    Checks never open files: the pipeline walks the tree and hands them this. Empty when a
    single file is scanned.
    """

    # Every file the tree walk kept, in walk order.
    paths: tuple[str, ...] = ()
    sops: SopsState = field(default_factory=SopsState)
    dockerfiles: tuple[FileText, ...] = ()


@dataclass(frozen=True, eq=False)
class CheckContext:
    """Everything a check may look at: all objects of the scan, the settings and the
    repository's other inputs. One context per scan: what checks derive from it (the RBAC
    graph, hadolint's results) is kept on it, never in a module global."""

    objects: Sequence[K8sObject]
    settings: CheckSettings = field(default_factory=CheckSettings)
    inputs: RepositoryInputs = field(default_factory=RepositoryInputs)
    _derived: dict[Callable[[CheckContext], object], object] = field(
        default_factory=dict, init=False, repr=False
    )

    def derived(self, build: Callable[[CheckContext], _Derived]) -> _Derived:
        """``build(self)``, computed once per context however many checks ask for it."""
        if build not in self._derived:
            self._derived[build] = build(self)
        return cast(_Derived, self._derived[build])

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
class FileScope:
    """A check whose findings about the objects of one file depend only on those objects,
    the settings and the scan's objects of ``context_kinds`` (a Pod Security control reads
    Namespace labels, nothing else).

    A scan narrowed to some files then runs the check on their objects and the context kinds
    alone, and gets exactly the findings a run on every object gives at those files.
    """

    context_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Check:
    """One rule and the function that finds where it is broken."""

    rule: Rule
    find: Callable[[CheckContext], Iterable[Finding]]
    # None: the check may read any object or repository input (the RBAC graph).
    scope: FileScope | None = None


def run_checks(checks: Iterable[Check], context: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for check in checks:
        findings.extend(check.find(context))
    return findings


def run_checks_for_files(
    checks: Iterable[Check], context: CheckContext, files: Collection[str]
) -> list[Finding]:
    """Every finding ``run_checks`` gives at ``files``, in its order, and more: a file-scoped
    check sees only the objects of ``files`` and of its context kinds; a check without a
    scope sees the whole ``context`` and reports everywhere (the caller narrows)."""
    narrowed: dict[frozenset[str], CheckContext] = {}
    findings: list[Finding] = []
    for check in checks:
        scope = check.scope
        if scope is None:
            findings.extend(check.find(context))
            continue
        if scope.context_kinds not in narrowed:
            kinds = scope.context_kinds
            objects = [o for o in context.objects if o.file in files or o.kind in kinds]
            narrowed[kinds] = CheckContext(objects, context.settings, context.inputs)
        findings.extend(check.find(narrowed[scope.context_kinds]))
    return findings
