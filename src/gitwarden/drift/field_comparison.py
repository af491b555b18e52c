"""Field-by-field comparison of one declared object with its live copy.

Git drives the walk: every field Git declares must hold its declared value live. A field only
the live copy has counts as drift when a manager other than the trusted ones (GitOps
controllers, the control plane) owns it and it does not hold the server's default: that is
what server-side apply would call a conflict with the declared state. List items are matched
by their merge keys (``name``, ``containerPort``, ``mountPath``), as the API server does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gitwarden.drift.field_managers import Ownership, hand_editors
from gitwarden.drift.server_defaults import is_default
from gitwarden.drift.value_equality import same_value

# Written by the server or by clients on their own behalf, never declared.
IGNORED_TOP_LEVEL = frozenset({"apiVersion", "kind", "status"})
COMPARED_METADATA = ("labels", "annotations")
IGNORED_ANNOTATIONS = frozenset(
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        "kubectl.kubernetes.io/restartedAt",
        "deployment.kubernetes.io/revision",
        "argocd.argoproj.io/tracking-id",
    }
)
MERGE_KEYS = ("name", "containerPort", "port", "mountPath", "devicePath", "ip")
ABSENT: Any = object()


@dataclass(frozen=True)
class FieldDifference:
    """One field that differs; ``path`` uses Git's list indexes, ``pattern`` ``*`` for items."""

    path: tuple[str | int, ...]
    pattern: tuple[str, ...]
    desired: Any
    live: Any
    managers: tuple[str, ...]

    @property
    def only_live(self) -> bool:
        return self.desired is ABSENT

    @property
    def only_desired(self) -> bool:
        return self.live is ABSENT


def compare_fields(
    desired: Mapping[str, Any],
    live: Mapping[str, Any],
    *,
    trusted: frozenset[str],
    skip: frozenset[str] = frozenset(),
) -> list[FieldDifference]:
    """Every difference between ``desired`` and ``live`` (both whole objects)."""
    walk = _Walk(trusted)
    ownership = Ownership.of(_mapping(live.get("metadata")))
    for key in sorted((set(desired) | set(live)) - IGNORED_TOP_LEVEL - skip - {"metadata"}):
        walk.field((key,), (key,), desired.get(key, ABSENT), live.get(key, ABSENT), ownership, live)
    metadata_owner = ownership.key("metadata")
    desired_meta, live_meta = _mapping(desired.get("metadata")), _mapping(live.get("metadata"))
    for key in COMPARED_METADATA:
        wanted = {k: v for k, v in _mapping(desired_meta.get(key)).items()}
        found = {
            k: v for k, v in _mapping(live_meta.get(key)).items() if k not in IGNORED_ANNOTATIONS
        }
        walk.mapping(("metadata", key), ("metadata", key), wanted, found, metadata_owner.key(key))
    return walk.differences


class _Walk:
    def __init__(self, trusted: frozenset[str]) -> None:
        self.trusted = trusted
        self.differences: list[FieldDifference] = []

    def field(
        self,
        path: tuple[str | int, ...],
        pattern: tuple[str, ...],
        desired: Any,
        live: Any,
        owner: Ownership,
        live_parent: Mapping[str, Any],
    ) -> None:
        name = str(pattern[-1])
        here = owner.key(name)
        if desired is ABSENT or desired is None:
            if live is ABSENT or live is None or (desired is None and _empty(live)):
                return
            editors = hand_editors(here, self.trusted)
            if editors and not is_default(pattern, live, live_parent):
                self._add(path, pattern, ABSENT, live, editors)
            return
        if live is ABSENT:
            if not _empty(desired):
                self._add(path, pattern, desired, ABSENT, here.managers())
            return
        if isinstance(desired, Mapping) and isinstance(live, Mapping):
            self.mapping(path, pattern, desired, live, here)
        elif _is_list(desired) and _is_list(live):
            self.sequence(path, pattern, desired, live, here)
        elif not same_value(desired, live):
            self._add(path, pattern, desired, live, self._blame(here))

    def mapping(
        self,
        path: tuple[str | int, ...],
        pattern: tuple[str, ...],
        desired: Mapping[str, Any],
        live: Mapping[str, Any],
        owner: Ownership,
    ) -> None:
        for key in sorted(set(desired) | set(live), key=str):
            self.field(
                (*path, key),
                (*pattern, str(key)),
                desired.get(key, ABSENT),
                live.get(key, ABSENT),
                owner,
                live,
            )

    def sequence(
        self,
        path: tuple[str | int, ...],
        pattern: tuple[str, ...],
        desired: Sequence[Any],
        live: Sequence[Any],
        owner: Ownership,
    ) -> None:
        merge_key = _merge_key(desired, live)
        if merge_key is None:
            if len(desired) != len(live):
                self._add(path, pattern, list(desired), list(live), self._blame(owner))
                return
            pairs = list(enumerate(zip(desired, live, strict=True)))
        else:
            by_key = {str(item.get(merge_key)): item for item in live}
            pairs = [
                (i, (item, by_key.pop(str(item.get(merge_key)), ABSENT)))
                for i, item in enumerate(desired)
            ]
            for extra in by_key.values():
                # An atomic list (RBAC subjects) is owned whole: no entry per item.
                item_owner = owner.item(extra)
                editors = hand_editors(item_owner if item_owner.trees else owner, self.trusted)
                if editors:
                    self._add((*path, len(desired)), (*pattern, "*"), ABSENT, extra, editors)
        for index, (wanted, found) in pairs:
            item_path, item_pattern = (*path, index), (*pattern, "*")
            item_owner = owner.item(found) if found is not ABSENT else Ownership(())
            if found is ABSENT:
                self._add(item_path, item_pattern, wanted, ABSENT, owner.managers())
            elif isinstance(wanted, Mapping) and isinstance(found, Mapping):
                self.mapping(item_path, item_pattern, wanted, found, item_owner)
            elif not same_value(wanted, found):
                self._add(item_path, item_pattern, wanted, found, self._blame(owner))

    def _blame(self, owner: Ownership) -> tuple[str, ...]:
        return hand_editors(owner, self.trusted) or owner.managers()

    def _add(
        self,
        path: tuple[str | int, ...],
        pattern: tuple[str, ...],
        desired: Any,
        live: Any,
        managers: tuple[str, ...],
    ) -> None:
        self.differences.append(FieldDifference(path, pattern, desired, live, managers))


def _merge_key(desired: Sequence[Any], live: Sequence[Any]) -> str | None:
    items = [*desired, *live]
    if not items or not all(isinstance(item, Mapping) for item in items):
        return None
    for key in MERGE_KEYS:
        if all(key in item for item in items):
            return key
    return None


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, Mapping | list) and not value)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
