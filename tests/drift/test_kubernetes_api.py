"""The API path: recorded responses over real HTTPS, behind a kubeconfig pointing at them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from drift.kube_api_server import serve_recorded_cluster
from gitwarden.sources.kubernetes_api import ClusterAccess, LiveQuery, read_cluster
from gitwarden.sources.live_state import LiveStateError

SHOP_KINDS = frozenset(
    {
        ("apps", "Deployment"),
        ("", "Secret"),
        ("", "Pod"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
    }
)


def test_pages_of_a_list_are_followed_by_their_continue_token(
    kube_api: HTTPServer, kubeconfig: Path
) -> None:
    serve_recorded_cluster(kube_api)
    state = read_cluster(
        ClusterAccess(kubeconfig=kubeconfig, context="prod"),
        LiveQuery(kinds=SHOP_KINDS, namespaces=("shop",)),
    )
    names = sorted(o.name for o in state.objects if o.kind == "Deployment")
    assert names == ["debug-shell", "web"]


def test_list_items_get_the_kind_and_version_the_list_was_asked_for(
    kube_api: HTTPServer, kubeconfig: Path
) -> None:
    serve_recorded_cluster(kube_api)
    state = read_cluster(
        ClusterAccess(kubeconfig=kubeconfig, context="prod"),
        LiveQuery(kinds=SHOP_KINDS, namespaces=("shop",)),
    )
    secret = next(o for o in state.objects if o.name == "web-tls")
    assert (secret.body["apiVersion"], secret.kind) == ("v1", "Secret")


def test_secrets_are_read_as_metadata_only(kube_api: HTTPServer, kubeconfig: Path) -> None:
    serve_recorded_cluster(kube_api)
    state = read_cluster(
        ClusterAccess(kubeconfig=kubeconfig, context="prod"),
        LiveQuery(kinds=SHOP_KINDS, namespaces=("shop",)),
    )
    secret = next(o for o in state.objects if o.name == "web-tls")
    assert "data" not in secret.body


def test_a_forbidden_list_names_the_missing_verb_and_resource(
    kube_api: HTTPServer, kubeconfig: Path
) -> None:
    serve_recorded_cluster(kube_api)
    state = read_cluster(
        ClusterAccess(kubeconfig=kubeconfig, context="prod"),
        LiveQuery(kinds=SHOP_KINDS, namespaces=("shop",)),
    )
    [denied] = state.unread
    assert (denied.verb, denied.resource, denied.group) == (
        "list",
        "clusterrolebindings",
        "rbac.authorization.k8s.io",
    )


def test_a_forbidden_kind_is_not_counted_as_listed(kube_api: HTTPServer, kubeconfig: Path) -> None:
    serve_recorded_cluster(kube_api)
    state = read_cluster(
        ClusterAccess(kubeconfig=kubeconfig, context="prod"),
        LiveQuery(kinds=SHOP_KINDS, namespaces=("shop",)),
    )
    assert state.listed == {("apps", "Deployment"), ("", "Secret"), ("", "Pod")}


def test_the_named_context_is_used_not_the_current_one(
    kube_api: HTTPServer, kubeconfig: Path
) -> None:
    serve_recorded_cluster(kube_api)
    state = read_cluster(
        ClusterAccess(kubeconfig=kubeconfig, context="prod"),
        LiveQuery(kinds=SHOP_KINDS, namespaces=("shop",)),
    )
    assert state.origin.startswith("context prod (https://localhost:")


def test_an_unreachable_api_is_an_error(kubeconfig: Path) -> None:
    with pytest.raises(LiveStateError, match="unreachable"):
        read_cluster(
            ClusterAccess(kubeconfig=kubeconfig, context="decoy", timeout_seconds=2),
            LiveQuery(kinds=SHOP_KINDS),
        )


def test_a_server_error_is_an_error_not_an_empty_list(
    kube_api: HTTPServer, kubeconfig: Path
) -> None:
    kube_api.expect_request("/api").respond_with_json({"message": "etcd timeout"}, status=500)
    with pytest.raises(LiveStateError, match="HTTP 500"):
        read_cluster(
            ClusterAccess(kubeconfig=kubeconfig, context="prod"), LiveQuery(kinds=SHOP_KINDS)
        )


def test_a_server_signed_by_another_ca_is_refused(kube_api: HTTPServer, tmp_path: Path) -> None:
    from drift.kube_api_server import make_certificates, write_kubeconfig

    other = make_certificates(tmp_path)
    config = write_kubeconfig(tmp_path / "other", kube_api.url_for("/").rstrip("/"), other.ca_pem)
    with pytest.raises(LiveStateError, match="unreachable"):
        read_cluster(ClusterAccess(kubeconfig=config, context="prod"), LiveQuery(kinds=SHOP_KINDS))


def test_an_unknown_context_is_an_error(kubeconfig: Path) -> None:
    with pytest.raises(LiveStateError, match="staging"):
        read_cluster(
            ClusterAccess(kubeconfig=kubeconfig, context="staging"), LiveQuery(kinds=SHOP_KINDS)
        )
