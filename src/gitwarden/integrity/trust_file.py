"""Reading and writing ``.gitwarden/trust.yaml``; errors name the file, line and key.

Layout::

    version: 1
    max_key_age_days: 365          # optional: keys older than this fail
    key_age_warning_days: 30       # a finding this long before a key reaches the age limit
    principals:
      alice:
        email: [alice@example.com]      # optional: matched against commit authors/committers
        github: alice                   # optional: forge user names (for `gitwarden review`)
        gitlab: alice
        ssh_keys:
          - key: ssh-ed25519 AAAA... alice@laptop
            added: 2026-01-10           # start of the key's age
            valid_after: 2026-01-10     # optional window, as in git's allowed_signers
            valid_before: 2027-01-10
        openpgp_certs:
          - cert: |
              -----BEGIN PGP PUBLIC KEY BLOCK-----
              ...
    rules:
      - branches: [main, "release/*"]   # refs/heads/ is implied; full refs also work
        paths: ["clusters/prod/**"]     # default: every path
        principals: [alice, bob]
        threshold: 2                    # default 1
    revoked:
      - key: SHA256:...                 # or an OpenPGP fingerprint, or principal: NAME
        reason: laptop stolen
    protected_refs: ["refs/heads/main", "refs/tags/*"]  # default: rule branches + tags
    ledger_recorders: [ci-bot]          # principals whose SSH keys may sign ledger entries
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import yaml

from gitwarden.errors import ConfigError
from gitwarden.integrity.schemes import SchemeSet
from gitwarden.integrity.signature_scheme import SignatureError, SignatureScheme
from gitwarden.integrity.trust_policy import (
    DEFAULT_WARNING_DAYS,
    Principal,
    PrincipalKey,
    Revocation,
    SigningRule,
    TrustPolicy,
)
from gitwarden.located_errors import config_error_at
from gitwarden.manifests.yaml_nodes import (
    FieldPath,
    Position,
    YamlLimitError,
    YamlSyntaxError,
    parse_documents,
)
from gitwarden.path_patterns import compile_glob, compile_name_glob

MAX_POLICY_BYTES = 4 * 1024 * 1024
# A principal's identities beside its keys: e-mail addresses and forge user names.
IDENTITY_FIELDS = ("email", "github", "gitlab")
SUPPORTED_VERSION = 1


def parse_trust_policy(text: str, name: str) -> TrustPolicy:
    """The policy in ``text`` (named ``name`` in errors); raises ConfigError."""
    if len(text) > MAX_POLICY_BYTES:
        raise ConfigError(f"is larger than {MAX_POLICY_BYTES} bytes", file=name)
    try:
        documents = list(parse_documents(text))
    except (YamlSyntaxError, YamlLimitError) as error:
        raise ConfigError(f"invalid YAML: {error}", file=name, line=error.line) from None
    if len(documents) != 1 or not isinstance(documents[0].value, dict):
        raise ConfigError("must hold exactly one YAML mapping", file=name)
    return _PolicyReader(name, documents[0].positions).read(documents[0].value)


class _PolicyReader:
    def __init__(self, name: str, positions: Mapping[FieldPath, Position]) -> None:
        self.name = name
        self.positions = positions

    def error(self, path: FieldPath, message: str, hint: str | None = None) -> ConfigError:
        return config_error_at(self.name, self.positions, path, message, hint)

    def mapping(self, value: Any, path: FieldPath, readers: Mapping[str, object]) -> None:
        if not isinstance(value, dict):
            raise self.error(path, "must be a mapping")
        for key in value:
            if key not in readers:
                close = difflib.get_close_matches(str(key), list(readers), n=1)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else "known keys: " + ", ".join(sorted(readers))
                )
                raise self.error((*path, key), "unknown key", hint)

    def read(self, value: dict[str, Any]) -> TrustPolicy:
        keys = (
            "version",
            "max_key_age_days",
            "key_age_warning_days",
            "principals",
            "rules",
            "revoked",
            "protected_refs",
            "ledger_recorders",
        )
        self.mapping(value, (), dict.fromkeys(keys))
        version = value.get("version", SUPPORTED_VERSION)
        if version != SUPPORTED_VERSION:
            raise self.error(("version",), f"version {version!r} is not supported (use 1)")
        principals = self.principals(value.get("principals", {}), ("principals",))
        names = {p.name for p in principals}
        rules = tuple(
            self.rule(item, ("rules", i), names)
            for i, item in enumerate(self.list(value.get("rules", []), ("rules",)))
        )
        revoked = tuple(
            self.revocation(item, ("revoked", i))
            for i, item in enumerate(self.list(value.get("revoked", []), ("revoked",)))
        )
        recorders = self.strings(value.get("ledger_recorders", []), ("ledger_recorders",))
        for index, recorder in enumerate(recorders):
            if recorder not in names:
                raise self.error(("ledger_recorders", index), f"no principal named {recorder!r}")
        return TrustPolicy(
            principals=principals,
            rules=rules,
            revoked=revoked,
            max_key_age_days=self.optional_int(
                value.get("max_key_age_days"), ("max_key_age_days",)
            ),
            key_age_warning_days=self.optional_int(
                value.get("key_age_warning_days", DEFAULT_WARNING_DAYS), ("key_age_warning_days",)
            )
            or 0,
            protected_refs=self.globs(value.get("protected_refs", []), ("protected_refs",)),
            ledger_recorders=recorders,
        )

    def list(self, value: Any, path: FieldPath) -> list[Any]:
        if not isinstance(value, list):
            raise self.error(path, "must be a list")
        return value

    def string(self, value: Any, path: FieldPath) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(path, "must be a non-empty string")
        return value.strip()

    def strings(self, value: Any, path: FieldPath) -> tuple[str, ...]:
        return tuple(self.string(v, (*path, i)) for i, v in enumerate(self.list(value, path)))

    def globs(self, value: Any, path: FieldPath, *, paths: bool = False) -> tuple[str, ...]:
        patterns = self.strings(value, path)
        for index, pattern in enumerate(patterns):
            try:
                (compile_glob if paths else compile_name_glob)(pattern)
            except ValueError as error:
                raise self.error((*path, index), str(error)) from None
        return patterns

    def optional_int(self, value: Any, path: FieldPath) -> int | None:
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.error(path, "must be a whole number of days, 0 or more")
        return value

    def day(self, value: Any, path: FieldPath) -> date | None:
        moment = self.moment(value, path)
        return None if moment is None else moment.date()

    def moment(self, value: Any, path: FieldPath) -> datetime | None:
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
                raise self.error(path, "must be a date (2026-01-31) or a timestamp") from None
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        raise self.error(path, "must be a date (2026-01-31) or a timestamp")

    def principals(self, value: Any, path: FieldPath) -> tuple[Principal, ...]:
        if not isinstance(value, dict):
            raise self.error(path, "must map principal names to their keys")
        schemes = SchemeSet().schemes
        fields = {scheme.key_format.list_field: scheme for scheme in schemes}
        result = []
        for name, body in value.items():
            where = (*path, name)
            body = body or {}
            self.mapping(body, where, dict.fromkeys((*fields, *IDENTITY_FIELDS)))
            keys = [
                self.key(scheme, item, (*where, field, i))
                for field, scheme in fields.items()
                for i, item in enumerate(self.list(body.get(field, []), (*where, field)))
            ]
            emails = body.get("email", [])
            emails = [emails] if isinstance(emails, str) else emails
            result.append(
                Principal(
                    str(name),
                    tuple(keys),
                    emails=self.strings(emails, (*where, "email")),
                    github=self.optional_string(body.get("github"), (*where, "github")),
                    gitlab=self.optional_string(body.get("gitlab"), (*where, "gitlab")),
                )
            )
        return tuple(result)

    def optional_string(self, value: Any, path: FieldPath) -> str | None:
        return None if value is None else self.string(value, path)

    def key_dates(self, value: dict[str, Any], path: FieldPath) -> dict[str, Any]:
        return {
            "added": self.day(value.get("added"), (*path, "added")),
            "valid_after": self.moment(value.get("valid_after"), (*path, "valid_after")),
            "valid_before": self.moment(value.get("valid_before"), (*path, "valid_before")),
        }

    def key(self, scheme: SignatureScheme, value: Any, path: FieldPath) -> PrincipalKey:
        """One key of ``scheme``: its text alone, or a mapping with the text and dates."""
        entry = scheme.key_format.entry_field
        if isinstance(value, str):
            value = {entry: value}
        self.mapping(value, path, dict.fromkeys((entry, "added", "valid_after", "valid_before")))
        text = self.string(value.get(entry), (*path, entry))
        try:
            parsed = scheme.parse_key(text)
        except SignatureError as error:
            raise self.error((*path, entry), str(error)) from None
        return PrincipalKey(
            scheme.name,
            parsed.fingerprint,
            parsed.text,
            parsed.material,
            **self.key_dates(value, path),
        )

    def rule(self, value: Any, path: FieldPath, names: set[str]) -> SigningRule:
        self.mapping(value, path, dict.fromkeys(("branches", "paths", "principals", "threshold")))
        branches = self.globs(value.get("branches", []), (*path, "branches"))
        if not branches:
            raise self.error((*path, "branches"), "must name at least one branch")
        principals = self.strings(value.get("principals", []), (*path, "principals"))
        for index, principal in enumerate(principals):
            if principal not in names:
                raise self.error((*path, "principals", index), f"no principal named {principal!r}")
        threshold = self.optional_int(value.get("threshold", 1), (*path, "threshold")) or 0
        if not 1 <= threshold <= max(1, len(principals)):
            raise self.error(
                (*path, "threshold"), f"must be between 1 and {len(principals)} (the principals)"
            )
        paths = self.globs(value.get("paths", ["**"]), (*path, "paths"), paths=True)
        return SigningRule(branches, principals, paths or ("**",), threshold)

    def revocation(self, value: Any, path: FieldPath) -> Revocation:
        self.mapping(value, path, dict.fromkeys(("key", "principal", "reason", "revoked_on")))
        key = value.get("key")
        principal = value.get("principal")
        if (key is None) == (principal is None):
            raise self.error(path, "name exactly one of key or principal")
        return Revocation(
            key=None if key is None else self.string(key, (*path, "key")),
            principal=None if principal is None else self.string(principal, (*path, "principal")),
            reason=str(value.get("reason", "")),
            revoked_on=self.day(value.get("revoked_on"), (*path, "revoked_on")),
        )


def dump_trust_policy(policy: TrustPolicy) -> str:
    """The policy as YAML that parse_trust_policy reads back to the same policy."""

    schemes = SchemeSet().schemes

    def key_entry(key: PrincipalKey, scheme: SignatureScheme) -> dict[str, Any]:
        entry: dict[str, Any] = {scheme.key_format.entry_field: key.text}
        for name in ("added", "valid_after", "valid_before"):
            value = getattr(key, name)
            if value is not None:
                entry[name] = value.isoformat()
        return entry

    principals: dict[str, Any] = {}
    for principal in policy.principals:
        body: dict[str, Any] = {}
        if principal.emails:
            body["email"] = list(principal.emails)
        for forge in ("github", "gitlab"):
            user = principal.forge_user(forge)
            if user:
                body[forge] = user
        for scheme in schemes:
            entries = [key_entry(k, scheme) for k in principal.keys if k.scheme == scheme.name]
            if entries:
                body[scheme.key_format.list_field] = entries
        principals[principal.name] = body
    document: dict[str, Any] = {"version": SUPPORTED_VERSION}
    if policy.max_key_age_days is not None:
        document["max_key_age_days"] = policy.max_key_age_days
    document["key_age_warning_days"] = policy.key_age_warning_days
    document["principals"] = principals
    document["rules"] = [
        {
            "branches": list(r.branches),
            "paths": list(r.paths),
            "principals": list(r.principals),
            "threshold": r.threshold,
        }
        for r in policy.rules
    ]
    revoked: list[dict[str, Any]] = []
    for r in policy.revoked:
        entry: dict[str, Any] = {"key": r.key} if r.key else {"principal": r.principal}
        if r.reason:
            entry["reason"] = r.reason
        if r.revoked_on:
            entry["revoked_on"] = r.revoked_on.isoformat()
        revoked.append(entry)
    document["revoked"] = revoked
    if policy.protected_refs:
        document["protected_refs"] = list(policy.protected_refs)
    if policy.ledger_recorders:
        document["ledger_recorders"] = list(policy.ledger_recorders)
    text: str = yaml.dump(
        document, Dumper=_PolicyDumper, sort_keys=False, default_flow_style=False, width=1000
    )
    return "# gitwarden trust policy; edit with `gitwarden trust ...`\n" + text


class _PolicyDumper(yaml.SafeDumper):
    """Writes multi-line strings (OpenPGP certificates) as literal blocks."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PolicyDumper.add_representer(str, _represent_text)
