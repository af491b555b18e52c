"""`gitwarden.drift(target, config, options) -> Report`: is the cluster still what Git declares?

Desired state comes from the scan pipeline's public entry point (`run_scan_pipeline`: the same
plain, Kustomize and Helm objects a scan sees); live state from the Kubernetes API or from
dumps; the drift scanner compares them and the report is assembled as for every command.
Until `.gitwarden.yaml` has `environments:`, the environment is the `production:` namespaces
(exact names) or the ``namespaces`` option.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gitwarden.commands.report_assembly import assemble_report, config_for
from gitwarden.commands.scan import ScanOptions
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
from gitwarden.pipeline.scan_pipeline import run_scan_pipeline
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
    scanned = run_scan_pipeline(
        root.resolve(), config, ScanOptions(render=options.render, secrets=False)
    )
    default_namespace = namespaces[0] if len(namespaces) == 1 else "default"
    declared = scanned.objects
    namespaces = namespaces or declared_namespaces(declared, default_namespace)
    live = _live_state(options, declared_kinds(declared), namespaces)
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
    # What could not be rendered or parsed is not compared: it stays in the report.
    input_ids = {rule.id for rule in INPUT_RULES}
    unread_inputs: list[Finding] = [f for f in scanned.findings if f.rule_id in input_ids]
    return assemble_report(
        "drift",
        str(target),
        [*unread_inputs, *result.findings],
        config=config,
        rules=(*INPUT_RULES, *DRIFT_RULES),
        fail_on=options.fail_on,
        today=options.today,
        files_scanned=scanned.files_scanned,
        objects_scanned=result.live_objects,
    )


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
