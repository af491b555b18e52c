"""pykustomize (kustomize's Go API in a worker) and `kubectl kustomize` find the same things.

Issue 19 point 4: the renderer of record is pykustomize when installed; on the shared corpora
its scan must report what the kubectl renderer reports. The one known difference is the
wording of Go's JSON errors (pykustomize is built with a newer Go than kubectl 1.32):
`render-failed` messages are compared after the renderer's name and that wording.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.sources.kustomize import pykustomize_worker
from k8s_fixtures import CORPORA

COMBINED = ("argocd-example-apps", "microservices-demo", "flux2-kustomize-helm-example")
# Go 1.27's encoding/json: "into Kustomization.patches.0 of type"; Go 1.23's: "into Go struct
# field Kustomization.patches of type".
_GO_JSON_FIELD = re.compile(r"into Go struct field (\S+?) of type|into (\S+?)\.\d+ of type")

pytestmark = [
    pytest.mark.skipif(pykustomize_worker() is None, reason="needs pykustomize"),
    pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl"),
]


def findings_with(renderer: str, target: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    monkeypatch.setenv("GITWARDEN_KUSTOMIZE", renderer)
    report = scan(target, options=ScanOptions(today=date(2026, 12, 1), cache=False))
    return [
        (f.rule_id, f.location, f.fingerprint, comparable(f.message, renderer))
        for f in report.findings
    ]


def comparable(message: str, renderer: str) -> str:
    name = "`pykustomize`" if renderer == "pykustomize" else "`kubectl kustomize`"
    message = message.replace(name, "`<renderer>`")
    return _GO_JSON_FIELD.sub(lambda m: f"into {m.group(1) or m.group(2)} of type", message)


@pytest.fixture(scope="module")
def combined_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not all((CORPORA / name).is_dir() for name in COMBINED):
        pytest.skip("the shared corpora are not present")
    tree = tmp_path_factory.mktemp("combined")
    for name in COMBINED:
        shutil.copytree(CORPORA / name, tree / name, symlinks=True)
    return tree


def test_both_renderers_report_the_same_findings_on_the_combined_corpora(
    combined_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pykustomize = findings_with("pykustomize", combined_tree, monkeypatch)
    kubectl = findings_with("kubectl", combined_tree, monkeypatch)
    assert len(pykustomize) > 500
    assert pykustomize == kubectl


def test_the_go_json_wording_is_the_only_difference_made_comparable() -> None:
    kubectl = "json: cannot unmarshal string into Go struct field Kustomization.patches of type x"
    pykustomize = "json: cannot unmarshal string into Kustomization.patches.0 of type x"
    assert comparable(kubectl, "kubectl") == comparable(pykustomize, "pykustomize")
