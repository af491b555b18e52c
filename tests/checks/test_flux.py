from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gitwarden.checks.check import CheckSettings
from gitwarden.checks.flux import CHECKS
from gitwarden.commands.scan import scan
from gitwarden.findings import Finding, Severity
from k8s_fixtures import CORPORA, run

CHECK_BY_ID = {check.rule.id: check for check in CHECKS}
CLUSTER_FILE = "clusters/production/sync.yaml"


def git_repository(spec: str, name: str = "platform") -> str:
    return textwrap.dedent(
        f"""\
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata: {{name: {name}, namespace: flux-system}}
        spec:
          interval: 5m
        """
    ) + textwrap.indent(textwrap.dedent(spec), "  ")


VERIFIED_GIT = textwrap.dedent(
    """\
    url: https://git.example.com/platform.git
    ref: {tag: v1.4.2}
    verify: {mode: HEAD, secretRef: {name: pgp-public-keys}}
    """
)


def oci(extra: str) -> str:
    lines = [
        "apiVersion: source.toolkit.fluxcd.io/v1beta2",
        "kind: OCIRepository",
        "metadata: {name: podinfo, namespace: flux-system}",
        "spec:",
        "  interval: 5m",
        "  url: oci://ghcr.io/stefanprodan/manifests/podinfo",
        *("  " + line for line in extra.splitlines()),
    ]
    return "\n".join(lines) + "\n"


HELM_REPOSITORY = """\
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: HelmRepository
    metadata: {{name: charts, namespace: flux-system}}
    spec:
      interval: 1h
      url: {url}
    """


def kustomization(spec: str, name: str = "apps", namespace: str = "flux-system") -> str:
    return textwrap.dedent(
        f"""\
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {{name: {name}, namespace: {namespace}}}
        spec:
          interval: 10m
          prune: true
        """
    ) + textwrap.indent(textwrap.dedent(spec), "  ")


SAFE_KUSTOMIZATION = textwrap.dedent(
    """\
    serviceAccountName: team-a-reconciler
    sourceRef: {kind: GitRepository, name: platform}
    path: ./apps/production
    """
)


def helm_release(spec: str) -> str:
    return textwrap.dedent(
        """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: podinfo, namespace: podinfo}
        spec:
          interval: 10m
        """
    ) + textwrap.indent(textwrap.dedent(spec), "  ")


SAFE_RELEASE = textwrap.dedent(
    """\
    serviceAccountName: podinfo-reconciler
    chart:
      spec:
        chart: podinfo
        version: 6.5.4
        sourceRef: {kind: HelmRepository, name: podinfo}
    """
)


def controller(args: list[str], name: str = "kustomize-controller") -> str:
    rendered = "".join(f"\n                - {arg}" for arg in args)
    return textwrap.dedent(
        f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: {name}, namespace: flux-system}}
        spec:
          template:
            spec:
              containers:
              - name: manager
                image: ghcr.io/fluxcd/{name}:v1.4.0
                args:{rendered}
        """
    )


LOCKED_DOWN = [
    "--events-addr=http://notification-controller.flux-system.svc.cluster.local./",
    "--no-cross-namespace-refs=true",
    "--default-service-account=default",
    "--no-remote-bases=true",
]

FIRING = {
    "flux-source-not-verified": git_repository(VERIFIED_GIT.replace("verify:", "# verify:")),
    "flux-source-insecure-transport": textwrap.dedent(
        HELM_REPOSITORY.format(url="http://charts.example.com")
    ),
    "flux-floating-revision": git_repository(
        VERIFIED_GIT.replace("{tag: v1.4.2}", "{branch: main}")
    ),
    "flux-reconciler-no-service-account": kustomization(
        SAFE_KUSTOMIZATION.replace("serviceAccountName: team-a-reconciler\n", "")
    ),
    "flux-cross-namespace-source": kustomization(
        SAFE_KUSTOMIZATION.replace("name: platform}", "name: platform, namespace: team-b}"),
        namespace="team-a",
    ),
    "flux-force-apply": kustomization(SAFE_KUSTOMIZATION + "force: true\n"),
    "flux-controller-lockdown-flag-missing": controller(
        [arg for arg in LOCKED_DOWN if not arg.startswith("--no-remote-bases")]
    ),
}

SILENT = {
    "flux-source-not-verified": git_repository(VERIFIED_GIT),
    "flux-source-insecure-transport": textwrap.dedent(
        HELM_REPOSITORY.format(url="https://charts.example.com")
    ),
    "flux-floating-revision": git_repository(VERIFIED_GIT),
    "flux-reconciler-no-service-account": kustomization(SAFE_KUSTOMIZATION),
    "flux-cross-namespace-source": kustomization(SAFE_KUSTOMIZATION),
    "flux-force-apply": kustomization(SAFE_KUSTOMIZATION + "force: false\n"),
    "flux-controller-lockdown-flag-missing": controller(LOCKED_DOWN),
}


def findings_of(
    rule_id: str, yaml_text: str, file: str = CLUSTER_FILE, settings: CheckSettings | None = None
) -> list[Finding]:
    return run([CHECK_BY_ID[rule_id]], yaml_text, settings, file)


def test_every_rule_has_a_firing_and_a_silent_case() -> None:
    # flux-sops-without-decryption reads the repository: tested with real files below.
    assert set(FIRING) == set(SILENT) == set(CHECK_BY_ID) - {"flux-sops-without-decryption"}


def test_every_rule_carries_its_metadata() -> None:
    for check in CHECKS:
        rule = check.rule
        assert rule.id.startswith("flux-") and rule.family == "flux"
        assert rule.title and rule.rationale and rule.remediation and rule.references


@pytest.mark.parametrize("rule_id", sorted(FIRING))
def test_rule_fires(rule_id: str) -> None:
    assert [f.rule_id for f in findings_of(rule_id, FIRING[rule_id])] == [rule_id]


@pytest.mark.parametrize("rule_id", sorted(SILENT))
def test_rule_is_silent(rule_id: str) -> None:
    assert findings_of(rule_id, SILENT[rule_id]) == []


def test_unverified_source_is_high_in_production() -> None:
    [finding] = findings_of("flux-source-not-verified", FIRING["flux-source-not-verified"])
    assert finding.severity is Severity.HIGH


def test_unverified_source_is_medium_elsewhere() -> None:
    text = FIRING["flux-source-not-verified"]
    [finding] = findings_of("flux-source-not-verified", text, file="clusters/staging/sync.yaml")
    assert finding.severity is Severity.MEDIUM


@pytest.mark.parametrize(
    ("extra", "fires"),
    [
        ("", True),
        ("ref: {tag: latest}", True),
        ("ref: {semver: '>=6.0.0'}", True),
        ("ref: {tag: 6.5.4}", False),
        ("ref: {digest: 'sha256:" + "ab" * 32 + "'}", False),
    ],
)
def test_oci_references_that_float_in_production(extra: str, fires: bool) -> None:
    assert bool(findings_of("flux-floating-revision", oci(extra))) is fires


def test_oci_repository_without_verify_fires() -> None:
    text = oci("ref: {tag: 6.5.4}")
    assert [f.rule_id for f in findings_of("flux-source-not-verified", text)] == [
        "flux-source-not-verified"
    ]


def test_oci_repository_insecure_flag_fires() -> None:
    text = oci("ref: {tag: 6.5.4}\ninsecure: true")
    assert len(findings_of("flux-source-insecure-transport", text)) == 1


def test_git_repository_without_ref_follows_the_default_branch() -> None:
    text = git_repository("url: https://git.example.com/platform.git\n")
    [finding] = findings_of("flux-floating-revision", text)
    assert "default branch" in finding.message


def test_helm_release_with_version_range_in_production_fires() -> None:
    text = helm_release(SAFE_RELEASE.replace("6.5.4", "'>=6.0.0'"))
    [finding] = findings_of("flux-floating-revision", text, file="apps/production/podinfo.yaml")
    assert finding.location.field_path == "spec.chart.spec.version"


def test_helm_release_without_service_account_fires() -> None:
    text = helm_release(SAFE_RELEASE.replace("serviceAccountName: podinfo-reconciler\n", ""))
    assert len(findings_of("flux-reconciler-no-service-account", text)) == 1


def test_default_service_account_flag_silences_missing_service_accounts() -> None:
    text = (
        kustomization(SAFE_KUSTOMIZATION.replace("serviceAccountName: team-a-reconciler\n", ""))
        + "---\n"
        + controller(LOCKED_DOWN)
    )
    assert findings_of("flux-reconciler-no-service-account", text) == []


def test_cross_namespace_chart_source_fires() -> None:
    text = helm_release(
        SAFE_RELEASE.replace("name: podinfo}", "name: podinfo, namespace: flux-system}")
    )
    [finding] = findings_of("flux-cross-namespace-source", text)
    assert finding.location.field_path == "spec.chart.spec.sourceRef.namespace"


def test_helm_release_upgrade_force_fires() -> None:
    text = helm_release(SAFE_RELEASE + "upgrade: {force: true}\n")
    assert len(findings_of("flux-force-apply", text)) == 1


@pytest.mark.parametrize(
    ("name", "missing"),
    [
        (
            "kustomize-controller",
            {"--no-cross-namespace-refs", "--default-service-account", "--no-remote-bases"},
        ),
        ("helm-controller", {"--no-cross-namespace-refs", "--default-service-account"}),
        ("source-controller", set()),
    ],
)
def test_lockdown_flags_each_controller_needs(name: str, missing: set[str]) -> None:
    text = controller(["--watch-all-namespaces=true"], name=name)
    findings = findings_of("flux-controller-lockdown-flag-missing", text)
    assert {f.details["flag"] for f in findings} == missing


def test_lockdown_flag_set_to_false_counts_as_missing() -> None:
    args = [*LOCKED_DOWN[:1], "--no-cross-namespace-refs=false", *LOCKED_DOWN[2:]]
    [finding] = findings_of("flux-controller-lockdown-flag-missing", controller(args))
    assert finding.details["flag"] == "--no-cross-namespace-refs"


ENCRYPTED_SECRET = """\
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: apps}
stringData:
  password: ENC[AES256_GCM,data:Zm9v,iv:aXY=,tag:dGFn,type:str]
sops:
  age:
    - recipient: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq
  encrypted_regex: ^(data|stringData)$
  lastmodified: "2026-01-01T00:00:00Z"
  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]
  version: 3.9.0
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.mark.parametrize(
    ("decryption", "fires"), [("", True), ("decryption: {provider: sops}\n", False)]
)
def test_sops_files_need_a_decryption_provider(
    tmp_path: Path, decryption: str, fires: bool
) -> None:
    repo = _write(
        tmp_path,
        {
            "clusters/production/apps.yaml": kustomization(SAFE_KUSTOMIZATION + decryption),
            "apps/production/db-secret.yaml": ENCRYPTED_SECRET,
        },
    )
    report = scan(repo)
    found = [f for f in report.findings if f.rule_id == "flux-sops-without-decryption"]
    assert bool(found) is fires
    if fires:
        assert found[0].location.file == "clusters/production/apps.yaml"
        assert "apps/production/db-secret.yaml" in found[0].message


def test_flux_example_reconcilers_act_with_controller_rights() -> None:
    """flux2-kustomize-helm-example sets no serviceAccountName anywhere."""
    report = scan(CORPORA / "flux2-kustomize-helm-example")
    found = {
        (f.location.file, f.location.resource)
        for f in report.findings
        if f.rule_id == "flux-reconciler-no-service-account"
    }
    assert ("clusters/production/apps.yaml", "Kustomization/flux-system/apps") in found
    assert ("apps/base/podinfo/release.yaml", "HelmRelease/podinfo/podinfo") in found
    assert len(found) == 9
