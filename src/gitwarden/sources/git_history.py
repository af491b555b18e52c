"""Reading a Git repository's history as hostile input.

git runs with no system or global config, no hooks, no fsmonitor, no pager, no replace
refs and no network (a partial clone never lazily fetches what it lacks: missing objects are
reported, never fetched). Nothing in the repository is executed.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from gitwarden.errors import UsageError
from gitwarden.progress import SILENT_STEP, ProgressStep
from gitwarden.sources.git_repository import GitError, GitRepository, safe_git_env

_EMPTY_BLOB_MODES = ("160000", "120000")  # submodule links, symbolic links
_ZERO = "0" * 40
_CHUNK_BYTES = 1 << 16


@dataclass(frozen=True)
class BlobChange:
    """A commit that added or changed ``path`` to hold ``blob``."""

    blob: str
    path: str
    commit: str
    author: str
    date: str


@dataclass(frozen=True)
class GitRef:
    name: str
    object_id: str
    object_type: str
    # For annotated tags: the object the tag points at.
    peeled_id: str
    peeled_type: str


@dataclass(frozen=True)
class BlobContent:
    blob: str
    data: bytes | None  # None when missing or skipped
    size: int
    missing: bool = False


class HistoryRepository(GitRepository):
    """The history queries of `gitwarden history`, on the one hardened git runner."""

    def promisor_remotes(self) -> list[str]:
        """Remotes a partial clone may lazily fetch from (never contacted here)."""
        out = self.run(
            "config",
            "--local",
            "--get-regexp",
            r"^(remote\..*\.promisor|extensions\.partialclone)$",
            check=False,
        )
        return [line.split()[0] for line in out.splitlines() if line.strip()]

    # -- refs ---------------------------------------------------------------------------

    def peeled_refs(self) -> list[GitRef]:
        """Every ref with what it points at, annotated tags peeled to their object."""
        fmt = "%(refname)%00%(objectname)%00%(objecttype)%00%(*objectname)%00%(*objecttype)"
        out = self.run("for-each-ref", f"--format={fmt}")
        refs = []
        for line in out.splitlines():
            name, object_id, object_type, peeled_id, peeled_type = line.split("\0")
            refs.append(
                GitRef(
                    name, object_id, object_type, peeled_id or object_id, peeled_type or object_type
                )
            )
        return refs

    def resolve_since(self, revision: str) -> str:
        """The commit ``--since`` names; a usage error when there is none."""
        if revision.startswith("-"):
            raise UsageError(f"--since {revision}: not a revision")
        result = self.run_process("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        if result.returncode != 0:
            raise UsageError(f"--since {revision}: no such commit in the repository")
        return result.stdout.decode().strip()

    def refs_containing(
        self, commits: Iterable[str], refs: Iterable[GitRef]
    ) -> dict[str, list[str]]:
        """commit -> the refs whose history holds it, from one walk of the commit graph.

        Each commit carries the set of wanted commits it reaches (a bit set), built parents
        first, so the cost is one pass over the graph whatever the number of refs.
        """
        wanted = {commit: 1 << index for index, commit in enumerate(dict.fromkeys(commits))}
        if not wanted:
            return {}
        out = self.run_bytes("rev-list", "--all", "--parents", "--topo-order", "--reverse")
        reach: dict[str, int] = {}
        for line in out.decode().splitlines():
            commit, *parents = line.split()
            bits = wanted.get(commit, 0)
            for parent in parents:
                bits |= reach.get(parent, 0)
            reach[commit] = bits
        holders: dict[str, list[str]] = {commit: [] for commit in wanted}
        for ref in refs:
            bits = reach.get(ref.peeled_id, 0)
            for commit, bit in wanted.items():
                if bits & bit:
                    holders[commit].append(ref.name)
        return holders

    # -- history ------------------------------------------------------------------------

    def blob_changes(
        self,
        *,
        since: str | None = None,
        reflog: bool = False,
        extra_commits: Iterable[str] = (),
        walked: ProgressStep = SILENT_STEP,
    ) -> Iterator[BlobChange]:
        """Every (blob, path) a commit introduced, oldest commit first; ``walked`` advances
        once per commit as git's output streams in (commits that change no blob too)."""
        selection, stdin = _walk_selection(since, reflog, extra_commits)
        args = [
            "log",
            *selection,
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--root",
            "--topo-order",
            "--reverse",
            "-z",
            "--diff-merges=first-parent",
            "--no-textconv",
            "--no-ext-diff",
            "--format=%x1e%H%x1f%an <%ae>%x1f%aI",
        ]
        yield from _parse_raw_log(_nul_separated(self._streamed(args, stdin)), walked)

    def commit_count(
        self, *, since: str | None = None, reflog: bool = False, extra_commits: Iterable[str] = ()
    ) -> int:
        """How many commits `blob_changes` walks for the same arguments (one rev-list)."""
        selection, stdin = _walk_selection(since, reflog, extra_commits)
        return int(self.run("rev-list", "--count", *selection, input_bytes=stdin).strip())

    def _streamed(self, args: list[str], stdin: bytes | None) -> Iterator[bytes]:
        """git's standard output in chunks as it comes, so a long walk can show progress;
        a failure raises GitError with git's reason, as `run` does."""
        with tempfile.TemporaryFile() as errors:  # a file: a chatty stderr never blocks git
            try:
                process = subprocess.Popen(
                    self.command(*args),
                    stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=errors,
                    env=safe_git_env(),
                )
            except FileNotFoundError:
                raise GitError("git is not installed or not on PATH") from None
            assert process.stdout is not None
            try:
                if stdin is not None and process.stdin is not None:
                    # `--stdin` revisions are all read before git writes anything.
                    with contextlib.suppress(BrokenPipeError):
                        process.stdin.write(stdin)
                    with contextlib.suppress(BrokenPipeError):
                        process.stdin.close()
                while chunk := process.stdout.read(_CHUNK_BYTES):
                    yield chunk
            finally:
                process.stdout.close()
                if process.poll() is None:
                    process.kill()  # the caller stopped reading: git must not outlive it
                process.wait()
            if process.returncode != 0:
                errors.seek(0)
                reason = errors.read().decode("utf-8", "replace").strip()
                reason = reason or f"exit {process.returncode}"
                raise GitError(f"git {args[0]} failed in {self.path}: {reason}")

    def tree_blobs(self, treeish: str) -> dict[str, str]:
        """path -> blob of every file in a commit's tree (links and submodules left out)."""
        out = self.run_bytes("ls-tree", "-r", "-z", "--full-tree", treeish)
        blobs: dict[str, str] = {}
        for entry in out.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            mode, kind, object_id = meta.decode().split()
            if kind == "blob" and mode not in _EMPTY_BLOB_MODES:
                blobs[path.decode("utf-8", "replace")] = object_id
        return blobs

    def unreachable_objects(self) -> tuple[list[str], list[str]]:
        """(commits, blobs) that no ref or reflog reaches: dangling objects."""
        out = self.run("fsck", "--unreachable", "--no-reflogs", "--no-progress", check=False)
        commits: list[str] = []
        blobs: list[str] = []
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "unreachable":
                if parts[1] == "commit":
                    commits.append(parts[2])
                elif parts[1] == "blob":
                    blobs.append(parts[2])
        return commits, blobs

    def stored_blobs(self) -> list[str]:
        """Every blob in the object store, reachable or not: what a broken history still holds."""
        out = self.run(
            "cat-file",
            "--batch-all-objects",
            "--batch-check=%(objectname) %(objecttype)",
            "--unordered",
        )
        return [
            parts[0]
            for line in out.splitlines()
            if len(parts := line.split()) == 2 and parts[1] == "blob"
        ]

    def read_blobs(self, blobs: Iterable[str], max_bytes: int) -> Iterator[BlobContent]:
        """Each blob's content through one `git cat-file --batch`; oversized ones not kept."""
        ids = list(blobs)
        if not ids:
            return
        process = subprocess.Popen(
            self.command("cat-file", "--batch"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=safe_git_env(),
        )
        assert process.stdin is not None and process.stdout is not None

        def feed() -> None:
            assert process.stdin is not None
            try:
                for object_id in ids:
                    process.stdin.write(object_id.encode() + b"\n")
                process.stdin.close()
            except BrokenPipeError:
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        out = process.stdout
        try:
            for object_id in ids:
                header = out.readline()
                if not header:
                    yield BlobContent(object_id, None, 0, missing=True)
                    continue
                parts = header.split()
                if len(parts) == 2 and parts[1] == b"missing":
                    yield BlobContent(object_id, None, 0, missing=True)
                    continue
                size = int(parts[2])
                if size > max_bytes:
                    _discard(out, size + 1)
                    yield BlobContent(object_id, None, size)
                    continue
                data = out.read(size)
                out.read(1)  # the newline after the content
                yield BlobContent(object_id, data, size)
        finally:
            out.close()
            process.wait()
            writer.join()


def _discard(stream: IO[bytes], count: int) -> None:
    while count > 0:
        chunk = stream.read(min(count, 1 << 20))
        if not chunk:
            return
        count -= len(chunk)


def _walk_selection(
    since: str | None, reflog: bool, extra_commits: Iterable[str]
) -> tuple[list[str], bytes | None]:
    """The commits a history walk covers, as git arguments and ``--stdin`` input."""
    args = ["--all", *(["--reflog"] if reflog else [])]
    revisions = [*extra_commits, *([f"^{since}"] if since else [])]
    if not revisions:
        return args, None
    return [*args, "--stdin"], "\n".join(revisions).encode() + b"\n"


def _nul_separated(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The NUL-terminated tokens of a stream, whatever the chunk boundaries."""
    pending = b""
    for chunk in chunks:
        *complete, pending = (pending + chunk).split(b"\0")
        yield from complete
    if pending:
        yield pending


def _parse_raw_log(tokens: Iterator[bytes], walked: ProgressStep) -> Iterator[BlobChange]:
    commit = author = date = ""
    for raw in tokens:
        token = raw.lstrip(b"\n")
        if token.startswith(b"\x1e"):
            commit, author, date = token[1:].decode("utf-8", "replace").split("\x1f")
            walked.advance()
        elif token.startswith(b":"):
            path_token = next(tokens, None)
            if path_token is None:
                return
            path = path_token.decode("utf-8", "replace")
            fields = token[1:].decode().split()
            new_mode, new_blob, status = fields[1], fields[3], fields[4]
            if status == "D" or new_blob == _ZERO or new_mode in _EMPTY_BLOB_MODES:
                continue
            yield BlobChange(new_blob, path, commit, author, date)
