"""Builders for policy tests: real policy files in tmp_path, real YAML objects, real engines."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path

from gitwarden.findings import Finding
from gitwarden.policy.evaluate import evaluate_policies
from gitwarden.policy.sources import DEFAULT_NAMESPACES, PolicySource, load_policy_sources
from k8s_fixtures import load_objects


def write_files(root: Path, files: Mapping[str, str]) -> Path:
    """Write dedented ``files`` (relative path -> text) under ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def evaluate(
    tmp_path: Path,
    manifests: str,
    policies: Mapping[str, str],
    namespaces: tuple[str, ...] = DEFAULT_NAMESPACES,
) -> list[Finding]:
    """Findings of the policy files ``policies`` (written to tmp_path/policies) on ``manifests``."""
    folder = write_files(tmp_path / "policies", policies)
    loaded = load_policy_sources([(PolicySource(str(folder), namespaces), tmp_path)], None)
    return evaluate_policies(load_objects(manifests), loaded).findings


def rule_ids(findings: Iterable[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)
