"""Are the GitOps controllers reconciling?

Argo CD Applications, Flux Kustomizations and HelmReleases.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from gitwarden.drift.rules import CONTROLLER_UNHEALTHY
from gitwarden.findings import Finding, Location
from gitwarden.sources.live_state import LiveObject

ARGOCD = "argoproj.io"
FLUX_KINDS = {
    ("kustomize.toolkit.fluxcd.io", "Kustomization"),
    ("helm.toolkit.fluxcd.io", "HelmRelease"),
}
CONTROLLER_KINDS = frozenset({(ARGOCD, "Application"), *FLUX_KINDS})


def controller_health(
    objects: Iterable[LiveObject], allowed_revision: str | None
) -> Iterator[Finding]:
    """Problems of each controller object; ``allowed_revision`` is the commit the gate allowed."""
    for obj in objects:
        key = (obj.api_group, obj.kind)
        if key == (ARGOCD, "Application"):
            problems, revision = _argocd(obj.body), _get(obj.body, "status", "sync", "revision")
        elif key in FLUX_KINDS:
            problems, revision = _flux(obj.body), _get(obj.body, "status", "lastAppliedRevision")
        else:
            continue
        if allowed_revision and isinstance(revision, str) and allowed_revision not in revision:
            problems.append(
                f"it last applied revision {revision}, the gate last allowed {allowed_revision}"
            )
        resource = "/".join(p for p in (obj.kind, obj.namespace or "", obj.name) if p)
        for problem in problems:
            yield CONTROLLER_UNHEALTHY.finding(
                f"{resource}: {problem}",
                Location(file=obj.source, resource=resource),
                details={"live_source": obj.source, "revision": str(revision or "")},
            )


def _argocd(body: Mapping[str, Any]) -> list[str]:
    problems = []
    sync = _get(body, "status", "sync", "status")
    if sync and sync != "Synced":
        problems.append(f"sync status is {sync}")
    health = _get(body, "status", "health", "status")
    if health and health not in ("Healthy", "Progressing"):
        problems.append(f"health is {health}")
    if not isinstance(_get(body, "spec", "syncPolicy", "automated"), Mapping):
        problems.append("auto-sync is disabled: drift is never undone")
    return problems


def _flux(body: Mapping[str, Any]) -> list[str]:
    problems = []
    if _get(body, "spec", "suspend") is True:
        problems.append("reconciliation is suspended")
    conditions = _get(body, "status", "conditions") or []
    ready = [c for c in conditions if isinstance(c, Mapping) and c.get("type") == "Ready"]
    if not ready:
        problems.append("it reports no Ready condition")
    elif ready[0].get("status") != "True":
        problems.append(f"not Ready: {ready[0].get('reason', '')} {ready[0].get('message', '')}")
    return problems


def _get(body: Mapping[str, Any], *path: str) -> Any:
    value: Any = body
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value
