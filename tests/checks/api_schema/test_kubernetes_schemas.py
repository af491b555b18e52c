from __future__ import annotations

import pytest

from gitwarden.checks.api_schema.kubernetes_schemas import (
    GroupVersionKind,
    available_versions,
    load_schemas,
    newest_version,
)
from gitwarden.checks.kubernetes_release import KubernetesVersion
from gitwarden.errors import GitwardenError


def test_newest_version_is_the_last_installed_release() -> None:
    versions = available_versions()
    assert newest_version() == versions[-1]
    assert list(versions) == sorted(versions)


@pytest.mark.parametrize(
    ("api_version", "kind", "gvk"),
    [
        ("v1", "Pod", GroupVersionKind("", "v1", "Pod")),
        ("apps/v1", "Deployment", GroupVersionKind("apps", "v1", "Deployment")),
        (
            "rbac.authorization.k8s.io/v1",
            "Role",
            GroupVersionKind("rbac.authorization.k8s.io", "v1", "Role"),
        ),
    ],
)
def test_group_version_kind_round_trips_its_api_version(
    api_version: str, kind: str, gvk: GroupVersionKind
) -> None:
    assert GroupVersionKind.of(api_version, kind) == gvk
    assert gvk.api_version == api_version


def test_schemas_index_built_in_kinds_by_group_version_kind() -> None:
    schemas = load_schemas(newest_version())
    assert (
        schemas.definition_of[GroupVersionKind("apps", "v1", "Deployment")]
        == "io.k8s.api.apps.v1.Deployment"
    )
    assert "" in schemas.groups and "apps" in schemas.groups
    assert "argoproj.io" not in schemas.groups


def test_served_versions_of_a_kind_are_listed() -> None:
    schemas = load_schemas(newest_version())
    assert schemas.versions_serving("autoscaling", "HorizontalPodAutoscaler") == (
        "autoscaling/v1",
        "autoscaling/v2",
    )


def test_release_without_installed_schemas_is_a_user_error() -> None:
    with pytest.raises(GitwardenError, match="kubernetes-validate carries"):
        load_schemas(KubernetesVersion(1, 99))
