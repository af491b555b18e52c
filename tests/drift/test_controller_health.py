"""Controller health: Argo CD Applications and Flux objects that stopped reconciling."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift.drift_scenarios import live_dump
from gitwarden.drift.controller_health import controller_health

APPLICATION = """
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: shop, namespace: argocd}}
spec:
  source: {{repoURL: "https://git.example/gitops.git", path: apps/shop, targetRevision: main}}
  syncPolicy: {sync_policy}
status:
  sync: {{status: {sync}, revision: 9f2c1e7b4a}}
  health: {{status: {health}}}
"""
KUSTOMIZATION = """
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {{name: shop, namespace: flux-system}}
spec: {{interval: 5m, path: ./apps/shop, suspend: {suspend}}}
status:
  lastAppliedRevision: main@sha1:9f2c1e7b4a
  conditions:
  - {{type: Ready, status: "{ready}", reason: ReconciliationSucceeded, message: applied}}
"""


def problems(tmp_path: Path, text: str, allowed: str | None = None) -> list[str]:
    state = live_dump(tmp_path, text)
    return [f.message for f in controller_health(state.objects, allowed)]


@pytest.mark.parametrize(
    ("sync_policy", "sync", "health", "expected"),
    [
        ("{automated: {selfHeal: true}}", "Synced", "Healthy", []),
        (
            "{automated: {}}",
            "OutOfSync",
            "Healthy",
            ["Application/argocd/shop: sync status is OutOfSync"],
        ),
        ("{automated: {}}", "Synced", "Degraded", ["Application/argocd/shop: health is Degraded"]),
        (
            "{}",
            "Synced",
            "Healthy",
            ["Application/argocd/shop: auto-sync is disabled: drift is never undone"],
        ),
    ],
)
def test_an_argocd_application_must_be_synced_healthy_and_automated(
    tmp_path: Path, sync_policy: str, sync: str, health: str, expected: list[str]
) -> None:
    text = APPLICATION.format(sync_policy=sync_policy, sync=sync, health=health)
    assert problems(tmp_path, text) == expected


@pytest.mark.parametrize(
    ("suspend", "ready", "expected"),
    [
        ("false", "True", []),
        ("true", "True", ["Kustomization/flux-system/shop: reconciliation is suspended"]),
        (
            "false",
            "False",
            ["Kustomization/flux-system/shop: not Ready: ReconciliationSucceeded applied"],
        ),
    ],
)
def test_a_flux_kustomization_must_be_resumed_and_ready(
    tmp_path: Path, suspend: str, ready: str, expected: list[str]
) -> None:
    assert problems(tmp_path, KUSTOMIZATION.format(suspend=suspend, ready=ready)) == expected


@pytest.mark.parametrize(
    ("allowed", "count"),
    [("9f2c1e7b4a", 0), ("0d4e8a2f11", 1)],
)
def test_a_revision_other_than_the_one_the_gate_allowed_is_reported(
    tmp_path: Path, allowed: str, count: int
) -> None:
    text = KUSTOMIZATION.format(suspend="false", ready="True")
    assert len(problems(tmp_path, text, allowed)) == count
