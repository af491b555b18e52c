"""Which blobs an earlier history scan found clean, so the next run skips them.

Only clean blobs are remembered (a blob id and how its path made it be read): a blob with a
secret is scanned again every run, so the cache never holds a secret or a hash of one. The
cache is keyed by the rule set, so new or changed rules rescan everything.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from gitwarden.secrets.cache_location import cache_root
from gitwarden.secrets.catalogue import secret_rules
from gitwarden.version import __version__


def rules_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    for rule in secret_rules():
        digest.update(f"{rule.id}\0{rule.pattern}\0{rule.entropy}\0{rule.allow}".encode())
    return digest.hexdigest()[:16]


def default_cache_dir() -> Path:
    return cache_root() / "history"


class CleanBlobCache:
    def __init__(self, directory: Path | None, repository_id: str) -> None:
        self._file = (
            None
            if directory is None
            else directory / f"{hashlib.sha256(repository_id.encode()).hexdigest()[:24]}.clean"
        )
        self._header = f"gitwarden-clean-blobs {rules_fingerprint()}"
        self._known: set[str] = set()
        self._new: set[str] = set()
        if self._file is not None and self._file.is_file():
            try:
                lines = self._file.read_text(encoding="ascii").splitlines()
            except (OSError, UnicodeDecodeError):
                lines = []
            if lines and lines[0] == self._header:
                self._known = set(lines[1:])

    def is_clean(self, blob: str, kind: str) -> bool:
        return f"{blob}:{kind}" in self._known

    def mark_clean(self, blob: str, kind: str) -> None:
        self._new.add(f"{blob}:{kind}")

    def save(self) -> None:
        if self._file is None or not self._new:
            return
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self._file.with_suffix(".tmp")
            entries = sorted(self._known | self._new)
            temporary.write_text("\n".join([self._header, *entries]) + "\n", encoding="ascii")
            temporary.replace(self._file)
        except OSError:
            pass  # a cache that cannot be written only costs time on the next run
