"""Live objects read their identity from their own body."""

from __future__ import annotations

from gitwarden.sources.live_state import LiveObject


def test_a_core_object_has_the_empty_group() -> None:
    obj = LiveObject({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}, "x")
    assert (obj.api_group, obj.namespace) == ("", None)


def test_a_grouped_object_names_its_group() -> None:
    body = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {}}
    assert LiveObject(body, "x").api_group == "argoproj.io"
