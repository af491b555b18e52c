"""Image rules: what a container runs must be fixed and come from a trusted registry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.rule_declaration import FamilyRules
from gitwarden.findings import Finding, Severity
from gitwarden.manifests.workloads import Container
from gitwarden.rules import CIS_URL, NSA_CISA_URL

FAMILY = "images"

IMAGES_URL = "https://kubernetes.io/docs/concepts/containers/images/"
IMAGE_NAMES_URL = "https://kubernetes.io/docs/concepts/containers/images/#image-names"
IMAGE_PULL_POLICY_URL = "https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy"
IMAGE_POLICY_URL = "https://docs.sigstore.dev/policy-controller/overview/"

DOCKER_HUB = "docker.io"
# Other spellings of Docker Hub that the Docker daemon and containerd resolve to it.
DOCKER_HUB_ALIASES = frozenset(
    {"index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}
)
DOCKER_HUB_OFFICIAL_NAMESPACE = "library"
LATEST = "latest"
_DIGEST = re.compile(r"^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$")

rules = FamilyRules(FAMILY)


def _canonical_host(host: str) -> str:
    host = host.lower()
    return DOCKER_HUB if host in DOCKER_HUB_ALIASES else host


@dataclass(frozen=True)
class ImageReference:
    """An image reference split as the container runtime reads it.

    ``registry`` is the host (with port) and defaults to ``docker.io``; ``repository`` is
    the path, with Docker Hub's implied ``library/`` made explicit.
    """

    registry: str
    repository: str
    tag: str | None
    digest: str | None

    @classmethod
    def parse(cls, text: str) -> ImageReference:
        name, _, digest = text.strip().partition("@")
        first, slash, rest = name.partition("/")
        # The first component is a host only if it looks like one (docker's own rule).
        if slash and ("." in first or ":" in first or first == "localhost"):
            registry, path = _canonical_host(first), rest
        else:
            registry, path = DOCKER_HUB, name
        tag: str | None = None
        last_component_start = path.rfind("/") + 1
        colon = path.rfind(":")
        if colon >= last_component_start:
            path, tag = path[:colon], path[colon + 1 :]
        if registry == DOCKER_HUB and "/" not in path:
            path = f"{DOCKER_HUB_OFFICIAL_NAMESPACE}/{path}"
        return cls(registry, path, tag or None, digest or None)

    @property
    def pinned(self) -> bool:
        return self.digest is not None and _DIGEST.match(self.digest) is not None

    @property
    def floating(self) -> bool:
        """No digest, and no tag or ``latest``: what runs changes with every push."""
        return self.digest is None and self.tag in (None, LATEST)


@dataclass(frozen=True)
class TrustedRegistry:
    """One trusted_registries entry: a host (``*.`` for any subdomain) and a path prefix."""

    host: str
    path: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> TrustedRegistry:
        text = text.strip().removeprefix("https://").removeprefix("http://").strip("/")
        host, _, path = text.partition("/")
        return cls(_canonical_host(host), tuple(part for part in path.split("/") if part))

    def allows(self, image: ImageReference) -> bool:
        if self.host.startswith("*."):
            host_matches = image.registry.endswith(self.host[1:])
        else:
            host_matches = image.registry == self.host
        # Path prefixes match whole components: ghcr.io/org does not allow ghcr.io/org-evil.
        parts = tuple(image.repository.split("/"))
        return host_matches and parts[: len(self.path)] == self.path


def _images(context: CheckContext) -> Iterator[tuple[Container, str, ImageReference]]:
    for pod in context.pod_specs:
        for container in pod.containers():
            image = container.body.get("image")
            if isinstance(image, str) and image.strip():
                yield container, image, ImageReference.parse(image)


LATEST_TAG = rules.rule(
    "images-latest-tag",
    Severity.HIGH,
    title="Image without a tag or tagged latest",
    rationale=(
        "A missing tag means `latest`, which moves: the same manifest deploys different code "
        "on each pull, a rollback restores nothing, and whoever can push to the repository "
        "controls what runs."
    ),
    remediation=(
        "Reference a version tag and, better, its digest: `registry/app:1.4.2@sha256:...` "
        "(Renovate or Dependabot keep both current)."
    ),
    references=(IMAGE_NAMES_URL, IMAGE_PULL_POLICY_URL, NSA_CISA_URL),
)


@rules.finds(LATEST_TAG)
def find_latest_tags(context: CheckContext) -> Iterator[Finding]:
    for container, image, reference in _images(context):
        if not reference.floating:
            continue
        state = "tag latest" if reference.tag else "no tag, which means latest"
        obj = container.pod.obj
        yield LATEST_TAG.finding(
            f"Container '{container.name}' of {obj.resource} runs image '{image}' with {state}: "
            "reference a version tag and its digest.",
            obj.location((*container.path, "image")),
            details={"container": container.name, "image": image},
        )


NOT_PINNED_BY_DIGEST = rules.rule(
    "images-not-pinned-by-digest",
    Severity.LOW,
    title="Image not pinned by digest",
    rationale=(
        "Tags are mutable: a compromised registry account or a careless re-push changes what "
        "a reviewed manifest runs. A digest names exactly the bytes that were reviewed and "
        "scanned."
    ),
    remediation=(
        "Append the digest to the reference (`app:1.4.2@sha256:...`); `crane digest` or "
        "`docker buildx imagetools inspect` prints it."
    ),
    references=(IMAGE_NAMES_URL, NSA_CISA_URL, CIS_URL),
)


@rules.finds(NOT_PINNED_BY_DIGEST)
def find_unpinned_images(context: CheckContext) -> Iterator[Finding]:
    for container, image, reference in _images(context):
        if reference.pinned:
            continue
        obj = container.pod.obj
        yield NOT_PINNED_BY_DIGEST.finding(
            f"Container '{container.name}' of {obj.resource} runs image '{image}' without a "
            "digest: append its @sha256: digest.",
            obj.location((*container.path, "image")),
            severity=context.settings.digest_severity(obj.file, obj.rendered_from),
            details={"container": container.name, "image": image},
        )


UNTRUSTED_REGISTRY = rules.rule(
    "images-untrusted-registry",
    Severity.MEDIUM,
    title="Image from a registry outside trusted_registries",
    rationale=(
        "Images from unvetted registries bypass the scanning, signing and retention your "
        "organisation applies to its own; typosquatted and abandoned public images are a "
        "common way into clusters."
    ),
    remediation=(
        "Mirror the image into a trusted registry and reference it there, or add the "
        "registry to trusted_registries in .gitwarden.yaml after review."
    ),
    references=(IMAGES_URL, IMAGE_POLICY_URL, NSA_CISA_URL),
)


@rules.finds(UNTRUSTED_REGISTRY)
def find_untrusted_registries(context: CheckContext) -> Iterator[Finding]:
    trusted = [TrustedRegistry.parse(entry) for entry in context.settings.trusted_registries]
    if not trusted:
        return
    listed = ", ".join(context.settings.trusted_registries)
    for container, image, reference in _images(context):
        if any(registry.allows(reference) for registry in trusted):
            continue
        obj = container.pod.obj
        yield UNTRUSTED_REGISTRY.finding(
            f"Container '{container.name}' of {obj.resource} pulls '{image}' from "
            f"{reference.registry}/{reference.repository}, which is not under a trusted "
            f"registry ({listed}): mirror it into one.",
            obj.location((*container.path, "image")),
            details={"container": container.name, "image": image, "registry": reference.registry},
        )


CHECKS: tuple[Check, ...] = rules.checks()
