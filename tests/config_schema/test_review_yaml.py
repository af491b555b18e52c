"""The `.gitwarden/review.yaml` schema: the issue's policy as written, errors at file:line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from gitwarden.commands.schema import schema
from gitwarden.config_schema.review_yaml import read_review_policy
from gitwarden.errors import ConfigError
from gitwarden.review.policy import AllOf, FileCountCondition, KindsCondition, PathsCondition

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "review"))
from review_repos import ISSUE_POLICY


def test_the_issue_policy_is_accepted_as_written() -> None:
    policy = read_review_policy(ISSUE_POLICY)
    assert [r.name for r in policy.rules] == [
        "four-eyes",
        "large-change",
        "security-review",
        "production",
    ]
    production = policy.rules[3]
    assert (production.from_groups, production.delegation, production.line) == (
        ("product-owners",),
        True,
        19,
    )
    assert policy.rules[1].when == FileCountCondition(10)
    assert policy.blind_approvals == ("lgtm", "+1", "approved", "ok")


def test_several_conditions_of_one_when_must_all_hold() -> None:
    text = "rules:\n  - name: x\n    when: {paths: [a/**], kinds: [Role]}\n"
    assert read_review_policy(text).rules[0].when == AllOf(
        (PathsCondition(("a/**",)), KindsCondition(frozenset({"Role"})))
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("from: [security]", "form: [security]"), ":18: rules[2].form: unknown key"),
        (("from: [security]", "from: [securty]"), ":18: rules[2].from[0]: no group named"),
        (("approvals: 2", "approvals: two"), ":13: rules[1].approvals: must be a whole number"),
        (("delegation: true ", "delegation: yes-please "), ":24: rules[3].delegation: must be"),
        (("{changed_files_at_least: 10}", "{}"), ":12: rules[1].when: names no condition"),
    ],
)
def test_bad_policy_is_refused_at_its_line_and_key(change: tuple[str, str], expected: str) -> None:
    with pytest.raises(ConfigError) as raised:
        read_review_policy(ISSUE_POLICY.replace(*change))
    assert expected in raised.value.diagnostics()


def test_misspelt_key_names_the_key_probably_meant() -> None:
    with pytest.raises(ConfigError) as raised:
        read_review_policy(ISSUE_POLICY.replace("from: [security]", "form: [security]"))
    assert "did you mean 'from'?" in raised.value.diagnostics()


def test_an_empty_policy_is_refused() -> None:
    with pytest.raises(ConfigError, match="empty"):
        read_review_policy("")


def test_the_security_rule_can_be_switched_off() -> None:
    policy = read_review_policy(ISSUE_POLICY + "security: false\n")
    assert "security-sensitive" not in [r.name for r in policy.effective_rules()]


def test_the_security_rule_joins_when_its_group_exists() -> None:
    names = [r.name for r in read_review_policy(ISSUE_POLICY).effective_rules()]
    assert names[-1] == "security-sensitive"


def test_published_json_schema_accepts_the_issue_policy() -> None:
    published = json.loads(schema("review").text)
    jsonschema.validate(yaml.safe_load(ISSUE_POLICY), published)


def test_published_json_schema_refuses_an_unknown_key() -> None:
    published = json.loads(schema("review").text)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"rules": [{"name": "x", "form": ["a"]}]}, published)


def test_misspelt_group_names_the_group_probably_meant() -> None:
    with pytest.raises(ConfigError) as raised:
        read_review_policy(ISSUE_POLICY.replace("from: [security]", "from: [securty]"))
    assert "did you mean 'security'?" in raised.value.diagnostics()


@pytest.mark.parametrize(
    "member", ["carol", "github:acme/security-reviewers", "gitlab:acme/platform/security"]
)
def test_a_group_may_name_principals_and_forge_teams(member: str) -> None:
    policy = read_review_policy(ISSUE_POLICY.replace("security: [carol]", f"security: [{member}]"))
    assert policy.groups["security"] == (member,)


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ("bitbucket:acme/security", ":3: groups.security[0]: 'bitbucket:acme/security': teams are"),
        ("github:acme", ":3: groups.security[0]: 'github:acme' is not github:ORG/TEAM-SLUG"),
        ("github:acme/a/b", ":3: groups.security[0]: 'github:acme/a/b' is not github:"),
        ("gitlab:", ":3: groups.security[0]: 'gitlab:' is not gitlab:GROUP/SUBGROUP"),
    ],
)
def test_a_malformed_team_is_refused_at_its_line(member: str, expected: str) -> None:
    with pytest.raises(ConfigError) as raised:
        read_review_policy(ISSUE_POLICY.replace("security: [carol]", f"security: ['{member}']"))
    assert expected in raised.value.diagnostics()
