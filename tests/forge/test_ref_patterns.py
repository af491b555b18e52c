from __future__ import annotations

import pytest

from gitwarden.forge.ref_patterns import gitlab_pattern_matches, ruleset_applies


@pytest.mark.parametrize(
    ("include", "exclude", "ref", "applies"),
    [
        (["~DEFAULT_BRANCH"], [], "refs/heads/main", True),
        (["~DEFAULT_BRANCH"], [], "refs/heads/dev", False),
        (["~ALL"], ["refs/heads/dev"], "refs/heads/dev", False),
        (["refs/heads/release/*"], [], "refs/heads/release/1.0", True),
        (["refs/tags/v*"], [], "refs/tags/v1.0.0", True),
        (["refs/tags/v*"], [], "refs/tags/latest", False),
    ],
)
def test_ruleset_conditions_select_refs(
    include: list[str], exclude: list[str], ref: str, applies: bool
) -> None:
    conditions = {"ref_name": {"include": include, "exclude": exclude}}
    assert ruleset_applies(conditions, ref, "main") is applies


def test_ruleset_without_ref_condition_applies_everywhere() -> None:
    assert ruleset_applies({}, "refs/heads/anything", "main")


@pytest.mark.parametrize(
    ("pattern", "name", "matches"),
    [("main", "main", True), ("main", "main2", False), ("release-*", "release-1", True)],
)
def test_gitlab_protected_names(pattern: str, name: str, matches: bool) -> None:
    assert gitlab_pattern_matches(pattern, name) is matches
