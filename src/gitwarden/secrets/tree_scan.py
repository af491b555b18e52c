"""Secrets in the working tree: every text file the walker kept, within the size cap.

Files are opened without following links and never read past the cap. The files a
kustomize secretGenerator names (env files, files) are classified as Secret data. The scan
pipeline hands over the objects it parsed (a file is parsed once) and says which manifests
it could not parse; `_scan_unparsed` is the one place such files meet the content rules.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Iterable

from gitwarden.findings import Finding, Location
from gitwarden.manifests.objects import K8sObject
from gitwarden.secrets.content import ContentScan, scan_content
from gitwarden.secrets.coverage_rules import SECRET_SCAN_SKIPPED
from gitwarden.secrets.encrypted_files import is_sops_encrypted
from gitwarden.secrets.engine import SecretEngine, default_engine
from gitwarden.secrets.hits import SecretHit
from gitwarden.secrets.kubernetes_rules import (
    ARGOCD_REPOSITORY_CREDENTIALS,
    FLUX_SOURCE_CREDENTIALS,
    KUBERNETES_SECRET_DATA,
    KUSTOMIZE_SECRET_ENV,
    KUSTOMIZE_SECRET_FILE,
)
from gitwarden.secrets.placeholders import is_placeholder
from gitwarden.secrets.secret_findings import hit_finding
from gitwarden.sources.tree import MANIFEST_SUFFIXES, RepoFile, is_binary, read_bounded_bytes

# In a working tree the check families (secrets-plaintext-secret, argocd) already report
# plain Secret objects field by field; here only recognised credentials inside them count.
_CHECKED_BY_FAMILIES = (
    KUBERNETES_SECRET_DATA,
    ARGOCD_REPOSITORY_CREDENTIALS,
    FLUX_SOURCE_CREDENTIALS,
)


def scan_tree_secrets(
    files: Iterable[RepoFile],
    max_file_bytes: int,
    *,
    show_secrets: bool = False,
    engine: SecretEngine | None = None,
    unparsed: Collection[str] = (),
    objects: Iterable[K8sObject] = (),
) -> list[Finding]:
    """Findings for every credential in ``files`` (as the tree walker listed them).

    Plain ``Secret`` objects as such are the check families' to report; here a Secret
    value is reported when it is a recognised credential. ``unparsed`` names the files the
    manifest loader could not parse (syntax errors, YAML limits, oversized documents).
    ``objects`` are those the scan pipeline parsed: a file's own objects are read as they
    are, and only files without any (or unparsed) are parsed here.
    """
    engine = engine or default_engine()
    by_path = {f.path: f for f in files}
    parsed_objects = _plain_objects_by_file(objects)
    findings: list[Finding] = []
    hits_by_path: dict[str, list[SecretHit]] = {}
    sources: list[tuple[str, str, int, str]] = []
    for repo_file in by_path.values():
        data, skipped = _read(repo_file, max_file_bytes)
        if skipped is not None:
            findings.append(skipped)
        if data is None:
            continue
        if repo_file.path in unparsed:
            scanned = _scan_unparsed(repo_file.path, data, engine)
        else:
            scanned = scan_content(repo_file.path, data, engine, parsed_objects.get(repo_file.path))
        hits_by_path[repo_file.path] = [
            h for h in scanned.hits if h.rule not in _CHECKED_BY_FAMILIES
        ]
        sources.extend(
            (kind, path, line, repo_file.path) for kind, path, line in scanned.generator_sources
        )
    for kind, path, _line, _kustomization in sources:
        source_file = by_path.get(posixpath.normpath(path))
        if source_file is None:
            continue  # outside the repository or missing: kustomize itself reports that
        data, _ = _read(source_file, max_file_bytes)
        if data is None or is_binary(data):
            continue
        generated = _generator_hits(kind, data.decode("utf-8", "replace"))
        covered = {h.line for h in generated}
        kept = [h for h in hits_by_path.get(source_file.path, []) if h.line not in covered]
        hits_by_path[source_file.path] = kept + generated
    for path, hits in sorted(hits_by_path.items()):
        findings.extend(hit_finding(hit, path, show_secrets=show_secrets) for hit in hits)
    return findings


def _plain_objects_by_file(objects: Iterable[K8sObject]) -> dict[str, list[K8sObject]]:
    """Objects as their file holds them; rendered ones carry a renderer's values instead."""
    by_file: dict[str, list[K8sObject]] = {}
    for obj in objects:
        if obj.origin is None and obj.rendered_from is None:
            by_file.setdefault(obj.file, []).append(obj)
    return by_file


def _scan_unparsed(path: str, data: bytes, engine: SecretEngine) -> ContentScan:
    """A manifest the loader could not parse: its Secret-like text has no objects to read.

    The pattern pass still covers every line; a fallback for Secret-like documents that do
    not parse plugs in here, with one call.
    """
    return scan_content(path, data, engine)


def _generator_hits(kind: str, text: str) -> list[SecretHit]:
    if is_sops_encrypted(text):
        return []
    if kind == "file":
        if not text.strip():
            return []
        return [SecretHit(KUSTOMIZE_SECRET_FILE, text, 1, note="named by a secretGenerator")]
    hits = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or "=" not in stripped:
            continue
        key, _, value = stripped.partition("=")
        if value.strip() and not is_placeholder(value):
            hits.append(
                SecretHit(
                    KUSTOMIZE_SECRET_ENV,
                    value.strip(),
                    number,
                    note=f"'{key.strip()}' of an env file named by a secretGenerator",
                    allowed_inline="gitwarden:allow" in line,
                )
            )
    return hits


def _read(repo_file: RepoFile, max_file_bytes: int) -> tuple[bytes | None, Finding | None]:
    """The file's bytes, or None (with a finding when a text file is over the cap)."""
    try:
        data = read_bounded_bytes(repo_file, max_file_bytes)
    except OSError:
        return None, None  # links, FIFOs and unreadable files: the tree walk reports them
    if len(data) <= max_file_bytes:
        return data, None
    if is_binary(data) or repo_file.name.lower().endswith(MANIFEST_SUFFIXES):
        return None, None  # binaries hold no text secrets; manifests are reported already
    return None, SECRET_SCAN_SKIPPED.finding(
        f"File of more than {max_file_bytes} bytes was not scanned for secrets; raise "
        "max_file_bytes in .gitwarden.yaml to scan it.",
        Location(file=repo_file.path),
    )
