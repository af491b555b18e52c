"""`kubernetes_version:` in `.gitwarden.yaml` chooses the release manifests are checked against."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.config import parse_config
from gitwarden.errors import ConfigError

# flowcontrol v1beta3 was removed in Kubernetes 1.32: served on 1.28, refused on 1.32.
FLOW_SCHEMA = """\
apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: FlowSchema
metadata: {name: demo}
spec:
  priorityLevelConfiguration: {name: global-default}
  matchingPrecedence: 1000
"""


def removed_findings(tmp_path: Path, config: str) -> list[str]:
    (tmp_path / ".gitwarden.yaml").write_text(config)
    (tmp_path / "flow.yaml").write_text(FLOW_SCHEMA)
    report = scan(tmp_path, options=ScanOptions(render=False, secrets=False))
    return [f.message for f in report.findings if f.rule_id == "schema-removed-api-version"]


@pytest.mark.parametrize(
    ("config", "removed"),
    [('kubernetes_version: "1.28"\n', False), ("kubernetes_version: '1.32'\n", True)],
)
def test_configured_release_decides_what_is_removed(
    tmp_path: Path, config: str, removed: bool
) -> None:
    found = removed_findings(tmp_path, config)
    assert bool(found) is removed
    if removed:
        assert "target v1.32" in found[0]


def test_unknown_release_is_a_located_config_error() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config("fail_on: high\nkubernetes_version: '1.2'\n", ".gitwarden.yaml")
    assert raised.value.line == 2
    assert "kubernetes_version" in str(raised.value)
    assert "API schemas of 1.25" in str(raised.value)


def test_release_written_as_a_number_must_be_quoted() -> None:
    # YAML reads 1.30 as the float 1.3: silently validating against 1.3 would be wrong.
    with pytest.raises(ConfigError, match="must be quoted"):
        parse_config("kubernetes_version: 1.30\n", "c.yaml")
    quoted = parse_config('kubernetes_version: "1.30"\n', "c.yaml")
    assert quoted.checks.kubernetes_version == "1.30"
