"""Reading a change (base..head) from a repository through the hardened git runner.

The change is what ``git diff base...head`` shows (against the merge base), the commits are
``base..head``; changed YAML files are parsed with the manifest loader, before and after,
so a rule can match the kinds of objects a change touches wherever they live.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from gitwarden.manifests.loader import load_manifest_text
from gitwarden.review.change import Change, ChangeCommit, ChangedFile
from gitwarden.sources.git_commits import MalformedObjectError, parse_commit
from gitwarden.sources.git_repository import GitError, GitRepository
from gitwarden.sources.object_sizes import object_sizes

# Bounds: a review reads the change, never an unbounded history or blob.
MAX_COMMITS = 10_000
MAX_MANIFEST_BYTES = 2 * 1024 * 1024
_YAML = (".yaml", ".yml", ".json")
_EMAIL = re.compile(r"<([^<>]*)>")
_CO_AUTHOR = re.compile(r"^co-authored-by:\s*.*?<([^<>]+)>\s*$", re.IGNORECASE | re.MULTILINE)


def read_change(
    repo: GitRepository,
    target_ref: str,
    base: str,
    head: str,
    kinds_of_interest: frozenset[str] | None = None,
    claimed_signers: Callable[[bytes | None], tuple[str, ...]] = lambda signature: (),
) -> Change:
    """The change; ``kinds_of_interest``: the kinds rules ask about (None: every kind);
    ``claimed_signers``: the key ids a commit signature names (the signature schemes
    live in another scanner, so the caller brings them)."""
    base_oid = repo.resolve(base)
    head_oid = repo.resolve(head)
    tree = repo.run("rev-parse", "--verify", "--end-of-options", f"{head_oid}^{{tree}}").strip()
    files = changed_files(repo, base_oid, head_oid)
    commits = change_commits(repo, base_oid, head_oid, claimed_signers)
    kinds, unparsed = object_kinds(repo, files, kinds_of_interest)
    return Change(target_ref, base_oid, head_oid, tree, files, commits, kinds, unparsed)


def changed_files(repo: GitRepository, base: str, head: str) -> tuple[ChangedFile, ...]:
    """``git diff --raw`` against the merge base: paths, status and both blob ids."""
    out = repo.run(
        "diff",
        "--raw",
        "-z",
        "-M",
        "--no-abbrev",
        "--no-ext-diff",
        "--end-of-options",
        f"{base}...{head}",
        "--",
    )
    fields = iter(out.split("\0"))
    files = []
    for meta in fields:
        if not meta.startswith(":"):
            continue
        _, _, old_blob, new_blob, status = meta[1:].split(" ", 4)
        letter = status[0]
        old = None if set(old_blob) == {"0"} else old_blob
        new = None if set(new_blob) == {"0"} else new_blob
        if letter in "RC":
            old_path, path = next(fields), next(fields)
            files.append(ChangedFile(path, letter, old_path, old, new))
        else:
            files.append(ChangedFile(next(fields), letter, None, old, new))
    return tuple(files)


def change_commits(
    repo: GitRepository,
    base: str,
    head: str,
    claimed_signers: Callable[[bytes | None], tuple[str, ...]] = lambda signature: (),
) -> tuple[ChangeCommit, ...]:
    listed = repo.run("rev-list", f"--max-count={MAX_COMMITS + 1}", head, f"^{base}", "--")
    oids = listed.split()
    if len(oids) > MAX_COMMITS:
        raise GitError(f"the change has more than {MAX_COMMITS} commits; review a smaller one")
    objects = repo.read_objects(oids)
    commits = []
    for oid in oids:
        try:
            commit = parse_commit(oid, objects[oid].data)
        except MalformedObjectError as error:
            raise GitError(f"commit {oid}: {error}") from None
        commits.append(
            ChangeCommit(
                oid=oid,
                author_email=_email(commit.author),
                committer_email=_email(commit.committer),
                co_author_emails=tuple(
                    e.strip().lower() for e in _CO_AUTHOR.findall(commit.message)
                ),
                signer_fingerprints=claimed_signers(commit.signed.signature),
            )
        )
    return tuple(commits)


def _email(person: str) -> str:
    found = _EMAIL.search(person)
    return found.group(1).strip().lower() if found else ""


def object_kinds(
    repo: GitRepository, files: Iterable[ChangedFile], kinds_of_interest: frozenset[str] | None
) -> tuple[dict[str, frozenset[str]], tuple[str, ...]]:
    """Kinds of objects in each changed manifest file, before and after the change."""
    wanted = [
        (changed.path, blob)
        for changed in files
        if changed.path.endswith(_YAML)
        for blob in (changed.old_blob, changed.new_blob)
        if blob is not None
    ]
    if kinds_of_interest is not None and not kinds_of_interest:
        return {}, ()
    sizes = object_sizes(repo, [blob for _, blob in wanted])
    small = [(path, blob) for path, blob in wanted if sizes.get(blob, 0) <= MAX_MANIFEST_BYTES]
    unparsed = [path for path, blob in wanted if sizes.get(blob, 0) > MAX_MANIFEST_BYTES]
    objects = repo.read_objects(list(dict.fromkeys(blob for _, blob in small)))
    kinds: dict[str, set[str]] = {}
    for path, blob in small:
        text = objects[blob].data.decode("utf-8", "replace")
        if not _may_hold(text, kinds_of_interest):
            continue
        loaded = load_manifest_text(text, path)
        kinds.setdefault(path, set()).update(obj.kind for obj in loaded.objects)
        if loaded.findings and not loaded.objects:
            unparsed.append(path)
    return {p: frozenset(k) for p, k in kinds.items()}, tuple(dict.fromkeys(unparsed))


def _may_hold(text: str, kinds: frozenset[str] | None) -> bool:
    """False only when no kind asked about can be in ``text``: its name is nowhere in it, and
    no escape (``\\u0052ole``) could spell it. Parsing is the costly part of a review."""
    if kinds is None or "\\" in text:
        return True
    return any(kind in text for kind in kinds)
