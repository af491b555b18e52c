"""Argo CD's checkout seen as the gate needs it: with the branches the environment deploys from.

The repo-server clones with ``git init`` + ``git fetch origin`` and checks out a detached
revision, so its branches exist only as ``refs/remotes/origin/*``. The gate reads the
protected base from ``refs/heads/*``; rather than write into the checkout, a bare view is
made beside it that borrows its objects (``objects/info/alternates``) and holds its refs plus
``refs/heads/X`` for every ``origin/X`` with no local branch. A shallow or partial checkout is
judged as it is (the gate denies it and says why): a view would hide that.
"""

from __future__ import annotations

from pathlib import Path

from gitwarden.sources.git_repository import GitRepository

REMOTE_PREFIX = "refs/remotes/origin/"
BRANCH_PREFIX = "refs/heads/"


def gate_view(checkout: GitRepository, folder: Path) -> GitRepository:
    """A bare repository in ``folder`` (absent or empty) sharing ``checkout``'s objects."""
    if checkout.is_shallow() or checkout.is_partial():
        return checkout
    checkout.run("init", "-q", "--bare", "--template=", str(folder))
    view = GitRepository(folder)
    objects = Path(checkout.run("rev-parse", "--git-path", "objects").strip())
    if not objects.is_absolute():
        objects = checkout.path / objects
    alternates = view.git_dir / "objects" / "info" / "alternates"
    alternates.parent.mkdir(parents=True, exist_ok=True)
    alternates.write_text(f"{objects.resolve()}\n", encoding="utf-8")
    view.run("update-ref", "--stdin", input_bytes=_ref_updates(checkout).encode())
    return view


def _ref_updates(checkout: GitRepository) -> str:
    refs = checkout.refs()
    wanted = {name: oid for name, oid in refs.items() if not name.startswith(REMOTE_PREFIX)}
    for name, oid in refs.items():
        branch = name.removeprefix(REMOTE_PREFIX)
        if name.startswith(REMOTE_PREFIX) and branch != "HEAD":
            wanted.setdefault(f"{BRANCH_PREFIX}{branch}", oid)
    return "".join(f"create {name} {oid}\n" for name, oid in sorted(wanted.items()))
