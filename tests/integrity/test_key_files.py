"""Key files in the formats other tools keep them: each read into principals and keys."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from integrity_fixtures import gpg_key, ssh_key

from gitwarden.errors import ConfigError
from gitwarden.integrity.key_files import principals_in_file


def test_keyring_with_two_certs_of_one_user_id_is_one_principal(
    tmp_path: Path, gnupghome: Path
) -> None:
    other_home = tmp_path / "gnupg-rotated"
    other_home.mkdir(mode=0o700)
    first, cert_one = gpg_key(gnupghome, "bot@example.com")
    second, cert_two = gpg_key(other_home, "bot@example.com")
    [principal] = principals_in_file("keys.asc", (cert_one + cert_two).encode())
    assert principal.name == "bot@example.com"
    assert [k.fingerprint for k in principal.keys] == [first, second]


def test_allowed_signers_reads_principals_and_validity_window(tmp_path: Path) -> None:
    alice = ssh_key(tmp_path, "alice")
    text = (
        "# comment\n\n"
        f'alice@example.com,alice@corp valid-after="20260101",valid-before="202701011200Z" '
        f"{alice.public_line}\n"
    )
    [principal] = principals_in_file("allowed_signers", text.encode())
    [key] = principal.keys
    assert principal.name == "alice@example.com,alice@corp"
    assert (key.valid_after, key.valid_before) == (
        datetime(2026, 1, 1, tzinfo=UTC),
        datetime(2027, 1, 1, 12, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("alice cert-authority {key}", "cert-authority"),
        ('alice valid-after="2026-01-01" {key}', "bad time"),
        ("alice ssh-ed25519 AAAA-not-base64", "not an allowed_signers line"),
    ],
)
def test_allowed_signers_errors_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    alice = ssh_key(tmp_path, "alice")
    text = "# first line is a comment\n" + line.format(key=alice.public_line) + "\n"
    with pytest.raises(ConfigError, match=rf"allowed_signers:2: .*{message}"):
        principals_in_file("allowed_signers", text.encode())


def test_argocd_configmap_keys_are_read(gnupghome: Path) -> None:
    fingerprint, cert = gpg_key(gnupghome, "dev@example.com")
    document = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "argocd-gpg-keys-cm"},
        "data": {fingerprint[-16:]: cert},
    }
    [principal] = principals_in_file("cm.yaml", yaml.safe_dump(document).encode())
    assert [k.fingerprint for k in principal.keys] == [fingerprint]


@pytest.mark.parametrize(("name", "read"), [("argocd-gpg-keys-cm", True), ("other", False)])
def test_only_the_argocd_keys_configmap_counts(gnupghome: Path, name: str, read: bool) -> None:
    _, cert = gpg_key(gnupghome, "dev@example.com")
    document = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}
    text = yaml.safe_dump({**document, "data": {"key": cert}})
    if read:
        assert principals_in_file("cm.yaml", text.encode())
    else:
        with pytest.raises(ConfigError, match="holds no armored public key"):
            principals_in_file("cm.yaml", text.encode())


def test_flux_secret_named_by_the_gitrepository_is_the_only_one_read(gnupghome: Path) -> None:
    wanted, wanted_cert = gpg_key(gnupghome, "flux@example.com")
    _, other_cert = gpg_key(gnupghome, "other@example.com")

    def secret(name: str, cert: str) -> dict[str, object]:
        encoded = base64.b64encode(cert.encode()).decode()
        return {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": name},
            "data": {"k.asc": encoded},
        }

    documents = [
        {
            "apiVersion": "source.toolkit.fluxcd.io/v1",
            "kind": "GitRepository",
            "metadata": {"name": "repo"},
            "spec": {"verify": {"mode": "HEAD", "secretRef": {"name": "pgp-public-keys"}}},
        },
        secret("pgp-public-keys", wanted_cert),
        secret("unrelated", other_cert),
    ]
    principals = principals_in_file("flux.yaml", yaml.safe_dump_all(documents).encode())
    assert [k.fingerprint for p in principals for k in p.keys] == [wanted]


def test_file_without_keys_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="holds no key"):
        principals_in_file("empty", b"# nothing here\n")
