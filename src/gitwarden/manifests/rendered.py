"""Rendered output (Kustomize, Helm) to objects that point back at their source files.

Kustomize annotates every object with the file that defined it; gitwarden strips that
annotation, finds the same object in the source file, and reports fields at their line
there (fields added by the overlay fall back to the object's own line). Helm output points
at its template file, at the line where the reported key is written when it can be found.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from gitwarden.findings import Finding
from gitwarden.manifests.loader import load_manifest_text
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.yaml_nodes import FieldPath, Position

ORIGIN_ANNOTATION = "config.kubernetes.io/origin"
_ORIGIN_PATH = re.compile(r"^path:\s*(.+?)\s*$", re.MULTILINE)

SourceLookup = Callable[[str], list[K8sObject]]


def objects_from_kustomize(
    text: str,
    *,
    overlay_file: str,
    origin: str,
    wrapper_dir: Path,
    root: Path,
    source_objects: SourceLookup,
    max_document_bytes: int,
) -> tuple[list[K8sObject], list[Finding]]:
    """Objects of a rendered overlay, each attributed to the file that defined it."""
    loaded = load_manifest_text(
        text, overlay_file, origin=origin, max_document_bytes=max_document_bytes
    )
    objects = []
    for rendered in loaded.objects:
        # A lazily parsed object (a CRD) keeps its body unparsed: only its header is cleaned.
        lazy = rendered.header is not None
        body = None if lazy else _strip_origin(rendered.body)
        source_file = _origin_file(rendered.annotations.get(ORIGIN_ANNOTATION), wrapper_dir, root)
        source = _match_source(rendered, source_objects(source_file)) if source_file else None
        objects.append(
            replace(
                _attributed(rendered, body, source, source_file or overlay_file, origin),
                rendered_from=_folder_prefix(overlay_file.rpartition("/")[0]),
                header=_strip_origin(rendered.header) if rendered.header is not None else None,
            )
        )
    return objects, loaded.findings


def objects_from_helm(
    manifests: Mapping[str, str],
    *,
    chart_folder: str,
    chart_dir: Path,
    origin: str,
    max_document_bytes: int,
) -> tuple[list[K8sObject], list[Finding]]:
    """Objects of a rendered chart, attributed to their template files."""
    objects: list[K8sObject] = []
    findings: list[Finding] = []
    for template_path, text in sorted(manifests.items()):
        if not template_path.endswith((".yaml", ".yml", ".json")) or not text.strip():
            continue
        # "chart/templates/x.yaml" -> "<chart folder>/templates/x.yaml"
        inside = template_path.split("/", 1)[1] if "/" in template_path else template_path
        file = f"{chart_folder}/{inside}" if chart_folder else inside
        template_text = _read_text(chart_dir / inside)
        outline = _TemplateOutline(template_text)
        loaded = load_manifest_text(
            text, file, origin=origin, max_document_bytes=max_document_bytes
        )
        findings.extend(loaded.findings)
        seen_of_kind: dict[str, int] = {}
        for rendered in loaded.objects:
            ordinal = seen_of_kind.get(rendered.kind, 0)
            seen_of_kind[rendered.kind] = ordinal + 1
            kind_line = _kind_line(template_text, rendered.kind, ordinal)
            objects.append(
                replace(
                    rendered,
                    line=kind_line,
                    rendered_from=_folder_prefix(chart_folder),
                    source_positions=_HelmPositions(outline, kind_line).lookup,
                    rendered_body=rendered.body,
                )
            )
    return objects, findings


def _folder_prefix(folder: str) -> str:
    """``apps/web`` -> ``apps/web/``; the repository root is the empty prefix."""
    return f"{folder}/" if folder else ""


def _strip_origin(body: Mapping[str, Any]) -> dict[str, Any]:
    copy = dict(body)
    metadata = copy.get("metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("annotations"), dict):
        annotations = {k: v for k, v in metadata["annotations"].items() if k != ORIGIN_ANNOTATION}
        metadata = dict(metadata)
        if annotations:
            metadata["annotations"] = annotations
        else:
            del metadata["annotations"]
        copy["metadata"] = metadata
    return copy


def _origin_file(annotation: Any, wrapper_dir: Path, root: Path) -> str | None:
    if not isinstance(annotation, str):
        return None
    match = _ORIGIN_PATH.search(annotation)
    if not match:
        return None
    absolute = Path(os.path.normpath(wrapper_dir / match.group(1).strip("'\"")))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return None


def _match_source(rendered: K8sObject, candidates: list[K8sObject]) -> K8sObject | None:
    same_kind = [c for c in candidates if c.kind == rendered.kind]
    exact = [c for c in same_kind if c.name == rendered.name]
    if exact:
        return exact[0]
    # namePrefix/nameSuffix transforms keep the original name inside the rendered one.
    contained = [c for c in same_kind if c.name in rendered.name]
    if contained:
        return max(contained, key=lambda c: len(c.name))
    return same_kind[0] if len(same_kind) == 1 else None


def _attributed(
    rendered: K8sObject,
    body: dict[str, Any] | None,
    source: K8sObject | None,
    file: str,
    origin: str,
) -> K8sObject:
    if source is None:
        line = 1
        source_positions: Callable[[], Mapping[FieldPath, Position]] = dict
    else:
        line = source.line
        source_positions = _prefixed_positions(source)
    return replace(
        rendered,
        file=file,
        line=line,
        origin=origin,
        source_positions=source_positions,
        rendered_body=body,
    )


def _prefixed_positions(source: K8sObject) -> Callable[[], Mapping[FieldPath, Position]]:
    prefix = source.path_prefix

    @cache
    def positions() -> Mapping[FieldPath, Position]:
        all_positions = source.document().positions
        if not prefix:
            return all_positions
        size = len(prefix)
        return {k[size:]: v for k, v in all_positions.items() if k[:size] == prefix}

    return positions


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _kind_line(template: str, kind: str, ordinal: int) -> int:
    """The template line that declares the ``ordinal``-th object of ``kind`` it renders.

    Templates hold several documents, maybe of one kind; when conditionals or loops make
    the count differ from the output, the first declaration is the best guess.
    """
    pattern = re.compile(rf"^kind:\s*['\"]?{re.escape(kind)}['\"]?\s*(?:#.*)?$", re.MULTILINE)
    starts = [template.count("\n", 0, match.start()) + 1 for match in pattern.finditer(template)]
    if not starts:
        return 1
    return starts[ordinal] if ordinal < len(starts) else starts[0]


@dataclass(frozen=True)
class _OutlineLine:
    """One line of a template that holds YAML structure: a key, a list item, or both."""

    line: int  # 1-based
    indent: int  # column of the first character (the dash of a list item)
    dash: bool
    key: str | None
    key_indent: int  # column of the key, or of the item's content


_KEY = re.compile(r"""(['"]?)([^\s'"{}#:\-][^'"{}#:]*?|-[^\s'"{}#:][^'"{}#:]*?)\1\s*:(?:\s|$)""")


class _TemplateOutline:
    """The indentation structure of a Go template, read line by line.

    A template is not YAML until rendered, but its literal keys and list items are written
    at the indentation they will have: enough to find the line of a field by its path.
    Lines that are only template actions or comments carry no structure and are skipped.
    """

    def __init__(self, template: str) -> None:
        self.documents: list[list[_OutlineLine]] = [[]]
        for number, text in enumerate(template.splitlines(), start=1):
            if text.startswith("---"):
                self.documents.append([])
                continue
            outline = _outline_line(number, text)
            if outline is not None:
                self.documents[-1].append(outline)
        # Document index of each line, to find the document holding an object's `kind:`.
        self.document_of_line: dict[int, int] = {
            item.line: index for index, lines in enumerate(self.documents) for item in lines
        }

    def find(self, kind_line: int, path: FieldPath) -> Position | None:
        """The position of ``path`` in the document whose ``kind:`` is at ``kind_line``."""
        document = self.document_of_line.get(kind_line)
        if document is None:
            return None
        block = self.documents[document]
        found: _OutlineLine | None = None
        for step in path:
            if isinstance(step, int):
                found, block = _item(block, step)
            else:
                found, block = _child(block, step)
            if found is None:
                return None
        return (found.line, found.key_indent + 1) if found else None


def _outline_line(number: int, text: str) -> _OutlineLine | None:
    stripped = text.lstrip(" ")
    if not stripped.strip() or stripped.startswith(("#", "{{")):
        return None
    indent = len(text) - len(stripped)
    dash = stripped == "-" or stripped.startswith("- ")
    content = stripped[1:].lstrip(" ") if dash else stripped
    key_indent = len(text) - len(content)
    match = _KEY.match(content)
    return _OutlineLine(number, indent, dash, match.group(2) if match else None, key_indent)


def _child(block: list[_OutlineLine], key: str) -> tuple[_OutlineLine | None, list[_OutlineLine]]:
    """The line of mapping key ``key`` directly in ``block``, and the block under it."""
    keyed = [item for item in block if item.key is not None and not item.dash]
    first = block[0] if block else None
    if first is not None and first.dash:
        return None, []  # a sequence, not a mapping
    level = min((item.key_indent for item in keyed), default=-1)
    for index, item in enumerate(block):
        if item.key == key and item.key_indent == level and not item.dash:
            return item, _under(block, index, item.key_indent)
    return None, []


def _item(
    block: list[_OutlineLine], position: int
) -> tuple[_OutlineLine | None, list[_OutlineLine]]:
    """The ``position``-th list item directly in ``block``, and the block it holds."""
    if not block or not block[0].dash:
        return None, []
    level = block[0].indent
    starts = [index for index, item in enumerate(block) if item.dash and item.indent == level]
    if position >= len(starts):
        return None, []
    index = starts[position]
    item = block[index]
    # The item's first key shares its line: seen from inside, it is a plain key.
    inner = _OutlineLine(item.line, item.key_indent, False, item.key, item.key_indent)
    rest = _under(block, index, level)
    return item, ([inner, *rest] if item.key is not None else rest)


def _under(block: list[_OutlineLine], index: int, indent: int) -> list[_OutlineLine]:
    """The lines nested under ``block[index]`` (a key or item at ``indent``)."""
    owner = block[index]
    nested = []
    for item in block[index + 1 :]:
        # A compact sequence (`key:` then `- item` at the same column) belongs to its key.
        if item.indent > indent or (item.indent == indent and item.dash and not owner.dash):
            nested.append(item)
        else:
            break
    return nested


class _HelmPositions:
    """Best-effort positions in a Go template for the object declared at ``kind_line``."""

    def __init__(self, template: _TemplateOutline, kind_line: int) -> None:
        self.template = template
        self.kind_line = kind_line

    def lookup(self) -> Mapping[FieldPath, Position]:
        return _TemplateFieldMap(self.template, self.kind_line)


class _TemplateFieldMap(Mapping[FieldPath, Position]):
    def __init__(self, template: _TemplateOutline, kind_line: int) -> None:
        self.template = template
        self.kind_line = kind_line

    def __getitem__(self, path: FieldPath) -> Position:
        if not path:
            return (self.kind_line, 1)
        found = self.template.find(self.kind_line, path)
        if found is None:
            raise KeyError(path)
        return found

    def __iter__(self) -> Iterator[FieldPath]:
        return iter(())

    def __len__(self) -> int:
        return 0
