from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitwarden.checks.check import CheckContext, CheckSettings, run_checks
from gitwarden.checks.secrets_management import CHECKS
from gitwarden.checks.sops import compile_path_regex, read_sops_config
from gitwarden.commands.scan import scan
from gitwarden.findings import Finding, Severity
from gitwarden.manifests.loader import load_manifest_text
from gitwarden.path_patterns import PathFilter
from gitwarden.pipeline.check_inputs import read_check_inputs
from gitwarden.report.json import JsonFormat
from gitwarden.sources.tree import walk_repository

CHECK_BY_ID = {check.rule.id: check for check in CHECKS}

SOPS_CONFIG = """\
creation_rules:
  - path_regex: clusters/.*/secrets/.*\\.ya?ml$
    encrypted_regex: ^(data|stringData)$
    age: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq
"""

PLAIN_SECRET = """\
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
type: Opaque
stringData:
  password: hunter2-prod
"""

ENCRYPTED_SECRET = """\
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
type: Opaque
stringData:
  password: ENC[AES256_GCM,data:Zm9vYmFy,iv:aXY=,tag:dGFn,type:str]
sops:
  age:
    - recipient: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq
      enc: |
        -----BEGIN AGE ENCRYPTED FILE-----
        YWdlLWVuY3J5cHRpb24ub3JnL3YxCg==
        -----END AGE ENCRYPTED FILE-----
  encrypted_regex: ^(data|stringData)$
  lastmodified: "2026-01-01T00:00:00Z"
  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]
  version: 3.9.0
"""

SEALED_SECRET = """\
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db, namespace: shop}
spec:
  encryptedData:
    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq
"""

EXTERNAL_SECRET = """\
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: db, namespace: shop}
spec:
  secretStoreRef: {name: vault, kind: ClusterSecretStore}
  target: {name: db}
  data:
    - secretKey: password
      remoteRef: {key: shop/db, property: password}
"""

CONFIG_MAP = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {mode: production}
"""


def make_repo(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def context_for(root: Path) -> CheckContext:
    walk = walk_repository(root, PathFilter((), (".git/",)))
    objects = [
        obj
        for repo_file in walk.manifest_files
        for obj in load_manifest_text(repo_file.absolute.read_text(), repo_file.path).objects
    ]
    return CheckContext(objects, CheckSettings(), inputs=read_check_inputs(walk.all_files))


def findings_of(rule_id: str, root: Path) -> list[Finding]:
    return run_checks([CHECK_BY_ID[rule_id]], context_for(root))


FIRING = {
    "sops-file-not-encrypted": {
        ".sops.yaml": SOPS_CONFIG,
        "clusters/prod/secrets/db.yaml": PLAIN_SECRET,
    },
    "sops-config-invalid": {
        ".sops.yaml": "creation_rules:\n  - path_regex: (?<=secrets)/.*\n",
    },
    "secrets-plaintext-secret": {"apps/db.yaml": PLAIN_SECRET},
    "secrets-safe-form": {"apps/db.yaml": SEALED_SECRET},
}

SILENT = {
    "sops-file-not-encrypted": {
        ".sops.yaml": SOPS_CONFIG,
        "clusters/prod/secrets/db.yaml": ENCRYPTED_SECRET,
        "clusters/prod/apps/db.yaml": CONFIG_MAP,
    },
    "sops-config-invalid": {".sops.yaml": SOPS_CONFIG},
    "secrets-plaintext-secret": {"apps/db.yaml": ENCRYPTED_SECRET},
    "secrets-safe-form": {"apps/db.yaml": PLAIN_SECRET},
}


def test_every_rule_has_a_firing_and_a_silent_case() -> None:
    assert set(FIRING) == set(SILENT) == set(CHECK_BY_ID)


def test_every_rule_carries_its_metadata() -> None:
    for check in CHECKS:
        assert check.rule.family == "secrets-management"
        assert check.rule.rationale and check.rule.remediation and check.rule.references


@pytest.mark.parametrize("rule_id", sorted(FIRING))
def test_rule_fires(tmp_path: Path, rule_id: str) -> None:
    findings = findings_of(rule_id, make_repo(tmp_path, FIRING[rule_id]))
    assert [f.rule_id for f in findings] == [rule_id]


@pytest.mark.parametrize("rule_id", sorted(SILENT))
def test_rule_is_silent(tmp_path: Path, rule_id: str) -> None:
    assert findings_of(rule_id, make_repo(tmp_path, SILENT[rule_id])) == []


def test_unencrypted_file_is_reported_at_its_document(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, FIRING["sops-file-not-encrypted"])
    [finding] = findings_of("sops-file-not-encrypted", repo)
    assert finding.location.file == "clusters/prod/secrets/db.yaml"
    assert finding.severity is Severity.CRITICAL
    assert "creation_rules[0]" in finding.message


def test_partially_encrypted_file_names_the_clear_value(tmp_path: Path) -> None:
    leaked = ENCRYPTED_SECRET.replace("  password: ENC[", "  username: admin\n  password: ENC[")
    repo = make_repo(tmp_path, {".sops.yaml": SOPS_CONFIG, "clusters/a/secrets/db.yaml": leaked})
    [finding] = findings_of("sops-file-not-encrypted", repo)
    assert "'stringData.username'" in finding.message


def test_unencrypted_suffix_values_may_stay_clear(tmp_path: Path) -> None:
    config = "creation_rules:\n  - path_regex: secrets/.*\\.yaml$\n"
    document = (
        "db:\n  host_unencrypted: db.internal\n"
        "  password: ENC[AES256_GCM,data:eA==,iv:aXY=,tag:dGFn,type:str]\n"
        "sops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n  version: 3.9.0\n"
    )
    repo = make_repo(tmp_path, {".sops.yaml": config, "secrets/db.yaml": document})
    assert findings_of("sops-file-not-encrypted", repo) == []


def test_dotenv_file_without_sops_mac_fires(tmp_path: Path) -> None:
    config = "creation_rules:\n  - path_regex: \\.env$\n"
    repo = make_repo(tmp_path, {".sops.yaml": config, "apps/web/.env": "API_KEY=live-123\n"})
    [finding] = findings_of("sops-file-not-encrypted", repo)
    assert finding.location.file == "apps/web/.env"


def test_dotenv_file_with_sops_mac_is_silent(tmp_path: Path) -> None:
    config = "creation_rules:\n  - path_regex: \\.env$\n"
    encrypted = (
        "API_KEY=ENC[AES256_GCM,data:eA==,iv:aXY=,tag:dGFn,type:str]\n"
        "sops_mac=ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n"
    )
    repo = make_repo(tmp_path, {".sops.yaml": config, "apps/web/.env": encrypted})
    assert findings_of("sops-file-not-encrypted", repo) == []


def test_nested_sops_config_matches_paths_relative_to_its_folder(tmp_path: Path) -> None:
    config = "creation_rules:\n  - path_regex: ^secrets/\n"
    repo = make_repo(
        tmp_path,
        {"clusters/prod/.sops.yaml": config, "clusters/prod/secrets/db.yaml": PLAIN_SECRET},
    )
    assert len(findings_of("sops-file-not-encrypted", repo)) == 1


def test_rules_without_path_regex_require_nothing(tmp_path: Path) -> None:
    config = "creation_rules:\n  - age: age1qyqszqgpqyqszqgpqyqszqgpqyqs\n"
    repo = make_repo(tmp_path, {".sops.yaml": config, "apps/db.yaml": PLAIN_SECRET})
    assert findings_of("sops-file-not-encrypted", repo) == []


@pytest.mark.parametrize(
    ("pattern", "valid"),
    [("clusters/.*/secrets/.*", True), ("(?i)secret", True), ("(?=x)y", False), ("(a", False)],
)
def test_path_regex_follows_re2_syntax(pattern: str, valid: bool) -> None:
    try:
        compile_path_regex(pattern)
    except ValueError:
        assert not valid
    else:
        assert valid


def test_invalid_regex_is_reported_at_its_line() -> None:
    config = read_sops_config(".sops.yaml", "creation_rules:\n  - age: x\n    path_regex: (a\n")
    assert config.problem_lines == (3,)


def test_invalid_yaml_in_sops_config_is_a_finding(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {".sops.yaml": "creation_rules: [\n"})
    [finding] = findings_of("sops-config-invalid", repo)
    assert "invalid YAML" in finding.message


@pytest.mark.parametrize(
    ("text", "form"),
    [
        (SEALED_SECRET, "SealedSecret"),
        (EXTERNAL_SECRET, "ExternalSecret"),
        (ENCRYPTED_SECRET, "SOPS-encrypted Secret"),
        (
            "apiVersion: external-secrets.io/v1beta1\nkind: ClusterSecretStore\n"
            "metadata: {name: vault}\nspec: {provider: {vault: {server: https://vault}}}\n",
            "ClusterSecretStore",
        ),
    ],
)
def test_safe_forms_are_listed_with_their_form(tmp_path: Path, text: str, form: str) -> None:
    [finding] = findings_of("secrets-safe-form", make_repo(tmp_path, {"apps/s.yaml": text}))
    assert finding.details["form"] == form
    assert finding.severity is Severity.INFO


def test_safe_forms_appear_in_the_json_report(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path, {"apps/sealed.yaml": SEALED_SECRET, "apps/ext.yaml": EXTERNAL_SECRET}
    )
    document = json.loads(JsonFormat().render(scan(repo)))
    safe = {
        (item["resource"], item["details"]["form"])
        for item in document["findings"]
        if item["rule"] == "secrets-safe-form"
    }
    assert safe == {
        ("SealedSecret/shop/db", "SealedSecret"),
        ("ExternalSecret/shop/db", "ExternalSecret"),
    }


def test_safe_forms_do_not_fail_the_gate(tmp_path: Path) -> None:
    report = scan(make_repo(tmp_path, {"apps/sealed.yaml": SEALED_SECRET}))
    assert report.passed


def test_argocd_credentials_are_left_to_the_argocd_rule(tmp_path: Path) -> None:
    labelled = PLAIN_SECRET.replace(
        "metadata: {name: db, namespace: shop}",
        "metadata:\n  name: repo\n  namespace: argocd\n"
        "  labels: {argocd.argoproj.io/secret-type: repository}",
    )
    repo = make_repo(tmp_path, {"argocd/repo.yaml": labelled})
    assert findings_of("secrets-plaintext-secret", repo) == []


def test_plaintext_secret_suppressed_by_config_with_a_reason(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "apps/db.yaml": PLAIN_SECRET,
            ".gitwarden.yaml": (
                "suppressions:\n  - rule: secrets-plaintext-secret\n    path: apps/db.yaml\n"
                "    reason: test fixture with a dummy password\n"
            ),
        },
    )
    [finding] = [f for f in scan(repo).findings if f.rule_id == "secrets-plaintext-secret"]
    assert finding.suppressed
