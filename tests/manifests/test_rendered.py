"""Rendered output back to source files: Kustomize origins and Helm template lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitwarden.manifests.loader import load_manifest_text
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.rendered import (
    ORIGIN_ANNOTATION,
    kustomize_records,
    kustomize_records_by_identity,
    objects_from_helm,
    objects_from_kustomize,
)
from gitwarden.manifests.rendered_records import RenderedRecord

BASE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
          securityContext:
            privileged: true
"""


def rendered_overlay(name: str, origin_path: str) -> str:
    """What `kustomize build` prints for the base Deployment, with its origin annotation."""
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
        f"  annotations:\n    {ORIGIN_ANNOTATION}: |\n      path: {origin_path}\n"
        f"  name: {name}\n  namespace: prod\n"
        "spec:\n  template:\n    spec:\n      containers:\n      - image: nginx\n"
        "        name: web\n        securityContext:\n          privileged: true\n"
    )


def kustomize_objects(tmp_path: Path, text: str) -> list[K8sObject]:
    root = tmp_path / "repo"
    wrapper = tmp_path / "work" / "kustomize-1"
    wrapper.mkdir(parents=True)
    sources = {"base/deployment.yaml": load_manifest_text(BASE, "base/deployment.yaml").objects}
    objects, problems = objects_from_kustomize(
        text,
        overlay_file="prod/kustomization.yaml",
        origin="kustomize prod",
        wrapper_dir=wrapper,
        root=root,
        source_objects=lambda path: sources.get(path, []),
        max_document_bytes=1 << 20,
    )
    assert problems == []
    return objects


PRIVILEGED = ("spec", "template", "spec", "containers", 0, "securityContext", "privileged")


@pytest.mark.parametrize("name", ["web", "prod-web"], ids=["same-name", "name-prefix"])
def test_rendered_field_points_at_its_line_in_the_base(tmp_path: Path, name: str) -> None:
    [obj] = kustomize_objects(tmp_path, rendered_overlay(name, "../../repo/base/deployment.yaml"))
    location = obj.location(PRIVILEGED)
    assert (location.file, location.line, location.origin) == (
        "base/deployment.yaml",
        12,
        "kustomize prod",
    )
    assert obj.resource == f"Deployment/prod/{name}"


def test_origin_annotation_is_stripped_from_the_checked_body(tmp_path: Path) -> None:
    [obj] = kustomize_objects(tmp_path, rendered_overlay("web", "../../repo/base/deployment.yaml"))
    assert "annotations" not in obj.body["metadata"]
    assert obj.rendered_from == "prod/"


def test_origin_outside_the_repository_falls_back_to_the_overlay(tmp_path: Path) -> None:
    [obj] = kustomize_objects(tmp_path, rendered_overlay("web", "../../../etc/deployment.yaml"))
    assert (obj.file, obj.line) == ("prod/kustomization.yaml", 1)


TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-b
data:
  {{- if .Values.debug }}
  mode: debug
  {{- end }}
"""
RENDERED = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: release-a\n---\n"
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: release-b\ndata:\n  mode: debug\n"
)


def helm_objects(tmp_path: Path, manifests: dict[str, str]) -> list[K8sObject]:
    chart_dir = tmp_path / "charts" / "app"
    (chart_dir / "templates").mkdir(parents=True)
    (chart_dir / "templates" / "config.yaml").write_text(TEMPLATE)
    objects, problems = objects_from_helm(
        manifests,
        chart_folder="charts/app",
        chart_dir=chart_dir,
        origin="helm charts/app",
        max_document_bytes=1 << 20,
    )
    assert problems == []
    return objects


def test_helm_objects_point_at_their_kind_line_in_the_template(tmp_path: Path) -> None:
    objects = helm_objects(tmp_path, {"app/templates/config.yaml": RENDERED})
    assert [(obj.name, obj.file, obj.line) for obj in objects] == [
        ("release-a", "charts/app/templates/config.yaml", 2),
        ("release-b", "charts/app/templates/config.yaml", 7),
    ]


@pytest.mark.parametrize(
    ("path", "line"),
    [(("data", "mode"), 12), (("data", "absent"), 10), (("metadata", "name"), 9)],
    ids=["written-key", "absent-key-falls-back-to-parent", "templated-value"],
)
def test_helm_field_points_at_its_line_in_the_template(
    tmp_path: Path, path: tuple[str, ...], line: int
) -> None:
    second = helm_objects(tmp_path, {"app/templates/config.yaml": RENDERED})[1]
    assert second.location(path).line == line


def test_helm_output_that_is_not_yaml_is_not_loaded(tmp_path: Path) -> None:
    manifests = {"app/templates/NOTES.txt": "thanks", "app/templates/empty.yaml": "\n"}
    assert helm_objects(tmp_path, manifests) == []


# -- attributed by kind and name, rendered without origins ----------------------------------

SOURCES = {
    "base/deployment.yaml": load_manifest_text(BASE, "base/deployment.yaml").objects,
    "base/service.yaml": load_manifest_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n", "base/service.yaml"
    ).objects,
}


def records_by_identity(
    text: str, sources: dict[str, list[K8sObject]], renamed_kinds: frozenset[str] = frozenset()
) -> list[RenderedRecord] | None:
    attributed = kustomize_records_by_identity(
        text,
        overlay_file="prod/kustomization.yaml",
        origin="kustomize prod",
        sources=sorted(sources),
        source_objects=lambda path: sources.get(path, []),
        max_document_bytes=1 << 20,
        renamed_kinds=renamed_kinds,
    )
    return None if attributed is None else attributed[0]


def without_origin(text: str) -> str:
    """The same output rendered without origin annotations."""
    dropped = ("annotations:", ORIGIN_ANNOTATION, "path:")
    return "".join(
        f"{line}\n" for line in text.splitlines() if not line.strip().startswith(dropped)
    )


def test_an_object_of_a_unique_kind_and_name_gets_the_record_its_origin_gives(
    tmp_path: Path,
) -> None:
    with_origin = rendered_overlay("web", "../../repo/base/deployment.yaml")
    wrapper = tmp_path / "work" / "kustomize-1"
    wrapper.mkdir(parents=True)
    by_origin, _ = kustomize_records(
        with_origin,
        overlay_file="prod/kustomization.yaml",
        origin="kustomize prod",
        wrapper_dir=wrapper,
        root=tmp_path / "repo",
        source_objects=lambda path: SOURCES.get(path, []),
        max_document_bytes=1 << 20,
    )
    assert records_by_identity(without_origin(with_origin), SOURCES) == by_origin
    assert by_origin[0].file == "base/deployment.yaml"


def test_an_object_found_in_two_sources_or_in_none_is_left_to_the_origins() -> None:
    rendered = without_origin(rendered_overlay("web", "unused"))
    twice = {**SOURCES, "other/deployment.yaml": SOURCES["base/deployment.yaml"]}
    assert records_by_identity(rendered, twice) is None
    assert records_by_identity(rendered.replace("name: web", "name: renamed"), SOURCES) is None


def test_two_objects_of_one_source_or_an_object_of_a_renamed_kind_are_left_to_the_origins() -> None:
    rendered = without_origin(rendered_overlay("web", "unused"))
    assert records_by_identity(rendered, SOURCES) is not None
    assert records_by_identity(rendered + "---\n" + rendered, SOURCES) is None
    assert records_by_identity(rendered, SOURCES, frozenset({"Deployment"})) is None


def test_an_origin_annotation_the_repository_wrote_does_not_move_an_identity_attribution() -> None:
    planted = rendered_overlay("web", "../../repo/base/service.yaml")
    [record] = records_by_identity(planted, SOURCES) or []
    assert record.file == "base/deployment.yaml"
    assert record.body is not None and "annotations" not in record.body["metadata"]
