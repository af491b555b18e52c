"""A Secret in a manifest that does not parse is still a leaked secret, at its own line."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.config import Config
from gitwarden.secrets.content import scan_content
from gitwarden.secrets.engine import default_engine
from gitwarden.secrets.history_scan import HistoryScanOptions, scan_history
from gitwarden.secrets.unparsed_manifests import scan_unparsed_secrets
from secret_repos import commit, make_repo
from secrets_values import GITHUB_TOKEN

ADMIN_PASSWORD = "YWRtaW46cGFzc3dvcmQ="  # admin:password, the example
TAB_INDENTED_SECRET = (
    f"apiVersion: v1\nkind: Secret\nmetadata:\n\tname: creds\ndata:\n\textra: {ADMIN_PASSWORD}\n"
)


def encoded(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def hits(text: str, path: str = "k8s/secret.yaml") -> list[tuple[str, int, str | None, str]]:
    return [
        (h.rule.id, h.line, h.field_path, h.value)
        for h in scan_content(path, text.encode(), default_engine()).hits
    ]


def test_tab_indented_secret_data_is_reported_decoded() -> None:
    assert hits(TAB_INDENTED_SECRET) == [
        ("unparsed-secret-data", 6, "data.extra", "admin:password")
    ]


def test_credential_in_unparsed_secret_data_is_named_by_its_provider() -> None:
    text = TAB_INDENTED_SECRET.replace(ADMIN_PASSWORD, encoded(GITHUB_TOKEN))
    assert hits(text) == [("github-personal-access-token", 6, "data.extra", GITHUB_TOKEN)]


def test_unparsed_string_data_is_read_as_plain_text() -> None:
    text = "kind: Secret\nstringData:\n\tlogin: 'hunter2-Xy9!q'\n"
    assert hits(text) == [("unparsed-secret-data", 3, "stringData.login", "hunter2-Xy9!q")]


def test_generic_password_rule_names_a_password_key_of_unparsed_data() -> None:
    text = f"kind: Secret\ndata:\n\tpassword: {encoded('hunter2-Xy9!q')}\n"
    assert hits(text) == [("generic-password-assignment", 3, "data.password", "hunter2-Xy9!q")]


def test_block_scalar_value_is_reported_at_its_first_line() -> None:
    text = "kind: Secret\nstringData:\n\tconfig: |\n\t\tuser=svc\n\t\tpass=Zq8-w!e2\n"
    assert hits(text) == [
        ("unparsed-secret-data", 4, "stringData.config", "user=svc\npass=Zq8-w!e2")
    ]


def test_each_document_of_a_broken_file_is_read_on_its_own() -> None:
    text = (
        "kind: ConfigMap\ndata:\n  a: b\n---\n"
        f"kind: Secret\ndata:\n\tone: {encoded('s3cr3t-One!')}\n  two: x\n"
    )
    assert [(rule, line) for rule, line, _, _ in hits(text)] == [("unparsed-secret-data", 7)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"kind: Secret\ndata:\n  extra: {ADMIN_PASSWORD}\n", id="parses"),
        pytest.param(f"kind: ConfigMap\ndata:\n\textra: {ADMIN_PASSWORD}\n", id="not-a-secret"),
        pytest.param("kind: Secret\ndata:\n\tusername: YWRtaW4=\n", id="public-key"),
        pytest.param("kind: Secret\ndata:\n\ttoken: ${TOKEN}\n", id="placeholder"),
        pytest.param("kind: Secret\nstringData:\n  x: [\n", id="open-flow-collection"),
    ],
)
def test_fallback_stays_silent(text: str) -> None:
    assert [h for h in hits(text) if h[0] == "unparsed-secret-data"] == []


def test_only_documents_holding_an_unread_line_are_read() -> None:
    text = f"kind: Secret\ndata:\n\textra: {ADMIN_PASSWORD}\n"
    assert scan_unparsed_secrets(text, [99], default_engine()) == []
    assert len(scan_unparsed_secrets(text, [3], default_engine())) == 1


def test_working_tree_scan_reports_the_unparsed_secret(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text(TAB_INDENTED_SECRET)
    report = scan(tmp_path, Config(), ScanOptions(render=False))
    found = [(f.rule_id, f.location.line) for f in report.findings]
    assert ("unparsed-secret-data", 6) in found and ("parse-error", 4) in found


def test_history_scan_reports_the_unparsed_secret(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "broken", {"secret.yaml": TAB_INDENTED_SECRET})
    scanned = scan_history(repo, HistoryScanOptions(cache_dir=None))
    assert [(s.finding.rule_id, s.finding.location.line) for s in scanned.secrets] == [
        ("unparsed-secret-data", 6)
    ]


def test_broken_json_secret_is_read_too() -> None:
    text = (
        '{\n  "apiVersion": "v1",\n  "kind": "Secret",\n  "metadata": {"name": "x"},\n'
        f'  "data": {{\n    "extra": "{ADMIN_PASSWORD}",\n  }}\n  oops\n}}\n'
    )
    assert hits(text, "k8s/secret.json") == [
        ("unparsed-secret-data", 6, "data.extra", "admin:password")
    ]
