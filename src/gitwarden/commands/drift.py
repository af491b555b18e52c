"""`gitwarden.drift(target, config, options) -> Report`: is the cluster still what Git declares?

Desired state comes from the scan pipeline's source and object stages (`collect_sources`,
`load_objects`: the plain, Kustomize and Helm objects a scan sees, without its scanners);
live state from the Kubernetes API or from dumps; the drift scanner compares them and the
report is assembled as for every command.
Until `.gitwarden.yaml` has `environments:`, the environment is the `production:` namespaces
(exact names) or the ``namespaces`` option.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gitwarden.commands.report_assembly import assemble_report, config_for
from gitwarden.config import Config
from gitwarden.drift.controller_health import CONTROLLER_KINDS
from gitwarden.drift.field_managers import DEFAULT_TRUSTED_MANAGERS
from gitwarden.drift.object_identity import desired_key
from gitwarden.drift.rules import DRIFT_RULES
from gitwarden.drift.scanner import DriftSettings, find_drift
from gitwarden.errors import UsageError
from gitwarden.findings import Finding, Severity
from gitwarden.input_rules import INPUT_RULES
from gitwarden.manifests.objects import K8sObject
from gitwarden.pipeline.object_loading import ObjectLimits, load_objects
from gitwarden.pipeline.scan_sources import collect_sources
from gitwarden.report.model import Report
from gitwarden.sources.kubernetes_api import ClusterAccess, LiveQuery, read_cluster
from gitwarden.sources.live_dumps import read_live_dumps
from gitwarden.sources.live_state import LiveState

# Kinds read even when Git declares none of them: what matters when it appears by hand.
WATCHED_KINDS = frozenset(
    {
        ("", "Pod"),
        ("", "Secret"),
        ("", "ServiceAccount"),
        ("apps", "Deployment"),
        ("apps", "StatefulSet"),
        ("apps", "DaemonSet"),
        ("batch", "Job"),
        ("batch", "CronJob"),
        ("rbac.authorization.k8s.io", "Role"),
        ("rbac.authorization.k8s.io", "RoleBinding"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        *CONTROLLER_KINDS,
    }
)
PRODUCTION_ENVIRONMENT = "production"


@dataclass(frozen=True)
class DriftOptions:
    """Where the live state comes from (``live`` dumps, else the kubeconfig's context), and scope.

    ``namespaces`` overrides the environment's; ``allowed_revision`` is the commit the gate
    last allowed (Argo CD and Flux must have applied it).
    """

    live: Path | None = None
    kubeconfig: Path | None = None
    context: str | None = None
    environment: str | None = None
    namespaces: tuple[str, ...] = ()
    fix_hints: bool = False
    allowed_revision: str | None = None
    trusted_managers: frozenset[str] = DEFAULT_TRUSTED_MANAGERS
    render: bool = True
    fail_on: Severity | None = None
    today: date | None = None


def drift(
    target: str | Path, config: Config | None = None, options: DriftOptions | None = None
) -> Report:
    """Compare what the repository at ``target`` declares with the live cluster (or dumps)."""
    root = Path(target)
    if not root.is_dir():
        raise UsageError(f"{target}: no such repository folder")
    options = options or DriftOptions()
    config = config_for(root, config)
    namespaces = _namespaces(config, options)
    desired = desired_objects(root.resolve(), config, render=options.render)
    default_namespace = namespaces[0] if len(namespaces) == 1 else "default"
    declared = desired.objects
    landed = declared_namespaces(declared, default_namespace)
    namespaces = namespaces or landed
    # Listed where the environment is and wherever a manifest lands: a declared object in
    # another namespace is compared too, never called missing for want of a list.
    listed = tuple(sorted({*namespaces, *landed}))
    live = _live_state(options, declared_kinds(declared), listed)
    result = find_drift(
        declared,
        live,
        DriftSettings(
            namespaces=frozenset(namespaces),
            default_namespace=default_namespace,
            trusted_managers=options.trusted_managers,
            allowed_revision=options.allowed_revision,
            fix_hints=options.fix_hints,
        ),
    )
    return assemble_report(
        "drift",
        str(target),
        [*desired.findings, *result.findings],
        config=config,
        rules=(*INPUT_RULES, *DRIFT_RULES),
        fail_on=options.fail_on,
        today=options.today,
        files_scanned=desired.files_scanned,
        objects_scanned=result.live_objects,
    )


@dataclass(frozen=True)
class DesiredState:
    """The objects the repository declares, and what could not be read, rendered or parsed."""

    objects: tuple[K8sObject, ...]
    # Input findings: what was not rendered or parsed is not compared, and says so.
    findings: tuple[Finding, ...]
    files_scanned: int


def desired_objects(root: Path, config: Config, *, render: bool) -> DesiredState:
    """The pipeline's source and object stages, without the scanners a drift run does not need."""
    sources = collect_sources(root, config, render=render, allow_network=False)
    limits = ObjectLimits(config.max_file_bytes, config.max_document_bytes, False)
    with tempfile.TemporaryDirectory(prefix="gitwarden-drift-") as work_dir:
        loaded = load_objects(sources, limits, Path(work_dir))
    findings = (*sources.findings, *sources.plan.findings, *loaded.findings)
    return DesiredState(loaded.objects, findings, loaded.files_scanned)


def declared_kinds(declared: Sequence[K8sObject]) -> frozenset[tuple[str, str]]:
    return frozenset((obj.api_group, obj.kind) for obj in declared)


def declared_namespaces(declared: Sequence[K8sObject], default_namespace: str) -> tuple[str, ...]:
    """Without a configured environment, its namespaces are those the manifests land in."""
    keys = (desired_key(obj, default_namespace) for obj in declared)
    return tuple(sorted({key.namespace for key in keys if key.namespace}))


def _namespaces(config: Config, options: DriftOptions) -> tuple[str, ...]:
    if options.environment not in (None, PRODUCTION_ENVIRONMENT):
        raise UsageError(
            f"environment {options.environment!r} is not configured",
            hint="`environments:` in .gitwarden.yaml is not available yet: use --env production "
            "(the `production.namespaces` of .gitwarden.yaml) or --namespace NAME",
        )
    if options.namespaces:
        return options.namespaces
    # Globs cannot be listed over the API: only exact production namespace names count.
    return tuple(n for n in config.checks.production.namespaces if not any(c in n for c in "*?["))


def _live_state(
    options: DriftOptions,
    kinds: frozenset[tuple[str, str]],
    namespaces: tuple[str, ...],
) -> LiveState:
    if options.live is not None:
        if options.kubeconfig is not None or options.context is not None:
            raise UsageError("use --live dumps or --kubeconfig/--context, not both")
        return read_live_dumps(options.live)
    access = ClusterAccess(kubeconfig=options.kubeconfig, context=options.context)
    return read_cluster(access, LiveQuery(kinds=kinds | WATCHED_KINDS, namespaces=namespaces))
