"""Builders for drift scenarios: manifests as Git has them, live objects as kubectl prints them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from gitwarden.drift.scanner import DriftSettings, find_drift
from gitwarden.findings import Finding
from gitwarden.manifests.objects import K8sObject
from gitwarden.sources.live_dumps import read_live_dumps
from gitwarden.sources.live_state import LiveState
from k8s_fixtures import load_objects


def declared(yaml_text: str) -> list[K8sObject]:
    return load_objects(yaml_text, "apps/shop.yaml")


def live_dump(tmp_path: Path, yaml_text: str, name: str = "live.yaml") -> LiveState:
    path = tmp_path / name
    path.write_text(textwrap.dedent(yaml_text))
    return read_live_dumps(path)


def drift_of(
    tmp_path: Path, git_yaml: str, live_yaml: str, settings: DriftSettings | None = None
) -> list[Finding]:
    state = live_dump(tmp_path, live_yaml)
    return list(find_drift(declared(git_yaml), state, settings or DriftSettings()).findings)


def rule_ids(findings: list[Finding]) -> list[str]:
    return sorted(finding.rule_id for finding in findings)
