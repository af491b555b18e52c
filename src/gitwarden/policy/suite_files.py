"""The files a test suite names (templates, policies, resources), read like policy folders:
relative to the suite, never through a link, never from outside the folder under test,
bounded in size. A file that cannot be read is a ``SuiteFileError``: its cases fail."""

from __future__ import annotations

from pathlib import Path

from gitwarden.manifests.loader import load_manifest_text
from gitwarden.manifests.objects import K8sObject
from gitwarden.policy.sources import MAX_POLICY_FILE_BYTES
from gitwarden.sources.tree import RepoFile, read_manifest_text


class SuiteFileError(Exception):
    """A file a suite names could not be read or parsed (the text says which and why)."""


def suite_objects(suite_dir: Path, name: str, boundary: Path) -> list[K8sObject]:
    """The Kubernetes objects of the file ``name`` (relative to ``suite_dir``)."""
    path = suite_dir / name
    resolved = path.resolve()
    if not resolved.is_relative_to(boundary.resolve()):
        raise SuiteFileError(f"{name}: leads out of {boundary}; it was not read")
    display = _display(path, boundary)
    text, problem = read_manifest_text(RepoFile(display, path), MAX_POLICY_FILE_BYTES)
    if problem is not None:
        raise SuiteFileError(f"{display}: {problem.message}")
    assert text is not None
    loaded = load_manifest_text(text, display)
    if loaded.findings:
        raise SuiteFileError(f"{display}: {loaded.findings[0].message}")
    return loaded.objects


def suite_document(suite_dir: Path, name: str, boundary: Path) -> K8sObject:
    """The one object a suite file must hold (a Suite, a Test, a Values file)."""
    found = suite_objects(suite_dir, name, boundary)
    if len(found) != 1:
        raise SuiteFileError(f"{name}: expected one YAML object, found {len(found)}")
    return found[0]


def _display(path: Path, boundary: Path) -> str:
    try:
        return path.resolve().relative_to(boundary.resolve().parent).as_posix()
    except ValueError:
        return path.as_posix()
