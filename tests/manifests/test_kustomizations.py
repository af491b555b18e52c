from __future__ import annotations

import textwrap

import pytest

from gitwarden.manifests.kustomizations import (
    Kustomization,
    closure,
    is_kustomization_file,
    overlay_roots,
    read_kustomization,
)

# Every file and folder of a small repository, as the scanner hands them over.
EXISTING = {
    "",
    "apps",
    "apps/web",
    "apps/web/base",
    "apps/web/base/kustomization.yaml",
    "apps/web/base/deployment.yaml",
    "apps/web/overlays",
    "apps/web/overlays/prod",
    "apps/web/overlays/prod/kustomization.yaml",
    "apps/web/overlays/prod/replicas.yaml",
    "apps/web/overlays/prod/json-patch.yaml",
    "apps/web/overlays/prod/transformer.yaml",
    "apps/web/overlays/prod/replacement.yaml",
    "components",
    "components/debug",
    "components/debug/kustomization.yaml",
}
PROD = "apps/web/overlays/prod"


def read(text: str, folder: str = PROD) -> Kustomization:
    file = f"{folder}/kustomization.yaml" if folder else "kustomization.yaml"
    return read_kustomization(folder, file, textwrap.dedent(text), EXISTING)


def kustomization(folder: str, *local_refs: str, component: bool = False) -> Kustomization:
    return Kustomization(
        folder=folder,
        file=f"{folder}/kustomization.yaml",
        local_refs=list(local_refs),
        is_component=component,
    )


@pytest.mark.parametrize(
    "name", ["kustomization.yaml", "kustomization.yml", "Kustomization"], ids=str
)
def test_kustomization_file_names_are_recognised(name: str) -> None:
    assert is_kustomization_file(name)


@pytest.mark.parametrize("name", ["kustomize.yaml", "Kustomization.yaml", "values.yaml"], ids=str)
def test_other_file_names_are_not_kustomizations(name: str) -> None:
    assert not is_kustomization_file(name)


@pytest.mark.parametrize("key", ["resources", "bases", "components"])
def test_local_folder_reference_is_resolved_to_its_repository_path(key: str) -> None:
    result = read(f"{key}:\n  - ../../base\n")
    assert result.local_refs == ["apps/web/base"]


def test_local_file_reference_is_resolved_to_its_repository_path() -> None:
    result = read("resources:\n  - ./replicas.yaml\n")
    assert result.local_refs == [f"{PROD}/replicas.yaml"]


@pytest.mark.parametrize(
    "ref",
    [
        "https://github.com/example/platform//deploy/base?ref=v1.2.0",
        "github.com/example/platform/deploy/base?ref=v1.2.0",
        "git@github.com:example/platform.git//deploy",
        "ssh://git@git.example.com/platform.git//deploy",
        "git::https://git.example.com/platform.git//deploy?ref=main",
        "example.com/platform/deploy?ref=v1",
        "git.example.com/platform/deploy",
        "https://raw.githubusercontent.com/example/platform/main/crds.yaml",
    ],
)
def test_remote_reference_is_recognised(ref: str) -> None:
    result = read(f"resources:\n  - {ref}\n")
    assert (result.remote_refs, result.local_refs, result.outside_refs) == ([ref], [], [])


@pytest.mark.parametrize("ref", ["missing.yaml", "./missing.yaml", "missing", "sub/missing.yaml"])
def test_missing_local_reference_is_neither_remote_nor_outside(ref: str) -> None:
    # kustomize reports a missing file itself; calling it remote would misdirect the user.
    result = read(f"resources:\n  - {ref}\n")
    assert (result.remote_refs, result.local_refs, result.outside_refs) == ([], [], [])


@pytest.mark.parametrize(
    ("folder", "ref"),
    [
        (PROD, "../../../../../outside"),
        ("", "../sibling-repo/base"),
        (PROD, "/etc/kubernetes/admin.yaml"),
    ],
)
def test_reference_leaving_the_repository_is_outside(folder: str, ref: str) -> None:
    result = read(f"resources:\n  - {ref}\n", folder=folder)
    assert (result.outside_refs, result.remote_refs) == ([ref], [])


@pytest.mark.parametrize(
    "text",
    [
        "patchesStrategicMerge:\n  - replicas.yaml\n",
        "patches:\n  - path: replicas.yaml\n    target: {kind: Deployment}\n",
        "patches:\n  - replicas.yaml\n",
        "patchesJson6902:\n  - path: replicas.yaml\n    target: {kind: Deployment, name: web}\n",
        "transformers:\n  - replicas.yaml\n",
        "generators:\n  - replicas.yaml\n",
        "validators:\n  - replicas.yaml\n",
        "replacements:\n  - path: replicas.yaml\n",
        "configurations:\n  - replicas.yaml\n",
    ],
    ids=[
        "patchesStrategicMerge",
        "patches-path",
        "patches-bare-file",
        "patchesJson6902",
        "transformers",
        "generators",
        "validators",
        "replacements",
        "configurations",
    ],
)
def test_patch_and_plugin_files_are_fragments(text: str) -> None:
    assert read(text).fragment_files == [f"{PROD}/replicas.yaml"]


def test_inline_patch_is_not_a_fragment_file() -> None:
    text = """\
        patches:
          - patch: |-
              - op: replace
                path: /spec/replicas
                value: 3
            target: {kind: Deployment}
        """
    assert read(text).fragment_files == []


def test_fragment_that_does_not_exist_is_not_listed() -> None:
    assert read("patchesStrategicMerge:\n  - absent.yaml\n").fragment_files == []


def test_fragment_outside_the_repository_is_not_listed() -> None:
    assert read("transformers:\n  - ../../../../../x.yaml\n").fragment_files == []


@pytest.mark.parametrize(
    ("kind", "is_component"),
    [("Component", True), ("Kustomization", False)],
)
def test_component_is_recognised_by_its_kind(kind: str, is_component: bool) -> None:
    text = f"apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: {kind}\n"
    assert read(text, folder="components/debug").is_component is is_component


@pytest.mark.parametrize(
    ("text", "uses_helm"),
    [("helmCharts:\n  - name: redis\n    repo: https://charts.example.com\n", True), ("", False)],
    ids=["helmCharts", "none"],
)
def test_helm_inflation_is_noticed(text: str, uses_helm: bool) -> None:
    assert read(text).uses_helm is uses_helm


def test_invalid_yaml_is_an_error_at_its_line() -> None:
    result = read("resources:\n  - base\npatches: [\n")
    assert result.error is not None
    assert result.error_line >= 3


@pytest.mark.parametrize("text", ["", "- resources\n", "just text\n"], ids=repr)
def test_kustomization_that_is_not_a_mapping_refers_to_nothing(text: str) -> None:
    result = read(text)
    assert (result.error, result.local_refs, result.fragment_files) == (None, [], [])


def test_entries_that_are_not_strings_are_ignored() -> None:
    result = read("resources:\n  - {path: base}\n  - 3\n  - ../../base\n")
    assert result.local_refs == ["apps/web/base"]


def test_base_referred_to_by_an_overlay_is_not_an_overlay_root() -> None:
    kustomizations = {
        "apps/web/base": kustomization("apps/web/base"),
        PROD: kustomization(PROD, "apps/web/base"),
    }
    assert overlay_roots(kustomizations) == [PROD]


def test_kustomization_nobody_refers_to_is_an_overlay_root() -> None:
    kustomizations = {"a": kustomization("a"), "b": kustomization("b")}
    assert overlay_roots(kustomizations) == ["a", "b"]


def test_component_is_never_an_overlay_root() -> None:
    kustomizations = {"components/debug": kustomization("components/debug", component=True)}
    assert overlay_roots(kustomizations) == []


def test_closure_holds_every_local_base_transitively() -> None:
    kustomizations = {
        "prod": kustomization("prod", "staging", "components/debug"),
        "staging": kustomization("staging", "base"),
        "base": kustomization("base"),
        "components/debug": kustomization("components/debug", component=True),
        "unrelated": kustomization("unrelated"),
    }
    folders = {k.folder for k in closure("prod", kustomizations)}
    assert folders == {"prod", "staging", "base", "components/debug"}


def test_closure_ends_on_a_reference_cycle() -> None:
    kustomizations = {"a": kustomization("a", "b"), "b": kustomization("b", "a")}
    assert {k.folder for k in closure("a", kustomizations)} == {"a", "b"}


def test_closure_skips_references_that_are_files_not_kustomizations() -> None:
    kustomizations = {"app": kustomization("app", "app/deployment.yaml")}
    assert [k.folder for k in closure("app", kustomizations)] == ["app"]


# -- remote references in any field kustomize loads from (issue 11.2) ----------------------

REMOTE_URL = "http://127.0.0.1:8080/transformer.yaml"


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        (f"transformers:\n  - {REMOTE_URL}\n", REMOTE_URL),
        (f"generators:\n  - {REMOTE_URL}\n", REMOTE_URL),
        (f"validators:\n  - {REMOTE_URL}\n", REMOTE_URL),
        (f"crds:\n  - {REMOTE_URL}\n", REMOTE_URL),
        (f"configurations:\n  - {REMOTE_URL}\n", REMOTE_URL),
        (f"openapi:\n  path: {REMOTE_URL}\n", REMOTE_URL),
        (f"patches:\n  - path: {REMOTE_URL}\n", REMOTE_URL),
        (f"patchesJson6902:\n  - path: {REMOTE_URL}\n", REMOTE_URL),
        (f"patchesStrategicMerge:\n  - {REMOTE_URL}\n", REMOTE_URL),
        (f"replacements:\n  - path: {REMOTE_URL}\n", REMOTE_URL),
        (
            f"configMapGenerator:\n  - name: c\n    files:\n      - conf={REMOTE_URL}\n",
            f"conf={REMOTE_URL}",
        ),
        (f"secretGenerator:\n  - name: s\n    envs: [{REMOTE_URL}]\n", REMOTE_URL),
        ("components:\n  - git@github.com:org/repo.git//c\n", "git@github.com:org/repo.git//c"),
        ("transformers:\n  - ssh://git@host/org/repo//t\n", "ssh://git@host/org/repo//t"),
        ("transformers:\n  - file:///srv/repo.git//t\n", "file:///srv/repo.git//t"),
        (
            "transformers:\n  - github.com/org/repo//transformers?ref=v1\n",
            "github.com/org/repo//transformers?ref=v1",
        ),
        ("futureField:\n  - https://example.com/x.yaml\n", "https://example.com/x.yaml"),
    ],
    ids=lambda value: value.split(":", 1)[0].split("\n", 1)[0] if ":" in value else value,
)
def test_remote_reference_in_any_loaded_field_is_refused(text: str, ref: str) -> None:
    assert read(text).remote_refs == [ref]


def test_remote_path_inside_an_inline_transformer_config_is_refused() -> None:
    text = (
        "transformers:\n"
        "  - |-\n"
        "    apiVersion: builtin\n"
        "    kind: PatchTransformer\n"
        "    metadata: {name: fetch}\n"
        f"    path: {REMOTE_URL}\n"
    )
    assert read(text).remote_refs == [REMOTE_URL]


@pytest.mark.parametrize(
    "text",
    [
        'commonAnnotations:\n  docs: "https://wiki.example.com/web"\n',
        "images:\n  - name: web\n    newName: ghcr.io/example/web\n",
        "labels:\n  - pairs: {source: https://example.com}\n",
        "configMapGenerator:\n  - name: c\n    literals: [url=https://example.com/x]\n",
        "patches:\n  - patch: |-\n      - op: add\n        path: /metadata/annotations/u\n"
        "        value: https://example.com\n    target: {kind: Deployment}\n",
        "transformers:\n  - transformer.yaml\n",
    ],
    ids=["annotation", "image", "label", "literal", "inline-patch", "local-transformer"],
)
def test_urls_in_data_fields_are_not_remote_references(text: str) -> None:
    assert read(text).remote_refs == []


def test_helm_chart_repositories_are_refused_as_helm_inflation() -> None:
    result = read("helmCharts:\n  - name: web\n    repo: https://charts.example.com\n")
    assert (result.uses_helm, result.remote_refs) == (True, [])
