"""Secrets in all of Git history: every blob reachable from every ref, each scanned once.

For each secret: the commit that introduced it (oldest first), its author and date, the path,
and the branch tips that still hold it. A secret no tip holds any more is still reported:
it is in history, so it must be rotated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gitwarden.findings import Finding, Location
from gitwarden.progress import SILENT, Progress, stage
from gitwarden.secrets.blob_cache import CacheTrust, CleanBlobCache, default_cache_dir
from gitwarden.secrets.blob_scan import scan_blobs
from gitwarden.secrets.cache_key import load_cache_key
from gitwarden.secrets.cache_location import cache_key_file
from gitwarden.secrets.content import content_kind
from gitwarden.secrets.coverage_rules import (
    HISTORY_CACHE_UNTRUSTED,
    HISTORY_OBJECT_MISSING,
    HISTORY_PARTIAL,
    HISTORY_SHALLOW,
    SECRET_SCAN_SKIPPED,
)
from gitwarden.secrets.engine import SecretEngine, default_engine
from gitwarden.secrets.hits import SecretHit
from gitwarden.secrets.secret_findings import hit_finding
from gitwarden.sources.git_history import BlobChange, GitRef, HistoryRepository
from gitwarden.sources.git_repository import GitError

_BRANCH_PREFIXES = ("refs/heads/", "refs/remotes/")
_MAX_MISSING_LISTED = 20
UNREACHABLE_PATH = "(unreachable blob)"
UNWALKED_PATH = "(blob of a history that could not be walked)"
_OBJECT_ID = re.compile(r"\b[0-9a-f]{40}(?:[0-9a-f]{24})?\b")


@dataclass(frozen=True)
class HistoryScanOptions:
    since: str | None = None
    unreachable: bool = False
    show_secrets: bool = False
    cache_dir: Path | None = field(default_factory=default_cache_dir)
    # The key that seals the cache; kept apart from cache_dir, which may come from elsewhere.
    cache_key_file: Path = field(default_factory=cache_key_file)
    max_blob_bytes: int = 1024 * 1024


@dataclass(frozen=True)
class HistorySecret:
    """A finding with the value behind it (for baselines; never rendered as is)."""

    finding: Finding
    value: str


@dataclass(frozen=True)
class HistoryScan:
    """What the history scan found (secrets with their values) and what it could not check."""

    secrets: tuple[HistorySecret, ...]
    problems: tuple[Finding, ...]
    blobs_scanned: int
    blobs_from_cache: int
    commits: int


@dataclass
class _Tally:
    """The scan's tallies while it runs; frozen into a HistoryScan at the end."""

    secrets: list[HistorySecret] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    blobs_scanned: int = 0
    blobs_from_cache: int = 0
    commits: int = 0

    def frozen(self) -> HistoryScan:
        return HistoryScan(
            tuple(self.secrets),
            tuple(self.problems),
            self.blobs_scanned,
            self.blobs_from_cache,
            self.commits,
        )


def scan_history(
    path: Path,
    options: HistoryScanOptions,
    engine: SecretEngine | None = None,
    progress: Progress = SILENT,
) -> HistoryScan:
    """Scan the history at ``path``; ``progress`` sees the walk (commits) and the scan (blobs)."""
    engine = engine or default_engine()
    repository = HistoryRepository(path)
    result = _Tally()
    result.problems.extend(_clone_problems(repository))
    since = repository.resolve_since(options.since) if options.since else None
    extra_commits: list[str] = []
    dangling_blobs: list[str] = []
    if options.unreachable:
        extra_commits, dangling_blobs = repository.unreachable_objects()
    reflog = options.unreachable
    # Counting walks the commit graph once more: only when someone is watching.
    total = None if progress is SILENT else _count(repository, since, reflog, extra_commits)
    try:
        with stage(progress, "walking the history for secrets", total) as step:
            changes = list(
                repository.blob_changes(
                    since=since, reflog=reflog, extra_commits=extra_commits, walked=step
                )
            )
    except GitError as error:
        # A commit the walk needs is missing: say so, and still scan every stored blob.
        result.problems.append(_walk_failed_finding(error))
        changes = [
            BlobChange(blob, UNWALKED_PATH, "", "", "") for blob in repository.stored_blobs()
        ]
    result.commits = len({c.commit for c in changes if c.commit})
    first_seen: dict[tuple[str, str], BlobChange] = {}
    for change in changes:
        first_seen.setdefault((change.blob, change.path), change)
    refs = repository.peeled_refs()
    tips = _tip_trees(repository, refs)
    for ref in refs:  # tags that point straight at a blob or a tree
        if ref.peeled_type == "blob":
            first_seen.setdefault(
                (ref.peeled_id, ref.name), BlobChange(ref.peeled_id, ref.name, "", "", "")
            )
        elif ref.peeled_type == "tree":
            for blob_path, blob in _readable_tree(repository, ref.peeled_id).items():
                first_seen.setdefault((blob, blob_path), BlobChange(blob, blob_path, "", "", ""))
    for blob in dangling_blobs:
        first_seen.setdefault(
            (blob, UNREACHABLE_PATH), BlobChange(blob, UNREACHABLE_PATH, "", "", "")
        )
    wanted = _wanted(first_seen.keys(), (item for tree in tips.values() for item in tree.items()))
    cache = _open_cache(options, str(repository.git_dir))
    if cache.trust is CacheTrust.UNTRUSTED:
        result.problems.append(_untrusted_cache_finding(options))
    hits = _scan_blobs(repository, wanted, cache, options.max_blob_bytes, engine, result, progress)
    cache.save()
    present = {
        branch: {
            (h.rule.id, h.value.strip())
            for p, b in tree.items()
            for h in hits.get((b, content_kind(p)), ())
        }
        for branch, tree in tips.items()
    }
    _report(repository, refs, first_seen.values(), hits, present, options, result)
    return result.frozen()


def _count(
    repository: HistoryRepository, since: str | None, reflog: bool, extra_commits: list[str]
) -> int | None:
    """The commits the walk will pass, for the bar; None when git cannot count them (the
    walk itself then fails and says why)."""
    try:
        return repository.commit_count(since=since, reflog=reflog, extra_commits=extra_commits)
    except GitError:
        return None


def _tip_trees(repository: HistoryRepository, refs: list[GitRef]) -> dict[str, dict[str, str]]:
    """branch -> its tip's files; a tip that cannot be read is left out (the walk said so)."""
    return {
        ref.name.removeprefix("refs/heads/"): _readable_tree(repository, ref.object_id)
        for ref in refs
        if ref.name.startswith(_BRANCH_PREFIXES)
        and ref.object_type == "commit"
        and not ref.name.endswith("/HEAD")
    }


def _readable_tree(repository: HistoryRepository, treeish: str) -> dict[str, str]:
    try:
        return repository.tree_blobs(treeish)
    except GitError:
        return {}


def _walk_failed_finding(error: GitError) -> Finding:
    unread = list(dict.fromkeys(_OBJECT_ID.findall(str(error))))[:_MAX_MISSING_LISTED]
    named = f" ({', '.join(o[:12] for o in unread)})" if unread else ""
    return HISTORY_OBJECT_MISSING.finding(
        f"History could not be walked: a commit or tree it needs is missing{named}. Which "
        "commit introduced what is unknown; every blob in the object store was scanned "
        "instead, but objects the repository lacks were not. Repair the repository "
        "(`git fsck`) or scan a complete clone.",
        Location(file=".git/objects"),
    )


def _open_cache(options: HistoryScanOptions, repository_id: str) -> CleanBlobCache:
    if options.cache_dir is None:
        return CleanBlobCache(None, repository_id, None)
    return CleanBlobCache(options.cache_dir, repository_id, load_cache_key(options.cache_key_file))


def _untrusted_cache_finding(options: HistoryScanOptions) -> Finding:
    return HISTORY_CACHE_UNTRUSTED.finding(
        f"The clean-blob cache in {options.cache_dir} failed its integrity check (forged, "
        f"edited, or sealed under another key than {options.cache_key_file}); it was ignored "
        "and every blob was scanned.",
        Location(file=str(options.cache_dir)),
    )


def _clone_problems(repository: HistoryRepository) -> list[Finding]:
    problems = []
    if repository.is_shallow():
        problems.append(
            HISTORY_SHALLOW.finding(
                "The repository is a shallow clone: commits before its cut-off were not "
                "scanned and may hold secrets. Run `git fetch --unshallow` and scan again.",
                Location(file=".git/shallow"),
            )
        )
    remotes = repository.promisor_remotes()
    if remotes:
        problems.append(
            HISTORY_PARTIAL.finding(
                f"The repository is a partial clone ({', '.join(remotes)}): blobs it did not "
                "fetch were not scanned (and are never fetched). Scan a full clone.",
                Location(file=".git/config"),
            )
        )
    return problems


def _wanted(
    seen: Iterable[tuple[str, str]], tip_items: Iterable[tuple[str, str]]
) -> dict[str, dict[str, str]]:
    """blob -> {content kind -> a path of that kind}: what to scan, once per blob and kind."""
    wanted: dict[str, dict[str, str]] = {}
    for blob, path in seen:
        wanted.setdefault(blob, {}).setdefault(content_kind(path), path)
    for path, blob in tip_items:
        wanted.setdefault(blob, {}).setdefault(content_kind(path), path)
    return wanted


def _scan_blobs(
    repository: HistoryRepository,
    wanted: dict[str, dict[str, str]],
    cache: CleanBlobCache,
    max_bytes: int,
    engine: SecretEngine,
    result: _Tally,
    progress: Progress,
) -> dict[tuple[str, str], list[SecretHit]]:
    hits: dict[tuple[str, str], list[SecretHit]] = {}
    to_read = []
    for blob, kinds in wanted.items():
        if all(cache.is_clean(blob, kind) for kind in kinds):
            result.blobs_from_cache += 1
        else:
            to_read.append(blob)
    missing: list[str] = []
    progress = progress if to_read else SILENT  # every blob clean in the cache: no bar at all
    with stage(progress, f"scanning {len(to_read)} blobs for secrets", len(to_read)) as step:
        for outcome in scan_blobs(repository, to_read, wanted, max_bytes, engine, step):
            kinds = wanted[outcome.blob]
            if outcome.missing:
                missing.append(outcome.blob)
                continue
            if outcome.oversized:
                where = next(iter(kinds.values()))
                result.problems.append(
                    SECRET_SCAN_SKIPPED.finding(
                        f"Blob {outcome.blob[:12]} ({outcome.size} bytes, at {where}) is over the "
                        "size cap and was not scanned; raise max_file_bytes to scan it.",
                        Location(file=where),
                    )
                )
                continue
            result.blobs_scanned += 1
            for kind, found in outcome.hits_by_kind.items():
                if found:
                    hits[(outcome.blob, kind)] = found
                else:
                    cache.mark_clean(outcome.blob, kind)
    if missing:
        listed = ", ".join(m[:12] for m in missing[:_MAX_MISSING_LISTED])
        more = (
            f" and {len(missing) - _MAX_MISSING_LISTED} more"
            if len(missing) > _MAX_MISSING_LISTED
            else ""
        )
        result.problems.append(
            HISTORY_OBJECT_MISSING.finding(
                f"{len(missing)} blob(s) referenced by history could not be read ({listed}{more}); "
                "they were not scanned. Repair the repository or scan a complete clone.",
                Location(file=".git/objects"),
            )
        )
    return hits


def _report(
    repository: HistoryRepository,
    refs: list[GitRef],
    changes: Iterable[BlobChange],
    hits: dict[tuple[str, str], list[SecretHit]],
    present: dict[str, set[tuple[str, str]]],
    options: HistoryScanOptions,
    result: _Tally,
) -> None:
    changes = [c for c in changes if (c.blob, content_kind(c.path)) in hits]
    containing = repository.refs_containing((c.commit for c in changes if c.commit), refs)
    reported: set[tuple[str, str, str]] = set()
    for change in changes:
        for hit in hits.get((change.blob, content_kind(change.path)), ()):
            value = hit.value.strip()
            key = (hit.rule.id, value, change.path)
            if key in reported:
                continue
            reported.add(key)
            branches = sorted(b for b, values in present.items() if (hit.rule.id, value) in values)
            holders = containing.get(change.commit, [])
            finding = hit_finding(
                hit,
                change.path,
                show_secrets=options.show_secrets,
                extra={
                    "commit": change.commit,
                    "author": change.author,
                    "date": change.date,
                    "blob": change.blob,
                    "branches": ", ".join(branches),
                    "refs": ", ".join(holders),
                },
                message_suffix=_history_sentence(change, branches, holders),
            )
            result.secrets.append(HistorySecret(finding, value))


def _history_sentence(change: BlobChange, branches: list[str], refs: list[str]) -> str:
    if not change.commit:
        origin = " (in an object no commit reaches: a dangling blob or a tag of a tree/blob)"
    else:
        origin = f"; introduced in commit {change.commit[:12]} by {change.author} on {change.date}"
    if branches:
        return f"{origin}; still present at the tip of {', '.join(branches)}"
    where = f" (reachable from {', '.join(refs[:5])})" if refs else ""
    return f"{origin}; no branch tip holds it any more{where}, but rotate it: it is in history"
