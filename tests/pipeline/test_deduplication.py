"""The findings stage: one problem seen several times is reported once."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gitwarden.findings import Finding, Location, Severity
from gitwarden.pipeline.deduplication import deduplicate
from gitwarden.rules import Rule

RULE = Rule("demo-rule", "demo", Severity.MEDIUM, "Demo", "Why.", "Fix.")
OTHER = Rule("other-rule", "demo", Severity.MEDIUM, "Other", "Why.", "Fix.")
HERE = Location("a.yaml", 3, resource="Pod/default/web", field_path="spec", origin="helm a")


def test_the_same_problem_through_two_renders_is_kept_once() -> None:
    first = RULE.finding("privileged", HERE)
    through_variant = RULE.finding("privileged", replace(HERE, origin="helm a (values-prod.yaml)"))
    assert deduplicate([first, through_variant]) == [first]


@pytest.mark.parametrize(
    "other",
    [
        OTHER.finding("privileged", HERE),
        RULE.finding(
            "privileged", Location("b.yaml", 3, resource="Pod/default/web", field_path="spec")
        ),
        RULE.finding("privileged", replace(HERE, line=4)),
        RULE.finding("privileged", replace(HERE, resource="Pod/default/db")),
        RULE.finding(
            "privileged", Location("a.yaml", 3, resource="Pod/default/web", field_path="x")
        ),
        RULE.finding("another message", HERE),
    ],
    ids=["rule", "file", "line", "resource", "field", "message"],
)
def test_findings_that_differ_in_one_part_are_both_kept(other: Finding) -> None:
    first = RULE.finding("privileged", HERE)
    assert deduplicate([first, other]) == [first, other]
