"""Image drift: what Pods run (status ``imageID``) against the images Git declares."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gitwarden.drift.fix_hints import image_hint
from gitwarden.drift.rules import IMAGE_DRIFT
from gitwarden.findings import Finding, Location
from gitwarden.manifests.objects import K8sObject
from gitwarden.sources.live_state import LiveObject

CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")
STATUS_LISTS = ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")


@dataclass(frozen=True)
class ImageReference:
    """``registry/path`` with its tag and digest, Docker Hub names spelled out."""

    repository: str
    tag: str | None
    digest: str | None

    @classmethod
    def parse(cls, text: str) -> ImageReference:
        text = text.split("://", 1)[-1]  # docker-pullable://, containerd's imageID schemes
        name, _, digest = text.partition("@")
        last = name.rsplit("/", 1)[-1]
        tag = None
        if ":" in last:
            name, _, tag = name.rpartition(":")
        first = name.split("/", 1)[0]
        if "/" not in name:
            name = f"docker.io/library/{name}"
        elif "." not in first and ":" not in first and first != "localhost":
            name = f"docker.io/{name}"
        return cls(name, tag, digest or None)


@dataclass(frozen=True)
class DeclaredImage:
    reference: ImageReference
    text: str
    obj: K8sObject
    path: tuple[str | int, ...]


def declared_images(objects: Iterable[K8sObject]) -> list[DeclaredImage]:
    """Every container image a manifest names, with where it is written."""
    found: list[DeclaredImage] = []
    for obj in objects:
        for path, image in _images_in(obj.body, ()):
            found.append(DeclaredImage(ImageReference.parse(image), image, obj, path))
    return found


def image_drift(
    pods: Iterable[LiveObject], declared: list[DeclaredImage], *, fix_hints: bool
) -> Iterator[Finding]:
    by_repository: dict[str, list[DeclaredImage]] = defaultdict(list)
    for image in declared:
        by_repository[image.reference.repository].append(image)
    resolved: dict[tuple[str, str], dict[str, LiveObject]] = defaultdict(dict)
    for pod in pods:
        for status in _statuses(pod.body.get("status")):
            running = ImageReference.parse(str(status.get("image", "")))
            digest = ImageReference.parse(str(status.get("imageID", ""))).digest
            container = str(status.get("name", "?"))
            where = f"Pod/{pod.namespace}/{pod.name} container {container}"
            candidates = by_repository.get(running.repository, [])
            if not candidates:
                yield _finding(
                    f"{where} runs {status.get('image')} ({digest or 'no digest'}), an image no "
                    "manifest names",
                    Location(file=pod.source, resource=f"Pod/{pod.namespace}/{pod.name}"),
                    pod,
                    str(status.get("image")),
                    fix_hints,
                )
                continue
            pinned = [c for c in candidates if c.reference.digest]
            if pinned and digest not in {c.reference.digest for c in pinned}:
                wanted = pinned[0]
                yield _finding(
                    f"{where} runs digest {digest or 'unknown'}, Git pins {wanted.text}",
                    wanted.obj.location(wanted.path),
                    pod,
                    wanted.text,
                    fix_hints,
                )
            elif not pinned and digest and running.tag is not None:
                resolved[(running.repository, running.tag)][digest] = pod
    for (repository, tag), digests in sorted(resolved.items()):
        if len(digests) > 1:
            pods_text = ", ".join(
                f"Pod/{pod.namespace}/{pod.name}={digest}"
                for digest, pod in sorted(digests.items())
            )
            first = next(iter(digests.values()))
            yield _finding(
                f"{repository}:{tag} runs as {len(digests)} different digests ({pods_text}): the "
                "tag was moved after deployment",
                Location(file=first.source, resource=f"Pod/{first.namespace}/{first.name}"),
                first,
                f"{repository}:{tag}",
                fix_hints,
            )


def _finding(
    message: str, location: Location, pod: LiveObject, image: str, fix_hints: bool
) -> Finding:
    details = {"live_source": pod.source, "image": image}
    if fix_hints:
        details["fix_hint"] = image_hint(_workload(pod), image)
        message += f". Fix: {details['fix_hint']}"
    return IMAGE_DRIFT.finding(message, location, details=details)


def _workload(pod: LiveObject) -> str:
    owners = pod.metadata.get("ownerReferences")
    if isinstance(owners, list) and owners and isinstance(owners[0], Mapping):
        kind, name = str(owners[0].get("kind", "")), str(owners[0].get("name", ""))
        if kind == "ReplicaSet" and "-" in name:
            kind, name = "Deployment", name.rsplit("-", 1)[0]
        return f"{kind.lower()}/{name} -n {pod.namespace}"
    return f"pod/{pod.name} -n {pod.namespace}"


def _statuses(status: Any) -> Iterator[Mapping[str, Any]]:
    if not isinstance(status, Mapping):
        return
    for key in STATUS_LISTS:
        for entry in status.get(key) or []:
            if isinstance(entry, Mapping):
                yield entry


def _images_in(
    value: Any, path: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, Mapping):
        for key, child in value.items():
            if key in CONTAINER_LISTS and isinstance(child, list):
                for index, container in enumerate(child):
                    if isinstance(container, Mapping) and isinstance(container.get("image"), str):
                        yield (*path, key, index, "image"), container["image"]
            elif isinstance(child, Mapping | list):
                yield from _images_in(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _images_in(child, (*path, index))
