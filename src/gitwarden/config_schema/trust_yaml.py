"""The schema of `.gitwarden/trust.yaml`: principals and their keys, signing rules, revocations.

`gitwarden.integrity.trust_file` still reads the file this release; this declaration checks
the same things (tests hold the two to the same verdicts) and publishes the JSON Schema, so
the reader can move onto it without a change of behaviour.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator
from pydantic.json_schema import SkipJsonSchema

from gitwarden.config_schema.declaration import OrText, Section, refuse
from gitwarden.config_schema.document import read_document
from gitwarden.config_schema.values import Text, listed, name_glob, non_empty_string, path_glob
from gitwarden.errors import ConfigError
from gitwarden.integrity.openpgp import cert_fingerprint
from gitwarden.integrity.signature_scheme import SignatureError
from gitwarden.integrity.ssh_wire import WireFormatError, parse_public_key_line

SUPPORTED_VERSION: Literal[1] = 1
MAX_TRUST_FILE_BYTES = 4 * 1024 * 1024
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


def _ssh_key(value: Any) -> str:
    text = non_empty_string(value)
    try:
        parse_public_key_line(text)
    except WireFormatError as error:
        raise refuse(f"not an SSH public key: {error}") from None
    return text


def _openpgp_cert(value: Any) -> str:
    text = non_empty_string(value)
    try:
        cert_fingerprint(text.encode())
    except SignatureError as error:
        raise refuse(str(error)) from None
    return text


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


class KeyDates(Section):
    not_a_mapping: ClassVar[str | None] = "must be a mapping"

    added: Moment = Field(None, description="start of the key's age")
    valid_after: Moment = None
    valid_before: Moment = None


class SshKey(KeyDates):
    key: Annotated[str, BeforeValidator(_ssh_key)] = Field(
        description="an authorized_keys line: ssh-ed25519 AAAA... comment"
    )


class OpenPgpCert(KeyDates):
    cert: Annotated[str, BeforeValidator(_openpgp_cert)] = Field(
        description="an ASCII-armored OpenPGP public key block"
    )


def _as_key(value: Any) -> Any:
    return {"key": value} if isinstance(value, str) else value


def _as_cert(value: Any) -> Any:
    return {"cert": value} if isinstance(value, str) else value


# A key is its line alone, or a mapping with its dates; both read into the mapping form.
SshKeyEntry = Annotated[SshKey, BeforeValidator(_as_key), OrText("the key line alone")]
OpenPgpEntry = Annotated[OpenPgpCert, BeforeValidator(_as_cert), OrText("the armored cert alone")]


def _emails(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Principal(Section):
    not_a_mapping: ClassVar[str | None] = "must be a mapping"

    email: Annotated[tuple[Text, ...], List, BeforeValidator(_emails)] = Field(
        (), description="e-mail addresses, matched against commit authors and committers"
    )
    github: Annotated[str | SkipJsonSchema[None], BeforeValidator(non_empty_string)] = Field(
        None, description="the principal's GitHub user name"
    )
    gitlab: Annotated[str | SkipJsonSchema[None], BeforeValidator(non_empty_string)] = Field(
        None, description="the principal's GitLab user name"
    )

    ssh_keys: Annotated[tuple[SshKeyEntry, ...], List] = ()
    openpgp_certs: Annotated[tuple[OpenPgpEntry, ...], List] = ()


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

    key: Annotated[str | SkipJsonSchema[None], BeforeValidator(non_empty_string)] = Field(
        None, description="an SSH key fingerprint (SHA256:...) or an OpenPGP fingerprint"
    )
    principal: Annotated[str | SkipJsonSchema[None], BeforeValidator(non_empty_string)] = None
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


class TrustFile(Section):
    """`.gitwarden/trust.yaml`: who may sign what, kept (and signed) in the repository."""

    not_a_mapping: ClassVar[str | None] = "must be a mapping"

    version: Annotated[Literal[1], BeforeValidator(_version)] = SUPPORTED_VERSION
    max_key_age_days: Days = Field(None, description="keys older than this fail")
    key_age_warning_days: Days = Field(30, description="warn this long before the age limit")
    principals: Annotated[
        dict[str, Annotated[Principal, BeforeValidator(_empty_principal)]],
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


def read_trust_file(text: str, name: str) -> TrustFile:
    """The trust policy in ``text`` checked against the schema; raises ConfigError."""
    if len(text) > MAX_TRUST_FILE_BYTES:
        raise ConfigError(f"is larger than {MAX_TRUST_FILE_BYTES} bytes", file=name)
    document = read_document(
        TrustFile, text, name, not_a_mapping="must hold exactly one YAML mapping"
    )
    if document.value is None:
        raise ConfigError("must hold exactly one YAML mapping", file=name)
    return document.value
