"""The plain manifest files of one scan, each read and parsed at most once.

One `ManifestFiles` belongs to one scan (never a module global): two scans in one process
share nothing. A file is either *checked* (its objects reach the checks as they are, its
read and parse problems are findings) or only *looked up* as the source of an object a
renderer produced (parsed quietly, to attribute rendered fields to their lines). With a
`ParsedFileCache`, a file whose text was parsed by an earlier scan is read from its entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gitwarden.findings import Finding
from gitwarden.manifests.loader import DEFAULT_MAX_DOCUMENT_BYTES, load_manifest_text
from gitwarden.manifests.objects import K8sObject
from gitwarden.pipeline.parsed_file_cache import LoadedFile, ParsedFileCache
from gitwarden.sources.tree import RepoFile, read_manifest_text


@dataclass
class ManifestFiles:
    root: Path
    max_file_bytes: int
    max_document_bytes: int
    findings: list[Finding] = field(default_factory=list)
    # Files whose objects were checked as they are, in the order they were read.
    checked: list[str] = field(default_factory=list)
    # Entries of files parsed by earlier scans; None: every file is parsed.
    parsed_cache: ParsedFileCache | None = None
    # CRD documents this scan already syntax-checked (see `load_manifest_text`).
    checked_crds: set[str] = field(default_factory=set)
    _objects: dict[str, list[K8sObject]] = field(default_factory=dict)

    def check(self, repo_file: RepoFile) -> list[K8sObject]:
        """The objects of ``repo_file``; its problems become findings (on first read)."""
        cached = self._objects.get(repo_file.path)
        if cached is not None:
            return cached
        self.checked.append(repo_file.path)
        text, problem = read_manifest_text(repo_file, self.max_file_bytes)
        if problem is not None:
            self.findings.append(problem)
            self._objects[repo_file.path] = []
            return []
        assert text is not None
        loaded = self._parsed(repo_file.path, text, self.max_document_bytes)
        self.findings.extend((*loaded.rejected, *loaded.findings))
        self._objects[repo_file.path] = loaded.objects
        return loaded.objects

    def look_up(self, path: str) -> list[K8sObject]:
        """Objects of a source file named by a kustomize origin (loaded once, unreported)."""
        absolute = self.root / path
        if not absolute.is_file():
            return []
        if path in self._objects:
            return self._objects[path]
        text, problem = read_manifest_text(RepoFile(path, absolute), self.max_file_bytes)
        if text is None or problem is not None:
            return []
        loaded = self._parsed(path, text, DEFAULT_MAX_DOCUMENT_BYTES)
        # Its parse problems are the renderer's to report; a tampered cache entry is ours.
        self.findings.extend(loaded.rejected)
        self._objects[path] = loaded.objects
        return loaded.objects

    def _parsed(self, path: str, text: str, max_document_bytes: int) -> LoadedFile:
        if self.parsed_cache is not None:
            return self.parsed_cache.load(path, text, max_document_bytes, self.checked_crds)
        loaded = load_manifest_text(
            text, path, max_document_bytes=max_document_bytes, checked_crds=self.checked_crds
        )
        return LoadedFile(loaded.objects, loaded.findings)
