from __future__ import annotations

import textwrap
from collections import Counter

import pytest

from gitwarden.checks.controller_rbac import CHECKS, recognise_controller
from gitwarden.commands.scan import scan
from gitwarden.findings import Finding, Severity
from gitwarden.report.model import Report
from k8s_fixtures import CORPORA, run

RULE_ID = "controller-cluster-wide-grant"
ARGO = CORPORA / "argo-cd-manifests"
FLUX = CORPORA / "flux2-manifests"


def binding(account: str, namespace: str, role: str) -> str:
    return textwrap.dedent(
        f"""\
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {{name: {account}}}
        roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {role}}}
        subjects:
          - kind: ServiceAccount
            name: {account}
            namespace: {namespace}
        """
    )


def cluster_role(name: str, verbs: str, groups: str = "'*'") -> str:
    return textwrap.dedent(
        f"""\
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {{name: {name}}}
        rules:
          - apiGroups: [{groups}]
            resources: ['*']
            verbs: [{verbs}]
        """
    )


def findings_of(yaml_text: str) -> list[Finding]:
    return run(CHECKS, yaml_text)


FIRING = {
    "argo-cd wildcard": cluster_role("argocd-application-controller", "'*'")
    + "---\n"
    + binding("argocd-application-controller", "argocd", "argocd-application-controller"),
    "flux cluster-admin": binding("kustomize-controller", "flux-system", "cluster-admin"),
    "generic operator": binding("db-operator", "databases", "cluster-admin"),
}

SILENT = {
    "scoped to one api group": cluster_role("argocd-application-controller", "'*'", "apps")
    + "---\n"
    + binding("argocd-application-controller", "argocd", "argocd-application-controller"),
    "not a controller": binding("ci-deployer", "ci", "cluster-admin"),
    "read-only role": cluster_role("view-things", "get, list")
    + "---\n"
    + binding("web", "shop", "view-things"),
}


@pytest.mark.parametrize("case", sorted(FIRING))
def test_controller_grant_fires(case: str) -> None:
    assert [f.rule_id for f in findings_of(FIRING[case])] == [RULE_ID]


@pytest.mark.parametrize("case", sorted(SILENT))
def test_controller_grant_is_silent(case: str) -> None:
    assert findings_of(SILENT[case]) == []


def test_rule_carries_its_metadata() -> None:
    [check] = CHECKS
    assert check.rule.family == "controller-rbac"
    assert check.rule.rationale and check.rule.remediation and check.rule.references


@pytest.mark.parametrize(
    ("account", "namespace", "product"),
    [
        ("argocd-server", "argocd", "Argo CD"),
        ("application-controller", "argocd", "Argo CD"),
        ("helm-controller", "flux-system", "Flux"),
        ("cert-manager", "cert-manager", "controller"),
        ("web", "shop", None),
    ],
)
def test_controllers_are_recognised_by_account(
    account: str, namespace: str, product: str | None
) -> None:
    found = recognise_controller(account, namespace)
    assert (found.product if found else None) == product


def test_full_wildcard_is_critical_and_names_the_alternative() -> None:
    [finding] = findings_of(FIRING["argo-cd wildcard"])
    assert finding.severity is Severity.CRITICAL
    assert "namespace-scoped" in finding.message and "impersonation" in finding.message


def test_several_grants_make_one_finding() -> None:
    text = (
        FIRING["argo-cd wildcard"]
        + "---\n"
        + binding("argocd-application-controller", "argocd", "cluster-admin").replace(
            "name: argocd-application-controller}", "name: extra-admin}", 1
        )
    )
    [finding] = findings_of(text)
    assert "cluster-admin" in finding.details["grants"]
    assert "every resource" in finding.details["grants"]


# --- the real installs ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flux_report() -> Report:
    return scan(FLUX)


@pytest.fixture(scope="module")
def argo_report() -> Report:
    return scan(ARGO)


def _controller_findings(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.rule_id == RULE_ID]


def test_flux_install_reports_each_cluster_admin_controller_once(flux_report: Report) -> None:
    found = {
        f.details["controller"]: (f.location.file, f.location.line)
        for f in _controller_findings(flux_report)
    }
    # rbac/reconciler.yaml binds cluster-admin to these two accounts, at subjects[0] and [1].
    assert found == {
        "kustomize-controller": ("rbac/reconciler.yaml", 10),
        "helm-controller": ("rbac/reconciler.yaml", 13),
    }
    assert len(_controller_findings(flux_report)) == 2


def test_flux_controllers_line_is_the_subject_entry(flux_report: Report) -> None:
    lines = (FLUX / "rbac/reconciler.yaml").read_text().splitlines()
    for finding in _controller_findings(flux_report):
        assert lines[finding.location.line - 1].strip() == "- kind: ServiceAccount"
        assert finding.details["controller"] in lines[finding.location.line]


def test_argo_cd_reports_each_controller_once_per_install_file(argo_report: Report) -> None:
    counts = Counter(
        (f.details["controller"], f.location.file) for f in _controller_findings(argo_report)
    )
    assert counts and set(counts.values()) == {1}
    controllers = {controller for controller, _ in counts}
    assert controllers == {"argocd-application-controller", "argocd-server"}


@pytest.mark.parametrize(
    ("controller", "file", "line"),
    [
        ("argocd-application-controller", "install.yaml", 31475),
        ("argocd-server", "install.yaml", 31570),
        (
            "argocd-application-controller",
            "cluster-rbac/application-controller/argocd-application-controller-clusterrole.yaml",
            10,
        ),
        ("argocd-server", "cluster-rbac/server/argocd-server-clusterrole.yaml", 10),
    ],
)
def test_argo_cd_controller_is_reported_at_its_wildcard_rule(
    argo_report: Report, controller: str, file: str, line: int
) -> None:
    [finding] = [
        f
        for f in _controller_findings(argo_report)
        if f.details["controller"] == controller and f.location.file == file
    ]
    assert finding.location.line == line
    text = (ARGO / file).read_text().splitlines()
    assert text[line - 1].strip() == "- apiGroups:"
    assert text[line].strip() == "- '*'"


def test_application_controller_is_critical_and_server_is_high(argo_report: Report) -> None:
    severities = {
        f.details["controller"]: f.severity
        for f in _controller_findings(argo_report)
        if f.location.file == "install.yaml"
    }
    assert severities == {
        "argocd-application-controller": Severity.CRITICAL,
        "argocd-server": Severity.HIGH,
    }


def test_namespace_install_grants_nothing_cluster_wide(argo_report: Report) -> None:
    files = {f.location.file for f in _controller_findings(argo_report)}
    assert not any("namespace-install" in file for file in files)
