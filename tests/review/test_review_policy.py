"""Review policy data: conditions over a change's shape, branches, blind messages."""

from __future__ import annotations

import pytest

from gitwarden.review.policy import (
    AllOf,
    AnyOf,
    ChangeShape,
    FileCountCondition,
    KindsCondition,
    PathsCondition,
    ReviewPolicy,
    ReviewRule,
)

SHAPE = ChangeShape(("rbac/role.yaml", "apps/a.yaml"), {"apps/a.yaml": frozenset({"Role"})})


@pytest.mark.parametrize(
    ("condition", "paths"),
    [
        (PathsCondition(("rbac/**",)), ("rbac/role.yaml",)),
        (PathsCondition(("clusters/**",)), ()),
        (KindsCondition(frozenset({"Role"})), ("apps/a.yaml",)),
        (KindsCondition(frozenset({"NetworkPolicy"})), ()),
        (FileCountCondition(2), SHAPE.paths),
        (FileCountCondition(3), ()),
        (AllOf((PathsCondition(("rbac/**",)), FileCountCondition(3))), ()),
        (AnyOf((PathsCondition(("x/**",)), KindsCondition(frozenset({"Role"})))), ("apps/a.yaml",)),
    ],
)
def test_condition_names_the_paths_that_make_it_hold(
    condition: object, paths: tuple[str, ...]
) -> None:
    assert condition.matching(SHAPE) == paths  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("branches", "target", "applies"),
    [
        (("main",), "refs/heads/main", True),
        (("release/*",), "refs/heads/release/1", True),
        (("main",), "refs/heads/dev", False),
    ],
)
def test_rule_applies_to_its_branches(
    branches: tuple[str, ...], target: str, applies: bool
) -> None:
    assert ReviewRule("r", branches=branches).applies_to_branch(target) is applies


@pytest.mark.parametrize(
    ("message", "blind"),
    [
        ("LGTM", True),
        ("lgtm!", True),
        ("+1", True),
        ("", True),
        ("ok", True),
        ("Checked the RBAC diff", False),
    ],
)
def test_blind_messages_are_not_reviews(message: str, blind: bool) -> None:
    assert ReviewPolicy().is_blind(message) is blind
