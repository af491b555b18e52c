from __future__ import annotations

import pytest

from gitwarden.checks.api_schema.removed_apis import REMOVED_APIS, removed_api
from gitwarden.checks.kubernetes_release import KubernetesVersion

V1_37 = KubernetesVersion(1, 37)


@pytest.mark.parametrize(
    ("api_version", "kind", "removed_in", "replacement"),
    [
        ("extensions/v1beta1", "Deployment", KubernetesVersion(1, 16), "apps/v1"),
        ("networking.k8s.io/v1beta1", "Ingress", KubernetesVersion(1, 22), "networking.k8s.io/v1"),
        ("batch/v1beta1", "CronJob", KubernetesVersion(1, 25), "batch/v1"),
        (
            "autoscaling/v2beta2",
            "HorizontalPodAutoscaler",
            KubernetesVersion(1, 26),
            "autoscaling/v2",
        ),
        (
            "flowcontrol.apiserver.k8s.io/v1beta3",
            "FlowSchema",
            KubernetesVersion(1, 32),
            "flowcontrol.apiserver.k8s.io/v1",
        ),
    ],
)
def test_removed_api_has_its_release_and_replacement(
    api_version: str, kind: str, removed_in: KubernetesVersion, replacement: str
) -> None:
    removal = removed_api(api_version, kind, V1_37)
    assert removal is not None
    assert (removal.removed_in, removal.replacement) == (removed_in, replacement)
    assert removal.replaced_by_api_version


@pytest.mark.parametrize(
    ("target", "removed"), [(KubernetesVersion(1, 24), False), (KubernetesVersion(1, 25), True)]
)
def test_removal_counts_only_from_its_release_on(target: KubernetesVersion, removed: bool) -> None:
    assert (removed_api("batch/v1beta1", "CronJob", target) is not None) is removed


def test_pod_security_policy_is_replaced_by_a_sentence_not_an_api_version() -> None:
    removal = REMOVED_APIS[("policy/v1beta1", "PodSecurityPolicy")]
    assert not removal.replaced_by_api_version
    assert "Pod Security Admission" in removal.replacement


@pytest.mark.parametrize(
    ("api_version", "kind"), [("apps/v1", "Deployment"), ("batch/v1", "CronJob")]
)
def test_served_api_is_not_removed(api_version: str, kind: str) -> None:
    assert removed_api(api_version, kind, V1_37) is None
