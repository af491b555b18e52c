"""Small builders for check tests: real YAML in, real objects and findings out."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path

from gitwarden.checks.check import Check, CheckContext, CheckSettings, run_checks
from gitwarden.findings import Finding
from gitwarden.manifests.loader import load_manifest_text
from gitwarden.manifests.objects import K8sObject


def load_objects(yaml_text: str, file: str = "manifest.yaml") -> list[K8sObject]:
    """Parse dedented YAML text into objects; fails the test on any load finding."""
    result = load_manifest_text(textwrap.dedent(yaml_text), file)
    assert not result.findings, [f.message for f in result.findings]
    return result.objects


def run(
    checks: Iterable[Check],
    yaml_text: str,
    settings: CheckSettings | None = None,
    file: str = "manifest.yaml",
) -> list[Finding]:
    """Run ``checks`` over the objects of ``yaml_text``."""
    context = CheckContext(load_objects(yaml_text, file), settings or CheckSettings())
    return run_checks(checks, context)


def rule_ids(findings: Iterable[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)


def _find_corpora() -> Path:
    """The shared corpora: beside the repository (as CI lays it out), else the workspace's."""
    beside = Path(__file__).resolve().parents[2] / "shared" / "corpora"
    return beside if beside.is_dir() else Path("/work/shared/corpora")


CORPORA = _find_corpora()
