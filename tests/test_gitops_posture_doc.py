"""docs/gitops-posture.md explains every posture finding on the two example corpora: these
tests keep the document and the scanner in step."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gitwarden.commands.scan import scan
from k8s_fixtures import CORPORA

DOC = Path(__file__).resolve().parents[1] / "docs" / "gitops-posture.md"
POSTURE_FAMILIES = {
    "argocd",
    "flux",
    "controller-rbac",
    "secrets-management",
    "image-verification",
    "dockerfiles",
}

EXPECTED = {
    "flux2-kustomize-helm-example": {
        "flux-reconciler-no-service-account": 9,
        "flux-floating-revision": 1,
        "flux-source-not-verified": 2,
    },
    "argocd-example-apps": {
        "argocd-app-default-project": 14,
        "images-no-signature-policy": 1,
    },
}


@pytest.mark.parametrize("corpus", sorted(EXPECTED))
def test_posture_findings_are_the_documented_ones(corpus: str) -> None:
    report = scan(CORPORA / corpus)
    found = Counter(
        f.rule_id for f in report.findings if report.rules[f.rule_id].family in POSTURE_FAMILIES
    )
    assert found == Counter(EXPECTED[corpus])


@pytest.mark.parametrize("rule_id", sorted({r for rules in EXPECTED.values() for r in rules}))
def test_every_documented_rule_is_explained(rule_id: str) -> None:
    assert f"### `{rule_id}`" in DOC.read_text()
