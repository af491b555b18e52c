"""Changed-field findings for one declared object and its live copy."""

from __future__ import annotations

from collections.abc import Iterator

from gitwarden.drift.field_comparison import ABSENT, FieldDifference, compare_fields
from gitwarden.drift.fix_hints import changed_field_hint, shown
from gitwarden.drift.object_identity import ObjectKey
from gitwarden.drift.rules import FIELD_CHANGED, SECURITY_FIELD_CHANGED
from gitwarden.drift.security_fields import is_security_relevant
from gitwarden.findings import Finding
from gitwarden.manifests.objects import K8sObject, format_field_path
from gitwarden.sources.live_state import LiveObject

# Secret values are never read (metadata only): only their labels and annotations compare.
VALUE_FIELDS = frozenset({"data", "stringData", "type", "immutable"})


def changed_fields(
    key: ObjectKey,
    desired: K8sObject,
    live: LiveObject,
    *,
    trusted: frozenset[str],
    fix_hints: bool,
) -> Iterator[Finding]:
    skip = VALUE_FIELDS if key.kind == "Secret" and key.group == "" else frozenset()
    for difference in compare_fields(desired.body, live.body, trusted=trusted, skip=skip):
        yield _finding(key, desired, live, difference, fix_hints)


def _finding(
    key: ObjectKey,
    desired: K8sObject,
    live: LiveObject,
    difference: FieldDifference,
    fix_hints: bool,
) -> Finding:
    security = is_security_relevant(key.kind, difference.pattern)
    rule = SECURITY_FIELD_CHANGED if security else FIELD_CHANGED
    field = format_field_path(difference.path)
    location = desired.location(difference.path)
    managers = ", ".join(difference.managers) or "an unrecorded manager (no managedFields entry)"
    wanted = "absent" if difference.only_live else shown(difference.desired)
    found = "absent" if difference.only_desired else shown(difference.live)
    message = (
        f"{key.resource}: {field} is {found} in the cluster, {wanted} in Git "
        f"({location.file}:{location.line}); changed by {managers}"
    )
    details = {
        "field": field,
        "desired": wanted,
        "live": found,
        "field_manager": managers,
        "live_source": live.source,
    }
    if fix_hints:
        live_value = None if difference.live is ABSENT else difference.live
        details["fix_hint"] = changed_field_hint(field, live_value, location.file, location.line)
        message += f". Fix: {details['fix_hint']}"
    return rule.finding(message, location, details=details)
