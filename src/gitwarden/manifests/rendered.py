"""Rendered output (Kustomize, Helm) to objects that point back at their source files.

Kustomize annotates every object with the file that defined it; gitwarden strips that
annotation, finds the same object in the source file, and reports fields at their line
there (fields added by the overlay fall back to the object's own line). Helm output points
at its template file, at the line where the reported key is written when it can be found.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from gitwarden.findings import Finding
from gitwarden.manifests.helm_templates import kind_line
from gitwarden.manifests.loader import document_objects, load_manifest_text
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.rendered_records import (
    PositionsFrom,
    RenderedRecord,
    RenderedSources,
    SourceLookup,
    objects_of,
)
from gitwarden.manifests.yaml_nodes import ParsedDocument

ORIGIN_ANNOTATION = "config.kubernetes.io/origin"
_ORIGIN_PATH = re.compile(r"^path:\s*(.+?)\s*$", re.MULTILINE)


def objects_from_kustomize(
    text: str | Sequence[Any],
    *,
    overlay_file: str,
    origin: str,
    wrapper_dir: Path,
    root: Path,
    source_objects: SourceLookup,
    max_document_bytes: int,
) -> tuple[list[K8sObject], list[Finding]]:
    """Objects of a rendered overlay, each attributed to the file that defined it."""
    records, findings = kustomize_records(
        text,
        overlay_file=overlay_file,
        origin=origin,
        wrapper_dir=wrapper_dir,
        root=root,
        source_objects=source_objects,
        max_document_bytes=max_document_bytes,
    )
    return objects_of(records, RenderedSources(root, source_objects)), findings


def kustomize_records(
    text: str | Sequence[Any],
    *,
    overlay_file: str,
    origin: str,
    wrapper_dir: Path,
    root: Path,
    source_objects: SourceLookup,
    max_document_bytes: int,
) -> tuple[list[RenderedRecord], list[Finding]]:
    """Records of a rendered overlay's objects, each attributed to the file its kustomize
    origin annotation names.

    ``text`` is the YAML stream, or kustomize's JSON values of the same objects (which the
    worker hands over only when they read exactly as the YAML; see `kustomize_worker`).
    """

    def by_origin(rendered: K8sObject) -> _Attribution:
        annotation = rendered.annotations.get(ORIGIN_ANNOTATION)
        source_file = _origin_file(annotation, wrapper_dir, root)
        candidates = source_objects(source_file) if source_file else []
        return source_file, candidates, _match_source(rendered, candidates)

    records = _records(text, overlay_file, origin, max_document_bytes, by_origin)
    assert records is not None  # an origin always attributes, if only to the overlay
    return records


def kustomize_records_by_identity(
    text: str | Sequence[Any],
    *,
    overlay_file: str,
    origin: str,
    sources: Sequence[str],
    source_objects: SourceLookup,
    max_document_bytes: int,
    renamed_kinds: frozenset[str] = frozenset(),
) -> tuple[list[RenderedRecord], list[Finding]] | None:
    """The records `kustomize_records` makes, for an overlay rendered without origin
    annotations whose objects keep their kind and name (`OverlayUnit.sources`): each
    object is the one object of its kind and name in ``sources``. None when one is not
    exactly one such object, is of ``renamed_kinds``, or shares its source with another
    rendered object: the overlay must then be attributed by its origins."""
    found: dict[tuple[str, str], list[tuple[str, list[K8sObject], K8sObject]]] = {}
    for file in sources:
        candidates = source_objects(file)
        for candidate in candidates:
            found.setdefault((candidate.kind, candidate.name), []).append(
                (file, candidates, candidate)
            )
    # Sources already attributed, by identity: two equal documents are two sources.
    taken: set[int] = set()

    def by_identity(rendered: K8sObject) -> _Attribution | None:
        matches = found.get((rendered.kind, rendered.name), [])
        if len(matches) != 1 or rendered.kind in renamed_kinds or id(matches[0][2]) in taken:
            return None
        taken.add(id(matches[0][2]))
        return matches[0]

    return _records(text, overlay_file, origin, max_document_bytes, by_identity)


# The source file of a rendered object, the objects of that file, the object it renders.
_Attribution = tuple[str | None, list[K8sObject], K8sObject | None]


def _records(
    text: str | Sequence[Any],
    overlay_file: str,
    origin: str,
    max_document_bytes: int,
    attribute: Callable[[K8sObject], _Attribution | None],
) -> tuple[list[RenderedRecord], list[Finding]] | None:
    if isinstance(text, str):
        loaded = load_manifest_text(
            text, overlay_file, origin=origin, max_document_bytes=max_document_bytes
        )
        rendered_objects = loaded.objects
        lazy_documents, findings = loaded.lazy_documents, loaded.findings
    else:
        rendered_objects, lazy_documents, findings = (
            _json_objects(text, overlay_file, origin),
            {},
            [],
        )
    rendered_from = _folder_prefix(overlay_file.rpartition("/")[0])
    records = []
    for index, rendered in enumerate(rendered_objects):
        attribution = attribute(rendered)
        if attribution is None:
            return None
        source_file, candidates, source = attribution
        # A lazily parsed object (a CRD) keeps its body unparsed: only its header is cleaned.
        lazy = lazy_documents.get(index)
        records.append(
            RenderedRecord(
                api_version=rendered.api_version,
                kind=rendered.kind,
                name=rendered.name,
                namespace=rendered.namespace,
                file=source_file or overlay_file,
                line=1 if source is None else source.line,
                origin=origin,
                rendered_from=rendered_from,
                body=None if lazy else _strip_origin(rendered.body),
                header=_strip_origin(rendered.header) if rendered.header is not None else None,
                document=lazy,
                path_prefix=rendered.path_prefix,
                positions=PositionsFrom.NOWHERE if source is None else PositionsFrom.SOURCE,
                source_index=0 if source is None else _index_of(source, candidates),
            )
        )
    return records, findings


def _json_objects(values: Sequence[Any], file: str, origin: str) -> list[K8sObject]:
    """The objects among kustomize's JSON values, picked as `loader` picks them from YAML
    documents (each value a document without field positions)."""
    return [
        obj
        for value in values
        for obj in document_objects(ParsedDocument(value, {}, 1), file, origin)
    ]


def objects_from_helm(
    manifests: Mapping[str, str],
    *,
    chart_folder: str,
    chart_dir: Path,
    origin: str,
    max_document_bytes: int,
) -> tuple[list[K8sObject], list[Finding]]:
    """Objects of a rendered chart, attributed to their template files."""
    records, findings = helm_records(
        manifests,
        chart_folder=chart_folder,
        chart_dir=chart_dir,
        origin=origin,
        max_document_bytes=max_document_bytes,
    )
    depth = len(PurePosixPath(chart_folder).parts) if chart_folder else 0
    root = chart_dir.parents[depth - 1] if depth else chart_dir
    return objects_of(records, RenderedSources(root, lambda _: [])), findings


def helm_records(
    manifests: Mapping[str, str],
    *,
    chart_folder: str,
    chart_dir: Path,
    origin: str,
    max_document_bytes: int,
) -> tuple[list[RenderedRecord], list[Finding]]:
    """Records of a rendered chart's objects, attributed to their template files."""
    records: list[RenderedRecord] = []
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
        seen_of_kind: dict[str, int] = {}
        for rendered in loaded.objects:
            ordinal = seen_of_kind.get(rendered.kind, 0)
            seen_of_kind[rendered.kind] = ordinal + 1
            records.append(
                RenderedRecord(
                    api_version=rendered.api_version,
                    kind=rendered.kind,
                    name=rendered.name,
                    namespace=rendered.namespace,
                    file=file,
                    line=kind_line(template_text, rendered.kind, ordinal),
                    origin=origin,
                    rendered_from=_folder_prefix(chart_folder),
                    body=rendered.body,
                    header=rendered.header,
                    path_prefix=rendered.path_prefix,
                    positions=PositionsFrom.TEMPLATE,
                )
            )
    return records, findings


def _index_of(source: K8sObject, candidates: list[K8sObject]) -> int:
    return next(index for index, candidate in enumerate(candidates) if candidate is source)


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


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
