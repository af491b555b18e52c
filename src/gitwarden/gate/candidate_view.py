"""A throw-away repository that sees the target's objects with REV as the environment's branch.

Signatures are judged per branch (the trust policy's rules name branches), so REV is verified
as the commit the branch would point to once deployed. The view borrows the objects through
``objects/info/alternates`` and copies the approval notes; the target repository is not written.
"""

from __future__ import annotations

from pathlib import Path

from gitwarden.sources.git_repository import GitRepository

APPROVAL_NOTES = "refs/notes/gitwarden-approvals"


def candidate_view(repo: GitRepository, revision: str, branch: str, folder: Path) -> GitRepository:
    repo.run("init", "-q", "--bare", str(folder))
    objects = repo.git_dir / "objects"
    (folder / "objects" / "info" / "alternates").write_text(f"{objects.resolve()}\n")
    view = GitRepository(folder)
    view.run("update-ref", f"refs/heads/{branch}", revision)
    notes = repo.refs([APPROVAL_NOTES]).get(APPROVAL_NOTES)
    if notes is not None:
        view.run("update-ref", APPROVAL_NOTES, notes)
    return view
