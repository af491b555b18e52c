"""Rendered objects as records: the same objects whether just rendered or read back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gitwarden.manifests.loader import DocumentText, load_manifest_text
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.rendered_records import (
    PositionsFrom,
    RenderedRecord,
    RenderedSources,
    object_of,
    record_from_json,
    record_to_json,
)

BASE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
"""
CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.example.com
spec:
  group: example.com
  versions:
    - name: v1
"""


def source_record(**changes: Any) -> RenderedRecord:
    fields: dict[str, Any] = {
        "api_version": "apps/v1",
        "kind": "Deployment",
        "name": "prod-web",
        "namespace": "prod",
        "file": "base/deployment.yaml",
        "line": 1,
        "origin": "kustomize prod",
        "rendered_from": "prod/",
        "body": {"metadata": {"name": "prod-web"}, "spec": {"replicas": 2}},
        "positions": PositionsFrom.SOURCE,
        **changes,
    }
    return RenderedRecord(**fields)


def sources_with(tmp_path: Path, files: dict[str, str]) -> tuple[RenderedSources, list[str]]:
    looked_up: list[str] = []

    def look_up(path: str) -> list[K8sObject]:
        looked_up.append(path)
        return load_manifest_text(files[path], path).objects if path in files else []

    return RenderedSources(tmp_path, look_up), looked_up


def test_a_field_is_located_in_the_source_object_the_record_names(tmp_path: Path) -> None:
    sources, _ = sources_with(tmp_path, {"base/deployment.yaml": BASE})
    obj = object_of(source_record(), sources)
    assert obj.location(("spec", "replicas")).line == 6


def test_the_source_file_is_read_only_when_a_position_is_needed(tmp_path: Path) -> None:
    sources, looked_up = sources_with(tmp_path, {"base/deployment.yaml": BASE})
    obj = object_of(source_record(), sources)
    assert obj.body["spec"] == {"replicas": 2}
    assert looked_up == []
    obj.location(("spec",))
    assert looked_up == ["base/deployment.yaml"]


def test_a_source_index_beyond_the_file_falls_back_to_the_object_line(tmp_path: Path) -> None:
    sources, _ = sources_with(tmp_path, {"base/deployment.yaml": BASE})
    obj = object_of(source_record(source_index=3, line=4), sources)
    assert obj.location(("spec", "replicas")).line == 4


def test_a_helm_field_is_located_in_its_template(tmp_path: Path) -> None:
    (tmp_path / "chart/templates").mkdir(parents=True)
    (tmp_path / "chart/templates/deploy.yaml").write_text(BASE.replace("2", "{{ .Values.n }}"))
    sources, _ = sources_with(tmp_path, {})
    record = source_record(
        file="chart/templates/deploy.yaml", line=2, positions=PositionsFrom.TEMPLATE
    )
    obj = object_of(record, sources)
    assert obj.location(("spec", "replicas")).line == 6


def test_a_lazy_record_parses_its_document_on_first_use(tmp_path: Path) -> None:
    sources, _ = sources_with(tmp_path, {})
    record = source_record(
        api_version="apiextensions.k8s.io/v1",
        kind="CustomResourceDefinition",
        body=None,
        header={"metadata": {"name": "things.example.com"}},
        document=DocumentText(CRD, 1),
        positions=PositionsFrom.NOWHERE,
    )
    obj = object_of(record, sources)
    assert obj.head == {"metadata": {"name": "things.example.com"}}
    assert obj.body["spec"]["versions"] == [{"name": "v1"}]


@pytest.mark.parametrize(
    "record",
    [
        source_record(),
        source_record(document=DocumentText(CRD, 3), body=None, path_prefix=("items", 1)),
        source_record(namespace=None, positions=PositionsFrom.NOWHERE, header={"a": 1}),
    ],
    ids=["source", "lazy", "no-namespace"],
)
def test_a_record_survives_json(record: RenderedRecord) -> None:
    assert record_from_json(json.loads(json.dumps(record_to_json(record)))) == record


@pytest.mark.parametrize(
    "change",
    [
        {"line": "1"},
        {"line": True},
        {"kind": None},
        {"body": [1]},
        {"path_prefix": [1.5]},
        {"positions": "elsewhere"},
        {"document": ["text"]},
    ],
    ids=["line-text", "line-bool", "kind-missing", "body-list", "prefix-float", "positions", "doc"],
)
def test_a_record_of_another_shape_is_refused(change: dict[str, Any]) -> None:
    encoded = {**record_to_json(source_record()), **change}
    with pytest.raises(ValueError):
        record_from_json(encoded)
