"""Declared and live objects meet by group, kind, namespace and name."""

from __future__ import annotations

from drift.drift_scenarios import declared
from gitwarden.drift.object_identity import ObjectKey, desired_key, live_key
from gitwarden.sources.live_state import LiveObject


def test_a_manifest_without_namespace_lands_in_the_default_one() -> None:
    [obj] = declared("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n")
    assert desired_key(obj, "shop") == ObjectKey("", "ConfigMap", "shop", "settings")


def test_a_cluster_scoped_kind_has_no_namespace() -> None:
    [obj] = declared(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\n"
    )
    assert desired_key(obj, "shop").namespace == ""


def test_a_live_object_meets_its_manifest() -> None:
    [obj] = declared(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
    )
    live = LiveObject(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "shop"},
        },
        "live.yaml",
    )
    assert live_key(live) == desired_key(obj, "default")
