"""Rendered output back to source files: Kustomize origins and Helm template lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitwarden.manifests.loader import load_manifest_text
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.rendered import (
    ORIGIN_ANNOTATION,
    objects_from_helm,
    objects_from_kustomize,
)

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
