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
from dataclasses import replace
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
        body = _strip_origin(rendered.body)
        source_file = _origin_file(rendered.annotations.get(ORIGIN_ANNOTATION), wrapper_dir, root)
        source = _match_source(rendered, source_objects(source_file)) if source_file else None
        objects.append(
            replace(
                _attributed(rendered, body, source, source_file or overlay_file, origin),
                rendered_from=overlay_file.rpartition("/")[0] + "/",
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
        loaded = load_manifest_text(
            text, file, origin=origin, max_document_bytes=max_document_bytes
        )
        findings.extend(loaded.findings)
        for rendered in loaded.objects:
            positions = _template_positions(template_text, rendered)
            objects.append(
                K8sObject(
                    api_version=rendered.api_version,
                    kind=rendered.kind,
                    name=rendered.name,
                    namespace=rendered.namespace,
                    file=file,
                    line=positions.get((), (1, 1))[0],
                    document=rendered.document,
                    path_prefix=rendered.path_prefix,
                    origin=origin,
                    rendered_from=f"{chart_folder}/" if chart_folder else "",
                    source_positions=_HelmPositions(template_text, positions).lookup,
                    rendered_body=rendered.body,
                )
            )
    return objects, findings


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
    body: dict[str, Any],
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
    return K8sObject(
        api_version=rendered.api_version,
        kind=rendered.kind,
        name=rendered.name,
        namespace=rendered.namespace,
        file=file,
        line=line,
        document=rendered.document,
        path_prefix=rendered.path_prefix,
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


def _template_positions(template: str, rendered: K8sObject) -> dict[FieldPath, Position]:
    """The template line that declares this kind (templates hold several documents)."""
    match = re.search(rf"^kind:\s*['\"]?{re.escape(rendered.kind)}\b", template, re.MULTILINE)
    line = template.count("\n", 0, match.start()) + 1 if match else 1
    return {(): (line, 1)}


class _HelmPositions:
    """Best-effort lines in a Go template: the first line after the object's ``kind:``
    that writes the reported field's key."""

    def __init__(self, template: str, base: dict[FieldPath, Position]) -> None:
        self.lines = template.splitlines()
        self.base = base

    def lookup(self) -> Mapping[FieldPath, Position]:
        return _KeyLineMap(self.lines, self.base[()][0])


class _KeyLineMap(Mapping[FieldPath, Position]):
    def __init__(self, lines: list[str], start_line: int) -> None:
        self.lines = lines
        self.start_line = start_line

    def __getitem__(self, path: FieldPath) -> Position:
        if not path:
            return (self.start_line, 1)
        key = path[-1]
        if isinstance(key, int):
            raise KeyError(path)
        pattern = re.compile(rf"^\s*-?\s*['\"]?{re.escape(key)}['\"]?\s*:")
        for index in range(self.start_line - 1, len(self.lines)):
            text = self.lines[index]
            if index > self.start_line - 1 and text.startswith("kind:"):
                break
            if pattern.match(text):
                return (index + 1, len(text) - len(text.lstrip()) + 1)
        raise KeyError(path)

    def __iter__(self) -> Iterator[FieldPath]:
        return iter(())

    def __len__(self) -> int:
        return 0
