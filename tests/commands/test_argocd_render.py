"""An application folder rendered to one YAML stream with gitwarden's own renderers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from gitwarden.commands.argocd_render import RenderError, render_application

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: shop\n"


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def names(stream: str) -> list[str]:
    return [d["metadata"]["name"] for d in yaml.safe_load_all(stream) if d]


def test_a_plain_folder_is_its_yaml_files_in_name_order(tmp_path: Path) -> None:
    app = write(
        tmp_path / "app",
        {
            "b.yaml": CONFIGMAP.format(name="b"),
            "a.yml": CONFIGMAP.format(name="a"),
            "notes.txt": "not a manifest",
            "nested/c.yaml": CONFIGMAP.format(name="c"),
        },
    )

    assert names(render_application(app, tmp_path, namespace=None, helm_values=None)) == ["a", "b"]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl for kustomize")
def test_an_overlay_is_built_without_origin_annotations(tmp_path: Path) -> None:
    app = write(
        tmp_path / "app",
        {
            "settings.yaml": CONFIGMAP.format(name="settings"),
            "kustomization.yaml": "resources: [settings.yaml]\nnamePrefix: prod-\n",
        },
    )

    stream = render_application(app, tmp_path, namespace=None, helm_values=None)

    assert names(stream) == ["prod-settings"]
    assert "config.kubernetes.io/origin" not in stream


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl for kustomize")
def test_an_overlay_that_does_not_build_renders_nothing(tmp_path: Path) -> None:
    app = write(tmp_path / "app", {"kustomization.yaml": "resources: [missing.yaml]\n"})

    with pytest.raises(RenderError, match="kustomize could not build"):
        render_application(app, tmp_path, namespace=None, helm_values=None)


def test_helm_values_for_a_folder_without_a_chart_are_refused(tmp_path: Path) -> None:
    app = write(tmp_path / "app", {"a.yaml": CONFIGMAP.format(name="a")})

    with pytest.raises(RenderError, match="no chart"):
        render_application(app, tmp_path, namespace=None, helm_values="values.yaml")


def test_a_chart_is_templated_with_the_applications_namespace_and_values(tmp_path: Path) -> None:
    app = write(
        tmp_path / "chart",
        {
            "Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
            "values.yaml": "greeting: hello\n",
            "values-prod.yaml": "greeting: bonjour\n",
            "templates/settings.yaml": (
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
                "  namespace: {{ .Release.Namespace }}\ndata:\n"
                "  greeting: {{ .Values.greeting }}\n"
            ),
        },
    )
    (tmp_path / "work").mkdir()

    stream = render_application(
        app, tmp_path / "work", namespace="shop", helm_values="values-prod.yaml"
    )

    [settings] = [d for d in yaml.safe_load_all(stream) if d]
    assert settings["metadata"]["namespace"] == "shop"
    assert settings["data"]["greeting"] == "bonjour"
