"""Overlays rendered without kustomize's origin annotations, their objects found by kind and
name (issue 19): the same report as with origins, on the shared corpora and where the
attribution must fall back."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pipeline_repos import make_repo

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.findings import Finding
from gitwarden.pipeline import object_loading
from gitwarden.report import get_format
from gitwarden.report.model import Report
from gitwarden.sources.kustomize import find_kustomize
from k8s_fixtures import CORPORA

pytestmark = pytest.mark.skipif(find_kustomize() is None, reason="needs a kustomize renderer")

COMBINED = ("argocd-example-apps", "microservices-demo", "flux2-kustomize-helm-example")
CORPUS_NAMES = (*COMBINED, "argo-cd-manifests", "flux2-manifests")


def report_json(target: Path, *, origins: bool) -> str:
    options = ScanOptions(today=date(2026, 12, 1), cache=False, kustomize_origins=origins)
    return get_format("json").render(scan(target, options=options), color=False)


@pytest.fixture
def attributions(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each overlay attributed by identity, whether that attribution held."""
    seen: list[bool] = []
    real = object_loading.kustomize_records_by_identity

    def recording(text: Any, **options: Any) -> Any:
        attributed = real(text, **options)
        seen.append(attributed is not None)
        return attributed

    monkeypatch.setattr(object_loading, "kustomize_records_by_identity", recording)
    return seen


@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_a_corpus_reports_the_same_with_and_without_origins(
    name: str, tmp_path: Path, attributions: list[bool]
) -> None:
    corpus = CORPORA / name
    if not corpus.is_dir():
        pytest.skip("the shared corpora are not present")
    target = tmp_path / name
    shutil.copytree(corpus, target, symlinks=True)
    with_origins = report_json(target, origins=True)
    assert attributions == []
    assert report_json(target, origins=False) == with_origins


def test_most_overlays_of_the_combined_corpora_are_attributed_by_identity(
    tmp_path: Path, attributions: list[bool]
) -> None:
    if not all((CORPORA / name).is_dir() for name in COMBINED):
        pytest.skip("the shared corpora are not present")
    for name in COMBINED:
        shutil.copytree(CORPORA / name, tmp_path / name, symlinks=True)
    report_json(tmp_path, origins=False)
    # 14 overlay roots: one fails to build, one sets a name prefix, and two set the
    # namespace of a folder holding a Namespace object: the other ten need no origins.
    assert len(attributions) == 10 and all(attributions)


TWO_NAMESPACES = {
    "base/kustomization.yaml": "resources:\n  - a.yaml\n  - b.yaml\n",
    "base/a.yaml": (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: a\nspec:\n"
        "  containers:\n    - name: web\n      image: web:1\n"
        "      securityContext:\n        privileged: true\n"
    ),
    "base/b.yaml": (
        "# the same name, another namespace\n\n"
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: b\nspec:\n"
        "  containers:\n    - name: web\n      image: web:1\n"
        "      securityContext:\n        privileged: true\n"
    ),
    "prod/kustomization.yaml": "resources:\n  - ../base\nlabels:\n  - pairs: {env: prod}\n",
}


def privileged_findings(report: Report) -> list[Finding]:
    return [f for f in report.findings if "privileged" in f.rule_id]


def test_two_objects_of_one_kind_and_name_are_attributed_by_their_origins(
    tmp_path: Path, attributions: list[bool]
) -> None:
    repo = make_repo(tmp_path / "repo", TWO_NAMESPACES)
    report = scan(repo, options=ScanOptions(today=date(2026, 12, 1), cache=False))
    assert attributions == [False]  # rendered again with origins
    places = {(f.location.file, f.location.line) for f in privileged_findings(report)}
    assert ("base/a.yaml", 11) in places and ("base/b.yaml", 13) in places
    with_origins = scan(
        repo, options=ScanOptions(today=date(2026, 12, 1), cache=False, kustomize_origins=True)
    )
    assert get_format("json").render(report, color=False) == get_format("json").render(
        with_origins, color=False
    )


def test_an_origin_annotation_written_in_the_repository_does_not_move_a_finding(
    tmp_path: Path, attributions: list[bool]
) -> None:
    planted = TWO_NAMESPACES["base/a.yaml"].replace(
        "  namespace: a\n",
        "  namespace: a\n  annotations:\n    config.kubernetes.io/origin: 'path: b.yaml'\n",
    )
    repo = make_repo(
        tmp_path / "repo",
        {
            "base/kustomization.yaml": "resources:\n  - a.yaml\n  - other.yaml\n",
            "base/a.yaml": planted,
            "base/other.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
            "prod/kustomization.yaml": "resources:\n  - ../base\n",
        },
    )
    report = scan(repo, options=ScanOptions(today=date(2026, 12, 1), cache=False))
    assert attributions == [True]
    assert {f.location.file for f in privileged_findings(report)} == {"base/a.yaml"}


def test_a_namespace_object_renamed_by_the_overlay_is_attributed_by_its_origins(
    tmp_path: Path, attributions: list[bool]
) -> None:
    # The kind written with a JSON escape hides the object from the plan's look at the
    # files: the attribution still refuses a Namespace under an overlay's `namespace:`.
    repo = make_repo(
        tmp_path / "repo",
        {
            "base/kustomization.yaml": "resources:\n  - ns.json\n  - a.yaml\n",
            "base/ns.json": (
                '{"apiVersion": "v1", "kind": "Names\\u0070ace", "metadata": {"name": "orig"}}\n'
            ),
            "base/a.yaml": TWO_NAMESPACES["base/a.yaml"],
            "prod/kustomization.yaml": "namespace: foo\nresources:\n  - ../base\n",
        },
    )
    options = ScanOptions(today=date(2026, 12, 1), cache=False)
    report = get_format("json").render(scan(repo, options=options), color=False)
    assert attributions == [False]
    assert '"file": "base/ns.json"' in report
    assert report == report_json(repo, origins=True)
