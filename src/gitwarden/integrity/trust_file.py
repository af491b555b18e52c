"""Reading and writing ``.gitwarden/trust.yaml`` through its one schema (``trust_schema``):
errors name the file, line and key, with the key probably meant.

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

from typing import TYPE_CHECKING, Any

import yaml

from gitwarden.errors import ConfigError
from gitwarden.integrity.schemes import SchemeSet
from gitwarden.integrity.signature_scheme import SignatureScheme
from gitwarden.integrity.trust_policy import (
    SUPPORTED_VERSION,
    Principal,
    PrincipalKey,
    Revocation,
    SigningRule,
    TrustPolicy,
)
from gitwarden.manifests.yaml_nodes import YamlLimitError, YamlSyntaxError, parse_documents

if TYPE_CHECKING:
    from gitwarden.integrity.trust_schema import TrustFile

MAX_POLICY_BYTES = 4 * 1024 * 1024


def parse_trust_policy(text: str, name: str) -> TrustPolicy:
    """The policy in ``text`` (named ``name`` in errors); raises ConfigError."""
    schemes = SchemeSet().schemes
    return _policy(_read(text, name, schemes), schemes)


def read_trust_file(text: str, name: str) -> TrustFile[Any]:
    """The file in ``text`` as its schema reads it (before keys become a policy)."""
    return _read(text, name, SchemeSet().schemes)


def _read(text: str, name: str, schemes: tuple[SignatureScheme, ...]) -> TrustFile[Any]:
    if len(text) > MAX_POLICY_BYTES:
        raise ConfigError(f"is larger than {MAX_POLICY_BYTES} bytes", file=name)
    try:
        documents = list(parse_documents(text))
    except (YamlSyntaxError, YamlLimitError) as error:
        raise ConfigError(f"invalid YAML: {error}", file=name, line=error.line) from None
    if len(documents) != 1 or not isinstance(documents[0].value, dict):
        raise ConfigError("must hold exactly one YAML mapping", file=name)
    # Imported here: pydantic costs ~0.1 s to import, paid only by runs that read a policy.
    from gitwarden.integrity.trust_schema import trust_file_schema
    from gitwarden.yaml_schema.document import validate

    schema = trust_file_schema(tuple(type(scheme) for scheme in schemes))
    return validate(schema, documents[0].value, name, documents[0].positions)


def _policy(read: TrustFile[Any], schemes: tuple[SignatureScheme, ...]) -> TrustPolicy:
    return TrustPolicy(
        principals=tuple(
            Principal(
                name,
                tuple(_keys(body, schemes)),
                emails=body.email,
                github=body.github,
                gitlab=body.gitlab,
            )
            for name, body in read.principals.items()
        ),
        rules=tuple(
            SigningRule(r.branches, r.principals, r.paths or ("**",), r.threshold or 0)
            for r in read.rules
        ),
        revoked=tuple(
            Revocation(
                key=r.key,
                principal=r.principal,
                # Written as the file has it; an absent reason is empty.
                reason=str(r.reason) if "reason" in r.model_fields_set else "",
                revoked_on=None if r.revoked_on is None else r.revoked_on.date(),
            )
            for r in read.revoked
        ),
        max_key_age_days=read.max_key_age_days,
        key_age_warning_days=read.key_age_warning_days or 0,
        protected_refs=read.protected_refs,
        ledger_recorders=read.ledger_recorders,
    )


def _keys(body: Any, schemes: tuple[SignatureScheme, ...]) -> list[PrincipalKey]:
    """The principal's keys, scheme by scheme, each parsed by its scheme (the schema has
    checked that it parses)."""
    keys = []
    for scheme in schemes:
        for entry in getattr(body, scheme.key_format.list_field):
            parsed = scheme.parse_key(getattr(entry, scheme.key_format.entry_field))
            keys.append(
                PrincipalKey(
                    scheme.name,
                    parsed.fingerprint,
                    parsed.text,
                    parsed.material,
                    added=None if entry.added is None else entry.added.date(),
                    valid_after=entry.valid_after,
                    valid_before=entry.valid_before,
                )
            )
    return keys


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
