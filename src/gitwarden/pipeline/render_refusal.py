"""Which render units gitwarden refuses to hand to a renderer, and what it tells the user.

A refusal is a finding at the unit's kustomization or Chart.yaml; the unit's plain files are
still checked as they are (overlays) or not at all (chart templates).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from gitwarden.findings import Finding, Location, Severity
from gitwarden.input_rules import REMOTE_REFUSED, RENDER_FAILED, RENDERER_MISSING
from gitwarden.manifests.kustomizations import Kustomization, closure


def is_within(path: str, folder: str) -> bool:
    """``path`` is ``folder`` or below it; every path is within the root folder ``""``."""
    return folder == "" or path == folder or path.startswith(folder + "/")


def _holds_link_out(folders: Iterable[str], tainted_folders: Collection[str]) -> bool:
    """A renderer given one of ``folders`` could follow a symbolic link out of the repository."""
    return any(is_within(t, folder) for t in tainted_folders for folder in folders)


def kustomize_missing(folder: str, location: Location) -> Finding:
    return RENDERER_MISSING.finding(
        f"Kustomize overlay '{folder or '.'}' was not rendered: neither "
        "kustomize nor kubectl is installed. Its files were checked as they "
        "are; install kubectl to check what it really deploys.",
        location,
    )


def overlay_refusal(
    folder: str,
    kustomizations: Mapping[str, Kustomization],
    *,
    allow_network: bool,
    tainted_folders: Collection[str],
) -> Finding | None:
    """Why the overlay rooted at ``folder`` must not be rendered, or None when it may be."""
    chain = closure(folder, kustomizations)
    location = Location(file=kustomizations[folder].file, line=1)
    remote = [ref for k in chain for ref in k.remote_refs]
    if remote and not allow_network:
        return REMOTE_REFUSED.finding(
            f"Overlay '{folder or '.'}' was not rendered: it pulls remote bases "
            f"({', '.join(remote[:3])}) and network use is off. Vendor or pin them, or "
            "run with --allow-network. Its local files were checked as they are.",
            location,
        )
    helm_users = [k.file for k in chain if k.uses_helm]
    if helm_users:
        # kustomize inflates helmCharts by running a helm binary: never on hostile input.
        return RENDER_FAILED.finding(
            f"Overlay '{folder or '.'}' was not rendered: {helm_users[0]} uses helmCharts, "
            "which makes kustomize run helm and fetch charts. Vendor the chart into the "
            "repository and render it as a Helm chart, or commit the rendered manifests. "
            "Its plain files were checked as they are.",
            location,
        )
    outside = [ref for k in chain for ref in k.outside_refs]
    if outside:
        return RENDER_FAILED.finding(
            f"Overlay '{folder or '.'}' was not rendered: it refers outside the scanned "
            f"folder ({', '.join(outside[:3])}). Scan the repository root instead.",
            location,
        )
    if _holds_link_out({k.folder for k in chain}, tainted_folders):
        return RENDER_FAILED.finding(
            f"Overlay '{folder or '.'}' was not rendered: it holds a symbolic link out of "
            "the repository, which a renderer could follow. Replace the link.",
            location,
        )
    return None


def helm_missing(chart: str, location: Location) -> Finding:
    return RENDERER_MISSING.finding(
        f"Helm chart '{chart or '.'}' was not rendered: no Helm renderer is "
        "installed (pip install 'gitwarden[helm]', or helm). Its templates "
        "were not checked.",
        location,
    )


def chart_refusal(
    chart: str, location: Location, tainted_folders: Collection[str]
) -> Finding | None:
    """Why the chart in ``chart`` must not be rendered, or None when it may be."""
    if _holds_link_out((chart,), tainted_folders):
        return RENDER_FAILED.finding(
            f"Helm chart '{chart or '.'}' was not rendered: it holds a symbolic "
            "link out of the repository. Replace the link.",
            location,
        )
    return None


def chart_not_rendered(chart: str, location: Location) -> Finding:
    """The chart of a ``--no-render`` scan: its templates are not checked."""
    return RENDERER_MISSING.finding(
        f"Helm chart '{chart or '.'}' was not rendered (--no-render): its "
        "templates were not checked. Scan without --no-render to check them.",
        location,
        # The user chose not to render: said, but not a failure of the run.
        severity=Severity.INFO,
    )
