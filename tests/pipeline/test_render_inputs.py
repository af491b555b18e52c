from __future__ import annotations

from pathlib import Path

import pytest
from pipeline_repos import make_repo

from gitwarden.manifests.kustomizations import Kustomization, read_kustomization
from gitwarden.pipeline import render_inputs
from gitwarden.pipeline.render_inputs import (
    FolderFiles,
    InputDigests,
    OverlaySources,
    chart_inputs,
    input_digests,
    overlay_inputs,
    overlay_sources,
)

REPO = {
    "apps/web/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
    "apps/web/base/deployment.yaml": "kind: Deployment\n",
    "apps/web/prod/kustomization.yaml": (
        "resources:\n  - ../base\ncomponents:\n  - ../../../shared/labels\n"
    ),
    "apps/web/prod/patch.yaml": "kind: Deployment\n",
    "shared/labels/kustomization.yaml": "kind: Component\n",
    "apps/db/kustomization.yaml": "resources:\n  - statefulset.yaml\n",
    "apps/db/statefulset.yaml": "kind: StatefulSet\n",
    "charts/app/Chart.yaml": "name: app\n",
    "charts/app/templates/deployment.yaml": "kind: Deployment\n",
}


def kustomizations(root: Path) -> dict[str, Kustomization]:
    existing = {path for path in REPO} | {
        "/".join(p.split("/")[:end]) for p in REPO for end in range(1, p.count("/") + 1)
    }
    found: dict[str, Kustomization] = {}
    for path, text in REPO.items():
        if path.endswith("kustomization.yaml"):
            folder = path.rsplit("/", 1)[0]
            found[folder] = read_kustomization(folder, path, text, existing)
    return found


def test_an_overlay_reads_its_own_files_its_bases_and_its_components(tmp_path: Path) -> None:
    root = make_repo(tmp_path, REPO)
    inputs = overlay_inputs("apps/web/prod", kustomizations(root), FolderFiles(root))
    assert inputs == (
        "apps/web/base/deployment.yaml",
        "apps/web/base/kustomization.yaml",
        "apps/web/prod/kustomization.yaml",
        "apps/web/prod/patch.yaml",
        "shared/labels/kustomization.yaml",
    )


def test_an_overlay_does_not_read_a_sibling_overlay(tmp_path: Path) -> None:
    root = make_repo(tmp_path, REPO)
    inputs = overlay_inputs("apps/db", kustomizations(root), FolderFiles(root))
    assert inputs == ("apps/db/kustomization.yaml", "apps/db/statefulset.yaml")


def test_a_chart_reads_every_file_below_it(tmp_path: Path) -> None:
    root = make_repo(tmp_path, REPO)
    assert chart_inputs("charts/app", FolderFiles(root)) == (
        "charts/app/Chart.yaml",
        "charts/app/templates/deployment.yaml",
    )


def test_a_linked_folder_makes_the_inputs_unknown(tmp_path: Path) -> None:
    root = make_repo(tmp_path, REPO)
    (root / "charts/app/templates/more").symlink_to(root / "apps/db")
    assert chart_inputs("charts/app", FolderFiles(root)) is None


def test_digests_change_with_one_byte_of_content(tmp_path: Path) -> None:
    root = make_repo(tmp_path, REPO)
    paths = ("apps/db/statefulset.yaml",)
    before = input_digests(root, paths)
    (root / "apps/db/statefulset.yaml").write_text("kind: StatefulSeT\n")
    assert input_digests(root, paths) != before


def test_an_unreadable_input_has_no_digest(tmp_path: Path) -> None:
    root = make_repo(tmp_path, REPO)
    assert input_digests(root, ("apps/db/gone.yaml",)) is None


def test_a_file_shared_by_several_units_is_read_once_per_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(tmp_path, REPO)
    expected = input_digests(root, ("apps/db/statefulset.yaml",))
    reads: list[Path] = []
    real = Path.read_bytes

    def counting(path: Path) -> bytes:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    digests = InputDigests(root)
    first = digests.of(("apps/db/statefulset.yaml",))
    second = digests.of(("apps/db/kustomization.yaml", "apps/db/statefulset.yaml"))
    assert first is not None and first == expected
    assert (
        second is not None
        and second["apps/db/statefulset.yaml"] == first["apps/db/statefulset.yaml"]
    )
    assert reads.count(root / "apps/db/statefulset.yaml") == 1


def test_inputs_over_the_byte_bound_have_no_digests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(tmp_path, REPO)
    monkeypatch.setattr(render_inputs, "MAX_INPUT_BYTES", 10)
    assert InputDigests(root).of(("apps/db/statefulset.yaml",)) is None


# -- the files an overlay's objects are found in by kind and name ---------------------------

IDENTITY_REPO = {
    "base/kustomization.yaml": "resources:\n  - deployment.yaml\n  - service.yaml\n",
    "base/deployment.yaml": "kind: Deployment\n",
    "base/service.yaml": "kind: Service\n",
    "labels/kustomization.yaml": (
        "kind: Component\nresources:\n  - extra.yaml\npatches:\n  - path: patch.yaml\n"
    ),
    "labels/extra.yaml": "kind: ConfigMap\n",
    "labels/patch.yaml": "kind: Deployment\nmetadata: {name: web}\n",
    "prod/kustomization.yaml": (
        "namespace: prod\nresources:\n  - ../base\ncomponents:\n  - ../labels\n"
    ),
}


def identity_kustomizations(files: dict[str, str]) -> dict[str, Kustomization]:
    existing = set(files) | {
        "/".join(p.split("/")[:end]) for p in files for end in range(1, p.count("/") + 1)
    }
    return {
        path.rsplit("/", 1)[0]: read_kustomization(path.rsplit("/", 1)[0], path, text, existing)
        for path, text in files.items()
        if path.endswith("kustomization.yaml")
    }


def test_an_overlay_that_keeps_names_lists_the_resource_files_of_its_closure() -> None:
    sources = overlay_sources("prod", identity_kustomizations(IDENTITY_REPO), IDENTITY_REPO.get)
    files = ("base/deployment.yaml", "base/service.yaml", "labels/extra.yaml")
    # `namespace: prod` would rename a Namespace object: none is attributed by its name.
    assert sources == OverlaySources(files, frozenset({"Namespace"}))


def test_an_overlay_without_a_namespace_renames_no_kind() -> None:
    files = {**IDENTITY_REPO, "prod/kustomization.yaml": "resources:\n  - ../base\n"}
    sources = overlay_sources("prod", identity_kustomizations(files), files.get)
    assert sources == OverlaySources(("base/deployment.yaml", "base/service.yaml"))


def test_a_namespace_object_under_an_overlay_namespace_leaves_it_to_its_origins() -> None:
    files = {**IDENTITY_REPO, "base/service.yaml": "kind: Service\n---\nkind: Namespace\n"}
    assert overlay_sources("prod", identity_kustomizations(files), files.get) is None


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("base/kustomization.yaml", "namePrefix: x-\nresources:\n  - deployment.yaml\n"),
        ("labels/patch.yaml", "- {op: replace, path: /metadata/name, value: other}\n"),
        ("prod/kustomization.yaml", "resources:\n  - ../base\n  - ../../elsewhere\n"),
        ("prod/kustomization.yaml", "resources:\n  - github.com/org/repo//app?ref=v1\n"),
        ("prod/kustomization.yaml", "resources:\n  - [broken\n"),
    ],
)
def test_an_overlay_whose_closure_may_rename_or_reach_outside_has_no_sources(
    path: str, text: str
) -> None:
    files = {**IDENTITY_REPO, path: text}
    assert overlay_sources("prod", identity_kustomizations(files), files.get) is None


def test_a_patch_file_that_cannot_be_read_leaves_the_overlay_to_its_origins() -> None:
    def unreadable_patch(path: str) -> str | None:
        return None if path == "labels/patch.yaml" else IDENTITY_REPO.get(path)

    kustomizations = identity_kustomizations(IDENTITY_REPO)
    assert overlay_sources("prod", kustomizations, unreadable_patch) is None
