"""Fix hints name the Git change or the command, with the object's own names."""

from __future__ import annotations

from gitwarden.drift.fix_hints import missing_hint, shown, unmanaged_hint
from gitwarden.drift.object_identity import ObjectKey


def test_an_unmanaged_namespaced_object_hint_names_its_namespace() -> None:
    hint = unmanaged_hint(ObjectKey("apps", "Deployment", "shop", "debug-shell"))
    assert "`kubectl delete deployment.apps debug-shell -n shop`" in hint


def test_a_missing_object_hint_applies_its_file() -> None:
    hint = missing_hint(ObjectKey("", "Service", "shop", "web"), "apps/shop.yaml")
    assert "`kubectl apply --server-side -f apps/shop.yaml`" in hint


def test_long_values_are_cut() -> None:
    assert len(shown("x" * 1000)) == 160
