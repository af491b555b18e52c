"""Reading a change (base..head) from a repository through the hardened git runner.

The change is what ``git diff base...head`` shows (against the merge base), the commits are
``base..head``; changed YAML files are parsed with the manifest loader, before and after,
so a rule can match the kinds of objects a change touches wherever they live.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gitwarden.integrity.schemes import SchemeSet
from gitwarden.integrity.signature_scheme import SignatureError
from gitwarden.manifests.loader import load_manifest_text
from gitwarden.review.change import Change, ChangeCommit, ChangedFile
from gitwarden.sources.git_commits import MalformedObjectError, parse_commit
from gitwarden.sources.git_repository import GitError, GitRepository

# Bounds: a review reads the change, never an unbounded history or blob.
MAX_COMMITS = 10_000
MAX_MANIFEST_BYTES = 2 * 1024 * 1024
_YAML = (".yaml", ".yml", ".json")
_EMAIL = re.compile(r"<([^<>]*)>")
_CO_AUTHOR = re.compile(r"^co-authored-by:\s*.*?<([^<>]+)>\s*$", re.IGNORECASE | re.MULTILINE)


def read_change(repo: GitRepository, target_ref: str, base: str, head: str) -> Change:
    base_oid = repo.resolve(base)
    head_oid = repo.resolve(head)
    tree = repo.run("rev-parse", "--verify", "--end-of-options", f"{head_oid}^{{tree}}").strip()
    files = changed_files(repo, base_oid, head_oid)
    commits = change_commits(repo, base_oid, head_oid)
    kinds, unparsed = object_kinds(repo, base_oid, head_oid, files)
    return Change(target_ref, base_oid, head_oid, tree, files, commits, kinds, unparsed)


def changed_files(repo: GitRepository, base: str, head: str) -> tuple[ChangedFile, ...]:
    out = repo.run(
        "diff",
        "--name-status",
        "-z",
        "-M",
        "--no-ext-diff",
        "--end-of-options",
        f"{base}...{head}",
        "--",
    )
    fields = iter(out.split("\0"))
    files = []
    for status in fields:
        if not status:
            continue
        letter = status[0]
        if letter in "RC":
            old, new = next(fields), next(fields)
            files.append(ChangedFile(new, letter, old))
        else:
            files.append(ChangedFile(next(fields), letter))
    return tuple(files)


def change_commits(repo: GitRepository, base: str, head: str) -> tuple[ChangeCommit, ...]:
    listed = repo.run("rev-list", f"--max-count={MAX_COMMITS + 1}", head, f"^{base}", "--")
    oids = listed.split()
    if len(oids) > MAX_COMMITS:
        raise GitError(f"the change has more than {MAX_COMMITS} commits; review a smaller one")
    objects = repo.read_objects(oids)
    schemes = SchemeSet()
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
                signer_fingerprints=_claimed_signers(schemes, commit.signed.signature),
            )
        )
    return tuple(commits)


def _email(person: str) -> str:
    found = _EMAIL.search(person)
    return found.group(1).strip().lower() if found else ""


def _claimed_signers(schemes: SchemeSet, signature: bytes | None) -> tuple[str, ...]:
    if signature is None:
        return ()
    try:
        return schemes.scheme_for(signature).inspect(signature).key_ids
    except SignatureError:
        return ()


def object_kinds(
    repo: GitRepository, base: str, head: str, files: Iterable[ChangedFile]
) -> tuple[dict[str, frozenset[str]], tuple[str, ...]]:
    """Kinds of objects in each changed manifest file, before and after the change."""
    wanted: list[tuple[str, str]] = []
    for changed in files:
        if not changed.path.endswith(_YAML):
            continue
        if changed.status != "D":
            wanted.append((changed.path, f"{head}:{changed.path}"))
        if changed.status != "A":
            wanted.append((changed.path, f"{base}:{changed.old_path or changed.path}"))
    ids = repo.object_ids([name for _, name in wanted])
    present = [(path, name) for path, name in wanted if ids.get(name)]
    objects = repo.read_objects([name for _, name in present])
    kinds: dict[str, set[str]] = {}
    unparsed: list[str] = []
    for path, name in present:
        data = objects[name].data
        if len(data) > MAX_MANIFEST_BYTES:
            unparsed.append(path)
            continue
        loaded = load_manifest_text(data.decode("utf-8", "replace"), path)
        kinds.setdefault(path, set()).update(obj.kind for obj in loaded.objects)
        if loaded.findings and not loaded.objects:
            unparsed.append(path)
    return {p: frozenset(k) for p, k in kinds.items()}, tuple(dict.fromkeys(unparsed))
