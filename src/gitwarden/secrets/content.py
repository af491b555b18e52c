"""One file's content in, its credentials out: the pattern pass plus Kubernetes parsing.

Shared by the working-tree scan and the history scan, so that a blob yields the same hits
whichever way it is reached.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gitwarden.manifests.objects import K8sObject
from gitwarden.secrets.code_names import is_code_file, names_a_symbol
from gitwarden.secrets.encrypted_files import is_sops_encrypted
from gitwarden.secrets.engine import SecretEngine, line_allows, line_of
from gitwarden.secrets.hits import SecretHit
from gitwarden.secrets.kubernetes import ManifestScan, scan_manifest
from gitwarden.sources.tree import is_binary

_SOPS_MARKER = b"ENC[AES256_GCM,"


@dataclass
class ContentScan:
    hits: list[SecretHit] = field(default_factory=list)
    binary: bool = False
    encrypted: bool = False
    generator_sources: list[tuple[str, str, int]] = field(default_factory=list)


def content_kind(path: str) -> str:
    """What a path's name changes about how its content is scanned (blobs are cached per kind)."""
    lowered = path.lower()
    name = lowered.rpartition("/")[2]
    if name in ("kustomization.yaml", "kustomization.yml", "kustomization"):
        return "kustomization"
    if name.startswith("values") and name.endswith((".yaml", ".yml")):
        return "helm-values"
    if lowered.endswith((".yaml", ".yml", ".json")):
        return "manifest"
    # Code is read apart: a bare word there is a name, not a value (see code_names).
    return "code" if is_code_file(lowered) else "text"


def _needs_parsing(kind: str, data: bytes) -> bool:
    if kind == "manifest":
        return b"kind" in data
    if kind == "kustomization":
        return b"secretGenerator" in data
    return kind == "helm-values"


def scan_content(
    path: str, data: bytes, engine: SecretEngine, objects: Sequence[K8sObject] | None = None
) -> ContentScan:
    """Every credential in ``data`` (the content of ``path``).

    ``objects``: the file's Kubernetes objects when the caller has parsed all of it already
    (the scan pipeline); None parses the Secret-like documents here (history blobs).
    """
    result = ContentScan()
    if is_binary(data):
        result.binary = True
        return result
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = data.decode("utf-16", "replace").encode("utf-8")
    manifest = ManifestScan()
    # Most blobs need neither parsing nor text: decide on the bytes first.
    if _SOPS_MARKER in data or _needs_parsing(content_kind(path), data):
        text = data.decode("utf-8", "replace")
        if is_sops_encrypted(text):
            result.encrypted = True
            return result
        manifest = scan_manifest(text, path, engine, objects)
    result.generator_sources = manifest.generator_sources
    lines = data.decode("utf-8", "replace").split("\n") if manifest.hits else []
    for hit in manifest.hits:
        allowed = 0 < hit.line <= len(lines) and "gitwarden:allow" in lines[hit.line - 1]
        result.hits.append(_with_allow(hit, allowed))
    code = content_kind(path) == "code"
    for match in engine.scan(data):
        line, column = line_of(data, match.start)
        if manifest.covers(line):
            continue
        if code and match.rule.generic and names_a_symbol(data, match.start, match.value):
            continue
        result.hits.append(
            SecretHit(
                rule=match.rule.rule,
                value=match.value,
                line=line,
                column=column,
                allowed_inline=line_allows(data, match.start),
            )
        )
    result.hits.sort(key=lambda h: (h.line, h.column, h.rule.id))
    return result


def _with_allow(hit: SecretHit, allowed: bool) -> SecretHit:
    if not allowed:
        return hit
    return SecretHit(
        rule=hit.rule,
        value=hit.value,
        line=hit.line,
        column=hit.column,
        resource=hit.resource,
        field_path=hit.field_path,
        note=hit.note,
        allowed_inline=True,
    )
