"""The orchestrator: sources -> objects -> secrets, checks, policies -> de-duplicated findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pipeline_repos import make_repo

from gitwarden.checks.registry import all_checks
from gitwarden.commands.scan import ScanOptions
from gitwarden.config import Config
from gitwarden.pipeline.change_set import AffectedScope, ChangeSet, TouchedUnits
from gitwarden.pipeline.finding_stages import checks_for_change, replaced_objects
from gitwarden.pipeline.object_loading import ObjectLimits
from gitwarden.pipeline.render_units import RenderPlan
from gitwarden.pipeline.scan_pipeline import ScanResult, run_scan_pipeline
from gitwarden.pipeline.scan_sources import ScanSources
from gitwarden.sources.helm import helm_renderer_name
from k8s_fixtures import load_objects
from secrets_values import GITHUB_TOKEN

PRIVILEGED_POD = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\n"
    "spec:\n  containers:\n    - name: web\n      image: nginx:1.27\n"
    "      securityContext: {privileged: true}\n"
)
REQUIRE_LABELS = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: require-labels}
spec:
  rules:
    - name: check-for-labels
      match: {any: [{resources: {kinds: [Pod]}}]}
      validate:
        failureAction: Enforce
        message: "The label `app` is required."
        pattern: {metadata: {labels: {app: "?*"}}}
"""


def run(root: Path, **options: bool) -> ScanResult:
    return run_scan_pipeline(root.resolve(), Config(), ScanOptions(**options))


def rule_ids(result: ScanResult) -> set[str]:
    return {f.rule_id for f in result.findings}


@pytest.mark.parametrize("secrets", [True, False], ids=["secrets-on", "secrets-off"])
def test_secret_scanner_runs_only_when_asked(tmp_path: Path, secrets: bool) -> None:
    root = make_repo(tmp_path, {"notes.txt": f"token: {GITHUB_TOKEN}\n"})
    found = {f.location.file for f in run(root, secrets=secrets).findings}
    assert ("notes.txt" in found) is secrets


def test_checks_see_the_loaded_objects(tmp_path: Path) -> None:
    result = run(make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD}))
    assert [obj.resource for obj in result.objects] == ["Pod/shop/web"]
    assert "pss-privileged" in rule_ids(result)


def test_policy_findings_bring_their_rules(tmp_path: Path) -> None:
    files = {"pod.yaml": PRIVILEGED_POD, "policies/require-labels.yaml": REQUIRE_LABELS}
    result = run(make_repo(tmp_path, files))
    policy_ids = {i for i in rule_ids(result) if i.startswith("kyverno:")}
    assert policy_ids == {"kyverno:require-labels/check-for-labels"}
    assert policy_ids <= set(result.extra_rules)


@pytest.mark.skipif(helm_renderer_name() is None, reason="needs a Helm renderer")
def test_the_same_finding_through_two_values_variants_is_reported_once(tmp_path: Path) -> None:
    files = {
        "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
        "chart/values.yaml": "replicas: 1\n",
        "chart/values-prod.yaml": "replicas: 3\n",
        "chart/templates/pod.yaml": PRIVILEGED_POD,
    }
    result = run(make_repo(tmp_path, files))
    privileged = [f for f in result.findings if f.rule_id == "pss-privileged"]
    assert len(result.objects) == 2
    assert [f.location.origin for f in privileged] == ["helm chart"]


def test_single_file_is_scanned_without_repository_inputs(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD, "Dockerfile": "FROM ubuntu\n"})
    result = run(root / "pod.yaml")
    assert "pss-privileged" in rule_ids(result)
    assert not any(i.startswith("dockerfile-") for i in rule_ids(result))
    assert result.files_scanned == 1


# -- what a change replaced, and which checks it un-narrows ----------------------------------

NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"


def scope_of_change(
    files: set[str], base: dict[str, str], inputs: frozenset[str] | None = frozenset()
) -> AffectedScope:
    change = ChangeSet(frozenset(files), base_texts=tuple(sorted(base.items())))
    return AffectedScope(change, TouchedUnits(frozenset(), frozenset(), inputs), ())


def replaced_of(scope: AffectedScope, not_plain: frozenset[str] = frozenset()) -> dict[str, Any]:
    sources = ScanSources(Path("/r"), (), (), plan=RenderPlan(not_plain=not_plain))
    limits = ObjectLimits(1024 * 1024, 1024 * 1024)
    replaced = replaced_objects(scope, sources, [], limits)
    return {path: [obj.resource for obj in objects] for path, objects in replaced.items()}


def test_a_changed_plain_manifest_is_replaced_by_its_base_objects_and_an_added_one_by_none() -> (
    None
):
    scope = scope_of_change({"pod.yaml", "new.yaml"}, {"pod.yaml": PRIVILEGED_POD})
    assert replaced_of(scope) == {"new.yaml": [], "pod.yaml": ["Pod/shop/web"]}


@pytest.mark.parametrize(
    ("inputs", "not_plain", "path"),
    [
        (frozenset({"base/pod.yaml"}), frozenset(), "base/pod.yaml"),
        (frozenset(), frozenset({"app/kustomization.yaml"}), "app/kustomization.yaml"),
        (frozenset(), frozenset(), "Dockerfile"),
    ],
    ids=["rendered-by-a-touched-unit", "not-a-plain-manifest", "not-a-manifest"],
)
def test_files_that_are_not_plain_manifests_are_not_replaced(
    inputs: frozenset[str], not_plain: frozenset[str], path: str
) -> None:
    scope = scope_of_change({path}, {path: PRIVILEGED_POD}, inputs)
    assert replaced_of(scope, not_plain) == {}


@pytest.mark.parametrize(
    ("replaced", "unscoped"),
    [({"ns.yaml": NAMESPACE}, True), ({"pod.yaml": PRIVILEGED_POD}, False)],
)
def test_a_replaced_context_kind_runs_its_checks_on_every_object(
    replaced: dict[str, str], unscoped: bool
) -> None:
    scope = scope_of_change(set(replaced), {})
    objects = {path: load_objects(text, path) for path, text in replaced.items()}
    checks = checks_for_change(all_checks(), scope, objects)
    (privileged,) = [c for c in checks if c.rule.id == "pss-privileged"]
    assert (privileged.scope is None) is unscoped
