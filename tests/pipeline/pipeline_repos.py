"""A small builder for pipeline tests: a repository of real files in tmp_path, walked."""

from __future__ import annotations

from pathlib import Path

from gitwarden.path_patterns import PathFilter
from gitwarden.sources.tree import TreeWalk, walk_repository
from repo_files import make_repo as make_repo  # the pipeline tests' name for it, kept


def walk(root: Path) -> TreeWalk:
    return walk_repository(root, PathFilter((), (".git/",)))
