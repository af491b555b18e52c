"""Rendered objects as data: what the object stage keeps of a rendered unit.

A record is one rendered object's identity, its body as the checks read it (or, for a
lazily parsed CRD, the text of its document) and where its fields are written: the source
object a kustomize origin named (by file and place among that file's objects) or the Helm
template. Positions are not kept: they are read from the repository's files when a finding
first needs them. The render cache stores records, and the object stage turns fresh and
cached records into objects with the same function, so a warm scan sees the cold scan's
objects without parsing the renderer's output again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Any

from gitwarden.manifests.entry_fields import field_path, optional, typed
from gitwarden.manifests.helm_templates import TemplateFieldMap, TemplateOutline
from gitwarden.manifests.loader import DocumentText, lazy_document
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.yaml_nodes import FieldPath, ParsedDocument, Position

SourceLookup = Callable[[str], list[K8sObject]]
PositionsOf = Callable[[], Mapping[FieldPath, Position]]


class PositionsFrom(Enum):
    """Where the fields of a rendered object are located."""

    NOWHERE = "nowhere"  # every field at the object's own line
    SOURCE = "source"  # the source object ``source_index`` of the record's file
    TEMPLATE = "template"  # the Helm template that is the record's file


@dataclass(frozen=True)
class RenderedRecord:
    api_version: str
    kind: str
    name: str
    namespace: str | None
    file: str
    line: int
    origin: str
    rendered_from: str
    # None: the body is parsed from ``document`` on first use (a CRD no check reads).
    body: Mapping[str, Any] | None = None
    header: Mapping[str, Any] | None = None
    document: DocumentText | None = None
    path_prefix: FieldPath = ()
    positions: PositionsFrom = PositionsFrom.NOWHERE
    source_index: int = 0


class RenderedSources:
    """One scan's view of the files rendered objects point back at, each read once."""

    def __init__(self, root: Path, source_objects: SourceLookup) -> None:
        self.root = root
        self.source_objects = source_objects
        self._outlines: dict[str, TemplateOutline] = {}
        # The positions of each source object, by file and place among its objects.
        self._positions: dict[tuple[str, int], Mapping[FieldPath, Position]] = {}

    def outline(self, file: str) -> TemplateOutline:
        found = self._outlines.get(file)
        if found is None:
            found = self._outlines[file] = TemplateOutline(_read_text(self.root / file))
        return found

    def positions_of(self, record: RenderedRecord) -> PositionsOf:
        if record.positions is PositionsFrom.SOURCE:
            return self._source_positions(record.file, record.source_index)
        if record.positions is PositionsFrom.TEMPLATE:
            file, line = record.file, record.line
            return lambda: TemplateFieldMap(self.outline(file), line)
        return dict

    def _source_positions(self, file: str, index: int) -> PositionsOf:
        # A partial, not a closure under functools.cache: one is made per rendered object.
        return partial(self._positions_in_source, file, index)

    def _positions_in_source(self, file: str, index: int) -> Mapping[FieldPath, Position]:
        found = self._positions.get((file, index))
        if found is None:
            found = self._positions[(file, index)] = self._read_positions(file, index)
        return found

    def _read_positions(self, file: str, index: int) -> Mapping[FieldPath, Position]:
        candidates = self.source_objects(file)
        if index >= len(candidates):
            return {}
        source = candidates[index]
        all_positions = source.document().positions
        prefix = source.path_prefix
        if not prefix:
            return all_positions
        size = len(prefix)
        return {k[size:]: v for k, v in all_positions.items() if k[:size] == prefix}


def objects_of(records: list[RenderedRecord], sources: RenderedSources) -> list[K8sObject]:
    """The objects the checks see, one per record, in the records' order."""
    return [object_of(record, sources) for record in records]


def object_of(record: RenderedRecord, sources: RenderedSources) -> K8sObject:
    if record.document is not None:
        fallback = ParsedDocument(record.header or {}, {(): (record.line, 1)}, record.line)
        document = lazy_document(record.document, fallback)
    else:
        # Rendered objects are read through their body and source positions: the document
        # of the renderer's output is not kept.
        parsed = ParsedDocument(record.body or {}, {}, record.line)

        def document() -> ParsedDocument:
            return parsed

    return K8sObject(
        api_version=record.api_version,
        kind=record.kind,
        name=record.name,
        namespace=record.namespace,
        file=record.file,
        line=record.line,
        document=document,
        path_prefix=record.path_prefix,
        origin=record.origin,
        rendered_from=record.rendered_from,
        source_positions=sources.positions_of(record),
        rendered_body=record.body,
        header=record.header,
    )


def record_to_json(record: RenderedRecord) -> dict[str, Any]:
    """The record as JSON values (bodies must be JSON values already; see `record_from_json`)."""
    encoded: dict[str, Any] = {
        "api_version": record.api_version,
        "kind": record.kind,
        "name": record.name,
        "namespace": record.namespace,
        "file": record.file,
        "line": record.line,
        "origin": record.origin,
        "rendered_from": record.rendered_from,
        "body": record.body,
        "header": record.header,
        "path_prefix": list(record.path_prefix),
        "positions": record.positions.value,
        "source_index": record.source_index,
    }
    if record.document is not None:
        encoded["document"] = [record.document.text, record.document.first_line]
    return encoded


def record_from_json(value: Any) -> RenderedRecord:
    """The record ``record_to_json`` wrote; ValueError for anything else."""
    if not isinstance(value, dict):
        raise ValueError("a record is an object")
    document = value.get("document")
    if document is not None:
        text, first_line = _pair(document)
        document = DocumentText(typed(text, str), typed(first_line, int))
    return RenderedRecord(
        api_version=typed(value.get("api_version"), str),
        kind=typed(value.get("kind"), str),
        name=typed(value.get("name"), str),
        namespace=optional(value.get("namespace"), str),
        file=typed(value.get("file"), str),
        line=typed(value.get("line"), int),
        origin=typed(value.get("origin"), str),
        rendered_from=typed(value.get("rendered_from"), str),
        body=optional(value.get("body"), dict),
        header=optional(value.get("header"), dict),
        document=document,
        path_prefix=field_path(value.get("path_prefix")),
        positions=PositionsFrom(value.get("positions")),
        source_index=typed(value.get("source_index"), int),
    )


def _pair(value: Any) -> tuple[Any, Any]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("expected a pair")
    return value[0], value[1]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
