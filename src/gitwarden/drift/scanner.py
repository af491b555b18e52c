"""The drift scanner: declared objects and live state in, findings and a typed result out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gitwarden.drift.changed_objects import changed_fields
from gitwarden.drift.controller_health import CONTROLLER_KINDS, controller_health
from gitwarden.drift.field_managers import DEFAULT_TRUSTED_MANAGERS
from gitwarden.drift.inventory import (
    kinds_not_in_live,
    missing_objects,
    unmanaged_objects,
    unread_kinds,
)
from gitwarden.drift.object_identity import desired_key, live_key
from gitwarden.drift.running_images import declared_images, image_drift
from gitwarden.findings import Finding
from gitwarden.manifests.objects import K8sObject
from gitwarden.sources.live_state import LiveState


@dataclass(frozen=True)
class DriftSettings:
    """``namespaces`` bound unmanaged objects (empty: every namespace read)."""

    namespaces: frozenset[str] = frozenset()
    default_namespace: str = "default"
    trusted_managers: frozenset[str] = DEFAULT_TRUSTED_MANAGERS
    allowed_revision: str | None = None
    fix_hints: bool = False


@dataclass(frozen=True)
class DriftResult:
    findings: tuple[Finding, ...]
    objects_compared: int
    live_objects: int


def find_drift(
    declared: Iterable[K8sObject], live: LiveState, settings: DriftSettings
) -> DriftResult:
    desired = {desired_key(obj, settings.default_namespace): obj for obj in declared}
    live_objects = {live_key(obj): obj for obj in live.objects}
    listed = live.listed if live.listed is not None else {(k.group, k.kind) for k in live_objects}
    findings: list[Finding] = [*unread_kinds(live.unread, live.origin)]
    findings.extend(kinds_not_in_live(desired, listed, live.unread, live.origin))
    compared = 0
    for key, obj in sorted(desired.items()):
        found = live_objects.get(key)
        if found is not None:
            compared += 1
            findings.extend(
                changed_fields(
                    key,
                    obj,
                    found,
                    trusted=settings.trusted_managers,
                    fix_hints=settings.fix_hints,
                )
            )
    findings.extend(missing_objects(desired, live_objects, listed, fix_hints=settings.fix_hints))
    findings.extend(
        unmanaged_objects(live_objects, desired, settings.namespaces, fix_hints=settings.fix_hints)
    )
    pods = [o for k, o in live_objects.items() if (k.group, k.kind) == ("", "Pod")]
    findings.extend(
        image_drift(pods, declared_images(desired.values()), fix_hints=settings.fix_hints)
    )
    controllers = [o for k, o in live_objects.items() if (k.group, k.kind) in CONTROLLER_KINDS]
    findings.extend(controller_health(controllers, settings.allowed_revision))
    return DriftResult(tuple(findings), compared, len(live_objects))
