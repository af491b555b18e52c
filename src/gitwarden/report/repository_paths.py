"""Finding paths relative to the repository root, whatever folder of it was scanned.

A scan reads paths relative to its target; a reader (and GitHub code scanning, which places
annotations by repository path) needs them relative to the repository. Scanning
``repo/clusters/prod`` reports ``clusters/prod/app.yaml``, not ``app.yaml``. The root is found
by its ``.git`` entry only: no git command runs and no git config is read.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from pathlib import Path

from gitwarden.findings import Finding
from gitwarden.report.model import Report

# The renderer origins the scan writes: ``kustomize <folder>``, ``helm <folder> (values)``.
_RENDER_ORIGIN = re.compile(r"^(kustomize|helm) (\S+)(.*)$", re.DOTALL)


def repository_root(target: Path) -> Path | None:
    """The nearest folder at or above ``target`` holding ``.git`` (a folder in a clone, a
    file in a worktree or submodule); None outside a repository."""
    start = (target if target.is_dir() else target.parent).resolve()
    return next((folder for folder in (start, *start.parents) if (folder / ".git").exists()), None)


def relative_to_repository(report: Report, target: Path) -> Report:
    """``report`` with every finding path relative to the repository holding ``target``
    (paths stay relative to ``target`` outside a repository) and ``source_root`` set."""
    folder = (target if target.is_dir() else target.parent).resolve()
    root = repository_root(target) or folder
    prefix = folder.relative_to(root).as_posix()
    findings = rebased_findings(report.findings, prefix)
    return replace(report, findings=findings, source_root=str(root))


def rebased_findings(findings: tuple[Finding, ...], prefix: str) -> tuple[Finding, ...]:
    """``findings`` with their paths (and render origins) below the folder ``prefix``."""
    if prefix == ".":
        return findings
    return tuple(_rebased(finding, prefix) for finding in findings)


def rebased_path(path: str, prefix: str) -> str:
    """One scan path below the folder ``prefix`` (unchanged for ``.``)."""
    return path if prefix == "." else _joined(prefix, path)


def _rebased(finding: Finding, prefix: str) -> Finding:
    location = finding.location
    origin = location.origin
    match = _RENDER_ORIGIN.match(origin) if origin else None
    if match is not None:
        folder = _joined(prefix, "" if match.group(2) == "." else match.group(2))
        origin = f"{match.group(1)} {folder}{match.group(3)}"
    return replace(
        finding, location=replace(location, file=_joined(prefix, location.file), origin=origin)
    )


def _joined(prefix: str, path: str) -> str:
    if posixpath.isabs(path):
        return path
    joined = posixpath.normpath(posixpath.join(prefix, path)) if path else prefix
    if joined == ".." or joined.startswith("../"):
        return path  # a path the scan named outside the repository stays as it was
    return joined
