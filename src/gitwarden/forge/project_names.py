"""Naming the project: OWNER/NAME from --project, or from the ``origin`` remote's URL."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from gitwarden.forge.errors import ProjectUnknownError
from gitwarden.sources.git_repository import GitRepository

# git@github.com:owner/name.git (scp-like syntax: no scheme, a colon before the path).
_SCP_LIKE = re.compile(r"^(?:[^@/]+@)?(?P<host>[^:/]+):(?P<path>.+)$")


def remote_host_and_path(url: str) -> tuple[str, str] | None:
    """The host and project path of a remote URL (https, ssh:// or scp-like)."""
    url = url.strip()
    if "://" in url:
        split = urlsplit(url)
        host, path = split.hostname or "", split.path
    else:
        match = _SCP_LIKE.match(url)
        if match is None:
            return None
        host, path = match["host"], match["path"]
    path = path.strip("/").removesuffix(".git")
    if not host or path.count("/") < 1:
        return None
    return host.lower(), path


def origin_url(repository: GitRepository) -> str | None:
    """The ``origin`` remote's URL, read through the hardened git runner."""
    url = repository.run("remote", "get-url", "origin", check=False).strip()
    return url or None


def infer_project(repository: GitRepository) -> tuple[str, str]:
    """(host, OWNER/NAME) of the origin remote; raises when there is none to read."""
    url = origin_url(repository)
    found = remote_host_and_path(url) if url else None
    if found is None:
        raise ProjectUnknownError(
            f"{repository.path}: cannot name the project: "
            + ("no origin remote" if url is None else f"origin {url!r} is not a forge URL"),
            hint="pass --project OWNER/NAME (and --forge github|gitlab)",
        )
    return found
