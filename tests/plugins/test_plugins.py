"""A plug-in is one file plus one registry entry: a test-only check family, output format
and policy engine.

Each test adds nothing but its plug-in module and one entry in the registry (patched for the
test's duration), then runs gitwarden as a user would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gitwarden import rule_catalogue, scan
from gitwarden.checks import registry
from gitwarden.cli import EXIT_FINDINGS, main
from gitwarden.config import parse_config
from gitwarden.policy.engine import PolicyEngine
from gitwarden.policy.engines import POLICY_ENGINES
from gitwarden.report import FORMATS

from . import single_replica

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: shop}}
spec:
  replicas: {replicas}
  template:
    spec:
      containers: [{{name: app, image: "ghcr.io/example/web@sha256:{digest}"}}]
"""


def repository(tmp_path: Path, replicas: int) -> Path:
    (tmp_path / "web.yaml").write_text(DEPLOYMENT.format(replicas=replicas, digest="a" * 64))
    return tmp_path


@pytest.fixture
def check_family(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The plug-in family in the registry: its one entry, and the catalogue re-read."""
    monkeypatch.setattr(registry, "CHECK_FAMILIES", (*registry.CHECK_FAMILIES, single_replica))
    # The registry memoises its catalogue in module globals (see the README's Architecture).
    registry.all_checks.cache_clear()
    rule_catalogue.all_rules.cache_clear()
    yield
    monkeypatch.undo()
    registry.all_checks.cache_clear()
    rule_catalogue.all_rules.cache_clear()


@pytest.mark.parametrize(("replicas", "fires"), [(1, True), (3, False)])
@pytest.mark.usefixtures("check_family")
def test_plugin_check_family_reports_through_scan(
    tmp_path: Path, replicas: int, fires: bool
) -> None:
    report = scan(repository(tmp_path, replicas))
    found = [f for f in report.findings if f.rule_id == "plugin-single-replica"]
    assert bool(found) is fires
    if fires:
        assert (found[0].location.file, found[0].location.line) == ("web.yaml", 5)
        assert "plugin-single-replica" in report.rules


@pytest.mark.usefixtures("check_family")
def test_plugin_rule_obeys_the_config_like_a_built_in_rule(tmp_path: Path) -> None:
    config = parse_config("disabled_rules: [plugin-single-replica]\n", ".gitwarden.yaml")
    report = scan(repository(tmp_path, 1), config)
    assert "plugin-single-replica" not in {f.rule_id for f in report.findings}


@pytest.mark.usefixtures("check_family")
def test_plugin_rule_is_listed_by_gitwarden_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    assert "plugin-single-replica" in capsys.readouterr().out


@pytest.fixture
def output_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(FORMATS, "tsv", "plugins.tsv_format:TsvFormat")


@pytest.mark.usefixtures("output_format", "check_family")
def test_plugin_output_format_renders_a_scan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["scan", str(repository(tmp_path, 1)), "--format", "tsv"])
    lines = capsys.readouterr().out.splitlines()
    assert code == EXIT_FINDINGS
    assert lines[0] == "rule\tseverity\tfile\tline"
    assert "plugin-single-replica\thigh\tweb.yaml\t5" in lines


@pytest.mark.usefixtures("output_format")
def test_plugin_output_format_renders_the_rule_catalogue(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rules", "--format", "tsv"]) == 0
    expected = [f"{rule.id}\t{rule.severity.value}" for rule in rule_catalogue.all_rules()]
    assert capsys.readouterr().out.splitlines() == expected


REQUIRED_LABEL = """\
apiVersion: plugin.gitwarden.test/v1
kind: RequiredLabel
metadata: {name: owner}
spec: {label: owner}
"""


def labelled_repository(tmp_path: Path, labels: str) -> Path:
    (tmp_path / "policy.yaml").write_text(REQUIRED_LABEL)
    text = DEPLOYMENT.format(replicas=2, digest="a" * 64)
    (tmp_path / "web.yaml").write_text(text.replace("namespace: shop", labels + "namespace: shop"))
    return tmp_path


@pytest.fixture
def policy_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = PolicyEngine("plugins.required_label_engine", kinds=frozenset({"RequiredLabel"}))
    monkeypatch.setitem(POLICY_ENGINES, "required-label", engine)


@pytest.mark.parametrize(("labels", "fires"), [("", True), ("labels: {owner: shop}, ", False)])
@pytest.mark.usefixtures("policy_engine")
def test_plugin_policy_engine_reports_through_scan(
    tmp_path: Path, labels: str, fires: bool
) -> None:
    report = scan(labelled_repository(tmp_path, labels))
    found = [f for f in report.findings if f.rule_id == "plugin-label:owner"]
    assert bool(found) is fires
    if fires:
        assert (found[0].location.file, found[0].location.line) == ("web.yaml", 1)
        assert report.rules["plugin-label:owner"].title == "Deployments carry the label owner"


def test_unregistered_policy_engine_evaluates_nothing(tmp_path: Path) -> None:
    report = scan(labelled_repository(tmp_path, ""))
    assert not [f for f in report.findings if f.rule_id.startswith("plugin-label:")]
