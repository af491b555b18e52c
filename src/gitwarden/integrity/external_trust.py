"""A root of trust given out of band: keys (``verify --keys``) or a whole trust policy
(``verify --policy``), for repositories whose history holds no policy, or whose policy must
not be the one that judges it.

Keys become a policy of their own: every key is a principal's, and with no rules any valid
signature by any of them satisfies every path. Key sources are files or folders on disk, or
``REV:PATH`` in the repository itself (a blob or a tree), read as objects: nothing checked
out, nothing run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from gitwarden.errors import ConfigError, UsageError
from gitwarden.findings import Finding, Location
from gitwarden.integrity import rules
from gitwarden.integrity.key_files import (
    MAX_KEY_FILE_BYTES,
    merged_principals,
    principals_in_file,
)
from gitwarden.integrity.trust_file import parse_trust_policy
from gitwarden.integrity.trust_policy import Principal, TrustPolicy
from gitwarden.sources.git_repository import GitError, GitRepository

MAX_KEY_FILES: Final = 1000


@dataclass(frozen=True)
class ExternalTrust:
    """The policy that judges every commit, and where it came from."""

    policy: TrustPolicy
    source: str
    kind: Literal["keys", "policy"]

    @property
    def key_count(self) -> int:
        return sum(len(p.keys) for p in self.policy.principals)

    def finding(self) -> Finding:
        """The report's statement of its root of trust."""
        what = (
            f"{self.key_count} key(s) of {len(self.policy.principals)} principal(s) from "
            f"{self.source}"
            if self.kind == "keys"
            else f"the trust policy {self.source}"
        )
        return rules.TRUST_ROOT_OUT_OF_BAND.finding(
            f"the root of trust is {what} ({self.policy.policy_id}), supplied out of band; "
            "the repository's own .gitwarden/trust.yaml is not consulted",
            Location(file=self.source),
            details={"policy": self.policy.policy_id, "trust_root": self.kind},
        )


def trust_from_keys(sources: Sequence[str], repo: GitRepository) -> ExternalTrust:
    """Every key in ``sources`` (files, folders, or ``REV:PATH`` in ``repo``)."""
    principals: list[Principal] = []
    for source in sources:
        for name, data in _key_files(source, repo):
            principals += principals_in_file(name, data)
    if not any(p.keys for p in principals):
        raise UsageError(f"--keys {', '.join(sources)}: no key may sign git commits")
    return ExternalTrust(
        TrustPolicy(principals=merged_principals(principals)), _joined(sources), "keys"
    )


def trust_from_policy(path: Path) -> ExternalTrust:
    """The trust policy in the file ``path`` (the layout of .gitwarden/trust.yaml)."""
    data = _read_file(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError("is not UTF-8", file=str(path)) from None
    return ExternalTrust(parse_trust_policy(text, str(path)), str(path), "policy")


def _joined(sources: Sequence[str]) -> str:
    return ", ".join(sources)


def _key_files(source: str, repo: GitRepository) -> list[tuple[str, bytes]]:
    path = Path(source)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        if len(files) > MAX_KEY_FILES:
            raise UsageError(f"--keys {source}: more than {MAX_KEY_FILES} files")
        return [(str(p), _read_file(p)) for p in files]
    if path.is_file():
        return [(source, _read_file(path))]
    if ":" in source:
        return _repository_files(source, repo)
    raise UsageError(
        f"--keys {source}: no such file or folder",
        hint="name a keyring, an allowed_signers file, a folder of them, or REV:PATH",
    )


def _read_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise ConfigError(f"is larger than {MAX_KEY_FILE_BYTES} bytes", file=str(path))
        return path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror}") from None


def _repository_files(source: str, repo: GitRepository) -> list[tuple[str, bytes]]:
    """The blob at ``REV:PATH``, or every blob under the tree there."""
    found = repo.object_ids([source])[source]
    if found is None:
        raise UsageError(f"--keys {source}: no such file in the repository")
    kind = repo.read_objects([found])[found]
    if kind.kind == "blob":
        return [(source, kind.data)]
    listing = repo.run_bytes("ls-tree", "-r", "-z", "--end-of-options", source)
    entries: list[tuple[str, str]] = []
    for record in listing.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == b"blob":
            entries.append(
                (f"{source.rstrip('/')}/{name.decode('utf-8', 'replace')}", parts[2].decode())
            )
    if len(entries) > MAX_KEY_FILES:
        raise UsageError(f"--keys {source}: more than {MAX_KEY_FILES} files")
    try:
        blobs = repo.read_objects([oid for _, oid in entries])
    except GitError as error:
        raise UsageError(f"--keys {source}: {error.message}") from None
    return [(name, blobs[oid].data) for name, oid in entries]
