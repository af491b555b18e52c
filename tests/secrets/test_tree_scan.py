"""`gitwarden scan` finds secrets in the working tree: every text file, redacted by default."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from gitwarden.cli.main import main
from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.config import Config
from gitwarden.secrets import all_secret_rules
from secrets_values import GITHUB_TOKEN

SECRET_RULE_IDS = {rule.id for rule in all_secret_rules()}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def secret_findings(
    root: Path, config: Config | None = None, **options: bool
) -> list[tuple[str, str, int]]:
    report = scan(root, config or Config(), ScanOptions(render=False, **options))
    return sorted(
        (f.rule_id, f.location.file, f.location.line)
        for f in report.findings
        if f.rule_id.endswith(("-token", "-literal", "-env", "-file")) or "password" in f.rule_id
    )


def test_token_in_a_script_is_found(tmp_path: Path) -> None:
    write(tmp_path, {"scripts/deploy.sh": f"#!/bin/sh\nexport GH={GITHUB_TOKEN}\n"})
    assert secret_findings(tmp_path) == [("github-personal-access-token", "scripts/deploy.sh", 2)]


def test_no_secrets_option_turns_the_scan_off(tmp_path: Path) -> None:
    write(tmp_path, {"deploy.sh": f"GH={GITHUB_TOKEN}\n"})
    assert secret_findings(tmp_path, secrets=False) == []


def test_excluded_paths_are_not_scanned(tmp_path: Path) -> None:
    write(tmp_path, {"vendor/x.sh": f"GH={GITHUB_TOKEN}\n"})
    assert secret_findings(tmp_path, Config(exclude=("vendor/**",))) == []


def test_secret_value_is_redacted_by_default(tmp_path: Path) -> None:
    write(tmp_path, {"deploy.sh": f"GH={GITHUB_TOKEN}\n"})
    report = scan(tmp_path, Config(), ScanOptions(render=False))
    finding = next(f for f in report.findings if f.rule_id == "github-personal-access-token")
    assert GITHUB_TOKEN not in finding.message
    assert finding.details["secret"] == f"{GITHUB_TOKEN[:4]}…{GITHUB_TOKEN[-4:]}"


def test_show_secrets_prints_the_value(tmp_path: Path) -> None:
    write(tmp_path, {"deploy.sh": f"GH={GITHUB_TOKEN}\n"})
    report = scan(tmp_path, Config(), ScanOptions(render=False, show_secrets=True))
    finding = next(f for f in report.findings if f.rule_id == "github-personal-access-token")
    assert finding.details["secret"] == GITHUB_TOKEN


def test_inline_allow_suppresses_the_finding(tmp_path: Path) -> None:
    write(tmp_path, {"deploy.sh": f"GH={GITHUB_TOKEN}  # gitwarden:allow test fixture\n"})
    report = scan(tmp_path, Config(), ScanOptions(render=False))
    finding = next(f for f in report.findings if f.rule_id == "github-personal-access-token")
    assert finding.suppression is not None and finding.suppression.source == "inline"


def test_file_over_the_size_cap_is_reported(tmp_path: Path) -> None:
    write(tmp_path, {"dump.txt": "x" * 2000})
    report = scan(tmp_path, Config(max_file_bytes=1000), ScanOptions(render=False))
    assert [f.location.file for f in report.findings if f.rule_id == "secret-scan-too-large"] == [
        "dump.txt"
    ]


def test_binary_file_is_skipped_silently(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\x00\x00" + GITHUB_TOKEN.encode())
    assert secret_findings(tmp_path) == []


def test_secret_generator_env_file_values_are_found(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app/kustomization.yaml": "secretGenerator:\n- name: db\n  envs:\n  - db.env\n",
            "app/db.env": "# database\nDB_USER=app\nDB_PASS=Zq8vLw3Tp9xR\n",
        },
    )
    assert secret_findings(tmp_path) == [
        ("kustomize-secret-env", "app/db.env", 2),
        ("kustomize-secret-env", "app/db.env", 3),
    ]


def test_secret_generator_file_is_found(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app/kustomization.yaml": (
                "secretGenerator:\n- name: tls\n  files:\n  - key=creds/tls.txt\n"
            ),
            "app/creds/tls.txt": "opaque-credential-material\n",
        },
    )
    assert secret_findings(tmp_path) == [("kustomize-secret-file", "app/creds/tls.txt", 1)]


@pytest.mark.parametrize(("flag", "shown"), [([], False), (["--show-secrets"], True)])
def test_cli_scan_redacts_unless_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: list[str], shown: bool
) -> None:
    write(tmp_path, {"deploy.sh": f"GH={GITHUB_TOKEN}\n"})
    assert main(["scan", str(tmp_path), "--no-render", *flag]) == 1
    assert (GITHUB_TOKEN in capsys.readouterr().out) is shown


def test_recognised_credential_in_a_secret_is_reported_once_by_scan(tmp_path: Path) -> None:
    token = base64.b64encode(GITHUB_TOKEN.encode()).decode()
    password = base64.b64encode(b"Zq8-vLw3_Tp9xR").decode()
    write(
        tmp_path,
        {
            "s.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\n  namespace: n\n"
            f"data:\n  token: {token}\n  password: {password}\n"
        },
    )
    report = scan(tmp_path, Config(), ScanOptions(render=False))
    secrets_family = sorted(
        (f.rule_id, f.location.line) for f in report.findings if f.rule_id in SECRET_RULE_IDS
    )
    assert secrets_family == [("github-personal-access-token", 7)]


# -- files the scan pipeline could not parse -------------------------------------------------

BROKEN_SECRET = (
    "apiVersion: v1\nkind: Secret\nmetadata: {name: gh}\n"
    f"stringData:\n  token: {GITHUB_TOKEN}\n  x: [\n"
)


@pytest.mark.parametrize("unparsed", [(), ("secret.yaml",)], ids=["parsed", "unparsed"])
def test_credential_in_a_file_that_does_not_parse_is_still_found(
    tmp_path: Path, unparsed: tuple[str, ...]
) -> None:
    from gitwarden.path_patterns import PathFilter
    from gitwarden.secrets.tree_scan import scan_tree_secrets
    from gitwarden.sources.tree import walk_repository

    root = write(tmp_path, {"secret.yaml": BROKEN_SECRET})
    files = walk_repository(root, PathFilter((), ())).all_files
    found = scan_tree_secrets(files, 1 << 20, unparsed=unparsed)
    assert [(f.rule_id, f.location.line) for f in found] == [("github-personal-access-token", 5)]


def test_scan_hands_files_that_do_not_parse_to_the_secret_scanner(tmp_path: Path) -> None:
    write(tmp_path, {"secret.yaml": BROKEN_SECRET})
    assert ("github-personal-access-token", "secret.yaml", 5) in secret_findings(tmp_path)


# -- objects the scan pipeline parsed ----------------------------------------------------------

_B64_TOKEN = base64.b64encode(GITHUB_TOKEN.encode()).decode()


@pytest.mark.parametrize(
    "text",
    [
        f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: gh\ndata:\n  token: {_B64_TOKEN}\n",
        "{apiVersion: v1, kind: Secret, metadata: {name: gh}, "
        f"data: {{token: {_B64_TOKEN}}}}}\n",
    ],
    ids=["block-style", "flow-style"],
)
def test_base64_credential_in_a_secret_is_found_in_either_yaml_style(
    tmp_path: Path, text: str
) -> None:
    # The flow-style Secret was missed while the secret scanner found Secrets by a line regex.
    write(tmp_path, {"secret.yaml": text})
    found = secret_findings(tmp_path)
    assert [(rule, file) for rule, file, _line in found] == [
        ("github-personal-access-token", "secret.yaml")
    ]


_SAME_EITHER_WAY = {
    "secret": f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\ndata:\n  t: {_B64_TOKEN}\n",
    "list": (
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n"
        f"    metadata: {{name: a}}\n    stringData:\n      t: {GITHUB_TOKEN}\n"
    ),
    "configmap-sealed-secret": (
        f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\ndata:\n  t: {GITHUB_TOKEN}\n"
        "---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: s}\n"
        f"spec:\n  encryptedData:\n    t: {GITHUB_TOKEN}\n---\napiVersion: v1\nkind: Secret\n"
        f"metadata: {{name: a}}\ndata:\n  t: {_B64_TOKEN}\n"
    ),
    "json": json.dumps(
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "a"}, "data": {"t": _B64_TOKEN}}
    ),
}


@pytest.mark.parametrize("name", sorted(_SAME_EITHER_WAY))
def test_objects_handed_over_give_the_findings_of_parsing_the_file_again(
    tmp_path: Path, name: str
) -> None:
    from gitwarden.manifests.loader import load_manifest_text
    from gitwarden.path_patterns import PathFilter
    from gitwarden.secrets.tree_scan import scan_tree_secrets
    from gitwarden.sources.tree import walk_repository

    path = "m.json" if name == "json" else "m.yaml"
    root = write(tmp_path, {path: _SAME_EITHER_WAY[name]})
    files = walk_repository(root, PathFilter((), ())).all_files
    objects = load_manifest_text(_SAME_EITHER_WAY[name], path).objects
    handed_over = scan_tree_secrets(files, 1 << 20, objects=objects)
    assert handed_over
    assert handed_over == scan_tree_secrets(files, 1 << 20)


def test_rendered_objects_are_not_read_as_the_files_content(tmp_path: Path) -> None:
    from dataclasses import replace

    from gitwarden.manifests.loader import load_manifest_text
    from gitwarden.path_patterns import PathFilter
    from gitwarden.secrets.tree_scan import scan_tree_secrets
    from gitwarden.sources.tree import walk_repository

    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\ndata:\n  t: {_B64_TOKEN}\n"
    root = write(tmp_path, {"m.yaml": text})
    files = walk_repository(root, PathFilter((), ())).all_files
    rendered = [
        replace(obj, origin="kustomize .", rendered_body={"kind": "Secret", "apiVersion": "v1"})
        for obj in load_manifest_text(text, "m.yaml").objects
    ]
    found = scan_tree_secrets(files, 1 << 20, objects=rendered)
    assert [(f.rule_id, f.location.line) for f in found] == [("github-personal-access-token", 6)]
