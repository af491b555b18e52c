"""Real repositories and keys for the integrity tests: git, ssh-keygen and gpg, in tmp_path."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(repo: Path, *args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV, **(env or {})},
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout.strip()


@dataclass(frozen=True)
class SshKey:
    private: Path
    public: Path

    @property
    def public_line(self) -> str:
        return self.public.read_text().strip()


def ssh_key(folder: Path, name: str, key_type: str = "ed25519", bits: int | None = None) -> SshKey:
    folder.mkdir(parents=True, exist_ok=True)
    private = folder / name
    args = ["ssh-keygen", "-q", "-t", key_type, "-N", "", "-C", name, "-f", str(private)]
    if bits:
        args += ["-b", str(bits)]
    subprocess.run(args, check=True, capture_output=True)
    return SshKey(private, folder / f"{name}.pub")


def make_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "gpg.format", "ssh")
    return path


def commit(
    repo: Path,
    files: dict[str, str],
    message: str = "change",
    key: SshKey | None = None,
    *,
    gpg_key: str | None = None,
    gnupghome: Path | None = None,
    extra_config: tuple[str, ...] = (),
) -> str:
    for name, text in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    git(repo, "add", "-A")
    args = ["-c", "commit.gpgsign=false"]
    for item in extra_config:
        args += ["-c", item]
    sign: list[str] = []
    env: dict[str, str] = {}
    if key is not None:
        args += ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key.private}"]
        sign = ["-S"]
    elif gpg_key is not None:
        args += ["-c", "gpg.format=openpgp", "-c", f"user.signingkey={gpg_key}"]
        sign = ["-S"]
        env["GNUPGHOME"] = str(gnupghome)
    git(repo, *args, "commit", "-q", "--allow-empty", *sign, "-m", message, env=env)
    return git(repo, "rev-parse", "HEAD")


def trust_yaml(
    principals: dict[str, list[str]], rules: list[dict[str, object]], extra: str = ""
) -> str:
    import yaml

    document = {
        "version": 1,
        "principals": {name: {"ssh_keys": keys} for name, keys in principals.items()},
        "rules": rules,
    }
    return yaml.safe_dump(document, sort_keys=False) + extra


def gpg_key(home: Path, email: str) -> tuple[str, str]:
    """A fresh ed25519 OpenPGP key without passphrase: (fingerprint, armored public cert)."""
    env = {**os.environ, "GNUPGHOME": str(home)}
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--quick-gen-key",
            email,
            "ed25519",
            "sign",
            "never",
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    listing = subprocess.run(
        ["gpg", "--batch", "--with-colons", "--list-keys", email],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    fingerprint = next(
        line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr")
    )
    cert = subprocess.run(
        ["gpg", "--batch", "--armor", "--export", fingerprint],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return fingerprint, cert
