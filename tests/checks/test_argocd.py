from __future__ import annotations

import textwrap

import pytest

from gitwarden.checks.argocd import CHECKS
from gitwarden.checks.check import CheckSettings
from gitwarden.checks.production import ProductionScope
from gitwarden.findings import Finding, Severity
from k8s_fixtures import CORPORA, run

CHECK_BY_ID = {check.rule.id: check for check in CHECKS}


def project(spec: str) -> str:
    return textwrap.dedent(
        """\
            apiVersion: argoproj.io/v1alpha1
            kind: AppProject
            metadata: {name: team-a, namespace: argocd}
            spec:
            """
    ) + textwrap.indent(textwrap.dedent(spec), "  ")


SAFE_PROJECT_SPEC = textwrap.dedent(
    """\
    sourceRepos: [https://git.example.com/team-a/deploy.git]
    destinations:
      - {server: https://kubernetes.default.svc, namespace: team-a}
    clusterResourceWhitelist: []
    namespaceResourceBlacklist:
      - {group: "", kind: ResourceQuota}
      - {group: "", kind: LimitRange}
      - {group: networking.k8s.io, kind: NetworkPolicy}
    signatureKeys:
      - keyID: 4AEE18F83AFDEB23
    orphanedResources: {warn: true}
    syncWindows:
      - {kind: allow, schedule: "0 8 * * 1-5", duration: 8h, applications: ["*"]}
    """
)


def application(
    *,
    project_name: str = "team-a",
    namespace: str = "team-a-prod",
    repo: str = "https://git.example.com/team-a/deploy.git",
    revision: str = "v1.4.2",
    extra_source: str = "",
    sync: str = "",
) -> str:
    lines = [
        "apiVersion: argoproj.io/v1alpha1",
        "kind: Application",
        "metadata: {name: web, namespace: argocd}",
        "spec:",
        f"  project: {project_name}",
        "  source:",
        f"    repoURL: {repo}",
        f"    targetRevision: {revision}",
        "    path: deploy/web",
        *("    " + line for line in extra_source.splitlines()),
        "  destination:",
        "    server: https://kubernetes.default.svc",
        f"    namespace: {namespace}",
        *("  " + line for line in sync.splitlines()),
    ]
    return "\n".join(lines) + "\n"


AUTO_SYNC = "syncPolicy:\n  automated: {prune: true, selfHeal: true}\n"


def config_map(name: str, data: str) -> str:
    return textwrap.dedent(
        f"""\
            apiVersion: v1
            kind: ConfigMap
            metadata: {{name: {name}, namespace: argocd}}
            data:
            """
    ) + textwrap.indent(textwrap.dedent(data), "  ")


APPSET = """\
    apiVersion: argoproj.io/v1alpha1
    kind: ApplicationSet
    metadata: {{name: tenants, namespace: argocd}}
    spec:
      generators:
        - git:
            repoURL: https://git.example.com/platform/tenants.git
            revision: v2.0.0
            files: [{{path: "tenants/*.json"}}]
      template:
        metadata: {{name: "{{{{name}}}}"}}
        spec:
          project: {project}
          source:
            repoURL: https://git.example.com/platform/tenants.git
            targetRevision: v2.0.0
            path: "apps/{{{{name}}}}"
          destination: {{server: https://kubernetes.default.svc, namespace: "{{{{name}}}}"}}
    """

REPO_SECRET = """\
    apiVersion: v1
    kind: Secret
    metadata:
      name: private-repo
      namespace: argocd
      labels: {{argocd.argoproj.io/secret-type: repository}}
    stringData:
      url: https://git.example.com/team-a/deploy.git
      username: deploy
      password: {password}
    """

FIRING = {
    "argocd-project-any-source-repo": project(
        SAFE_PROJECT_SPEC.replace("[https://git.example.com/team-a/deploy.git]", "['*']")
    ),
    "argocd-project-any-destination": project(
        SAFE_PROJECT_SPEC.replace("namespace: team-a}", "namespace: '*'}")
    ),
    "argocd-project-all-cluster-resources": project(
        SAFE_PROJECT_SPEC.replace(
            "clusterResourceWhitelist: []", "clusterResourceWhitelist:\n  - {group: '*', kind: '*'}"
        )
    ),
    "argocd-project-sensitive-kinds-allowed": project(
        SAFE_PROJECT_SPEC.replace("  - {group: networking.k8s.io, kind: NetworkPolicy}\n", "")
    ),
    "argocd-project-unsigned-commits": project(
        SAFE_PROJECT_SPEC.replace("signatureKeys:\n  - keyID: 4AEE18F83AFDEB23\n", "")
    ),
    "argocd-project-orphans-unmonitored": project(
        SAFE_PROJECT_SPEC.replace("orphanedResources: {warn: true}\n", "")
    ),
    "argocd-app-default-project": application(project_name="default"),
    "argocd-app-floating-revision": application(revision="HEAD"),
    "argocd-app-insecure-repo-url": application(repo="http://git.example.com/team-a/deploy.git"),
    "argocd-app-auto-sync-without-window": application(sync=AUTO_SYNC),
    "argocd-appset-templated-project": textwrap.dedent(APPSET.format(project='"{{project}}"')),
    "argocd-app-inline-helm-secret": application(
        extra_source="helm:\n  valuesObject:\n    db: {password: hunter2-prod}\n"
    ),
    "argocd-admin-user-enabled": config_map("argocd-cm", 'admin.enabled: "true"\n'),
    "argocd-anonymous-access": config_map("argocd-cm", 'users.anonymous.enabled: "true"\n'),
    "argocd-exec-enabled": config_map("argocd-cm", 'exec.enabled: "true"\n'),
    "argocd-kustomize-unsafe-build-options": config_map(
        "argocd-cm", "kustomize.buildOptions: --enable-alpha-plugins\n"
    ),
    "argocd-insecure-oidc": config_map(
        "argocd-cm",
        "oidc.config: |\n  name: Okta\n  issuer: http://sso.example.com\n  clientID: argo\n",
    ),
    "argocd-rbac-default-admin": config_map("argocd-rbac-cm", "policy.default: role:admin\n"),
    "argocd-rbac-wildcard-policy": config_map(
        "argocd-rbac-cm",
        "policy.csv: |\n  p, role:ops, applications, *, */*, allow\n  g, ops-team, role:ops\n",
    ),
    "argocd-server-insecure": config_map("argocd-cmd-params-cm", 'server.insecure: "true"\n'),
    "argocd-repo-server-long-exec-timeout": config_map(
        "argocd-cmd-params-cm", "reposerver.exec.timeout: 30m\n"
    ),
    "argocd-plaintext-credentials": textwrap.dedent(REPO_SECRET.format(password="s3cr3t-token")),
    "argocd-repository-insecure": textwrap.dedent(REPO_SECRET.format(password="''"))
    + '  insecure: "true"\n',
}

SILENT = {
    "argocd-project-any-source-repo": project(SAFE_PROJECT_SPEC),
    "argocd-project-any-destination": project(SAFE_PROJECT_SPEC),
    "argocd-project-all-cluster-resources": project(SAFE_PROJECT_SPEC),
    "argocd-project-sensitive-kinds-allowed": project(SAFE_PROJECT_SPEC),
    "argocd-project-unsigned-commits": project(SAFE_PROJECT_SPEC),
    "argocd-project-orphans-unmonitored": project(SAFE_PROJECT_SPEC),
    "argocd-app-default-project": application(),
    "argocd-app-floating-revision": application(),
    "argocd-app-insecure-repo-url": application(),
    "argocd-app-auto-sync-without-window": project(SAFE_PROJECT_SPEC)
    + "---\n"
    + application(sync=AUTO_SYNC),
    "argocd-appset-templated-project": textwrap.dedent(APPSET.format(project="tenants")),
    "argocd-app-inline-helm-secret": application(
        extra_source="helm:\n  valuesObject:\n    db: {existingSecret: web-db, password: ''}\n"
    ),
    "argocd-admin-user-enabled": config_map("argocd-cm", 'admin.enabled: "false"\n'),
    "argocd-anonymous-access": config_map("argocd-cm", 'users.anonymous.enabled: "false"\n'),
    "argocd-exec-enabled": config_map("argocd-cm", 'exec.enabled: "false"\n'),
    "argocd-kustomize-unsafe-build-options": config_map(
        "argocd-cm", "kustomize.buildOptions: --enable-helm\n"
    ),
    "argocd-insecure-oidc": config_map(
        "argocd-cm",
        "oidc.config: |\n  name: Okta\n  issuer: https://sso.example.com\n  clientID: argo\n",
    ),
    "argocd-rbac-default-admin": config_map("argocd-rbac-cm", "policy.default: role:readonly\n"),
    "argocd-rbac-wildcard-policy": config_map(
        "argocd-rbac-cm",
        "policy.csv: |\n  p, role:dev, applications, sync, team-a/*, allow\n",
    ),
    "argocd-server-insecure": config_map("argocd-cmd-params-cm", 'server.insecure: "false"\n'),
    "argocd-repo-server-long-exec-timeout": config_map(
        "argocd-cmd-params-cm", "reposerver.exec.timeout: 180s\n"
    ),
    "argocd-plaintext-credentials": textwrap.dedent(REPO_SECRET.format(password="''")),
    "argocd-repository-insecure": textwrap.dedent(REPO_SECRET.format(password="''"))
    + '  insecure: "false"\n',
}


def findings_of(
    rule_id: str, yaml_text: str, settings: CheckSettings | None = None
) -> list[Finding]:
    return run([CHECK_BY_ID[rule_id]], yaml_text, settings, "argocd/apps.yaml")


def test_every_rule_has_a_firing_and_a_silent_case() -> None:
    assert set(FIRING) == set(SILENT) == set(CHECK_BY_ID)


def test_every_rule_carries_its_metadata() -> None:
    for check in CHECKS:
        rule = check.rule
        assert rule.id.startswith("argocd-") and rule.family == "argocd"
        assert rule.title and rule.rationale and rule.remediation and rule.references


@pytest.mark.parametrize("rule_id", sorted(FIRING))
def test_rule_fires(rule_id: str) -> None:
    findings = findings_of(rule_id, FIRING[rule_id])
    assert [f.rule_id for f in findings] == [rule_id]


@pytest.mark.parametrize("rule_id", sorted(SILENT))
def test_rule_is_silent(rule_id: str) -> None:
    assert findings_of(rule_id, SILENT[rule_id]) == []


def test_missing_admin_setting_counts_as_enabled() -> None:
    findings = findings_of(
        "argocd-admin-user-enabled", config_map("argocd-cm", "url: https://cd\n")
    )
    assert "(the default)" in findings[0].message


def test_wildcard_policy_is_reported_at_its_csv_line() -> None:
    text = config_map(
        "argocd-rbac-cm",
        "policy.csv: |\n  g, ops-team, role:ops\n  p, role:ops, *, *, *, allow\n",
    )
    [finding] = findings_of("argocd-rbac-wildcard-policy", text)
    assert text.splitlines()[finding.location.line - 1].strip() == "p, role:ops, *, *, *, allow"


def test_insecure_oidc_is_reported_at_the_issuer_line() -> None:
    text = FIRING["argocd-insecure-oidc"]
    [finding] = findings_of("argocd-insecure-oidc", text)
    assert "issuer: http://" in text.splitlines()[finding.location.line - 1]


def test_inline_values_string_is_parsed_for_secrets() -> None:
    text = application(extra_source="helm:\n  values: |\n    auth:\n      apiKey: AKIA-live-1234\n")
    [finding] = findings_of("argocd-app-inline-helm-secret", text)
    assert "auth.apiKey" in finding.message


def test_helm_parameter_with_literal_secret_fires() -> None:
    text = application(
        extra_source="helm:\n  parameters:\n    - {name: redis.auth.password, value: pa55word}\n"
    )
    assert [f.rule_id for f in findings_of("argocd-app-inline-helm-secret", text)] == [
        "argocd-app-inline-helm-secret"
    ]


@pytest.mark.parametrize(
    ("revision", "floats"),
    [
        ("HEAD", True),
        ("main", True),
        ("release-1.4", True),
        ("refs/heads/main", True),
        ("v1.4.2", False),
        ("1.4.2-rc.1", False),
        ("8f3c2d1e9a0b4c5d6e7f8a9b0c1d2e3f4a5b6c7d", False),
    ],
)
def test_git_revisions_that_float(revision: str, floats: bool) -> None:
    findings = findings_of("argocd-app-floating-revision", application(revision=revision))
    assert bool(findings) is floats


@pytest.mark.parametrize(
    ("version", "floats"), [("*", True), ("1.x", True), ("^1.2", True), ("1.2.3", False)]
)
def test_chart_versions_that_float(version: str, floats: bool) -> None:
    text = application(revision=f"'{version}'", extra_source="chart: web\n")
    assert bool(findings_of("argocd-app-floating-revision", text)) is floats


def test_floating_revision_outside_production_is_silent() -> None:
    text = application(revision="main", namespace="team-a-staging")
    assert findings_of("argocd-app-floating-revision", text) == []


def test_configured_production_namespaces_replace_the_default() -> None:
    settings = CheckSettings(production=ProductionScope(namespaces=("live-*",)))
    assert findings_of("argocd-app-floating-revision", application(revision="main"), settings) == []
    text = application(revision="main", namespace="live-eu")
    assert len(findings_of("argocd-app-floating-revision", text, settings)) == 1


def test_auto_sync_fires_when_the_project_is_not_in_the_repository() -> None:
    assert len(findings_of("argocd-app-auto-sync-without-window", application(sync=AUTO_SYNC))) == 1


def test_default_project_location_is_the_project_field() -> None:
    text = application(project_name="default")
    [finding] = findings_of("argocd-app-default-project", text)
    assert text.splitlines()[finding.location.line - 1].strip() == "project: default"


def test_plaintext_credentials_are_critical() -> None:
    [finding] = findings_of("argocd-plaintext-credentials", FIRING["argocd-plaintext-credentials"])
    assert finding.severity is Severity.CRITICAL
    assert finding.location.field_path == "stringData.password"


def test_sops_encrypted_credentials_are_silent() -> None:
    text = textwrap.dedent(
        REPO_SECRET.format(password="ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]")
    )
    text += "sops:\n  mac: ENC[AES256_GCM,data:m,iv:x,tag:y,type:str]\n  version: 3.9.0\n"
    assert findings_of("argocd-plaintext-credentials", text) == []


def test_argocd_example_apps_use_the_default_project() -> None:
    """The app-of-apps chart puts every Application in the default project."""
    from gitwarden.commands.scan import scan

    report = scan(CORPORA / "argocd-example-apps")
    found = [f for f in report.findings if f.rule_id == "argocd-app-default-project"]
    assert found and {f.location.file for f in found} == {"apps/templates/applications.yaml"}
