"""One change under review, as facts read from Git: files, object kinds, commits and people."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from gitwarden.review.policy import ChangeShape


@dataclass(frozen=True)
class ChangedFile:
    """A changed path; ``status`` is git's letter (A, M, D, R, C, T); ``old_path`` for R/C."""

    path: str
    status: str
    old_path: str | None = None
    old_blob: str | None = None
    new_blob: str | None = None


@dataclass(frozen=True)
class ChangeCommit:
    """A commit of the change and the people on it (e-mails lower-cased)."""

    oid: str
    author_email: str
    committer_email: str
    co_author_emails: tuple[str, ...] = ()
    # Key fingerprints the commit's signature names (claimed, not verified: a claim is
    # enough to keep that key's owner from approving their own work).
    signer_fingerprints: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    target_ref: str
    base: str
    head: str
    tree: str
    files: tuple[ChangedFile, ...]
    commits: tuple[ChangeCommit, ...]
    kinds: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    # Paths whose objects could not be parsed: their kinds are unknown, not "none".
    unparsed: tuple[str, ...] = ()

    @property
    def shape(self) -> ChangeShape:
        paths = tuple(
            dict.fromkeys(p for f in self.files for p in (f.path, f.old_path) if p is not None)
        )
        return ChangeShape(paths, self.kinds)
