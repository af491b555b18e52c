"""The review policy as data: rules by branch and changed paths, and what each one needs.

Read from the base revision's ``.gitwarden/review.yaml`` (see
``gitwarden.config_schema.review_yaml``); the engine evaluates it against one change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from gitwarden.path_patterns import glob_match, name_glob_match

POLICY_PATH = ".gitwarden/review.yaml"
DEFAULT_BLIND_APPROVALS = ("lgtm", "+1", "approved", "ok", "👍", "ship it", "yes")
DEFAULT_MIN_MESSAGE_LENGTH = 3
DEFAULT_SECURITY_GROUP = "security"
# The defaults: what a change to these paths or kinds of objects can weaken.
DEFAULT_SECURITY_PATHS = (
    ".gitwarden/**",
    "CODEOWNERS",
    ".github/CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
    ".github/workflows/**",
    ".gitlab-ci.yml",
    ".gitlab-ci/**",
    "**/rbac/**",
)
DEFAULT_SECURITY_KINDS = (
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ServiceAccount",
    "NetworkPolicy",
    "CiliumNetworkPolicy",
    "CiliumClusterwideNetworkPolicy",
    "AuthorizationPolicy",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy",
    "ConstraintTemplate",
    "ClusterPolicy",
    "Policy",
    "PodSecurityPolicy",
)


@dataclass(frozen=True)
class ChangeShape:
    """What a condition looks at: changed paths, how many files, and the object kinds
    each changed path holds (before or after the change)."""

    paths: tuple[str, ...]
    kinds: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    # The production paths of the base revision's `.gitwarden.yaml`.
    production_paths: tuple[str, ...] = ()

    @property
    def file_count(self) -> int:
        return len(self.paths)


@dataclass(frozen=True)
class PathsCondition:
    patterns: tuple[str, ...]

    def matching(self, shape: ChangeShape) -> tuple[str, ...]:
        return tuple(p for p in shape.paths if any(glob_match(g, p) for g in self.patterns))


@dataclass(frozen=True)
class KindsCondition:
    kinds: frozenset[str]

    def matching(self, shape: ChangeShape) -> tuple[str, ...]:
        return tuple(p for p in shape.paths if shape.kinds.get(p, frozenset()) & self.kinds)


@dataclass(frozen=True)
class ProductionCondition:
    """A changed path is a production path (``production.paths`` of `.gitwarden.yaml`)."""

    def matching(self, shape: ChangeShape) -> tuple[str, ...]:
        patterns = shape.production_paths
        return tuple(p for p in shape.paths if any(glob_match(g, p) for g in patterns))


@dataclass(frozen=True)
class FileCountCondition:
    at_least: int

    def matching(self, shape: ChangeShape) -> tuple[str, ...]:
        return shape.paths if shape.file_count >= self.at_least else ()


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]

    def matching(self, shape: ChangeShape) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for condition in self.conditions:
            paths = condition.matching(shape)
            if not paths:
                return ()
            found.update(dict.fromkeys(paths))
        return tuple(found)


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]

    def matching(self, shape: ChangeShape) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for condition in self.conditions:
            found.update(dict.fromkeys(condition.matching(shape)))
        return tuple(found)


Condition = (
    PathsCondition | KindsCondition | FileCountCondition | ProductionCondition | AllOf | AnyOf
)


@dataclass(frozen=True)
class FourEyes:
    """Who may not approve their own change: authors always; committers and co-authors
    unless switched off."""

    committers: bool = True
    co_authors: bool = True


@dataclass(frozen=True)
class ReviewRule:
    """``approvals`` distinct approvers (from ``from_groups`` when named) for changes to
    ``branches`` that meet ``when``. ``codeowners``: every changed path's owners approve.
    ``delegation``: a product owner's signed delegate counts as that group's member."""

    name: str
    branches: tuple[str, ...] = ("**",)
    when: Condition | None = None
    approvals: int = 1
    from_groups: tuple[str, ...] = ()
    codeowners: bool = False
    delegation: bool = False
    invalidate_on_push: bool = True
    line: int = 1

    def applies_to_branch(self, branch: str) -> bool:
        short = branch.removeprefix("refs/heads/")
        return any(name_glob_match(b.removeprefix("refs/heads/"), short) for b in self.branches)

    def applies_to(self, shape: ChangeShape) -> tuple[str, ...]:
        """The paths that make this rule apply (every path without ``when``); () if none."""
        return shape.paths if self.when is None else self.when.matching(shape)


@dataclass(frozen=True)
class SecuritySensitivity:
    """The built-in security rule: paths and kinds whose change needs the security group."""

    group: str = DEFAULT_SECURITY_GROUP
    paths: tuple[str, ...] = DEFAULT_SECURITY_PATHS
    kinds: frozenset[str] = frozenset(DEFAULT_SECURITY_KINDS)
    approvals: int = 1

    def as_rule(self, branches: tuple[str, ...]) -> ReviewRule:
        return ReviewRule(
            name="security-sensitive",
            branches=branches,
            when=AnyOf((PathsCondition(self.paths), KindsCondition(self.kinds))),
            approvals=self.approvals,
            from_groups=(self.group,),
        )


@dataclass(frozen=True)
class ReviewPolicy:
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    rules: tuple[ReviewRule, ...] = ()
    blind_approvals: tuple[str, ...] = DEFAULT_BLIND_APPROVALS
    min_message_length: int = DEFAULT_MIN_MESSAGE_LENGTH
    four_eyes: FourEyes = FourEyes()
    security: SecuritySensitivity | None = SecuritySensitivity()
    source: str = POLICY_PATH

    def effective_rules(self) -> tuple[ReviewRule, ...]:
        """The policy's rules, and the built-in security rule when its group is defined
        (on every branch some rule names)."""
        if self.security is None or self.security.group not in self.groups:
            return self.rules
        branches = tuple(dict.fromkeys(b for rule in self.rules for b in rule.branches))
        return (*self.rules, self.security.as_rule(branches or ("**",)))

    def asks_for_production(self) -> bool:
        """True when some rule's condition names production paths."""

        def visit(condition: Condition | None) -> bool:
            if isinstance(condition, ProductionCondition):
                return True
            if isinstance(condition, AllOf | AnyOf):
                return any(visit(part) for part in condition.conditions)
            return False

        return any(visit(rule.when) for rule in self.rules)

    def kinds_of_interest(self) -> frozenset[str]:
        """Every object kind some rule's condition names: the only kinds worth parsing for."""
        found: set[str] = set()

        def visit(condition: Condition | None) -> None:
            if isinstance(condition, KindsCondition):
                found.update(condition.kinds)
            elif isinstance(condition, AllOf | AnyOf):
                for part in condition.conditions:
                    visit(part)

        for rule in self.effective_rules():
            visit(rule.when)
        return frozenset(found)

    def members(self, group: str) -> tuple[str, ...]:
        """The group's principals; a forge team not yet replaced by its members (see
        review.forge_teams) stands for no one here, and the command never lets that happen."""
        return tuple(m for m in self.groups.get(group, ()) if ":" not in m)

    def is_blind(self, message: str) -> bool:
        text = " ".join(message.split()).strip().lower().rstrip(".!")
        if len(text) < self.min_message_length:
            return True
        return text in {m.lower() for m in self.blind_approvals}
