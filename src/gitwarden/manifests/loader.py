"""Manifest files to Kubernetes objects, with every unreadable part turned into a finding.

A file is split at its ``---`` markers (which YAML forbids inside any scalar, so the split is
exact) and each document is parsed on its own: one broken document does not hide the rest.
CustomResourceDefinitions, which make up most bytes of real install manifests and are read
by no check, get a fast syntax check and a header parse; their body is parsed on demand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from gitwarden.findings import Finding, Location
from gitwarden.input_rules import DOCUMENT_TOO_LARGE, INVALID_VALUE, PARSE_ERROR, YAML_LIMIT
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.yaml_nodes import (
    FieldPath,
    ParsedDocument,
    YamlLimitError,
    YamlSyntaxError,
    parse_documents,
)

DEFAULT_MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

_CRD_SNIFF_CHARS = 4096
_CRD_KIND = re.compile(r"^kind:[ \t]*[\"']?CustomResourceDefinition[\"']?[ \t]*$", re.MULTILINE)
_TOP_LEVEL_SPEC = re.compile(r"^spec:", re.MULTILINE)
# The bulky parts of a CRD spec; everything before them is the cheap header.
_CRD_BULK = re.compile(
    r"^  (?:versions|validation|conversion|additionalPrinterColumns|subresources):", re.MULTILINE
)
# Values the fast CRD path would leave unread: explicit tags and very long numbers are
# parsed in full so that a broken one is reported (see yaml_nodes.ValueProblem).
_LONG_NUMBER_CHARS = 3000
_NUMBER_CHARACTERS = b"0123456789ABCDEFabcdef_"
_NUMBER_BYTES = bytes(b"0"[0] if byte in _NUMBER_CHARACTERS else b" "[0] for byte in range(256))
_LONG_NUMBER_RUN = b"0" * _LONG_NUMBER_CHARS
# Room for the stream and document nodes of a tree reserved by line count.
_TREE_SPARE_NODES = 16
# kustomize's own configuration files are build inputs, not objects sent to the cluster.
_BUILD_ONLY_GROUPS = ("kustomize.config.k8s.io", "config.kubernetes.io")


@dataclass(frozen=True)
class DocumentText:
    """The text of one document (from its ``---`` line) and the line it starts at."""

    text: str
    first_line: int


@dataclass
class LoadResult:
    """What one file yielded: its objects and the findings about what could not be read."""

    objects: list[K8sObject] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    documents: list[ParsedDocument] = field(default_factory=list)
    # The text behind each lazily parsed object, by its index in ``objects``.
    lazy_documents: dict[int, DocumentText] = field(default_factory=dict)


def load_manifest_text(
    text: str,
    file: str,
    *,
    origin: str | None = None,
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    checked_crds: set[str] | None = None,
) -> LoadResult:
    """Parse ``text`` (the content of ``file``) into Kubernetes objects and findings.

    ``checked_crds`` (one scan's, passed in by the pipeline) holds the CRD documents that
    already passed the fast syntax check: copies of the same CRD (six of seven in Argo CD's
    manifests are byte-identical) are checked once.
    """
    result = LoadResult()
    for first_line, chunk, newlines in _split_documents(text):
        if _utf8_length(chunk) > max_document_bytes:
            result.findings.append(
                DOCUMENT_TOO_LARGE.finding(
                    f"YAML document of more than {max_document_bytes} bytes skipped; "
                    "split it or raise max_document_bytes in .gitwarden.yaml.",
                    Location(file=file, line=first_line, origin=origin),
                )
            )
            continue
        # Keys come before `spec` in every CRD written by a tool, so `kind` sits near the top;
        # a CRD that hides it further down is simply parsed in full.
        if _CRD_KIND.search(chunk, 0, _CRD_SNIFF_CHARS):
            data = chunk.encode("utf-8", "surrogatepass")
            if not _needs_full_parse(chunk, data) and _load_crd_fast(
                chunk, data, first_line, newlines, file, origin, result, checked_crds
            ):
                continue
        _load_chunk(chunk, first_line, file, origin, result, json_fallback=file.endswith(".json"))
    return result


def _utf8_length(chunk: str) -> int:
    # An ASCII string's length is its byte count: no need to encode megabytes to learn it.
    return len(chunk) if chunk.isascii() else len(chunk.encode("utf-8", "surrogatepass"))


def _needs_full_parse(chunk: str, data: bytes) -> bool:
    """An explicit tag, or a number too long for the fast path to judge (``data`` is
    ``chunk`` in UTF-8)."""
    # Searching for one character is several times faster than for two, and most CRDs
    # hold no "!" at all.
    if "!" in chunk and "!!" in chunk:
        return True
    # A regex over a megabyte CRD costs tens of milliseconds; a byte table that keeps the
    # characters a number is written with (and blanks every other byte, multi-byte UTF-8
    # included) turns the search into one for a fixed run, done in C in a few.
    return _LONG_NUMBER_RUN in data.translate(_NUMBER_BYTES)


def _document_starts(text: str) -> list[int]:
    """Offsets of the ``---`` lines; str.find is several times faster than a regex here."""
    starts = [0] if _is_document_marker(text, 0) else []
    found = text.find("\n---")
    while found != -1:
        if _is_document_marker(text, found + 1):
            starts.append(found + 1)
        found = text.find("\n---", found + 1)
    return starts


def _is_document_marker(text: str, start: int) -> bool:
    return text.startswith("---", start) and text[start + 3 : start + 4] in (
        "",
        " ",
        "\t",
        "\r",
        "\n",
    )


def _split_documents(text: str) -> Iterator[tuple[int, str, int]]:
    """Each document's first line, text and count of line breaks."""
    if text.startswith("%") or "\n%" in text:
        # Directives bind to the document after them: keep the stream whole.
        yield 1, text, text.count("\n")
        return
    starts = _document_starts(text)
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    line = 1
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        chunk = text[start:end]
        newlines = chunk.count("\n")
        yield line, chunk, newlines
        line += newlines


def _load_chunk(
    chunk: str,
    first_line: int,
    file: str,
    origin: str | None,
    result: LoadResult,
    *,
    json_fallback: bool,
) -> None:
    try:
        documents = list(parse_documents(chunk, first_line))
    except YamlLimitError as error:
        result.findings.append(
            YAML_LIMIT.finding(
                f"Document refused: {error}. Write it out without such aliases or nesting.",
                Location(file=file, line=error.line, origin=origin),
            )
        )
        return
    except YamlSyntaxError as error:
        if json_fallback and _load_plain_json(chunk, first_line, file, origin, result):
            return
        result.findings.append(
            PARSE_ERROR.finding(
                f"Invalid YAML: {error}. Nothing in this document was checked; fix the syntax.",
                Location(file=file, line=error.line, column=error.column, origin=origin),
            )
        )
        return
    for document in documents:
        result.documents.append(document)
        _report_value_problems(document, file, origin, result)
        _collect_objects(document, file, origin, result)


def _report_value_problems(
    document: ParsedDocument, file: str, origin: str | None, result: LoadResult
) -> None:
    for problem in document.problems:
        result.findings.append(
            INVALID_VALUE.finding(
                f"{problem.message}; it was read as text, so checks of this field did not see "
                "the value Kubernetes would. Write it as the type the field expects.",
                Location(file=file, line=problem.line, column=problem.column, origin=origin),
            )
        )


def _load_plain_json(
    chunk: str, first_line: int, file: str, origin: str | None, result: LoadResult
) -> bool:
    """JSON that libyaml rejects (rare escapes) still loads, without field positions."""
    try:
        value = json.loads(chunk)
    except ValueError:
        return False
    document = ParsedDocument(value, {(): (first_line, 1)}, first_line)
    result.documents.append(document)
    _collect_objects(document, file, origin, result)
    return True


def _collect_objects(
    document: ParsedDocument, file: str, origin: str | None, result: LoadResult
) -> None:
    result.objects.extend(document_objects(document, file, origin))


def document_objects(document: ParsedDocument, file: str, origin: str | None) -> list[K8sObject]:
    """The objects of one parsed document: the items of a ``List``, no build-only kind,
    nothing without an apiVersion and a kind."""
    value = document.value

    def parsed() -> ParsedDocument:
        return document

    if not _is_object(value):
        return []
    items = value.get("items")
    if str(value["kind"]).endswith("List") and isinstance(items, list):
        return [
            _make_object(item, document, parsed, file, origin, ("items", index))
            for index, item in enumerate(items)
            if _is_object(item)
        ]
    if value["apiVersion"].split("/")[0] in _BUILD_ONLY_GROUPS:
        return []
    return [_make_object(value, document, parsed, file, origin, ())]


def _is_object(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("apiVersion"), str)
        and isinstance(value.get("kind"), str)
    )


def _make_object(
    value: dict[str, Any],
    document: ParsedDocument,
    parsed: Any,
    file: str,
    origin: str | None,
    prefix: FieldPath,
) -> K8sObject:
    metadata = value.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    name = metadata.get("name") or metadata.get("generateName") or "<unnamed>"
    namespace = metadata.get("namespace")
    line = document.positions.get(prefix, (document.line, 1))[0]
    return K8sObject(
        api_version=value["apiVersion"],
        kind=value["kind"],
        name=str(name),
        namespace=str(namespace) if namespace else None,
        file=file,
        line=line,
        document=parsed,
        path_prefix=prefix,
        origin=origin,
    )


def _load_crd_fast(
    chunk: str,
    data: bytes,
    first_line: int,
    newlines: int,
    file: str,
    origin: str | None,
    result: LoadResult,
    checked_crds: set[str] | None = None,
) -> bool:
    """Header-only load of a CRD after a fast full syntax check; False to fall back."""
    if checked_crds is None or chunk not in checked_crds:
        if _fast_syntax_check(data, newlines) is not True:
            return False
        if checked_crds is not None:
            checked_crds.add(chunk)
    spec = _TOP_LEVEL_SPEC.search(chunk)
    bulk = _CRD_BULK.search(chunk, spec.end()) if spec else None
    cuts = [c for c in (bulk.start() if bulk else None, spec.start() if spec else None) if c]
    header: ParsedDocument | None = None
    for cut in cuts or [len(chunk)]:
        try:
            headers = list(parse_documents(chunk[:cut], first_line))
        except (YamlSyntaxError, YamlLimitError):
            continue
        if len(headers) == 1 and _is_object(headers[0].value):
            header = headers[0]
            break
    if header is None:
        return False
    full_document = lazy_document(DocumentText(chunk, first_line), header)
    obj = _make_object(header.value, header, full_document, file, origin, ())
    result.lazy_documents[len(result.objects)] = DocumentText(chunk, first_line)
    result.objects.append(replace(obj, header=header.value))
    return True


def lazy_document(document: DocumentText, fallback: ParsedDocument) -> Callable[[], ParsedDocument]:
    """The document parsed on first call (then kept); ``fallback`` if libyaml refuses it."""

    @cache
    def full_document() -> ParsedDocument:
        try:
            documents = list(parse_documents(document.text, document.first_line))
        except (YamlSyntaxError, YamlLimitError):
            documents = []
        # The fast checker accepted it; should libyaml disagree, keep the header.
        return documents[0] if len(documents) == 1 else fallback

    return full_document


def _fast_syntax_check(data: bytes, newlines: int) -> bool | None:
    """True when rapidyaml parses ``data``; None when it is unavailable or disagrees."""
    try:
        import ryml  # optional accelerator: imported only where CRDs occur
    except ImportError:
        return None
    try:
        # A tree sized up front (rapidyaml needs fewer nodes than lines in a CRD) is not
        # regrown and copied while parsing: that halves the cost of the check.
        tree = ryml.Tree()
        tree.reserve(newlines + _TREE_SPARE_NODES)
        ryml.parse_in_arena(data, tree=tree)
    except Exception:  # rapidyaml raises its own exception types; libyaml will judge
        return None
    return True
