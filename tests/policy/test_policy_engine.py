"""A registry entry calls for its engine only when the scan holds a policy the engine reads."""

from __future__ import annotations

import pytest

from gitwarden.policy import rego
from gitwarden.policy.engine import PolicyEngine, PolicyInputs
from gitwarden.policy.object_view import ObjectBodies
from gitwarden.policy.sources import RegoModule
from k8s_fixtures import load_objects

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n"
GATEKEEPER = (
    "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequired\nmetadata: {name: a}\n"
)
KYVERNO = "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: a}\n"
REGO = RegoModule("policy/main.rego", "package main\n")

BY_KIND = PolicyEngine("gitwarden.policy.kyverno", kinds=frozenset({"ClusterPolicy"}))
BY_GROUP = PolicyEngine(
    "gitwarden.policy.gatekeeper", groups=frozenset({"constraints.gatekeeper.sh"})
)
BY_REGO = PolicyEngine("gitwarden.policy.rego", reads_rego=True)


def inputs(manifests: str, rego_modules: tuple[RegoModule, ...] = ()) -> PolicyInputs:
    objects = load_objects(manifests)
    return PolicyInputs(objects, objects, ObjectBodies(objects), rego=rego_modules)


@pytest.mark.parametrize(
    ("engine", "manifests", "modules", "wanted"),
    [
        (BY_KIND, KYVERNO, (), True),
        (BY_KIND, POD, (), False),
        (BY_GROUP, GATEKEEPER, (), True),
        (BY_GROUP, KYVERNO, (), False),
        (BY_REGO, POD, (REGO,), True),
        (BY_REGO, POD, (), False),
    ],
    ids=["kind", "other-kind", "group", "other-group", "rego", "no-rego"],
)
def test_engine_is_wanted_only_for_the_policies_it_reads(
    engine: PolicyEngine, manifests: str, modules: tuple[RegoModule, ...], wanted: bool
) -> None:
    assert engine.wanted(inputs(manifests, modules)) is wanted


def test_engine_evaluator_is_its_module_evaluate() -> None:
    assert BY_REGO.evaluator() is rego.evaluate
