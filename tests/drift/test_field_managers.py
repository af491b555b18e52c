"""Field ownership from managedFields (FieldsV1), walked alongside the object."""

from __future__ import annotations

from gitwarden.drift.field_managers import DEFAULT_TRUSTED_MANAGERS, Ownership, hand_editors

METADATA = {
    "managedFields": [
        {
            "manager": "kustomize-controller",
            "operation": "Apply",
            "time": "2026-11-30T08:12:41Z",
            "fieldsType": "FieldsV1",
            "fieldsV1": {
                "f:spec": {
                    "f:ports": {'k:{"port":80,"protocol":"TCP"}': {".": {}, "f:port": {}}},
                    "f:finalizers": {'v:"example.com/keep"': {}},
                }
            },
        },
        {
            "manager": "kubectl-edit",
            "operation": "Update",
            "time": "2026-12-01T07:58:02Z",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:spec": {"f:ports": {'k:{"port":80,"protocol":"TCP"}': {"f:name": {}}}}},
        },
        {
            "manager": "kube-controller-manager",
            "operation": "Update",
            "subresource": "status",
            "fieldsV1": {"f:spec": {"f:ports": {}}},
        },
    ]
}


def test_the_newest_owner_of_a_list_item_comes_first() -> None:
    item = {"port": 80, "protocol": "TCP", "name": "http"}
    owners = Ownership.of(METADATA).key("spec").key("ports").item(item)
    assert owners.managers() == ("kubectl-edit", "kustomize-controller")


def test_a_status_subresource_manager_owns_no_spec_field() -> None:
    owners = Ownership.of(METADATA).key("spec").key("ports")
    assert "kube-controller-manager" not in owners.managers()


def test_a_set_item_is_found_by_its_value() -> None:
    owners = Ownership.of(METADATA).key("spec").key("finalizers").item("example.com/keep")
    assert owners.managers() == ("kustomize-controller",)


def test_an_item_with_other_keys_has_no_owner() -> None:
    owners = Ownership.of(METADATA).key("spec").key("ports").item({"port": 443, "protocol": "TCP"})
    assert owners.managers() == ()


def test_trusted_managers_are_not_hand_editors() -> None:
    item = {"port": 80, "protocol": "TCP"}
    owners = Ownership.of(METADATA).key("spec").key("ports").item(item)
    assert hand_editors(owners, DEFAULT_TRUSTED_MANAGERS) == ("kubectl-edit",)


def test_an_object_without_managed_fields_has_no_owners() -> None:
    assert Ownership.of({}).key("spec").managers() == ()
