"""The schema of `.gitwarden/review.yaml`: groups, rules by branch and paths, conditions.

Declared with the shared schema layer (file:line errors, "did you mean"), read from the
base revision by `gitwarden review`, and turned into `gitwarden.review.policy` data.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from gitwarden.errors import ConfigError
from gitwarden.review import policy as review
from gitwarden.review.forge_teams import team_problem
from gitwarden.yaml_schema.declaration import Section, did_you_mean, refuse
from gitwarden.yaml_schema.document import read_document
from gitwarden.yaml_schema.values import NameGlob, PathGlob, Text, listed, non_empty_string

MAX_REVIEW_FILE_BYTES = 1024 * 1024
List = listed("must be a list")
Texts = Annotated[tuple[Text, ...], List]


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise refuse("must be a whole number, 0 or more")
    return value


def _positive(value: Any) -> int:
    if _count(value) < 1:
        raise refuse("must be a whole number, 1 or more")
    return int(value)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise refuse("must be true or false")
    return value


def _blind(value: Any) -> str:
    # YAML reads `ok` as a string but `+1` could be written bare as a number.
    return non_empty_string(str(value) if isinstance(value, int | float) else value)


def _group_member(value: Any) -> str:
    member = non_empty_string(value)
    problem = team_problem(member)
    if problem is not None:
        raise refuse(problem)
    return member


GroupMember = Annotated[
    str,
    BeforeValidator(_group_member),
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "description": "a principal of the trust policy, or a forge team: "
            "github:ORG/TEAM-SLUG, gitlab:GROUP/SUBGROUP",
        }
    ),
]
Count = Annotated[int, BeforeValidator(_count), WithJsonSchema({"type": "integer", "minimum": 0})]
Positive = Annotated[
    int, BeforeValidator(_positive), WithJsonSchema({"type": "integer", "minimum": 1})
]
Flag = Annotated[bool, BeforeValidator(_flag), WithJsonSchema({"type": "boolean"})]


class When(Section):
    """Conditions on the change; several keys must all hold."""

    not_a_mapping: ClassVar[str | None] = "must be a mapping of conditions"

    paths: Annotated[tuple[PathGlob, ...], List] = Field((), description="a changed path matches")
    kinds: Texts = Field((), description="a changed file holds an object of one of these kinds")
    changed_files_at_least: Positive | None = Field(
        None, description="at least this many files change (added, deleted, renamed count)"
    )
    production: Flag = Field(
        False, description="a changed path is a production path of .gitwarden.yaml"
    )
    all: Annotated[tuple[When, ...], List] = Field((), description="every condition holds")
    any: Annotated[tuple[When, ...], List] = Field((), description="some condition holds")

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        conditions = (self.paths, self.kinds, self.changed_files_at_least, self.production)
        if not (any(conditions) or self.all or self.any):
            raise refuse(
                "names no condition (paths, kinds, changed_files_at_least, production, all, any)"
            )
        return self

    def condition(self) -> review.Condition:
        parts: list[review.Condition] = []
        if self.paths:
            parts.append(review.PathsCondition(self.paths))
        if self.kinds:
            parts.append(review.KindsCondition(frozenset(self.kinds)))
        if self.changed_files_at_least is not None:
            parts.append(review.FileCountCondition(self.changed_files_at_least))
        if self.production:
            parts.append(review.ProductionCondition())
        if self.all:
            parts.append(review.AllOf(tuple(w.condition() for w in self.all)))
        if self.any:
            parts.append(review.AnyOf(tuple(w.condition() for w in self.any)))
        return parts[0] if len(parts) == 1 else review.AllOf(tuple(parts))


class Rule(Section):
    not_a_mapping: ClassVar[str | None] = "must be a mapping with a name"

    name: Text
    branches: Annotated[tuple[NameGlob, ...], List] = Field(
        ("**",), description="target branches (main, release/*); default: every branch"
    )
    when: When | None = None
    approvals: Count = Field(1, description="distinct approvers needed")
    from_: Texts = Field((), alias="from", description="groups the approvers must belong to")
    codeowners: Flag = Field(False, description="the owners of every changed path approve")
    delegation: Flag = Field(False, description="a signed delegation by a member counts")
    invalidate_on_push: Flag = Field(True, description="an approval counts for its tree only")

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, value: Any) -> Any:
        # As Section's check, but knowing the YAML key `from` (a Python keyword) by its alias.
        keys = [info.alias or name for name, info in cls.model_fields.items()]
        if not isinstance(value, Mapping):
            raise refuse(cls.not_a_mapping or "must be a mapping")
        for key in value:
            if key not in keys:
                raise refuse("unknown key", at=(key,), hint=did_you_mean(str(key), keys))
        if "name" not in value:
            raise refuse("missing required key 'name'")
        return value


class FourEyes(Section):
    not_a_mapping: ClassVar[str | None] = "must be a mapping"

    committers: Flag = Field(True, description="committers to the change never count")
    co_authors: Flag = Field(True, description="Co-authored-by people never count")


class Security(Section):
    not_a_mapping: ClassVar[str | None] = "must be a mapping, or false"

    group: Text = review.DEFAULT_SECURITY_GROUP
    paths: Annotated[tuple[PathGlob, ...], List] = review.DEFAULT_SECURITY_PATHS
    kinds: Texts = review.DEFAULT_SECURITY_KINDS
    approvals: Positive = 1


def _security(value: Any) -> Any:
    if value is False:
        return None
    return value


class ReviewFile(Section):
    """`.gitwarden/review.yaml`: who must approve which changes, read from the base revision."""

    not_a_mapping: ClassVar[str | None] = "must be a mapping"

    version: Literal[1] = 1
    groups: dict[str, Annotated[tuple[GroupMember, ...], List]] = Field(
        default_factory=dict, description="group -> principals and forge teams"
    )
    blind_approvals: Annotated[tuple[Annotated[str, BeforeValidator(_blind)], ...], List] = Field(
        review.DEFAULT_BLIND_APPROVALS, description="messages that are not a review"
    )
    min_message_length: Count = review.DEFAULT_MIN_MESSAGE_LENGTH
    four_eyes: FourEyes = Field(default_factory=lambda: FourEyes(committers=True, co_authors=True))
    security: Annotated[Security | None, BeforeValidator(_security)] = Field(
        Security(), description="the built-in security rule; false switches it off"
    )
    rules: Annotated[tuple[Rule, ...], List] = ()

    @model_validator(mode="after")
    def _groups_exist(self) -> Self:
        for index, rule in enumerate(self.rules):
            for position, group in enumerate(rule.from_):
                if group not in self.groups:
                    close = difflib.get_close_matches(group, list(self.groups), n=1)
                    hint = (
                        f"did you mean '{close[0]}'?"
                        if close
                        else "groups: " + (", ".join(sorted(self.groups)) or "none defined")
                    )
                    raise refuse(
                        f"no group named {group!r}",
                        at=("rules", index, "from", position),
                        hint=hint,
                    )
        return self


def read_review_policy(text: str, name: str = review.POLICY_PATH) -> review.ReviewPolicy:
    """The review policy in ``text``; raises ConfigError with file:line."""
    if len(text) > MAX_REVIEW_FILE_BYTES:
        raise ConfigError(f"is larger than {MAX_REVIEW_FILE_BYTES} bytes", file=name)
    document = read_document(ReviewFile, text, name, not_a_mapping="must be a mapping")
    if document.value is None:
        raise ConfigError("is empty: it must name at least one rule", file=name)
    value = document.value
    security = value.security
    return review.ReviewPolicy(
        groups={name: members for name, members in value.groups.items()},
        rules=tuple(
            review.ReviewRule(
                name=rule.name,
                branches=rule.branches,
                when=None if rule.when is None else rule.when.condition(),
                approvals=rule.approvals,
                from_groups=rule.from_,
                codeowners=rule.codeowners,
                delegation=rule.delegation,
                invalidate_on_push=rule.invalidate_on_push,
                line=document.line(("rules", index)),
            )
            for index, rule in enumerate(value.rules)
        ),
        blind_approvals=value.blind_approvals,
        min_message_length=value.min_message_length,
        four_eyes=review.FourEyes(value.four_eyes.committers, value.four_eyes.co_authors),
        security=None
        if security is None
        else review.SecuritySensitivity(
            security.group, security.paths, frozenset(security.kinds), security.approvals
        ),
        source=name,
    )
