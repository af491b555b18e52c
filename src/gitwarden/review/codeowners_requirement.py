"""What CODEOWNERS asks of a rule with ``codeowners: true``: the owners of every changed
path (read from the base revision) must be among the counted approvers."""

from __future__ import annotations

from gitwarden.review.change import Change
from gitwarden.review.engine import CodeOwnersCheck
from gitwarden.review.principals import Principals
from gitwarden.sources.git_repository import GitRepository


def codeowners_check(
    repo: GitRepository, change: Change, principals: Principals, forge: str | None
) -> CodeOwnersCheck | None:
    """None until a CODEOWNERS reader is wired: the engine then reports the requirement as
    not evaluated, and the rule as unsatisfied (fail closed)."""
    del repo, change, principals, forge
    return None
