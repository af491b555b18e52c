"""data.inventory in Gatekeeper's sync shape, and the kinds a template asks to be synced."""

from __future__ import annotations

import pytest

from gitwarden.policy.gatekeeper_inventory import inventory_of, is_synced, sync_selection

SERVICE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "shop"}}
CLASS = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "fast"}}


def test_namespaced_objects_are_filed_by_namespace_version_kind_name() -> None:
    inventory = inventory_of([SERVICE])
    assert inventory["namespace"]["shop"]["v1"]["Service"]["web"] == SERVICE
    assert inventory["cluster"] == {}


def test_objects_without_namespace_are_filed_with_the_cluster() -> None:
    inventory = inventory_of([CLASS])
    assert inventory["cluster"]["storage.k8s.io/v1"]["StorageClass"]["fast"] == CLASS


def test_object_without_name_is_not_filed() -> None:
    assert inventory_of([{"apiVersion": "v1", "kind": "Service", "metadata": {}}]) == {
        "namespace": {},
        "cluster": {},
    }


ANNOTATION = '"[[{"groups": [""], "versions": ["v1"], "kinds": ["Service"]}]]"'


@pytest.mark.parametrize(
    ("api_version", "kind", "synced"),
    [("v1", "Service", True), ("v1", "ConfigMap", False), ("apps/v1", "Service", False)],
)
def test_sync_annotation_selects_kinds(api_version: str, kind: str, synced: bool) -> None:
    selection = sync_selection({"metadata.gatekeeper.sh/requires-sync-data": ANNOTATION})
    assert is_synced(selection, api_version, kind) is synced


@pytest.mark.parametrize("annotation", [None, "not json", '"[]"'])
def test_missing_or_unreadable_annotation_syncs_everything(annotation: str | None) -> None:
    annotations = (
        {} if annotation is None else {"metadata.gatekeeper.sh/requires-sync-data": annotation}
    )
    assert sync_selection(annotations) is None
