"""The field walk: Git's fields must hold, live-only fields count when a hand edit owns them."""

from __future__ import annotations

from typing import Any

from gitwarden.drift.field_comparison import compare_fields
from gitwarden.drift.field_managers import DEFAULT_TRUSTED_MANAGERS


def paths(desired: dict[str, Any], live: dict[str, Any]) -> list[tuple[str | int, ...]]:
    found = compare_fields(desired, live, trusted=DEFAULT_TRUSTED_MANAGERS)
    return [difference.path for difference in found]


def owned_by(manager: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {"managedFields": [{"manager": manager, "operation": "Update", "fieldsV1": fields}]}


def test_containers_are_matched_by_name_not_position() -> None:
    desired = {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}}
    live = {"spec": {"containers": [{"name": "b", "image": "y"}, {"name": "a", "image": "x"}]}}
    assert paths(desired, live) == []


def test_a_changed_item_is_reported_at_gits_index() -> None:
    desired = {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}}
    live = {"spec": {"containers": [{"name": "b", "image": "z"}, {"name": "a", "image": "x"}]}}
    assert paths(desired, live) == [("spec", "containers", 1, "image")]


def test_an_added_container_owned_by_a_hand_edit_is_drift() -> None:
    desired = {"spec": {"containers": [{"name": "a"}]}}
    live = {
        "metadata": owned_by(
            "kubectl-patch", {"f:spec": {"f:containers": {'k:{"name":"sidecar"}': {".": {}}}}}
        ),
        "spec": {"containers": [{"name": "a"}, {"name": "sidecar"}]},
    }
    assert paths(desired, live) == [("spec", "containers", 1)]


def test_server_written_metadata_and_status_are_ignored() -> None:
    desired = {"metadata": {"name": "web", "labels": {"app": "web"}}, "spec": {}}
    live = {
        "metadata": {
            "name": "web",
            "labels": {"app": "web"},
            "uid": "u",
            "resourceVersion": "7",
            "generation": 4,
            "creationTimestamp": "2026-12-01T00:00:00Z",
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"},
        },
        "spec": {},
        "status": {"replicas": 3},
    }
    assert paths(desired, live) == []


def test_a_label_added_by_hand_is_drift() -> None:
    desired = {"metadata": {"labels": {"app": "web"}}}
    live = {
        "metadata": {
            "labels": {"app": "web", "debug": "on"},
            **owned_by("kubectl-label", {"f:metadata": {"f:labels": {"f:debug": {}}}}),
        }
    }
    assert paths(desired, live) == [("metadata", "labels", "debug")]


def test_an_empty_declared_map_equals_an_absent_live_one() -> None:
    assert paths({"spec": {"resources": {}}}, {"spec": {}}) == []
