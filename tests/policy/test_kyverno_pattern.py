"""Kyverno patterns: anchors, wildcard keys, scalars against lists, skipped list elements."""

from __future__ import annotations

from typing import Any

import pytest

from gitwarden.policy.kyverno_pattern import match_pattern

DOCKER_SOCKET = {
    "metadata": {"labels": {"allow-docker": "true"}},
    "(spec)": {"(volumes)": [{"(hostPath)": {"path": "/var/run/docker.sock"}}]},
}


def _pod(label: str, path: str) -> dict[str, Any]:
    return {
        "metadata": {"labels": {"allow-docker": label}},
        "spec": {"volumes": [{"name": "v", "hostPath": {"path": path}}]},
    }


@pytest.mark.parametrize(
    ("label", "path", "fails"),
    [
        ("false", "/var/run/docker.sock", True),
        ("true", "/var/run/docker.sock", False),
        ("false", "/random/value", False),
    ],
)
def test_conditional_anchor_on_a_sibling_gates_the_pattern(
    label: str, path: str, fails: bool
) -> None:
    assert (match_pattern(_pod(label, path), DOCKER_SOCKET) is not None) is fails


@pytest.mark.parametrize(
    ("labels", "fails"),
    [({"pod-security.kubernetes.io/enforce": "baseline"}, False), ({"team": "a"}, True)],
)
def test_wildcard_key_must_match_some_key(labels: dict[str, str], fails: bool) -> None:
    pattern = {"metadata": {"labels": {"pod-security.kubernetes.io/*": "?*"}}}
    assert (match_pattern({"metadata": {"labels": labels}}, pattern) is not None) is fails


@pytest.mark.parametrize(
    ("annotations", "fails"),
    [({"fluxcd.io/automated": "true"}, True), ({"example.com/x": "y"}, False)],
)
def test_negated_wildcard_key_forbids_every_match(annotations: dict[str, str], fails: bool) -> None:
    pattern = {"metadata": {"=(annotations)": {"X(fluxcd.io/*)": "*?"}}}
    resource = {"metadata": {"annotations": annotations}}
    assert (match_pattern(resource, pattern) is not None) is fails


@pytest.mark.parametrize(
    ("groups", "failed_at"), [([100, 550], None), ([100, 300], ("supplementalGroups", 1))]
)
def test_scalar_pattern_checks_each_list_element(
    groups: list[int], failed_at: tuple[str, int] | None
) -> None:
    failure = match_pattern(
        {"supplementalGroups": groups}, {"supplementalGroups": "100-200 | 500-600"}
    )
    assert (failure.path if failure else None) == failed_at
