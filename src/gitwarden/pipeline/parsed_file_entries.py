"""What a parsed-file cache entry holds: a plain manifest's objects (identity, line, body),
the field positions of their documents and the findings its parse gave, as JSON values.

A document parsed in full keeps its positions (see `kept_positions`), so a warm scan
parses no YAML to locate a finding. A lazily parsed document (a CRD) keeps its header and
where its text lies in the file, so its body (and its positions) are still parsed only
when asked for; so is a document whose positions cannot be kept. An entry is only made
when JSON carries every value exactly (a YAML timestamp or binary value would come back as
something else): such a file is parsed on every scan instead.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gitwarden.findings import Finding
from gitwarden.manifests.entry_fields import field_path, optional, typed
from gitwarden.manifests.loader import LoadResult
from gitwarden.manifests.yaml_nodes import FieldPath, ParsedDocument
from gitwarden.pipeline import kept_positions
from gitwarden.pipeline.render_cache_entries import finding_from_json, finding_to_json

# 2: documents with their positions.
FORMAT = 2


@dataclass(frozen=True)
class DocumentSpan:
    """Where the text of an object's document lies in its file: offsets and first line."""

    start: int
    end: int
    first_line: int


@dataclass(frozen=True)
class KeptDocument:
    """A fully parsed document's line and positions (`kept_positions`' code); its value
    when it is not the body of its one object (a ``List``)."""

    line: int
    positions: str
    value: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class ParsedObject:
    """One object of a plain file as the cache keeps it: its body (None when the loader
    left it unparsed: a CRD's header then), the span of its document and which of the
    entry's documents holds its positions (None: parsed again when asked)."""

    api_version: str
    kind: str
    name: str
    namespace: str | None
    line: int
    path_prefix: FieldPath = ()
    body: Mapping[str, Any] | None = None
    header: Mapping[str, Any] | None = None
    span: DocumentSpan | None = None
    document: int | None = None


@dataclass(frozen=True)
class ParsedFile:
    objects: tuple[ParsedObject, ...]
    findings: tuple[Finding, ...] = ()
    documents: tuple[KeptDocument, ...] = ()


def parsed_file_of(loaded: LoadResult, text: str) -> ParsedFile | None:
    """What ``loaded`` (the loader's result for ``text``) keeps; None when JSON cannot
    carry it exactly."""
    objects = []
    spans = document_spans(text)
    firsts = [span.first_line for span in spans]
    documents = _KeptDocuments()
    for index, obj in enumerate(loaded.objects):
        span = spans[bisect_right(firsts, obj.line) - 1]
        lazy = loaded.lazy_documents.get(index)
        if lazy is not None:
            span = spans[bisect_right(firsts, lazy.first_line) - 1]
            if span.first_line != lazy.first_line or text[span.start : span.end] != lazy.text:
                return None  # not the loader's split: its body could not be parsed alone
        parsed = ParsedObject(
            api_version=obj.api_version,
            kind=obj.kind,
            name=obj.name,
            namespace=obj.namespace,
            line=obj.line,
            path_prefix=obj.path_prefix,
            body=None if lazy is not None else obj.body,
            header=obj.header,
            span=span,
            # A lazy object's document() would parse it: never parse only to keep positions.
            document=None if lazy is not None else documents.index(obj.document(), obj.path_prefix),
        )
        if not (_exact_in_json(parsed.body) and _exact_in_json(parsed.header)):
            return None
        objects.append(parsed)
    return ParsedFile(tuple(objects), tuple(loaded.findings), tuple(documents.kept))


class _KeptDocuments:
    """The documents of one file's objects as kept, each once (a List's items share one)."""

    def __init__(self) -> None:
        self.kept: list[KeptDocument] = []
        self._indexes: dict[int, int | None] = {}

    def index(self, document: ParsedDocument, prefix: FieldPath) -> int | None:
        """Where ``document``'s positions are kept; None when they cannot be."""
        key = id(document)  # the loader's objects hold their documents: ids stay unique
        if key not in self._indexes:
            self._indexes[key] = self._keep(document, prefix)
        return self._indexes[key]

    def _keep(self, document: ParsedDocument, prefix: FieldPath) -> int | None:
        if document.problems:
            return None  # kept exactly or not at all: a document's problems are not kept
        # A top-level object's body is its document's value: kept once, with the object.
        value = None if not prefix else document.value
        if value is not None and not _exact_in_json(value):
            return None
        code = kept_positions.encode(document.positions, document.value)
        if code is None:
            return None
        self.kept.append(KeptDocument(document.line, code, value))
        return len(self.kept) - 1


def document_spans(text: str) -> list[DocumentSpan]:
    """The parts of ``text`` the loader parses one by one: from each ``---`` line to the
    next, or the whole text when a directive binds the stream together."""
    if text.startswith("%") or "\n%" in text:
        return [DocumentSpan(0, len(text), 1)]
    starts = [0]
    found = text.find("\n---")
    while found != -1:
        start = found + 1
        if text[start + 3 : start + 4] in ("", " ", "\t", "\r", "\n"):
            starts.append(start)
        found = text.find("\n---", start)
    spans, line = [], 1
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        spans.append(DocumentSpan(start, end, line))
        line += text.count("\n", start, end)
    return spans


def file_to_json(parsed: ParsedFile) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "objects": [_object_to_json(obj) for obj in parsed.objects],
        "findings": [finding_to_json(finding) for finding in parsed.findings],
        "documents": [[kept.line, kept.positions, kept.value] for kept in parsed.documents],
    }


def file_from_json(payload: Mapping[str, Any]) -> ParsedFile:
    """The entry ``file_to_json`` wrote; ValueError for anything else."""
    if payload.get("format") != FORMAT:
        raise ValueError("another entry format")
    objects, findings = payload.get("objects"), payload.get("findings")
    documents = payload.get("documents")
    if not (isinstance(objects, list) and isinstance(findings, list)):
        raise ValueError("objects and findings are lists")
    if not isinstance(documents, list):
        raise ValueError("documents are a list")
    kept = tuple(_document_from_json(document) for document in documents)
    parsed = tuple(_object_from_json(obj) for obj in objects)
    if not all(_holds_document_of(obj, kept) for obj in parsed):
        raise ValueError("an object names a document the entry does not hold")
    return ParsedFile(parsed, tuple(finding_from_json(finding) for finding in findings), kept)


def _holds_document_of(obj: ParsedObject, documents: tuple[KeptDocument, ...]) -> bool:
    """Whether ``obj`` names no document, or one ``documents`` holds in the shape
    `parsed_file_of` writes: a List item's with its value, a top-level object's without."""
    if obj.document is None:
        return True
    if not 0 <= obj.document < len(documents) or obj.body is None:
        return False
    return (documents[obj.document].value is None) == (not obj.path_prefix)


def _document_from_json(value: Any) -> KeptDocument:
    if not isinstance(value, list) or len(value) != 3:
        raise ValueError("a document has three parts")
    line, positions, body = value
    return KeptDocument(typed(line, int), typed(positions, str), optional(body, dict))


def _object_to_json(obj: ParsedObject) -> list[Any]:
    # A list, not an object: thousands of entries read faster without repeated key names.
    span = None if obj.span is None else [obj.span.start, obj.span.end, obj.span.first_line]
    return [
        obj.api_version,
        obj.kind,
        obj.name,
        obj.namespace,
        obj.line,
        list(obj.path_prefix),
        obj.body,
        obj.header,
        span,
        obj.document,
    ]


def _object_from_json(value: Any) -> ParsedObject:
    if not isinstance(value, list) or len(value) != 10:
        raise ValueError("an object has ten parts")
    api_version, kind, name, namespace, line, prefix, body, header, span, document = value
    return ParsedObject(
        api_version=typed(api_version, str),
        kind=typed(kind, str),
        name=typed(name, str),
        namespace=optional(namespace, str),
        line=typed(line, int),
        path_prefix=field_path(prefix),
        body=optional(body, dict),
        header=optional(header, dict),
        span=None if span is None else _span(span),
        document=optional(document, int),
    )


def _span(value: Any) -> DocumentSpan:
    if not isinstance(value, list) or len(value) != 3:
        raise ValueError("a span has three parts")
    start, end, first_line = (typed(part, int) for part in value)
    return DocumentSpan(start, end, first_line)


def _exact_in_json(value: Any) -> bool:
    """Whether ``json.loads(json.dumps(value))`` gives ``value`` back, type for type."""
    kind = type(value)
    if kind is dict:
        return all(type(k) is str and _exact_in_json(v) for k, v in value.items())
    if kind is list:
        return all(_exact_in_json(item) for item in value)
    if kind is float:
        return math.isfinite(value)
    return value is None or kind in (str, int, bool)
