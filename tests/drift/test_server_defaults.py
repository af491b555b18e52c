"""Server defaults: a live field Git leaves out is not drift when it holds its default."""

from __future__ import annotations

from typing import Any

import pytest

from gitwarden.drift.server_defaults import is_default

CONTAINER = ("spec", "template", "spec", "containers", "*")


@pytest.mark.parametrize(
    ("path", "value", "parent", "default"),
    [
        ((*CONTAINER, "imagePullPolicy"), "IfNotPresent", {"image": "nginx:1.27"}, True),
        ((*CONTAINER, "imagePullPolicy"), "Always", {"image": "nginx:latest"}, True),
        ((*CONTAINER, "imagePullPolicy"), "Always", {"image": "nginx:1.27"}, False),
        ((*CONTAINER, "terminationMessagePath"), "/dev/termination-log", {}, True),
        ((*CONTAINER, "terminationMessagePath"), "/tmp/log", {}, False),
        (("spec", "template", "spec", "dnsPolicy"), "ClusterFirst", {}, True),
        (("spec", "template", "spec", "dnsPolicy"), "Default", {}, False),
        (("spec", "ports", "*", "targetPort"), 80, {"port": 80}, True),
        (("spec", "ports", "*", "targetPort"), 8080, {"port": 80}, False),
        (("spec", "clusterIP"), "10.96.0.7", {}, True),
    ],
)
def test_a_value_is_the_default_only_when_the_server_would_set_it(
    path: tuple[str, ...], value: Any, parent: dict[str, Any], default: bool
) -> None:
    assert is_default(path, value, parent) is default
