"""Versions of installed distributions, read from the names of their `.dist-info` folders.

A scan needs a few versions (its cache keys, its renderers' names), and
`importlib.metadata.version` made it pay 25 ms for the first: its import and a search of
every path entry's metadata. pip and other installers name the folder
`<normalised name>-<version>.dist-info`; a distribution not found that way is asked of
`importlib.metadata` after all.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_SEPARATORS = re.compile(r"[-_.]+")
_DIST_INFO = ".dist-info"


def installed_version(distribution: str) -> str | None:
    """The version of ``distribution`` found first on `sys.path` (as imports find it), or
    None when it is not installed."""
    wanted = _normalised(distribution)
    for entry in sys.path:
        try:
            names = [path.name for path in Path(entry or ".").iterdir()]
        except OSError:
            continue  # a zip file, a missing folder
        for name in names:
            if not name.endswith(_DIST_INFO):
                continue
            project, separator, version = name[: -len(_DIST_INFO)].partition("-")
            if separator and version and _normalised(project) == wanted:
                return version
    return _from_metadata(distribution)


def _from_metadata(distribution: str) -> str | None:
    import importlib.metadata  # only for a distribution installed in another layout

    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _normalised(name: str) -> str:
    return _SEPARATORS.sub("-", name).lower()
