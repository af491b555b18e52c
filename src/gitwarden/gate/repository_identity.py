"""The name a repository's decisions are recorded under: stable across clones and runners.

The ``origin`` remote's URL (credentials removed), else the folder's absolute path. CI
runners clone into a new folder each time; a path alone would lose the last deployment.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from gitwarden.sources.git_repository import GitRepository


def repository_identity(repo: GitRepository) -> str:
    url = repo.run("config", "--get", "remote.origin.url", check=False).strip()
    if not url:
        return str(repo.path.resolve())
    return without_credentials(url)


def without_credentials(url: str) -> str:
    """``https://user:token@host/path`` -> ``https://host/path``; scp-like URLs unchanged."""
    if "://" not in url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
