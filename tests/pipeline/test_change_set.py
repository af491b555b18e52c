from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from gitwarden.checks.check import CheckContext, run_checks
from gitwarden.checks.registry import all_checks
from gitwarden.findings import Finding, Location, Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.pipeline.change_set import (
    ChangeSet,
    affected_scope,
    findings_the_change_brings,
    policy_findings_the_change_brings,
    touched_findings,
    touched_units,
)
from gitwarden.pipeline.deduplication import deduplication_key
from gitwarden.pipeline.render_units import ChartUnit, OverlayUnit, RenderPlan
from gitwarden.policy.evaluate import evaluate_policies
from gitwarden.policy.sources import LoadedPolicies, RegoModule
from k8s_fixtures import load_objects


def finding(file: str, origin: str | None = None, rule: str = "r", line: int = 1) -> Finding:
    return Finding(
        rule_id=rule,
        severity=Severity.HIGH,
        title="t",
        message="m",
        location=Location(file=file, line=line, origin=origin),
    )


PLAN = RenderPlan(
    overlays=(
        OverlayUnit(
            "prod", "prod/kustomization.yaml", inputs=("base/d.yaml", "prod/kustomization.yaml")
        ),
        OverlayUnit("db", "db/kustomization.yaml", inputs=("db/kustomization.yaml",)),
        OverlayUnit("odd", "odd/kustomization.yaml", inputs=None),
    ),
    charts=(
        ChartUnit(
            "charts/api",
            (Path("/r/charts/api/values-prod.yaml"),),
            inputs=("charts/api/Chart.yaml",),
        ),
    ),
)


@pytest.mark.parametrize(
    ("path", "touched"),
    [
        ("a.yaml", True),
        ("apps/x.yaml", True),
        ("apps", True),
        ("b.yaml", False),
        ("appsx/y", False),
    ],
)
def test_a_change_touches_its_files_and_what_its_folders_hold(path: str, touched: bool) -> None:
    change = ChangeSet(frozenset({"a.yaml"}), folders=("apps",))
    assert change.touches(path) is touched


def test_a_unit_is_touched_when_one_of_its_inputs_changed() -> None:
    units = touched_units(PLAN, ChangeSet(frozenset({"base/d.yaml"})))
    assert "kustomize prod" in units.origins
    assert "kustomize db" not in units.origins


def test_a_unit_with_unknown_inputs_is_always_touched() -> None:
    assert "kustomize odd" in touched_units(PLAN, ChangeSet(frozenset({"x.yaml"}))).origins


def test_a_file_deleted_from_a_unit_folder_touches_the_unit() -> None:
    assert "kustomize db" in touched_units(PLAN, ChangeSet(frozenset({"db/gone.yaml"}))).origins


def test_a_touched_chart_covers_every_values_variant() -> None:
    units = touched_units(PLAN, ChangeSet(frozenset({"charts/api/Chart.yaml"})))
    assert units.origins >= {"helm charts/api", "helm charts/api (values-prod.yaml)"}


def test_findings_of_untouched_files_and_units_are_left_out() -> None:
    change = ChangeSet(frozenset({"base/d.yaml"}))
    kept = finding("base/d.yaml", "kustomize prod")
    other = finding("db/pod.yaml", "kustomize db")
    plain = finding("plain.yaml")
    assert touched_findings([kept, other, plain], change, touched_units(PLAN, change)) == [kept]


def test_a_render_failure_of_a_touched_unit_is_kept() -> None:
    change = ChangeSet(frozenset({"base/d.yaml"}))
    failed = finding("prod/kustomization.yaml", rule="render-failed")
    assert touched_findings([failed], change, touched_units(PLAN, change)) == [failed]


def test_a_problem_seen_first_through_an_untouched_unit_keeps_its_first_sighting() -> None:
    # The full scan reports the first sighting; the narrowed scan must report the same one.
    change = ChangeSet(frozenset({"prod/kustomization.yaml"}))
    first = finding("base/d.yaml", "kustomize stage")
    later = finding("base/d.yaml", "kustomize prod")
    assert touched_findings([first, later], change, touched_units(PLAN, change)) == [first]


def test_touched_units_gather_their_inputs_and_say_when_one_is_unknown() -> None:
    known = touched_units(PLAN, ChangeSet(frozenset({"db/kustomization.yaml"})))
    assert known.inputs is None  # "odd" has unknown inputs and is always touched
    plan = RenderPlan(overlays=PLAN.overlays[:2])
    units = touched_units(plan, ChangeSet(frozenset({"base/d.yaml"})))
    assert units.inputs == {"base/d.yaml", "prod/kustomization.yaml"}


def test_findings_brought_to_other_files_are_kept_at_their_first_sighting() -> None:
    change = ChangeSet(frozenset({"np.yaml"}))
    exposed = finding("web.yaml", rule="netpol")
    untouched = finding("other.yaml")
    kept = touched_findings(
        [exposed, untouched],
        change,
        touched_units(RenderPlan(), change),
        {deduplication_key(exposed)},
    )
    assert kept == [exposed]


NETPOL = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec: {podSelector: {}}
"""
WEB = """\
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: app, image: web:1.0}]}
"""
ISOLATION = [c for c in all_checks() if c.rule.id == "netpol-workloads-not-isolated"]


def test_a_finding_that_the_replaced_objects_prevented_is_brought_by_the_change() -> None:
    # np.yaml held a default deny at the base revision and holds nothing now.
    context = CheckContext(load_objects(WEB, "web.yaml"))
    found = run_checks(ISOLATION, context)
    assert found
    brought = findings_the_change_brings(
        ISOLATION, context, found, {"np.yaml": load_objects(NETPOL, "np.yaml")}
    )
    assert brought == {deduplication_key(f) for f in found}


def test_a_finding_the_base_revision_also_gives_is_not_brought_by_the_change() -> None:
    context = CheckContext(load_objects(WEB, "web.yaml"))
    found = run_checks(ISOLATION, context)
    assert findings_the_change_brings(ISOLATION, context, found, {"np.yaml": []}) == frozenset()


def test_file_scoped_findings_are_never_counted_as_brought() -> None:
    scoped = [c for c in all_checks() if c.rule.id == "images-latest-tag"]
    context = CheckContext(load_objects(WEB.replace("web:1.0", "web"), "web.yaml"))
    found = run_checks(scoped, context)
    assert found
    assert findings_the_change_brings(scoped, context, found, {"web.yaml": []}) == frozenset()


def test_the_affected_scope_holds_the_changed_files_and_touched_units_objects() -> None:
    changed = load_objects(WEB, "web.yaml")
    rendered = [
        replace(obj, origin="kustomize prod") for obj in load_objects(NETPOL, "base/d.yaml")
    ]
    untouched = [replace(obj, origin="kustomize db") for obj in load_objects(WEB, "db/pod.yaml")]
    scope = affected_scope(
        PLAN, ChangeSet(frozenset({"web.yaml", "base/d.yaml"})), [*changed, *rendered, *untouched]
    )
    assert scope.objects == (*changed, *rendered)
    assert scope.files == {"web.yaml", "base/d.yaml"}


@pytest.mark.parametrize("rule", ["policy-error", "policy-unsupported", "policy-params-missing"])
def test_a_policy_that_could_not_judge_is_kept_wherever_it_is(rule: str) -> None:
    change = ChangeSet(frozenset({"web.yaml"}))
    problem = finding("../org-policies/broken.rego", rule=rule)
    untouched = finding("other.yaml", rule="rego:main/deny")

    kept = touched_findings([problem, untouched], change, touched_units(RenderPlan(), change))

    assert kept == [problem]


NAMESPACE_ISOLATED = """\
package main
import rego.v1

deny contains msg if {
  input.kind == "Pod"
  not isolated(input.metadata.namespace)
  msg := sprintf("pod %s: its namespace has no NetworkPolicy", [input.metadata.name])
}

isolated(namespace) if {
  some obj in data.gitwarden.objects
  obj.kind == "NetworkPolicy"
  obj.metadata.namespace == namespace
}
"""


def rego_findings(objects: Sequence[K8sObject]) -> list[Finding]:
    policies = LoadedPolicies(rego=[RegoModule("policy/isolated.rego", NAMESPACE_ISOLATED)])
    return evaluate_policies(objects, policies).findings


@pytest.mark.parametrize(
    ("base", "brought"),
    [(NETPOL, True), ("", False)],
    ids=["deleted-netpol", "never-had-one"],
)
def test_a_referential_policy_finding_at_an_untouched_object_is_brought_when_the_base_prevented_it(
    base: str, brought: bool
) -> None:
    # np.yaml is the changed file; web.yaml is untouched and fires now.
    objects = load_objects(WEB, "web.yaml")
    found = rego_findings(objects)
    replaced = {"np.yaml": load_objects(base, "np.yaml") if base else []}

    keys = policy_findings_the_change_brings(rego_findings, objects, found, replaced)

    assert [f.location.file for f in found] == ["web.yaml"]
    assert keys == ({deduplication_key(f) for f in found} if brought else frozenset())


def test_only_user_policy_findings_are_judged_as_brought_by_a_policy_run() -> None:
    objects = load_objects(WEB, "web.yaml")
    not_a_policy = finding("web.yaml", rule="netpol-workloads-not-isolated")

    keys = policy_findings_the_change_brings(
        rego_findings, objects, [not_a_policy], {"np.yaml": load_objects(NETPOL, "np.yaml")}
    )

    assert keys == frozenset()
