"""Object sizes in one ``git cat-file --batch-check``: checked before anything is read, so a
huge blob in a scanned repository is refused, not loaded."""

from __future__ import annotations

from collections.abc import Sequence

from gitwarden.sources.git_repository import GitRepository


def object_sizes(repo: GitRepository, oids: Sequence[str]) -> dict[str, int]:
    """Object id -> size in bytes; missing objects are left out."""
    if not oids:
        return {}
    stdin = "".join(f"{oid}\n" for oid in dict.fromkeys(oids)).encode()
    out = repo.run("cat-file", "--batch-check=%(objectname) %(objectsize)", input_bytes=stdin)
    sizes = {}
    for line in out.splitlines():
        oid, _, size = line.partition(" ")
        if size.isdigit():
            sizes[oid] = int(size)
    return sizes
