"""The plain manifest files of one scan, each read and parsed at most once.

One `ManifestFiles` belongs to one scan (never a module global): two scans in one process
share nothing. A file is either *checked* (its objects reach the checks as they are, its
read and parse problems are findings) or only *looked up* as the source of an object a
renderer produced (parsed quietly, to attribute rendered fields to their lines). With a
`ParsedFileCache`, a file whose text was parsed by an earlier scan is read from its entry.
A file may be parsed ahead (`prefetch`, while the scan waits on a renderer); its check or
look-up then takes that parse, as long as the text it reads is the text parsed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gitwarden.findings import Finding
from gitwarden.manifests.loader import DEFAULT_MAX_DOCUMENT_BYTES, load_manifest_text
from gitwarden.manifests.objects import K8sObject
from gitwarden.pipeline.parsed_file_cache import LoadedFile, ParsedFileCache
from gitwarden.sources.tree import RepoFile, read_manifest_text

# A file parsed ahead is one step between two looks at the renders: a larger one would keep
# finished renders waiting (a 256 KB manifest parses in ~25 ms).
PREFETCH_MAX_BYTES = 256 * 1024


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
    # path -> (text, its parse under max_document_bytes), parsed ahead and not yet taken.
    _ahead: dict[str, tuple[str, LoadedFile]] = field(default_factory=dict)
    # path -> (text, its parse under the default bound) of files looked up: a file may be
    # looked up and still be checked (a base's file whose objects an overlay deletes).
    _looked_up: dict[str, tuple[str, LoadedFile]] = field(default_factory=dict)

    def prefetch(self, repo_files: Iterable[RepoFile]) -> Iterator[str]:
        """Parse ``repo_files`` now for their later checks or look-ups, one file a step (its
        path is yielded); nothing is reported."""
        for repo_file in repo_files:
            path = repo_file.path
            if path not in self._objects and path not in self._ahead:
                text, problem = read_manifest_text(repo_file, self.max_file_bytes)
                # A problem is said by the file's check, if it has one.
                if text is not None and problem is None and len(text) <= PREFETCH_MAX_BYTES:
                    self._ahead[path] = (text, self._parsed(path, text, self.max_document_bytes))
            yield path

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
        looked_up = self._looked_up.get(repo_file.path)
        if (
            looked_up is not None
            and looked_up[0] == text
            and self.max_document_bytes == DEFAULT_MAX_DOCUMENT_BYTES
        ):
            loaded = looked_up[1]
            self.findings.extend(loaded.findings)  # its rejection was said by the look-up
        else:
            loaded = self._parse_once(repo_file.path, text, self.max_document_bytes)
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
        if path in self._looked_up:
            return self._looked_up[path][1].objects
        text, problem = read_manifest_text(RepoFile(path, absolute), self.max_file_bytes)
        if text is None or problem is not None:
            return []
        loaded = self._parse_once(path, text, DEFAULT_MAX_DOCUMENT_BYTES)
        # Its parse problems are the renderer's to report; a tampered cache entry is ours.
        self.findings.extend(loaded.rejected)
        self._looked_up[path] = (text, loaded)
        return loaded.objects

    def _parse_once(self, path: str, text: str, max_document_bytes: int) -> LoadedFile:
        """The parse made ahead when it was of this text under this bound, else a new one."""
        ahead = self._ahead.pop(path, None)
        same_bound = max_document_bytes == self.max_document_bytes
        if ahead is not None and ahead[0] == text and same_bound:
            return ahead[1]
        return self._parsed(path, text, max_document_bytes)

    def _parsed(self, path: str, text: str, max_document_bytes: int) -> LoadedFile:
        if self.parsed_cache is not None:
            return self.parsed_cache.load(path, text, max_document_bytes, self.checked_crds)
        loaded = load_manifest_text(
            text, path, max_document_bytes=max_document_bytes, checked_crds=self.checked_crds
        )
        return LoadedFile(loaded.objects, loaded.findings)
