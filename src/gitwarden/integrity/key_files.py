"""Keys kept outside the repository, in the formats other tools already use for them.

- an armored (or binary) OpenPGP keyring: ``gpg --armor --export``;
- an SSH ``allowed_signers`` file (ssh-keygen(1) ALLOWED SIGNERS): ``principals [options]
  keytype base64 [comment]`` with the ``namespaces``, ``valid-after`` and ``valid-before``
  options; ``cert-authority`` lines are refused, since SSH certificates are not verified;
- Argo CD's ``argocd-gpg-keys-cm`` ConfigMap (``data``: key id -> armored public key);
- a Flux ``Secret`` of armored public keys (``data`` base64 or ``stringData``), the one a
  ``GitRepository``'s ``spec.verify.secretRef`` names when that object is in the same file.

Each file becomes principals with keys; which format a file is in is read from its content.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Final

import pysequoia

from gitwarden.errors import ConfigError
from gitwarden.integrity.ssh_wire import WireFormatError, parse_public_key_line
from gitwarden.integrity.trust_policy import OPENPGP, SSH, Principal, PrincipalKey
from gitwarden.manifests.yaml_nodes import YamlLimitError, YamlSyntaxError, parse_documents

PGP_PUBLIC_KEY: Final = "-----BEGIN PGP PUBLIC KEY BLOCK-----"
ARGOCD_KEYS_CONFIGMAP: Final = "argocd-gpg-keys-cm"
GIT_NAMESPACE: Final = "git"
MAX_KEY_FILE_BYTES: Final = 4 * 1024 * 1024
MAX_MANIFESTS: Final = 1000
_SSH_KEY_TYPE: Final = re.compile(r"^(ssh-|ecdsa-sha2-|sk-|webauthn-)")
_OPTION: Final = re.compile(r'([A-Za-z-]+)(?:="([^"]*)")?(?:,|$)')
_TIMESTAMP: Final = re.compile(r"^(\d{8})(\d{4}(\d{2})?)?Z?$")


def principals_in_file(name: str, data: bytes) -> tuple[Principal, ...]:
    """The principals and keys of one key file; raises ConfigError naming ``name``."""
    if len(data) > MAX_KEY_FILE_BYTES:
        raise ConfigError(f"is larger than {MAX_KEY_FILE_BYTES} bytes", file=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return openpgp_principals(name, data)  # a binary keyring (gpg --export)
    stripped = text.lstrip()
    if stripped.startswith(PGP_PUBLIC_KEY):
        return openpgp_principals(name, data)
    if re.search(r"^kind:", text, re.MULTILINE) and re.search(r"^apiVersion:", text, re.M):
        return manifest_principals(name, text)
    return allowed_signers_principals(name, text)


def openpgp_principals(name: str, data: bytes) -> tuple[Principal, ...]:
    """One principal per user id (the first one of each certificate), holding its certs."""
    try:
        certs = pysequoia.Cert.split_bytes(data)
    except Exception:
        raise ConfigError("holds no readable OpenPGP certificate", file=name) from None
    if not certs:
        raise ConfigError("holds no OpenPGP certificate", file=name)
    grouped: dict[str, list[PrincipalKey]] = {}
    for cert in certs:
        armored = str(cert)  # the public part only: secret key material is never kept
        fingerprint = str(cert.fingerprint).upper()
        user_ids = cert.user_ids
        owner = str(user_ids[0]) if user_ids else fingerprint
        grouped.setdefault(owner, []).append(
            PrincipalKey(OPENPGP, fingerprint, armored, armored.encode())
        )
    return tuple(Principal(owner, tuple(keys)) for owner, keys in grouped.items())


def allowed_signers_principals(name: str, text: str) -> tuple[Principal, ...]:
    grouped: dict[str, list[PrincipalKey]] = {}
    lines = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        lines += 1
        key = _allowed_signer(name, number, line)
        if key is not None:
            grouped.setdefault(key[0], []).append(key[1])
    if not lines:
        raise ConfigError(
            "holds no key: expected an OpenPGP keyring, an allowed_signers file, or an "
            f"{ARGOCD_KEYS_CONFIGMAP} ConfigMap / Flux Secret",
            file=name,
        )
    return tuple(Principal(owner, tuple(keys)) for owner, keys in grouped.items())


def _allowed_signer(name: str, number: int, line: str) -> tuple[str, PrincipalKey] | None:
    """(principals, key) of one line; None for a key not allowed to sign git objects."""
    principals, _, rest = line.partition(" ")
    rest = rest.lstrip()
    options: dict[str, str] = {}
    if not _SSH_KEY_TYPE.match(rest):
        field, rest = _options_field(rest)
        options = _parse_options(name, number, field)
    if "cert-authority" in options:
        raise ConfigError(
            "cert-authority lines are not supported (SSH certificates are not verified)",
            file=name,
            line=number,
        )
    try:
        key = parse_public_key_line(rest)
    except WireFormatError as error:
        raise ConfigError(f"not an allowed_signers line: {error}", file=name, line=number) from None
    namespaces = options.get("namespaces")
    if namespaces is not None and not any(
        fnmatch.fnmatchcase(GIT_NAMESPACE, pattern.strip()) for pattern in namespaces.split(",")
    ):
        return None
    return principals, PrincipalKey(
        SSH,
        key.fingerprint,
        key.line,
        key.blob,
        valid_after=_timestamp(name, number, options.get("valid-after")),
        valid_before=_timestamp(name, number, options.get("valid-before")),
    )


def _options_field(text: str) -> tuple[str, str]:
    """The options field (up to the first blank outside quotes) and what follows it."""
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char.isspace() and not quoted:
            return text[:index], text[index:].lstrip()
    return text, ""


def _parse_options(name: str, number: int, field: str) -> dict[str, str]:
    options: dict[str, str] = {}
    position = 0
    while position < len(field):
        match = _OPTION.match(field, position)
        if match is None or match.end() == position:
            raise ConfigError(f"unreadable options {field!r}", file=name, line=number)
        options[match.group(1).lower()] = match.group(2) or ""
        position = match.end()
    return options


def _timestamp(name: str, number: int, value: str | None) -> datetime | None:
    """``YYYYMMDD[HHMM[SS]][Z]``, read as UTC."""
    if value is None:
        return None
    match = _TIMESTAMP.match(value)
    if match is None:
        raise ConfigError(f"bad time {value!r} (YYYYMMDD[HHMM[SS]])", file=name, line=number)
    digits = value.rstrip("Z").ljust(14, "0")
    try:
        return datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        raise ConfigError(f"bad time {value!r}", file=name, line=number) from None


def manifest_principals(name: str, text: str) -> tuple[Principal, ...]:
    """Keys of the Argo CD keys ConfigMap and of Flux verification Secrets in ``text``."""
    try:
        documents = [d.value for d in parse_documents(text) if isinstance(d.value, dict)]
    except (YamlSyntaxError, YamlLimitError) as error:
        raise ConfigError(f"invalid YAML: {error}", file=name, line=error.line) from None
    if len(documents) > MAX_MANIFESTS:
        raise ConfigError(f"holds more than {MAX_MANIFESTS} objects", file=name)
    referenced = {
        str(secret_ref.get("name"))
        for document in documents
        if document.get("kind") == "GitRepository"
        and isinstance(secret_ref := _path(document, "spec", "verify", "secretRef"), dict)
    }
    armored: list[tuple[str, bytes]] = []
    for document in documents:
        kind, metadata = document.get("kind"), document.get("metadata") or {}
        object_name = str(metadata.get("name", "")) if isinstance(metadata, dict) else ""
        if kind == "ConfigMap" and object_name == ARGOCD_KEYS_CONFIGMAP:
            armored += _armored_values(name, document.get("data"), encoded=False)
        elif kind == "Secret" and (not referenced or object_name in referenced):
            armored += _armored_values(name, document.get("data"), encoded=True)
            armored += _armored_values(name, document.get("stringData"), encoded=False)
    if not armored:
        raise ConfigError(
            f"holds no armored public key in an {ARGOCD_KEYS_CONFIGMAP} ConfigMap or a "
            "Secret" + (f" named {', '.join(sorted(referenced))}" if referenced else ""),
            file=name,
        )
    principals: list[Principal] = []
    for entry, data in armored:
        principals += openpgp_principals(f"{name} ({entry})", data)
    return merged_principals(principals)


def _armored_values(name: str, data: Any, *, encoded: bool) -> list[tuple[str, bytes]]:
    if not isinstance(data, dict):
        return []
    found = []
    for entry, value in data.items():
        if not isinstance(value, str):
            continue
        raw = value.encode()
        if encoded:
            try:
                raw = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise ConfigError(f"Secret entry {entry} is not valid base64", file=name) from None
        if PGP_PUBLIC_KEY.encode() in raw:
            found.append((str(entry), raw))
    return found


def _path(document: dict[str, Any], *keys: str) -> Any:
    value: Any = document
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def merged_principals(principals: Iterable[Principal]) -> tuple[Principal, ...]:
    """Principals of the same name as one, each key once."""
    grouped: dict[str, list[PrincipalKey]] = {}
    for principal in principals:
        keys = grouped.setdefault(principal.name, [])
        keys += [k for k in principal.keys if k.fingerprint not in {x.fingerprint for x in keys}]
    return tuple(Principal(owner, tuple(keys)) for owner, keys in grouped.items())
