"""Security-relevant fields make drift high."""

from __future__ import annotations

import pytest

from gitwarden.drift.security_fields import is_security_relevant


@pytest.mark.parametrize(
    ("kind", "pattern", "relevant"),
    [
        ("Deployment", ("spec", "template", "spec", "containers", "*", "image"), True),
        ("Deployment", ("spec", "template", "spec", "securityContext", "runAsUser"), True),
        ("Deployment", ("spec", "template", "spec", "volumes", "*", "hostPath", "path"), True),
        ("Deployment", ("spec", "template", "spec", "serviceAccountName"), True),
        ("ClusterRoleBinding", ("subjects",), True),
        ("Role", ("rules", "*", "verbs"), True),
        ("NetworkPolicy", ("spec", "ingress"), True),
        ("NetworkPolicy", ("metadata", "labels", "team"), False),
        ("Deployment", ("spec", "replicas"), False),
        ("ConfigMap", ("data", "rules"), False),
    ],
)
def test_security_relevance_follows_the_field_and_kind(
    kind: str, pattern: tuple[str, ...], relevant: bool
) -> None:
    assert is_security_relevant(kind, pattern) is relevant
