from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import pytest

from gitwarden.pipeline import render_keys
from gitwarden.pipeline.render_cache import cache_key
from gitwarden.pipeline.render_keys import RenderKeys
from gitwarden.sources.kustomize import KustomizeRenderer

KUBECTL = KustomizeRenderer(("kubectl", "kustomize"))
INPUTS = {"app/kustomization.yaml": "a" * 64}


def overlay_key(
    root: str = "/repo",
    allow_network: bool = False,
    renderer: KustomizeRenderer = KUBECTL,
    folder: str = "app",
    inputs: dict[str, str] = INPUTS,
) -> str:
    keys = RenderKeys(Path(root), allow_network=allow_network)
    return cache_key(keys.overlay(renderer, folder, inputs))


def test_the_same_overlay_has_the_same_key() -> None:
    assert overlay_key() == overlay_key()


@pytest.mark.parametrize(
    "changed",
    [
        {"root": "/elsewhere"},
        {"allow_network": True},
        {"renderer": KustomizeRenderer(("kustomize", "build"))},
        {"folder": "other"},
        {"inputs": {"app/kustomization.yaml": "b" * 64}},
        {"inputs": {**INPUTS, "app/patch.yaml": "c" * 64}},
    ],
    ids=["root", "network", "renderer", "folder", "content", "new-file"],
)
def test_what_changes_the_output_changes_the_key(changed: dict[str, object]) -> None:
    assert overlay_key(**changed) != overlay_key()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "other"), [(None, "charts/app/values-prod.yaml"), ("a.yaml", "b.yaml")]
)
def test_each_values_variant_of_a_chart_has_its_own_key(values: str | None, other: str) -> None:
    keys = RenderKeys(Path("/repo"), allow_network=False)
    first = cache_key(keys.chart("helm-python-sdk", "charts/app", values, INPUTS))
    second = cache_key(keys.chart("helm-python-sdk", "charts/app", other, INPUTS))
    assert first != second


def test_the_document_size_bound_is_part_of_the_key() -> None:
    small = RenderKeys(Path("/repo"), allow_network=False, max_document_bytes=1024)
    large = RenderKeys(Path("/repo"), allow_network=False, max_document_bytes=2048)
    assert cache_key(small.overlay(KUBECTL, "app", INPUTS)) != cache_key(
        large.overlay(KUBECTL, "app", INPUTS)
    )


PYKUSTOMIZE = KustomizeRenderer(("python", "kustomize_worker.py"), worker=True, version="0.1.4")


def test_the_pykustomize_worker_and_a_command_have_different_keys() -> None:
    assert overlay_key(renderer=PYKUSTOMIZE) != overlay_key()


def test_a_pykustomize_key_names_its_version_and_the_kustomize_api_it_embeds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(render_keys, "_distribution_version", lambda name: f"{name} 9.9")
    monkeypatch.setattr(
        render_keys, "pykustomize_library", lambda: ["/lib.so", "1", "2", "kustomize/api v0.99"]
    )
    parts = RenderKeys(Path("/repo"), allow_network=False).overlay(PYKUSTOMIZE, "app", INPUTS)
    assert parts["renderer"] == [
        "pykustomize",
        "pykustomize 9.9",
        "/lib.so",
        "1",
        "2",
        "kustomize/api v0.99",
    ]


@pytest.mark.skipif(find_spec("pykustomize") is None, reason="needs pykustomize")
def test_the_installed_library_names_its_kustomize_api_version() -> None:
    *_, api = render_keys.pykustomize_library()
    assert api.startswith("kustomize/api v0.")
