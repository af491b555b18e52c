from __future__ import annotations

from forge.forge_postures import context
from gitwarden.forge.permissions import find_unreadable_settings
from gitwarden.forge.posture import Unreadable


def test_each_refused_endpoint_is_a_finding_naming_the_scope() -> None:
    refused = Unreadable("deploy keys", "GET /repos/acme/gitops/keys?per_page=100", "repo", 403)
    findings = list(find_unreadable_settings(context(unreadable=(refused,))))
    assert [(f.rule_id, f.details["scope"]) for f in findings] == [
        ("forge-permission-missing", "repo")
    ]
    assert "the token needs repo" in findings[0].message


def test_nothing_refused_is_silent() -> None:
    assert list(find_unreadable_settings(context())) == []
