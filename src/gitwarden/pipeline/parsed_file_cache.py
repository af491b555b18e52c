"""The parsed-file cache: a plain manifest's objects kept between scans, keyed by the
file's text and everything that changes its parse.

Entries live in the render cache's folder and carry its HMAC (see `render_cache`): an
entry that does not verify is ignored, said once, and the file parsed again. The key
holds what a render cache key holds besides the renderer (`RenderKeys`: gitwarden's
version, the parsing code, the YAML libraries, the document bound) plus this cache's own
code, the file's path and the SHA-256 of its text. Loading an entry is a JSON read. Field
positions are kept as a string of numbers (`kept_positions`), turned into a document's
positions when a finding (or a rendered object pointing into the file) first asks for one;
only a document whose positions were not kept (a lazily parsed CRD) is parsed again then.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache, cached_property, partial
from pathlib import Path
from typing import Any

from gitwarden.findings import Finding, Location
from gitwarden.input_rules import RENDER_CACHE_REJECTED
from gitwarden.manifests.loader import DocumentText, lazy_document, load_manifest_text
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.yaml_nodes import FieldPath, ParsedDocument
from gitwarden.pipeline import kept_positions, parsed_file_entries
from gitwarden.pipeline.parsed_file_entries import (
    KeptDocument,
    ParsedFile,
    ParsedObject,
    file_from_json,
    file_to_json,
    parsed_file_of,
)
from gitwarden.pipeline.render_cache import RenderCache, cache_key
from gitwarden.pipeline.render_keys import RenderKeys

FOLDER = "parsed-files"


@dataclass(frozen=True)
class LoadedFile:
    """A plain file's objects, the findings of its parse and that of a rejected entry."""

    objects: list[K8sObject]
    findings: list[Finding]
    rejected: tuple[Finding, ...] = ()


class ParsedFileCache:
    """One scan's use of the sealed cache folder for plain manifests under ``root``."""

    def __init__(self, cache: RenderCache, root: Path) -> None:
        # Beside the render entries, not among them: one folder per kind of entry.
        self.store = cache.within(FOLDER)
        self.root = root

    def load(
        self,
        path: str,
        text: str,
        max_document_bytes: int,
        checked_crds: set[str] | None = None,
    ) -> LoadedFile:
        """The objects of ``text`` (the content of ``path``), from a verified entry when
        there is one, else parsed (and kept); ``checked_crds`` as for `load_manifest_text`."""
        key = self.key(path, text, max_document_bytes)
        found = self.store.lookup(key)
        rejected: tuple[Finding, ...] = ()
        if found.payload is not None:
            try:
                entry = file_from_json(found.payload)
            except ValueError:
                rejected = (self._rejected(path),)
            else:
                return LoadedFile(
                    cached_objects(entry, path, text, max_document_bytes), list(entry.findings)
                )
        elif found.rejected:
            rejected = (self._rejected(path),)
        loaded = load_manifest_text(
            text, path, max_document_bytes=max_document_bytes, checked_crds=checked_crds
        )
        kept = parsed_file_of(loaded, text)
        if kept is not None:
            self.store.store(key, file_to_json(kept))
        return LoadedFile(loaded.objects, loaded.findings, rejected)

    def key(self, path: str, text: str, max_document_bytes: int) -> str:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        return cache_key(
            {
                "common": self._common,
                "unit": "plain-file",
                "max_document_bytes": max_document_bytes,
                "path": path,
                "text": digest,
            }
        )

    @cached_property
    def _common(self) -> str:
        """The digest of the render keys' fixed parts (version, parsing code, YAML
        libraries) and this cache's code, once per scan; no renderer and no network: a
        plain file's parse reads neither."""
        common = RenderKeys(self.root, allow_network=False).common
        return cache_key({**common, "allow_network": None, "entry_code": _entry_code_digest()})

    def _rejected(self, path: str) -> Finding:
        return RENDER_CACHE_REJECTED.finding(
            f"The cache entry of this file's parsed objects failed its integrity check "
            f"({self.store.directory}); it was ignored and the file parsed again.",
            Location(file=path, line=1),
        )


def cached_objects(
    entry: ParsedFile, path: str, text: str, max_document_bytes: int
) -> list[K8sObject]:
    """The objects the checks see, one per kept object, as the loader made them from
    ``text``; their documents (positions) come from the entry, or from parsing ``text``
    again, on demand."""
    documents = _Documents(path, text, max_document_bytes, entry)
    return [
        K8sObject(
            api_version=kept.api_version,
            kind=kept.kind,
            name=kept.name,
            namespace=kept.namespace,
            file=path,
            line=kept.line,
            # A partial, not a closure under functools.cache: thousands are made per scan.
            document=partial(documents.document, index),
            path_prefix=kept.path_prefix,
            # The body as parsed, without parsing again; positions come from ``document``.
            rendered_body=kept.body,
            header=kept.header,
        )
        for index, kept in enumerate(entry.objects)
    ]


class _Documents:
    """A cached file's documents, made when they are asked for: from the positions the
    entry kept, each once; else parsed again, an object's own document alone when that
    gives the loader's document, else the whole file."""

    def __init__(self, path: str, text: str, max_document_bytes: int, entry: ParsedFile) -> None:
        self.path = path
        self.text = text
        self.max_document_bytes = max_document_bytes
        self.kept = entry.objects
        self.kept_documents = entry.documents
        self._documents: dict[int, ParsedDocument] = {}
        # By index in the entry's documents: a List's items share theirs.
        self._from_entry: dict[int, ParsedDocument | None] = {}

    def document(self, index: int) -> ParsedDocument:
        found = self._documents.get(index)
        if found is None:
            kept = self.kept[index]
            found = None if kept.document is None else self._kept_document(kept, kept.document)
            if found is None:
                found = self._own_document(index, kept)
            self._documents[index] = found
        return found

    def _kept_document(self, kept: ParsedObject, index: int) -> ParsedDocument | None:
        if index not in self._from_entry:
            self._from_entry[index] = _document_of(self.kept_documents[index], kept)
        return self._from_entry[index]

    @cached_property
    def _objects(self) -> list[K8sObject]:
        return load_manifest_text(
            self.text, self.path, max_document_bytes=self.max_document_bytes
        ).objects

    def _own_document(self, index: int, kept: ParsedObject) -> ParsedDocument:
        """Lines are counted from the file's start, so a span that parses to one document
        holding the kept body is the loader's document, positions included; a lazily
        parsed one is the loader's own span. Anything else is read from the whole file
        (libyaml refusing a CRD the fast checker accepted: the loader's fallback)."""
        span = kept.span
        if span is not None:
            refused = ParsedDocument({}, {}, 0)
            chunk = DocumentText(self.text[span.start : span.end], span.first_line)
            found = lazy_document(chunk, refused)()
            if found is not refused and (
                kept.body is None or _at(found.value, kept.path_prefix) == kept.body
            ):
                return found
        objects = self._objects
        if index < len(objects):
            return objects[index].document()
        # The key holds the text and the parsing code: the same parse gives the same objects.
        return ParsedDocument(kept.body or {}, {(): (kept.line, 1)}, kept.line)


def _document_of(document: KeptDocument, kept: ParsedObject) -> ParsedDocument | None:
    """The loader's document, from what the entry kept of it (a top-level object's body
    is its value); None when the kept positions do not fit it (then parsed again)."""
    value = kept.body if document.value is None else document.value
    positions = kept_positions.decode(document.positions, value)
    return None if positions is None else ParsedDocument(value, positions, document.line)


def _at(value: Any, prefix: FieldPath) -> Any:
    for part in prefix:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


@cache
def _entry_code_digest() -> str:
    digest = hashlib.sha256()
    for module in (parsed_file_entries, kept_positions):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()
