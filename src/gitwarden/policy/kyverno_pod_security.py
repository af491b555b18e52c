"""Kyverno ``validate.podSecurity``: the Pod Security Standards at a level, with exclusions.

The policy family does not evaluate the standards itself: gitwarden's Pod Security checks
do, and a scanner may not import another. The caller (the scan pipeline, ``policy test``)
passes a ``PodSecurityEvaluator`` built on them; without one, such rules are
``policy-unsupported``. The controls are those of the latest standard whatever ``version``
pins (stricter at worst, never a pass the pinned version would refuse).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.yaml_nodes import FieldPath
from gitwarden.policy.kyverno_conditions import UnsupportedFeatureError
from gitwarden.policy.kyverno_pattern import PatternFailure
from gitwarden.policy.kyverno_values import wildcard_match

LEVELS = ("privileged", "baseline", "restricted")


@dataclass(frozen=True)
class PodSecurityViolation:
    """One broken control: its name as Kyverno's ``exclude`` writes it (``Capabilities``,
    ``Running as Non-root``...), the field in the object, and the image it concerns."""

    control: str
    path: FieldPath
    message: str
    image: str | None = None


# (object, path of its pod spec, level) -> the violations of the standard at that level.
PodSecurityEvaluator = Callable[[K8sObject, FieldPath, str], Sequence[PodSecurityViolation]]


def pod_security_failure(
    obj: K8sObject,
    prefix: FieldPath,
    settings: Any,
    evaluator: PodSecurityEvaluator,
) -> PatternFailure | None:
    """The failure of a ``podSecurity`` block for the pod at ``prefix`` in ``obj`` (``()``
    for a Pod, the pod template's path for a controller), relative to that pod."""
    if not isinstance(settings, Mapping):
        raise UnsupportedFeatureError("validate.podSecurity that is not a map")
    level = str(settings.get("level") or "")
    if level not in LEVELS:
        raise UnsupportedFeatureError(f"validate.podSecurity level {level!r}")
    excludes = _excludes(settings.get("exclude"))
    if level == "privileged":
        return None
    found = [
        v
        for v in evaluator(obj, (*prefix, "spec"), level)
        if not any(_excluded(v, e) for e in excludes)
    ]
    if not found:
        return None
    controls = ", ".join(sorted({v.control for v in found}))
    first = found[0]
    return PatternFailure(
        first.path[len(prefix) :],
        f"Pod Security {level} ({settings.get('version') or 'latest'}) violated: {controls}; "
        f"{first.message}",
    )


def _excludes(value: Any) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(e, Mapping) for e in value):
        raise UnsupportedFeatureError("validate.podSecurity.exclude that is not a list of maps")
    for entry in value:
        if "restrictedField" in entry or "values" in entry:
            raise UnsupportedFeatureError("validate.podSecurity.exclude by restrictedField")
    return list(value)


def _excluded(violation: PodSecurityViolation, exclude: Mapping[str, Any]) -> bool:
    if exclude.get("controlName") != violation.control:
        return False
    images = exclude.get("images")
    if not images:
        return True
    return violation.image is not None and any(
        wildcard_match(str(pattern), violation.image) for pattern in images
    )
