"""Image drift: the digest a Pod runs against the digest Git pins, or the tag resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift.drift_scenarios import drift_of, rule_ids
from gitwarden.drift.running_images import ImageReference

PINNED = "sha256:4b1f0c3e9a7d2e5f8c6b1a0d3e7f9c2b5a8d1e4f7c0b3a6d9e2f5c8b1a4d7e0f"
OTHER = "sha256:9e0c7d4a1b8f5e2c9d6a3f0b7e4c1d8a5f2b9e6c3d0a7f4b1e8c5d2a9f6b3e0c"


def git(image: str) -> str:
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: shop}}
spec:
  template:
    spec:
      containers:
        - name: web
          image: {image}
"""


def pods(*running: tuple[str, str, str]) -> str:
    items = ""
    for name, image, digest in running:
        repository = image.split("@")[0].rsplit(":", 1)[0]
        items += f"""
- apiVersion: v1
  kind: Pod
  metadata:
    name: {name}
    namespace: shop
    ownerReferences:
    - {{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9c8b6f5, controller: true}}
  spec:
    containers:
    - {{name: web, image: "{image}"}}
  status:
    containerStatuses:
    - name: web
      image: "{image}"
      imageID: "{repository}@{digest}"
"""
    deployment = """
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: shop}
  spec: {}
"""
    return f"apiVersion: v1\nkind: List\nitems:{deployment}{items}"


@pytest.mark.parametrize(
    ("running_digest", "expected"),
    [(PINNED, []), (OTHER, ["drift-image"])],
)
def test_a_pod_running_another_digest_than_git_pins_is_image_drift(
    tmp_path: Path, running_digest: str, expected: list[str]
) -> None:
    image = f"ghcr.io/acme/web@{PINNED}"
    live = pods(("web-1", image, running_digest))
    findings = [f for f in drift_of(tmp_path, git(image), live) if f.rule_id == "drift-image"]
    assert rule_ids(findings) == expected


def test_an_image_no_manifest_names_is_image_drift(tmp_path: Path) -> None:
    live = pods(("web-1", "docker.io/attacker/miner:1", PINNED))
    findings = drift_of(tmp_path, git("ghcr.io/acme/web:1.4.2"), live)
    assert [f.message for f in findings if f.rule_id == "drift-image"] == [
        f"Pod/shop/web-1 container web runs docker.io/attacker/miner:1 ({PINNED}), "
        "an image no manifest names"
    ]


@pytest.mark.parametrize(
    ("second_digest", "expected"),
    [(PINNED, []), (OTHER, ["drift-image"])],
)
def test_a_tag_running_as_two_digests_was_moved(
    tmp_path: Path, second_digest: str, expected: list[str]
) -> None:
    image = "ghcr.io/acme/web:1.4.2"
    live = pods(("web-1", image, PINNED), ("web-2", image, second_digest))
    findings = [f for f in drift_of(tmp_path, git(image), live) if f.rule_id == "drift-image"]
    assert rule_ids(findings) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nginx:1.27", ImageReference("docker.io/library/nginx", "1.27", None)),
        ("acme/web", ImageReference("docker.io/acme/web", None, None)),
        (
            f"docker-pullable://ghcr.io/acme/web@{PINNED}",
            ImageReference("ghcr.io/acme/web", None, PINNED),
        ),
        ("localhost:5000/web:2", ImageReference("localhost:5000/web", "2", None)),
    ],
)
def test_image_references_are_spelled_out_as_the_runtime_reports_them(
    text: str, expected: ImageReference
) -> None:
    assert ImageReference.parse(text) == expected
