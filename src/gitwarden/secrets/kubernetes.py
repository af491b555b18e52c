"""Kubernetes-aware extraction: credentials found by parsing, not by pattern proximity.

- ``Secret`` objects (YAML or JSON, in ``List``s and multi-document files): every ``data``
  value is base64-decoded and classified by the pattern rules; ``stringData`` likewise.
- Argo CD repository / cluster Secrets and Flux source Secrets are named as such.
- kustomize ``secretGenerator`` literals (and, in a working tree, its env and files sources).
- Helm values files: password/token/key settings.
- SealedSecrets, ExternalSecrets and SOPS-encrypted files are safe: nothing in them is
  reported, and the pattern pass is told to ignore their lines.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gitwarden.input_rules import DOCUMENT_TOO_LARGE, PARSE_ERROR, YAML_LIMIT
from gitwarden.manifests.loader import load_manifest_text
from gitwarden.manifests.objects import K8sObject, format_field_path
from gitwarden.manifests.positions import nearest_position
from gitwarden.manifests.yaml_nodes import (
    FieldPath,
    ParsedDocument,
    YamlLimitError,
    YamlSyntaxError,
    parse_documents,
)
from gitwarden.rules import Rule
from gitwarden.secrets.catalogue.structural import NAME_ALLOW
from gitwarden.secrets.engine import SecretEngine
from gitwarden.secrets.hits import SecretHit
from gitwarden.secrets.kubernetes_rules import (
    ARGOCD_REPOSITORY_CREDENTIALS,
    FLUX_SOURCE_CREDENTIALS,
    HELM_VALUES_SECRET,
    KUBERNETES_SECRET_DATA,
    KUSTOMIZE_SECRET_LITERAL,
)
from gitwarden.secrets.placeholders import is_placeholder
from gitwarden.secrets.secret_data_keys import PUBLIC_KEYS
from gitwarden.secrets.unparsed_manifests import scan_unparsed_secrets

_KINDS = (
    "Secret|SealedSecret|ExternalSecret|ClusterExternalSecret|PushSecret|List|SecretList|"
    "GitRepository|HelmRepository|OCIRepository|Bucket"
)
_KIND_NAMES = frozenset(_KINDS.split("|"))
# A document's own kind: a top-level YAML key (not a CRD's spec.names.kind) or a JSON member.
_YAML_KIND_LINE = re.compile(rf"kind:[ \t]*[\"']?(?:{_KINDS})[\"']?[ \t]*(?:#.*)?\r?$")
_JSON_KIND = re.compile(rf'"kind"\s*:\s*"(?:{_KINDS})"')
_SAFE_KINDS = {
    ("bitnami.com", "SealedSecret"),
    ("external-secrets.io", "ExternalSecret"),
    ("external-secrets.io", "ClusterExternalSecret"),
    ("external-secrets.io", "PushSecret"),
    ("generators.external-secrets.io", "Password"),
}
_UNREAD_RULES = {rule.id for rule in (PARSE_ERROR, YAML_LIMIT, DOCUMENT_TOO_LARGE)}
_ARGOCD_SECRET_TYPES = {"repository", "repo-creds", "repo-write-creds", "cluster"}
_FLUX_SOURCE_GROUP = "source.toolkit.fluxcd.io"
_FLUX_KEYS = {"identity", "bearerToken"}
_SECRETISH_NAME = re.compile(
    r"(?i)(?:password|passwd|secret|token|api_?key|access_?key|private_?key|client_?secret|"
    r"credentials?|auth_?key|passphrase)$"
)
# A line setting a secret-ish key to an inline value: only such values files are parsed.
_SECRETISH_WORD = re.compile(
    r"(?im)^[ \t-]*[\"']?[\w.-]*(?:passw|passphrase|secret|token|api_?key|access_?key|"
    r"private_?key|credential|auth_?key)[\w.-]*[\"']?[ \t]*:[ \t]*[^\s#]"
)
_REFERENCE_NAME = re.compile(NAME_ALLOW + r"|^existing")
_HELM_VALUES = re.compile(r"(?:^|/)values[^/]*\.ya?ml$")
_KUSTOMIZATION = re.compile(r"(?:^|/)(?:kustomization\.ya?ml|Kustomization)$")


@dataclass
class ManifestScan:
    """What parsing found: hits, and the line spans the pattern pass must leave alone."""

    hits: list[SecretHit] = field(default_factory=list)
    safe_spans: list[tuple[int, int]] = field(default_factory=list)
    # secretGenerator sources, relative to the repository root: (env|file, path, line).
    generator_sources: list[tuple[str, str, int]] = field(default_factory=list)

    def covers(self, line: int) -> bool:
        return any(start <= line <= end for start, end in self.safe_spans) or any(
            hit.line == line for hit in self.hits
        )


def scan_manifest(
    text: str, path: str, engine: SecretEngine, objects: Sequence[K8sObject] | None = None
) -> ManifestScan:
    """What parsing finds in ``text`` (the content of ``path``).

    ``objects`` are the file's objects as the scan pipeline already parsed them (every
    document of it parsed cleanly); without them the Secret-like documents are parsed here.
    """
    result = ManifestScan()
    lowered = path.lower()
    if lowered.endswith((".yaml", ".yml", ".json")):
        if objects is not None:
            interesting = [obj for obj in objects if _in_interesting_document(obj)]
            _scan_loaded_objects(interesting, _last_line(text), engine, result)
        elif _has_interesting_kind(text):
            _scan_objects(text, path, engine, result)
    if _KUSTOMIZATION.search(path):
        if "secretGenerator" in text:
            _scan_kustomization(text, path, result)
    elif _HELM_VALUES.search(path) and _SECRETISH_WORD.search(text):
        _scan_helm_values(text, result)
    return result


# -- Secret objects ------------------------------------------------------------------------


def _scan_objects(text: str, path: str, engine: SecretEngine, result: ManifestScan) -> None:
    loaded = load_manifest_text(_only_interesting_documents(text), path)
    objects = loaded.objects
    unread = [f.location.line for f in loaded.findings if f.rule_id in _UNREAD_RULES]
    if unread:
        # A document that does not parse still leaks what it holds: read it line by line.
        result.hits.extend(scan_unparsed_secrets(text, unread, engine))
    _scan_loaded_objects(objects, _last_line(text), engine, result)


def _last_line(text: str) -> int:
    return text.count("\n") + 1


def _scan_loaded_objects(
    objects: Sequence[K8sObject], last_line: int, engine: SecretEngine, result: ManifestScan
) -> None:
    """Secrets' values become hits; a safe form's lines (to the next object) are left alone."""
    starts = sorted({obj.line for obj in objects})
    flux_refs = {
        (obj.namespace, ref)
        for obj in objects
        if obj.api_group == _FLUX_SOURCE_GROUP
        for ref in [_secret_ref(obj)]
        if ref
    }
    for obj in objects:
        if (obj.api_group, obj.kind) in _SAFE_KINDS:
            following = [s for s in starts if s > obj.line]
            result.safe_spans.append((obj.line, (following[0] - 1) if following else last_line))
        elif obj.kind == "Secret" and obj.api_version == "v1":
            result.hits.extend(_secret_hits(obj, engine, flux_refs))


def _in_interesting_document(obj: K8sObject) -> bool:
    """Whether the object's document is one ``_only_interesting_documents`` keeps: the
    same objects, so the same safe spans, whoever parsed the file."""
    if not obj.path_prefix:
        return obj.kind in _KIND_NAMES
    document = obj.document().value
    return isinstance(document, Mapping) and document.get("kind") in _KIND_NAMES


def _has_interesting_kind(text: str) -> bool:
    """A document whose own kind may hold or replace a Secret (only top-level lines read)."""
    found = 0 if text.startswith("kind:") else text.find("\nkind:")
    while found != -1:
        begin = found if text.startswith("kind:", found) else found + 1
        end = text.find("\n", begin)
        if _YAML_KIND_LINE.match(text, begin, end if end != -1 else len(text)):
            return True
        found = text.find("\nkind:", begin)
    return '"kind"' in text and bool(_JSON_KIND.search(text))


def _only_interesting_documents(text: str) -> str:
    """The text with every document that cannot hold a Secret (or a safe form) blanked out.

    Line numbers stay the same (a dropped document leaves its newlines, a dropped ``---``
    marker none), and big install manifests are parsed only where it matters.
    """
    kept: list[str] = []
    start = 0
    marker = ""
    while True:
        end = _next_document_start(text, start)
        part = text[start:end]
        if _has_interesting_kind(part):
            kept.append(marker + part)
        else:
            kept.append("\n" * part.count("\n"))
        if end == len(text):
            return "".join(kept)
        marker = "---"
        start = end + 3


def _next_document_start(text: str, start: int) -> int:
    """Offset of the next ``---`` marker line at or after ``start`` (or the text's end)."""
    position = start
    while True:
        found = text.find("---", position)
        if found == -1:
            return len(text)
        at_line_start = found == 0 or text[found - 1] == "\n"
        after = text[found + 3 : found + 4]
        if at_line_start and found >= start and (after in ("", " ", "\t", "\r", "\n")):
            return found
        position = found + 3


def _secret_ref(obj: K8sObject) -> str | None:
    name = obj.get(("spec", "secretRef", "name"))
    return name if isinstance(name, str) else None


def _secret_rule(obj: K8sObject, keys: set[str], flux_refs: set[tuple[str | None, str]]) -> Rule:
    if obj.labels.get("argocd.argoproj.io/secret-type") in _ARGOCD_SECRET_TYPES:
        return ARGOCD_REPOSITORY_CREDENTIALS
    if (obj.namespace, obj.name) in flux_refs or keys & _FLUX_KEYS:
        return FLUX_SOURCE_CREDENTIALS
    return KUBERNETES_SECRET_DATA


def _secret_hits(
    obj: K8sObject, engine: SecretEngine, flux_refs: set[tuple[str | None, str]]
) -> Iterator[SecretHit]:
    sections = {s: obj.get((s,)) for s in ("data", "stringData")}
    keys = {str(k) for v in sections.values() if isinstance(v, Mapping) for k in v}
    place_rule = _secret_rule(obj, keys, flux_refs)
    for section, values in sections.items():
        if not isinstance(values, Mapping):
            continue
        for key, raw in values.items():
            decoded = _secret_value(section, raw)
            if decoded is None or str(key) in PUBLIC_KEYS:
                continue
            text = decoded.decode("utf-8", "replace")
            if is_placeholder(text) or text.lstrip().startswith("-----BEGIN CERTIFICATE"):
                continue
            location = obj.location((section, str(key)))
            note = "base64-decoded from Secret data" if section == "data" else "Secret stringData"
            specific = [m for m in engine.scan(decoded) if not m.rule.generic]
            if place_rule is KUBERNETES_SECRET_DATA and specific:
                for match in specific:
                    yield _hit(match.rule.rule, match.value, location, note)
                continue
            detected = f"; looks like {specific[0].rule.title}" if specific else ""
            shown = text if "\ufffd" not in text else str(raw)
            yield _hit(place_rule, shown, location, note + detected)


def _secret_value(section: str, raw: Any) -> bytes | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    if section == "stringData":
        return raw.encode()
    try:
        return base64.b64decode("".join(raw.split()), validate=True)
    except (binascii.Error, ValueError):
        # Not base64: the API server would refuse it, and it is plain text either way.
        return raw.encode()


def _hit(rule: Rule, value: str, location: Any, note: str) -> SecretHit:
    return SecretHit(
        rule=rule,
        value=value,
        line=location.line,
        column=location.column,
        resource=location.resource,
        field_path=location.field_path,
        note=note,
    )


# -- kustomize secretGenerator -------------------------------------------------------------


def _documents(text: str) -> list[ParsedDocument]:
    try:
        return list(parse_documents(text))
    except (YamlSyntaxError, YamlLimitError, RecursionError):
        return []


def _scan_kustomization(text: str, path: str, result: ManifestScan) -> None:
    folder = path.rpartition("/")[0]
    for document in _documents(text):
        generators = (
            document.value.get("secretGenerator") if isinstance(document.value, dict) else None
        )
        if not isinstance(generators, list):
            continue
        for index, generator in enumerate(generators):
            if not isinstance(generator, Mapping):
                continue
            _generator_literals(generator, index, document, result)
            for source_kind, key in (("env", "envs"), ("env", "env"), ("file", "files")):
                entries = generator.get(key)
                entries = [entries] if isinstance(entries, str) else entries
                if not isinstance(entries, list):
                    continue
                for position, entry in enumerate(entries):
                    if not isinstance(entry, str):
                        continue
                    relative = entry.partition("=")[2] if "=" in entry else entry
                    line = _line(document, ("secretGenerator", index, key, position))
                    joined = f"{folder}/{relative}" if folder else relative
                    result.generator_sources.append((source_kind, joined, line))


def _generator_literals(
    generator: Mapping[str, Any], index: int, document: ParsedDocument, result: ManifestScan
) -> None:
    literals = generator.get("literals")
    if not isinstance(literals, list):
        return
    for position, literal in enumerate(literals):
        if not isinstance(literal, str) or "=" not in literal:
            continue
        key, _, value = literal.partition("=")
        if not value.strip() or is_placeholder(value):
            continue
        field_path: FieldPath = ("secretGenerator", index, "literals", position)
        result.hits.append(
            SecretHit(
                rule=KUSTOMIZE_SECRET_LITERAL,
                value=value,
                line=_line(document, field_path),
                field_path=format_field_path(field_path),
                note=f"literal '{key.strip()}' of secretGenerator '{generator.get('name', '')}'",
            )
        )


def _line(document: ParsedDocument, path: FieldPath) -> int:
    found = nearest_position(document.positions, path)
    return found[0] if found is not None else document.line


# -- Helm values -----------------------------------------------------------------------------


def _scan_helm_values(text: str, result: ManifestScan) -> None:
    for document in _documents(text):
        for path, value in _scalars(document.value, ()):
            name = str(path[-1])
            if not _SECRETISH_NAME.search(name) or _REFERENCE_NAME.search(name):
                continue
            if not _is_credential_value(value):
                continue
            result.hits.append(
                SecretHit(
                    rule=HELM_VALUES_SECRET,
                    value=value,
                    line=_line(document, path),
                    field_path=format_field_path(path),
                    note=f"Helm value {format_field_path(path)}",
                )
            )


def _scalars(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _scalars(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _scalars(item, (*path, index))
    elif isinstance(value, str) and path and isinstance(path[-1], str):
        yield path, value


def _is_credential_value(value: str) -> bool:
    stripped = value.strip()
    if len(stripped) < 6 or is_placeholder(stripped) or " " in stripped:
        return False
    if re.fullmatch(r"[A-Za-z][A-Za-z.]*", stripped):
        return False  # a key name or a word: "password", "tls.key"
    return not stripped.startswith(("/", "./", "http://", "https://", "secret/", "vault:"))
