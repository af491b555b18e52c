"""The images the environment deploys at REV, for the decision's record (and its subjects).

The objects are loaded from REV's materialised tree by the scan pipeline's own stages (walk,
render, parse), under the base's limits, without network; only objects under the
environment's paths count. Each distinct reference is listed once, with its digest when
the reference pins one.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from gitwarden.attestation.decision_predicate import ImageRecord
from gitwarden.checks.images import ImageReference
from gitwarden.commands.scan import ScanOptions
from gitwarden.gate.context import GateContext
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.workloads import pod_spec
from gitwarden.path_patterns import glob_match
from gitwarden.pipeline.object_loading import ObjectLimits, load_objects
from gitwarden.pipeline.scan_pipeline import render_settings
from gitwarden.pipeline.scan_sources import collect_sources


def deployed_images(context: GateContext) -> tuple[ImageRecord, ...]:
    """Every image reference the environment's manifests at REV run (memoised per run)."""
    if context.scans.images is None:
        paths = context.environment.paths
        objects = [obj for obj in _objects(context) if _in_paths(obj.file, paths)]
        context.scans.images = images_of(objects)
    return context.scans.images


def images_of(objects: list[K8sObject] | tuple[K8sObject, ...]) -> tuple[ImageRecord, ...]:
    """The distinct image references of ``objects``' containers, in manifest order."""
    seen: dict[str, ImageRecord] = {}
    for obj in objects:
        spec = pod_spec(obj)
        if spec is None:
            continue
        for container in spec.containers():
            image = container.body.get("image")
            if not isinstance(image, str) or not image.strip():
                continue
            name = image.strip()
            reference = ImageReference.parse(name)
            digest = reference.digest.lower() if reference.pinned and reference.digest else None
            seen.setdefault(name, ImageRecord(digest, name))
    return tuple(seen.values())


def _objects(context: GateContext) -> tuple[K8sObject, ...]:
    config = context.config
    sources = collect_sources(context.tree.root, config, render=True, allow_network=False)
    limits = ObjectLimits(config.max_file_bytes, config.max_document_bytes, allow_network=False)
    with tempfile.TemporaryDirectory(prefix="images-", dir=context.work_dir) as work:
        # The render cache the tree scan just filled: the same renders are not run twice.
        settings = render_settings(ScanOptions())
        return load_objects(sources, limits, Path(work), settings).objects


def _in_paths(file: str, paths: tuple[str, ...]) -> bool:
    return any(glob_match(pattern, file) for pattern in paths)
