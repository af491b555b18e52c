"""The JSON path of a rendered overlay gives exactly the records of its YAML path.

Issue 19 (cold CPU): when pykustomize renders, kustomize's JSON replaces the YAML stream.
Every overlay of the shared corpora, and overlays written to trip YAML 1.1 typing, are
rendered both ways and must give the same records and the same objects.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitwarden.manifests.loader import DEFAULT_MAX_DOCUMENT_BYTES, load_manifest_text
from gitwarden.manifests.rendered import kustomize_records
from gitwarden.manifests.rendered_records import RenderedRecord, RenderedSources, objects_of
from gitwarden.sources.kustomize import KustomizeOutput, pykustomize_worker, render_overlay
from gitwarden.sources.worker_process import WorkerPool
from k8s_fixtures import CORPORA

pytestmark = pytest.mark.skipif(pykustomize_worker() is None, reason="needs pykustomize")

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")

# Plain scalars YAML 1.1 and JSON would type differently, were they written plain.
TRICKY_SCALARS = """\
apiVersion: example.com/v1
kind: Widget
metadata:
  name: tricky
  annotations:
    quoted: "yes"
spec:
  yes-plain: yes
  on-plain: on
  off-capital: Off
  octal: 0777
  octal-quoted: '0777'
  exponent: 1e3
  exponent-float: 1.5e+3
  whole-float: 1.0
  underscored: 1_000
  hex: 0x1F
  new-octal: 0o17
  binary: 0b101
  sexagesimal: 1:20
  date: 2001-12-14
  timestamp: 2001-12-14T21:59:43.10-05:00
  tilde: ~
  empty:
  null-word: null
  negative-zero: -0.0
  unicode: "\\u00e9\\U0001F600\\u2028<&>"
  block: |
    two
    lines
  yes: key named yes
  list: [1, "2", three, {nested: [true, false, null]}]
"""

# Numbers kustomize writes in YAML in a form PyYAML reads otherwise than JSON does.
DIVERGENT_NUMBERS = ["1e20", "0.00005", "1.5e-5", "9007199254740993", "12345678901234567890"]

LIST_KIND = """\
apiVersion: v1
kind: ConfigMapList
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: first}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: second, namespace: apps}
"""


def corpus_overlays() -> Iterator[Path]:
    if not CORPORA.is_dir():
        return
    for folder, _, files in sorted(os.walk(CORPORA)):
        if any(name in files for name in KUSTOMIZATION_FILES):
            yield Path(folder)


def render_both(overlay: Path, work_dir: Path, pool: WorkerPool) -> tuple[Any, Any]:
    renderer = pykustomize_worker()
    assert renderer is not None
    as_yaml = render_overlay(renderer, overlay, work_dir, workers=pool)
    as_json = render_overlay(
        renderer, overlay, work_dir, workers=pool, json_within=DEFAULT_MAX_DOCUMENT_BYTES
    )
    return as_yaml, as_json


def records_of(output: KustomizeOutput, root: Path) -> tuple[list[RenderedRecord], list[Any]]:
    def look_up(file: str) -> list[Any]:
        path = root / file
        return load_manifest_text(path.read_text(encoding="utf-8"), file).objects

    rendered = output.text if output.resources is None else output.resources
    assert rendered is not None
    return kustomize_records(
        rendered,
        overlay_file="overlay/kustomization.yaml",
        origin="kustomize overlay",
        wrapper_dir=output.wrapper_dir,
        root=root,
        source_objects=look_up,
        max_document_bytes=DEFAULT_MAX_DOCUMENT_BYTES,
    )


def comparable(records: list[RenderedRecord], root: Path) -> list[tuple[Any, ...]]:
    """Each record as the checks see it: a lazily parsed CRD's body is read from its text."""
    objects = objects_of(records, RenderedSources(root, lambda _: []))
    return [
        (
            record.api_version,
            record.kind,
            record.name,
            record.namespace,
            record.file,
            record.line,
            record.origin,
            record.rendered_from,
            record.path_prefix,
            record.positions,
            record.source_index,
            repr(obj.body),  # repr: 1 == 1.0 == True, but not for a check's message
        )
        for record, obj in zip(records, objects, strict=True)
    ]


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(1)
    yield workers
    workers.close()


def test_every_corpus_overlay_gives_the_same_records_from_json_as_from_yaml(
    tmp_path: Path, pool: WorkerPool
) -> None:
    overlays = list(corpus_overlays())
    if not overlays:
        pytest.skip("the shared corpora are not present")
    answered_in_json = 0
    for overlay in overlays:
        as_yaml, as_json = render_both(overlay, tmp_path, pool)
        assert as_yaml.rendered == as_json.rendered, overlay
        if not as_yaml.rendered:
            assert as_json.error == as_yaml.error, overlay
            continue
        answered_in_json += as_json.resources is not None
        yaml_records, yaml_findings = records_of(as_yaml, CORPORA)
        json_records, json_findings = records_of(as_json, CORPORA)
        assert comparable(json_records, CORPORA) == comparable(yaml_records, CORPORA), overlay
        assert json_findings == yaml_findings, overlay
    # The JSON path must really be taken, or this test compares the YAML path with itself.
    assert answered_in_json >= 40


def write_overlay(tmp_path: Path, manifest: str) -> Path:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "object.yaml").write_text(manifest, encoding="utf-8")
    (overlay / "kustomization.yaml").write_text("resources: [object.yaml]\n", encoding="utf-8")
    (tmp_path / "work").mkdir()
    return overlay


@pytest.mark.parametrize("manifest", [TRICKY_SCALARS, LIST_KIND], ids=["scalars", "list-kind"])
def test_tricky_overlay_is_answered_in_json_with_the_records_of_yaml(
    tmp_path: Path, pool: WorkerPool, manifest: str
) -> None:
    overlay = write_overlay(tmp_path, manifest)
    as_yaml, as_json = render_both(overlay, tmp_path / "work", pool)
    assert as_json.resources is not None
    yaml_records, _ = records_of(as_yaml, tmp_path)
    json_records, _ = records_of(as_json, tmp_path)
    assert comparable(json_records, tmp_path) == comparable(yaml_records, tmp_path)


@pytest.mark.parametrize("number", DIVERGENT_NUMBERS)
def test_a_number_json_reads_otherwise_is_answered_in_yaml(
    tmp_path: Path, pool: WorkerPool, number: str
) -> None:
    manifest = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\nspec:\n  n: {number}\n"
    overlay = write_overlay(tmp_path, manifest)
    as_yaml, as_json = render_both(overlay, tmp_path / "work", pool)
    assert as_json.resources is None
    assert as_json.text == as_yaml.text


def test_an_overlay_too_large_to_prove_in_json_is_answered_in_yaml(
    tmp_path: Path, pool: WorkerPool
) -> None:
    manifest = LIST_KIND + "  data: {blob: " + "x" * 4096 + "}\n"
    overlay = write_overlay(tmp_path, manifest)
    renderer = pykustomize_worker()
    assert renderer is not None
    small_bound = render_overlay(
        renderer, overlay, tmp_path / "work", workers=pool, json_within=8192
    )
    large_bound = render_overlay(
        renderer, overlay, tmp_path / "work", workers=pool, json_within=DEFAULT_MAX_DOCUMENT_BYTES
    )
    assert small_bound.resources is None and small_bound.text is not None
    assert large_bound.resources is not None


def test_the_items_of_a_json_list_give_the_records_of_the_same_list_in_yaml(
    tmp_path: Path,
) -> None:
    # Without a renderer: kustomize flattens a List, so only this reaches the List branch.
    as_text = KustomizeOutput(LIST_KIND, None, tmp_path)
    as_values = KustomizeOutput(
        None, None, tmp_path, resources=tuple(yaml.safe_load_all(LIST_KIND))
    )
    yaml_records, _ = records_of(as_text, tmp_path)
    json_records, _ = records_of(as_values, tmp_path)
    assert [r.path_prefix for r in json_records] == [("items", 0), ("items", 1)]
    assert comparable(json_records, tmp_path) == comparable(yaml_records, tmp_path)
