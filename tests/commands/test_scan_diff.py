"""`scan --diff` / `--staged` on change shapes: the narrowed report holds exactly the full
scan's findings of the affected objects and the cross-object findings the change brings
about, each as the full scan reports it (never one the full scan does not hold)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.report import get_format

needs_kustomize = pytest.mark.skipif(
    shutil.which("kubectl") is None and shutil.which("kustomize") is None,
    reason="needs kubectl or kustomize on PATH",
)

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: deployer
      containers:
        - name: app
          image: registry.example.com/web:1.0
"""
DEFAULT_DENY = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
"""
ONLY_OTHERS = DEFAULT_DENY.replace("podSelector: {}", "podSelector: {matchLabels: {app: db}}")
LABELLED_DENY = DEFAULT_DENY.replace("namespace: shop}", "namespace: shop, labels: {a: b}}")
SECRETS_READER = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secrets-reader}
rules:
  - apiGroups: [""]
    resources: [secrets]
    verbs: [get, list]
"""
NAMESPACED_BINDING = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployer-secrets, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secrets-reader}
subjects:
  - {kind: ServiceAccount, name: deployer, namespace: shop}
"""
CLUSTER_BINDING = NAMESPACED_BINDING.replace("kind: RoleBinding", "kind: ClusterRoleBinding")
CONFIG = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\ndata: {a: b}\n"
LATEST = "image: registry.example.com/web:1.0"


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


def committed_repo(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    return root


def findings_of(repo: Path, options: ScanOptions | None = None) -> list[dict[str, Any]]:
    report = scan(repo, options=options or ScanOptions(secrets=False))
    return list(json.loads(get_format("json").render(report, color=False))["findings"])


def full_and_diff(repo: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    full = findings_of(repo)
    narrowed = findings_of(repo, ScanOptions(secrets=False, diff_base="HEAD"))
    # Nothing invented: the narrowed report is part of the full one, in its order.
    assert [f for f in full if f in narrowed] == narrowed
    return full, narrowed


def of_rule(findings: list[dict[str, Any]], rule: str) -> list[dict[str, Any]]:
    return [f for f in findings if f["rule"] == rule]


@needs_kustomize
def test_a_problem_an_untouched_overlay_renders_first_is_reported_at_that_sighting(
    tmp_path: Path,
) -> None:
    # aa and zz render the same base; only zz changes. The full scan reports the base's
    # problem once, through aa (first in order): the narrowed report says the same.
    repo = committed_repo(
        tmp_path / "repo",
        {
            "shared/kustomization.yaml": "resources:\n  - web.yaml\n  - deny.yaml\n",
            "shared/web.yaml": WEB.replace(LATEST, "image: registry.example.com/web"),
            "shared/deny.yaml": DEFAULT_DENY,
            "aa/kustomization.yaml": "resources:\n  - ../shared\n",
            "zz/kustomization.yaml": "resources:\n  - ../shared\n  - extra.yaml\n",
            "zz/extra.yaml": CONFIG,
        },
    )
    (repo / "zz/extra.yaml").write_text(CONFIG.replace("a: b", "a: c"))
    full, narrowed = full_and_diff(repo)
    latest = of_rule(full, "images-latest-tag")
    assert [f["origin"] for f in latest] == ["kustomize aa"]
    assert of_rule(narrowed, "images-latest-tag") == latest


@needs_kustomize
def test_a_problem_only_an_untouched_overlay_renders_is_not_reported(tmp_path: Path) -> None:
    repo = committed_repo(
        tmp_path / "repo",
        {
            "aa/kustomization.yaml": "resources:\n  - web.yaml\n",
            "aa/web.yaml": WEB.replace(LATEST, "image: registry.example.com/web"),
            "zz/kustomization.yaml": "resources:\n  - extra.yaml\n",
            "zz/extra.yaml": CONFIG,
        },
    )
    (repo / "zz/extra.yaml").write_text(CONFIG.replace("a: b", "a: c"))
    full, narrowed = full_and_diff(repo)
    assert of_rule(full, "images-latest-tag")
    assert not {f["file"] for f in narrowed} & {"aa/web.yaml"}


@pytest.mark.parametrize(
    ("change", "reported"),
    [
        (lambda repo: (repo / "np.yaml").write_text(ONLY_OTHERS), True),
        (lambda repo: (repo / "np.yaml").unlink(), True),
        (lambda repo: (repo / "np.yaml").write_text(LABELLED_DENY), False),
    ],
    ids=["narrowed", "deleted", "relabelled"],
)
def test_a_changed_network_policy_reports_the_unchanged_workloads_it_exposes(
    tmp_path: Path, change: Any, reported: bool
) -> None:
    repo = committed_repo(tmp_path / "repo", {"web.yaml": WEB, "np.yaml": DEFAULT_DENY})
    change(repo)
    full, narrowed = full_and_diff(repo)
    exposed = of_rule(full, "netpol-workloads-not-isolated")
    assert bool(exposed) is reported
    assert of_rule(narrowed, "netpol-workloads-not-isolated") == exposed


def test_an_exposure_older_than_the_change_is_not_reported(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo", {"web.yaml": WEB, "np.yaml": ONLY_OTHERS})
    (repo / "np.yaml").write_text(ONLY_OTHERS.replace("app: db", "app: cache"))
    full, narrowed = full_and_diff(repo)
    assert of_rule(full, "netpol-workloads-not-isolated")
    assert of_rule(narrowed, "netpol-workloads-not-isolated") == []


@pytest.mark.parametrize(
    ("binding", "reported"),
    [
        (CLUSTER_BINDING, True),
        (NAMESPACED_BINDING.replace("shop}", "shop, labels: {a: b}}"), False),
    ],
    ids=["now-cluster-wide", "still-namespaced"],
)
def test_a_changed_binding_reports_the_unchanged_role_it_makes_cluster_wide(
    tmp_path: Path, binding: str, reported: bool
) -> None:
    repo = committed_repo(
        tmp_path / "repo",
        {
            "web.yaml": WEB,
            "np.yaml": DEFAULT_DENY,
            "role.yaml": SECRETS_READER,
            "binding.yaml": NAMESPACED_BINDING,
        },
    )
    (repo / "binding.yaml").write_text(binding)
    full, narrowed = full_and_diff(repo)
    at_role = [f for f in full if f["file"] == "role.yaml"]
    assert bool(of_rule(at_role, "rbac-cluster-wide-secrets-read")) is reported
    assert [f for f in narrowed if f["file"] == "role.yaml"] == at_role


def test_a_change_that_only_rewords_a_cross_object_finding_does_not_report_it(
    tmp_path: Path,
) -> None:
    # One more image in the repository changes the text of the repository-wide signature
    # finding (anchored at web.yaml), not whether it fires.
    repo = committed_repo(tmp_path / "repo", {"web.yaml": WEB, "np.yaml": DEFAULT_DENY})
    (repo / "zz-api.yaml").write_text(WEB.replace("web", "api"))
    full, narrowed = full_and_diff(repo)
    assert [f["file"] for f in of_rule(full, "images-no-signature-policy")] == ["web.yaml"]
    assert of_rule(narrowed, "images-no-signature-policy") == []


def test_a_staged_network_policy_deletion_reports_the_exposed_workloads(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo", {"web.yaml": WEB, "np.yaml": DEFAULT_DENY})
    git(repo, "rm", "-q", "np.yaml")
    staged = findings_of(repo, ScanOptions(secrets=False, staged=True))
    exposed = of_rule(staged, "netpol-workloads-not-isolated")
    assert [f["file"] for f in exposed] == ["web.yaml"]


PRIVILEGED_NAMESPACE = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {pod-security.kubernetes.io/enforce: privileged}
"""


@pytest.mark.parametrize(
    ("label", "reported"),
    [("restricted", True), ("privileged", False)],
    ids=["tightened", "unchanged-level"],
)
def test_a_relabelled_namespace_reports_what_it_changes_for_unchanged_pods(
    tmp_path: Path, label: str, reported: bool
) -> None:
    privileged = WEB.replace(LATEST, f"{LATEST}\n          securityContext: {{privileged: true}}")
    repo = committed_repo(
        tmp_path / "repo",
        {"web.yaml": privileged, "np.yaml": DEFAULT_DENY, "ns.yaml": PRIVILEGED_NAMESPACE},
    )
    relabelled = PRIVILEGED_NAMESPACE.replace("enforce: privileged", f"enforce: {label}")
    (repo / "ns.yaml").write_text(
        relabelled.replace("name: shop", "name: shop\n  annotations: {a: b}")
    )
    full, narrowed = full_and_diff(repo)
    at_web = [f for f in full if f["file"] == "web.yaml" and f["rule"].startswith("pss-")]
    assert bool(at_web) is reported
    assert [f for f in narrowed if f["file"] == "web.yaml" and f["rule"].startswith("pss-")] == (
        at_web
    )
