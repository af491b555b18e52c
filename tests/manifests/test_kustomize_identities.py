"""Which kustomizations and patches keep every resource's kind and name (issue 19)."""

from __future__ import annotations

from typing import Any

import pytest

from gitwarden.manifests.kustomize_identities import (
    keeps_identities,
    patch_files,
    patch_keeps_identities,
)

SMP = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n"


def json_patch(*operations: str) -> str:
    return "".join(f"- {operation}\n" for operation in operations)


@pytest.mark.parametrize(
    "body",
    [
        {"resources": ["a.yaml"], "components": ["../c"], "bases": ["../b"]},
        {"namespace": "prod", "labels": [{"pairs": {"a": "b"}}], "commonLabels": {"a": "b"}},
        {"commonAnnotations": {"a": "b"}, "images": [{"name": "x", "newTag": "1"}]},
        {"replicas": [{"name": "web", "count": 3}], "sortOptions": {"order": "legacy"}},
        {"patchesStrategicMerge": ["patch.yaml", SMP]},
        {"patches": [{"patch": SMP}, {"path": "p.yaml", "target": {"kind": "Deployment"}}]},
        {"patches": [{"patch": json_patch("{op: add, path: /spec/replicas, value: 2}")}]},
        {"patchesJson6902": [{"target": {"name": "web"}, "path": "ops.yaml"}]},
        {"apiVersion": "kustomize.config.k8s.io/v1alpha1", "kind": "Component"},
    ],
)
def test_fields_that_keep_kinds_and_names(body: dict[str, Any]) -> None:
    assert keeps_identities(body)


@pytest.mark.parametrize(
    "field",
    [
        "namePrefix",
        "nameSuffix",
        "configMapGenerator",
        "secretGenerator",
        "generators",
        "transformers",
        "replacements",
        "vars",
        "helmCharts",
        "crds",
        "buildMetadata",
        "aFieldOfANewerKustomize",
    ],
)
def test_any_other_field_may_create_or_rename(field: str) -> None:
    assert not keeps_identities({"resources": ["a.yaml"], field: ["x"]})


@pytest.mark.parametrize(
    "entry",
    [
        {"patch": SMP, "options": {"allowNameChange": True}},
        {"patch": SMP, "options": {"allowKindChange": True}},
        {"patch": json_patch("{op: replace, path: /metadata/name, value: other}")},
        {"patch": json_patch("{op: replace, path: /kind, value: StatefulSet}")},
        {"patch": json_patch("{op: replace, path: /apiVersion, value: v2}")},
        {"patch": json_patch("{op: replace, path: /metadata, value: {name: x}}")},
        {"patch": json_patch("{op: replace, path: '', value: {}}")},
        {"patch": json_patch("{op: move, from: /metadata/name, path: /spec/name}")},
        {"patch": json_patch("{op: add, value: 1}")},
        {"patch": "key: [unclosed"},
        {"patch": "just a string"},
        {"patch": 42},
        {"target": {"kind": "Deployment"}},
        "patch.yaml",
    ],
)
def test_a_patch_that_may_rename_or_cannot_be_read_is_refused(entry: Any) -> None:
    assert not keeps_identities({"resources": ["a.yaml"], "patches": [entry]})


def test_labels_and_annotations_are_the_metadata_a_json_patch_may_touch() -> None:
    operations = json_patch(
        "{op: add, path: /metadata/labels/tier, value: web}",
        "{op: remove, path: /metadata/annotations/note}",
        "{op: copy, from: /spec/a, path: /spec/b}",
    )
    assert patch_keeps_identities(operations)
    assert not patch_keeps_identities(json_patch("{op: remove, path: /metadata/namespace}"))


def test_strategic_merge_documents_keep_identities() -> None:
    assert patch_keeps_identities(SMP + "---\n" + SMP.replace("web", "db"))
    assert patch_keeps_identities("")


def test_the_patch_files_of_patches_and_json_patches_are_named() -> None:
    body = {
        "patches": [{"path": "a.yaml"}, {"patch": SMP}, "b.yaml"],
        "patchesJson6902": [{"path": "ops.yaml", "target": {"name": "web"}}],
        "patchesStrategicMerge": ["smp.yaml"],
    }
    assert patch_files(body) == ["a.yaml", "ops.yaml"]
