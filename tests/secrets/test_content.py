"""One file's content in, its credentials out: what the file's kind changes."""

from __future__ import annotations

import pytest

from gitwarden.secrets.content import content_kind, scan_content
from gitwarden.secrets.engine import default_engine


def generic_hits(path: str, text: str) -> list[str]:
    return [h.rule.id for h in scan_content(path, text.encode(), default_engine()).hits]


@pytest.mark.parametrize(
    "code",
    [
        "class SigningKey:\n    private_key: Ed25519PrivateKey\n",
        "def login(password: str, token: Optional[str] = None) -> None: ...\n",
        "class Settings(BaseSettings):\n    secret_key: SecretStr\n",
        "client_secret = load_client_secret_2024\n",
        "var apiKey: ApiKeyCredentialProvider\n",
    ],
)
def test_type_annotations_and_names_in_code_are_not_secrets(code: str) -> None:
    assert generic_hits("src/app/settings.py", code) == []


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("src/app/settings.py", 'client_secret = "Zq8vLw3Tp9xR5kYb2Hn4"\n'),
        ("src/app/settings.go", 'apiToken := "Zq8vLw3Tp9xR5kYb2Hn4"\n'),
        (".env", "CLIENT_SECRET=Zq8vLw3Tp9xR5kYb2Hn4\n"),
        ("deploy/app.yaml", "client_secret: Zq8vLw3Tp9xR5kYb2Hn4\n"),
    ],
)
def test_quoted_literals_in_code_and_bare_values_elsewhere_are_secrets(
    path: str, text: str
) -> None:
    assert generic_hits(path, text) == ["generic-secret-assignment"]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("a/kustomization.yaml", "kustomization"),
        ("chart/values-prod.yaml", "helm-values"),
        ("a/deploy.yaml", "manifest"),
        ("src/keys.py", "code"),
        ("README.md", "text"),
    ],
)
def test_content_kind_follows_the_file_name(path: str, kind: str) -> None:
    assert content_kind(path) == kind
