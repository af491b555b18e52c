"""Kubernetes-aware extraction: Secrets parsed and decoded, safe forms left alone."""

from __future__ import annotations

import base64
import json

import pytest

from gitwarden.secrets.content import scan_content
from gitwarden.secrets.engine import default_engine
from secrets_values import AWS_KEY_ID, GITHUB_TOKEN


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def hits(path: str, text: str) -> list[tuple[str, int, str | None]]:
    found = scan_content(path, text.encode(), default_engine()).hits
    return [(h.rule.id, h.line, h.field_path) for h in found]


SECRET = f"""apiVersion: v1
kind: Secret
metadata:
  name: app
  namespace: prod
type: Opaque
data:
  token: {b64(GITHUB_TOKEN)}
  password: {b64("Wq9-zL2p_Xr7")}
  username: {b64("admin")}
"""


def test_secret_data_is_decoded_and_classified() -> None:
    assert hits("app.yaml", SECRET) == [
        ("github-personal-access-token", 8, "data.token"),
        ("kubernetes-secret-data", 9, "data.password"),
    ]


def test_secret_string_data_is_classified() -> None:
    text = (
        f"apiVersion: v1\nkind: Secret\nmetadata: {{name: a}}\nstringData:\n  key: {AWS_KEY_ID}\n"
    )
    assert hits("a.yaml", text) == [("aws-access-key-id", 5, "stringData.key")]


def test_secret_in_a_list_is_found() -> None:
    text = (
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n"
        f"  metadata: {{name: a}}\n  data:\n    token: {b64(GITHUB_TOKEN)}\n"
    )
    assert hits("list.yaml", text) == [("github-personal-access-token", 8, "data.token")]


def test_secret_in_json_is_found() -> None:
    text = json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "a"},
            "data": {"t": b64(GITHUB_TOKEN)},
        },
        indent=2,
    )
    assert [h[0] for h in hits("s.json", text)] == ["github-personal-access-token"]


def test_second_document_of_a_file_is_found() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n" + SECRET
    assert [h[1] for h in hits("m.yaml", text)] == [12, 13]


@pytest.mark.parametrize(
    "value", ["${DB_PASSWORD}", "<path:kv/data/app#password>", "{{ .Values.password }}"]
)
def test_templated_secret_values_are_not_reported(value: str) -> None:
    text = (
        f"apiVersion: v1\nkind: Secret\nmetadata: {{name: a}}\nstringData:\n  password: '{value}'\n"
    )
    assert hits("a.yaml", text) == []


@pytest.mark.parametrize(
    ("api_version", "kind", "body"),
    [
        (
            "bitnami.com/v1alpha1",
            "SealedSecret",
            f"spec:\n  encryptedData:\n    token: {GITHUB_TOKEN}\n",
        ),
        (
            "external-secrets.io/v1beta1",
            "ExternalSecret",
            f"spec:\n  data:\n  - secretKey: password\n    remoteRef: {{key: '{GITHUB_TOKEN}'}}\n",
        ),
    ],
)
def test_safe_forms_are_never_flagged(api_version: str, kind: str, body: str) -> None:
    text = f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: a\n{body}"
    assert hits("safe.yaml", text) == []


def test_sops_encrypted_file_is_never_flagged() -> None:
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\nstringData:\n"
        "  password: ENC[AES256_GCM,data:Tr3x,iv:abc=,tag:def=,type:str]\n"
        f"  note: {GITHUB_TOKEN}\n"
        "sops:\n  age:\n  - recipient: age1xyz\n  lastmodified: '2024-01-01T00:00:00Z'\n"
        "  mac: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]\n  version: 3.8.1\n"
    )
    assert hits("secret.enc.yaml", text) == []


def test_argocd_repository_secret_is_named_as_such() -> None:
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: repo\n  labels:\n"
        "    argocd.argoproj.io/secret-type: repository\nstringData:\n"
        "  url: https://github.com/org/repo\n  username: bot\n"
        f"  password: {GITHUB_TOKEN}\n"
    )
    assert hits("repo.yaml", text) == [("argocd-repository-credentials", 10, "stringData.password")]


def test_flux_source_secret_is_named_as_such() -> None:
    text = (
        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: app\n"
        "  namespace: flux-system\nspec:\n  url: ssh://git@github.com/org/app\n"
        "  secretRef:\n    name: app-auth\n---\n"
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-auth\n  namespace: flux-system\n"
        "stringData:\n  password: Zq8-vLw3_Tp9xR\n"
    )
    assert hits("flux.yaml", text) == [("flux-source-credentials", 17, "stringData.password")]


def test_kustomize_secret_generator_literal_is_found() -> None:
    text = (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nsecretGenerator:\n"
        "- name: db\n  literals:\n  - user=app\n  - password=Zq8-vLw3_Tp9xR\n"
    )
    found = hits("overlays/prod/kustomization.yaml", text)
    assert ("kustomize-secret-literal", 7, "secretGenerator[0].literals[1]") in found


def test_helm_values_password_is_found() -> None:
    text = "postgresql:\n  auth:\n    existingSecret: ''\n    password: Zq8-vLw3_Tp9xR\n"
    assert hits("charts/app/values.yaml", text) == [
        ("helm-values-secret", 4, "postgresql.auth.password")
    ]


def test_helm_values_reference_is_not_a_secret() -> None:
    text = "auth:\n  existingSecretPassword: db-password-key\n  passwordKey: password\n"
    assert hits("values.yaml", text) == []


def test_objects_handed_over_are_read_instead_of_parsing_the_text() -> None:
    from gitwarden.secrets.kubernetes import scan_manifest

    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\ndata:\n  t: {b64(GITHUB_TOKEN)}\n"
    parsed_here = scan_manifest(text, "s.yaml", default_engine())
    # The caller says the file holds no objects: nothing in it is parsed a second time.
    handed_over = scan_manifest(text, "s.yaml", default_engine(), objects=[])
    assert [h.line for h in parsed_here.hits] == [6]
    assert handed_over.hits == []
