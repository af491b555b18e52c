from __future__ import annotations

import pytest

from gitwarden.checks.kubernetes_release import KubernetesVersion


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("1.37", KubernetesVersion(1, 37)),
        ("v1.30", KubernetesVersion(1, 30)),
        ("1.29.4", KubernetesVersion(1, 29)),
    ],
)
def test_version_is_read_with_or_without_v_and_patch(text: str, version: KubernetesVersion) -> None:
    assert KubernetesVersion.parse(text) == version


@pytest.mark.parametrize("text", ["latest", "1", "1.x", ""])
def test_text_that_is_no_version_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a Kubernetes version"):
        KubernetesVersion.parse(text)


def test_versions_order_by_minor_release() -> None:
    assert KubernetesVersion(1, 9) < KubernetesVersion(1, 29) < KubernetesVersion(1, 37)
    assert str(KubernetesVersion(1, 37)) == "1.37"
