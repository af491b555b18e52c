"""The schema of `.gitwarden/trust.yaml`: principals and their keys, signing rules, revocations.

Declared here, by the family that reads the file (``trust_file`` turns it into a
``TrustPolicy``), with ``yaml_schema``'s sections; ``config_schema.trust_yaml`` publishes it.
A principal's key lists come from the registered signature schemes (each ``key_format``
names its list and its entry, each ``parse_key`` checks one key), so a new scheme adds its
list with nothing changed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import cache, partial
from typing import Annotated, Any, ClassVar, Generic, Literal, Self, TypeVar

from pydantic import BeforeValidator, Field, WithJsonSchema, create_model, model_validator
from pydantic.json_schema import SkipJsonSchema

from gitwarden.integrity.signature_scheme import SignatureError, SignatureScheme
from gitwarden.integrity.trust_policy import DEFAULT_WARNING_DAYS, SUPPORTED_VERSION
from gitwarden.yaml_schema.declaration import OrText, Section, refuse
from gitwarden.yaml_schema.values import Text, listed, name_glob, non_empty_string, path_glob

_MOMENT_SCHEMA = {"type": "string", "description": "a date (2026-01-31) or an ISO timestamp"}


def _moment(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise refuse("must be a date (2026-01-31) or a timestamp") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise refuse("must be a date (2026-01-31) or a timestamp")


def _days(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise refuse("must be a whole number of days, 0 or more")
    return value


def _version(value: Any) -> int:
    if value != SUPPORTED_VERSION:
        raise refuse(f"version {value!r} is not supported (use 1)")
    return SUPPORTED_VERSION


Moment = Annotated[
    datetime | SkipJsonSchema[None], BeforeValidator(_moment), WithJsonSchema(_MOMENT_SCHEMA)
]
Days = Annotated[
    int | SkipJsonSchema[None],
    BeforeValidator(_days),
    WithJsonSchema({"type": "integer", "minimum": 0}),
]
List = listed("must be a list")
RefGlobs = Annotated[tuple[Annotated[str, BeforeValidator(name_glob)], ...], List]
PathGlobs = Annotated[tuple[Annotated[str, BeforeValidator(path_glob)], ...], List]
Names = Annotated[tuple[Text, ...], List]
OptionalText = Annotated[str | SkipJsonSchema[None], BeforeValidator(non_empty_string)]


class KeyDates(Section):
    """What every key entry has beside its text (subclassed per scheme)."""

    not_a_mapping: ClassVar[str | None] = "must be a mapping"

    added: Moment = Field(None, description="start of the key's age")
    valid_after: Moment = None
    valid_before: Moment = None


def _emails(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Identities(Section):
    """A principal's identities; its key lists are added per scheme (``principal_section``)."""

    not_a_mapping: ClassVar[str | None] = "must be a mapping"

    email: Annotated[tuple[Text, ...], List, BeforeValidator(_emails)] = Field(
        (), description="e-mail addresses, matched against commit authors and committers"
    )
    github: OptionalText = Field(None, description="the principal's GitHub user name")
    gitlab: OptionalText = Field(None, description="the principal's GitLab user name")


PrincipalT = TypeVar("PrincipalT", bound=Identities)


def _key_text(scheme: SignatureScheme, value: Any) -> str:
    text = non_empty_string(value)
    try:
        scheme.parse_key(text)
    except SignatureError as error:
        raise refuse(str(error)) from None
    return text


def _as_entry(field: str, value: Any) -> Any:
    if isinstance(value, str):
        return {field: value}
    known = {field, *KeyDates.model_fields}
    if isinstance(value, dict) and field not in value and set(value) <= known:
        # Refused where the text belongs, in the words an empty text gets.
        raise refuse("must be a non-empty string", at=(field,))
    return value


def _key_list(scheme: SignatureScheme) -> Any:
    """The principal's list of ``scheme``'s keys: each its text alone, or a mapping with the
    text and dates (both read into the mapping form)."""
    form = scheme.key_format
    text: dict[str, Any] = {
        form.entry_field: (
            Annotated[str, BeforeValidator(partial(_key_text, scheme))],
            Field(description=form.entry_description or form.description),
        )
    }
    entry = create_model(
        form.schema_name or f"{scheme.name.capitalize()}Key", __base__=KeyDates, **text
    )
    alone = form.text_alone or f"the {form.entry_field} alone"
    item = Annotated[entry, BeforeValidator(partial(_as_entry, form.entry_field)), OrText(alone)]  # type: ignore[valid-type]
    return (Annotated[tuple[item, ...], List], ())


def _empty_principal(value: Any) -> Any:
    return value or {}


def _principal_names(value: Any) -> Any:
    if not isinstance(value, dict):
        raise refuse("must map principal names to their keys")
    return value


class SigningRule(Section):
    not_a_mapping: ClassVar[str | None] = "must be a mapping"

    branches: RefGlobs = Field((), description="main, release/* or full refs")
    paths: PathGlobs = Field(("**",), description="path globs; default: every path")
    principals: Names = ()
    threshold: Days = Field(1, description="distinct principals that must sign")

    @model_validator(mode="after")
    def _sensible(self) -> Self:
        if not self.branches:
            raise refuse("must name at least one branch", at=("branches",))
        threshold = self.threshold or 0
        if not 1 <= threshold <= max(1, len(self.principals)):
            raise refuse(
                f"must be between 1 and {len(self.principals)} (the principals)",
                at=("threshold",),
            )
        return self


class Revocation(Section):
    not_a_mapping: ClassVar[str | None] = "must be a mapping"

    key: OptionalText = Field(
        None, description="an SSH key fingerprint (SHA256:...) or an OpenPGP fingerprint"
    )
    principal: OptionalText = None
    reason: Annotated[Any, WithJsonSchema({"type": "string"})] = None
    revoked_on: Moment = None

    @model_validator(mode="before")
    @classmethod
    def _one_target(cls, value: Any) -> Any:
        if isinstance(value, dict) and (value.get("key") is None) == (
            value.get("principal") is None
        ):
            raise refuse("name exactly one of key or principal")
        return value


class TrustFile(Section, Generic[PrincipalT]):
    """`.gitwarden/trust.yaml`: who may sign what, kept (and signed) in the repository."""

    not_a_mapping: ClassVar[str | None] = "must be a mapping"

    version: Annotated[Literal[1], BeforeValidator(_version)] = SUPPORTED_VERSION
    max_key_age_days: Days = Field(None, description="keys older than this fail")
    key_age_warning_days: Days = Field(
        DEFAULT_WARNING_DAYS, description="warn this long before the age limit"
    )
    principals: Annotated[
        dict[str, Annotated[PrincipalT, BeforeValidator(_empty_principal)]],
        BeforeValidator(_principal_names),
    ] = Field(default_factory=dict)
    rules: Annotated[tuple[SigningRule, ...], List] = ()
    revoked: Annotated[tuple[Revocation, ...], List] = ()
    protected_refs: RefGlobs = Field((), description="default: the rules' branches and tags")
    ledger_recorders: Names = Field((), description="principals who may sign ledger entries")

    @model_validator(mode="after")
    def _principals_exist(self) -> Self:
        names = set(self.principals)
        for index, rule in enumerate(self.rules):
            for position, principal in enumerate(rule.principals):
                if principal not in names:
                    raise refuse(
                        f"no principal named {principal!r}",
                        at=("rules", index, "principals", position),
                    )
        for index, recorder in enumerate(self.ledger_recorders):
            if recorder not in names:
                raise refuse(f"no principal named {recorder!r}", at=("ledger_recorders", index))
        return self


@cache
def trust_file_schema(kinds: tuple[type[SignatureScheme], ...]) -> type[TrustFile[Any]]:
    """The schema for these schemes (memoised: a schema is built once per set of schemes)."""
    schemes: Sequence[SignatureScheme] = [kind() for kind in kinds]
    key_lists: dict[str, Any] = {s.key_format.list_field: _key_list(s) for s in schemes}
    principal = create_model("Principal", __base__=Identities, **key_lists)

    class Schema(TrustFile[principal]):  # type: ignore[valid-type]
        __doc__ = TrustFile.__doc__  # the published schema's description

    return Schema
