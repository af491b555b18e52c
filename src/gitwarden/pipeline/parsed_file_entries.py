"""What a parsed-file cache entry holds: a plain manifest's objects (identity, line, body)
and the findings its parse gave, as JSON values.

Positions are not kept: a finding that needs them parses the file again (see
`parsed_file_cache`). A lazily parsed document (a CRD) keeps its header and where its text
lies in the file, so its body is still parsed only when a check reads it. An entry is only
made when JSON carries every value exactly (a YAML timestamp or binary value would come
back as something else): such a file is parsed on every scan instead.
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
from gitwarden.manifests.yaml_nodes import FieldPath
from gitwarden.pipeline.render_cache_entries import finding_from_json, finding_to_json

FORMAT = 1


@dataclass(frozen=True)
class DocumentSpan:
    """Where the text of an object's document lies in its file: offsets and first line."""

    start: int
    end: int
    first_line: int


@dataclass(frozen=True)
class ParsedObject:
    """One object of a plain file as the cache keeps it: its body (None when the loader
    left it unparsed: a CRD's header then) and the span of its document."""

    api_version: str
    kind: str
    name: str
    namespace: str | None
    line: int
    path_prefix: FieldPath = ()
    body: Mapping[str, Any] | None = None
    header: Mapping[str, Any] | None = None
    span: DocumentSpan | None = None


@dataclass(frozen=True)
class ParsedFile:
    objects: tuple[ParsedObject, ...]
    findings: tuple[Finding, ...] = ()


def parsed_file_of(loaded: LoadResult, text: str) -> ParsedFile | None:
    """What ``loaded`` (the loader's result for ``text``) keeps; None when JSON cannot
    carry it exactly."""
    objects = []
    spans = document_spans(text)
    firsts = [span.first_line for span in spans]
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
        )
        if not (_exact_in_json(parsed.body) and _exact_in_json(parsed.header)):
            return None
        objects.append(parsed)
    return ParsedFile(tuple(objects), tuple(loaded.findings))


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
    }


def file_from_json(payload: Mapping[str, Any]) -> ParsedFile:
    """The entry ``file_to_json`` wrote; ValueError for anything else."""
    if payload.get("format") != FORMAT:
        raise ValueError("another entry format")
    objects, findings = payload.get("objects"), payload.get("findings")
    if not isinstance(objects, list) or not isinstance(findings, list):
        raise ValueError("objects and findings are lists")
    return ParsedFile(
        tuple(_object_from_json(obj) for obj in objects),
        tuple(finding_from_json(finding) for finding in findings),
    )


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
    ]


def _object_from_json(value: Any) -> ParsedObject:
    if not isinstance(value, list) or len(value) != 9:
        raise ValueError("an object has nine parts")
    api_version, kind, name, namespace, line, prefix, body, header, span = value
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
