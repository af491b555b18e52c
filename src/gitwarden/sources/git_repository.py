"""Running git on a repository that may be hostile, and reading its objects in bulk.

A scanned repository is untrusted: its config could name hooks, an fsmonitor command, a
promisor remote to fetch missing objects from, or replace refs that swap one object for
another. Every git call here ignores system and global config, disables hooks, fsmonitor
and every transport, and refuses replace objects. Objects are read through one
``git cat-file --batch`` process per request batch, so reading 10,000 commits costs one
process, not 10,000.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from gitwarden.errors import GitwardenError

# Overrides of anything in the repository's own config that could execute a program or reach
# the network.
SAFE_CONFIG = (
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "protocol.allow=never",
    "core.sshCommand=false",
    "gpg.program=false",
    "gpg.ssh.program=false",
    "credential.helper=",
    "core.pager=cat",
    "core.quotePath=false",
    "log.showSignature=false",
    "diff.external=",
)
# Environment git needs from a calling git process (a server hook sees the pushed objects
# only through the quarantine directory named here).
INHERITED_GIT_ENV = (
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_QUARANTINE_PATH",
)
MAX_OBJECT_BYTES = 64 * 1024 * 1024


class GitError(GitwardenError):
    """git could not do what was asked; the message carries git's own reason."""


class MissingObjectError(GitError):
    """An object the verification needs is not in the repository (shallow or partial clone)."""


@dataclass(frozen=True)
class GitObject:
    oid: str
    kind: str
    data: bytes


def safe_git_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/nonexistent"),
        "LC_ALL": "C",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_NO_LAZY_FETCH": "1",
        "GIT_OPTIONAL_LOCKS": "0",
    }
    for name in INHERITED_GIT_ENV:
        if name in os.environ:
            env[name] = os.environ[name]
    env.update(extra or {})
    return env


class GitRepository:
    """One repository on disk (working tree or bare), read with hardened git."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            raise GitError(f"{path}: no such repository")
        found = self.run_process("rev-parse", "--absolute-git-dir")
        if found.returncode != 0:
            raise GitError(
                f"{path}: not a Git repository",
                hint="give the path of a clone (a folder holding .git, or a bare repository)",
            )
        self.git_dir = Path(found.stdout.decode("utf-8", "surrogateescape").strip())

    def command(self, *args: str) -> list[str]:
        config = [item for pair in SAFE_CONFIG for item in ("-c", pair)]
        return ["git", *config, "-C", str(self.path), *args]

    def run(
        self,
        *args: str,
        input_bytes: bytes | None = None,
        env: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> str:
        return self.run_bytes(*args, input_bytes=input_bytes, env=env, check=check).decode(
            "utf-8", "surrogateescape"
        )

    def run_bytes(
        self,
        *args: str,
        input_bytes: bytes | None = None,
        env: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> bytes:
        done = self.run_process(*args, input_bytes=input_bytes, env=env)
        if check and done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
            raise GitError(f"git {args[0]} failed in {self.path}: {reason}")
        return done.stdout

    def run_process(
        self,
        *args: str,
        input_bytes: bytes | None = None,
        env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[bytes]:
        """Run git and return the finished process, whatever its exit code."""
        try:
            return subprocess.run(
                self.command(*args),
                input=input_bytes,
                capture_output=True,
                env=safe_git_env(env),
                check=False,
            )
        except FileNotFoundError:
            raise GitError("git is not installed or not on PATH") from None

    def succeeds(self, *args: str) -> bool:
        return self.run_process(*args).returncode == 0

    # ---- objects -------------------------------------------------------------------------

    def read_objects(self, names: Sequence[str]) -> dict[str, GitObject]:
        """Read many objects in one ``cat-file --batch``; raises MissingObjectError."""
        if not names:
            return {}
        stdin = "".join(f"{name}\n" for name in names).encode()
        out = self.run_bytes("cat-file", "--batch", input_bytes=stdin)
        objects: dict[str, GitObject] = {}
        position = 0
        for name in names:
            end = out.index(b"\n", position)
            header = out[position:end].decode("utf-8", "replace").split(" ")
            if len(header) != 3:
                raise MissingObjectError(
                    f"object {name} is missing from {self.path}",
                    hint="the clone is shallow or partial; fetch the full history "
                    "(git fetch --unshallow / --refetch) before verifying",
                )
            oid, kind, size = header[0], header[1], int(header[2])
            if size > MAX_OBJECT_BYTES:
                raise GitError(f"object {oid} is {size} bytes, over the {MAX_OBJECT_BYTES} cap")
            data = out[end + 1 : end + 1 + size]
            position = end + 2 + size
            objects[name] = GitObject(oid, kind, data)
        return objects

    def read_object(self, name: str) -> GitObject:
        return self.read_objects([name])[name]

    def object_ids(self, names: Sequence[str]) -> dict[str, str | None]:
        """Resolve names (``rev:path`` too) to object ids; None for those that do not exist."""
        if not names:
            return {}
        stdin = "".join(f"{name}\n" for name in names).encode()
        out = self.run("cat-file", "--batch-check=%(objectname) %(objecttype)", input_bytes=stdin)
        result: dict[str, str | None] = {}
        for name, line in zip(names, out.splitlines(), strict=True):
            parts = line.split(" ")
            result[name] = parts[0] if len(parts) == 2 and parts[1] != "missing" else None
        return result

    def write_object(self, kind: str, data: bytes) -> str:
        return self.run("hash-object", "-w", "-t", kind, "--stdin", input_bytes=data).strip()

    # ---- refs and history ----------------------------------------------------------------

    def refs(self, patterns: Iterable[str] = ()) -> dict[str, str]:
        """Ref name -> object id (tags not peeled)."""
        out = self.run("for-each-ref", "--format=%(refname) %(objectname)", *patterns)
        pairs = (line.partition(" ") for line in out.splitlines() if line)
        return {name: oid for name, _, oid in pairs}

    def resolve(self, rev: str) -> str:
        out = self.run("rev-parse", "--verify", "--end-of-options", f"{rev}^{{}}", check=False)
        if not out.strip():
            raise GitError(f"{rev}: no such revision in {self.path}")
        return out.strip()

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        return self.succeeds("merge-base", "--is-ancestor", ancestor, descendant)

    def user_signing_key(self) -> str | None:
        """``user.signingkey`` as the user configured it (their global config and this
        repository's), read with the same hardened git; None when unset."""
        # The user's own key, on purpose: the one place their global config is read.
        global_config = os.environ.get("GIT_CONFIG_GLOBAL") or str(Path.home() / ".gitconfig")
        value = self.run(
            "config",
            "--get",
            "user.signingkey",
            env={"GIT_CONFIG_GLOBAL": global_config},
            check=False,
        ).strip()
        return value or None

    def is_shallow(self) -> bool:
        return (self.git_dir / "shallow").exists()

    def is_partial(self) -> bool:
        """A partial clone: it has a promisor remote to fetch missing objects from."""
        if self.run("config", "--get", "extensions.partialClone", check=False).strip():
            return True
        promisors = self.run("config", "--get-regexp", r"^remote\..*\.promisor$", check=False)
        return any(line.split()[-1] == "true" for line in promisors.splitlines())

    def changed_paths(self, pairs: Sequence[tuple[str, str | None]]) -> dict[str, tuple[str, ...]]:
        """Paths each commit changes against the given parent (None: a root commit)."""
        if not pairs:
            return {}
        stdin = "".join(f"{c} {p}\n" if p else f"{c}\n" for c, p in pairs).encode()
        out = self.run_bytes(
            "diff-tree",
            "--stdin",
            "-r",
            "--root",
            "--always",
            "--no-renames",
            "--name-only",
            "-z",
            input_bytes=stdin,
        )
        # With --always every commit prints its id first, in input order, then its paths.
        result: dict[str, list[str]] = {c: [] for c, _ in pairs}
        expected = iter([c for c, _ in pairs])
        upcoming = next(expected, None)
        current: list[str] | None = None
        for field in out.split(b"\0"):
            if not field:
                continue
            text = field.decode("utf-8", "surrogateescape")
            if text == upcoming:
                current = result[text]
                upcoming = next(expected, None)
            elif current is not None:
                current.append(text)
        return {commit: tuple(paths) for commit, paths in result.items()}
