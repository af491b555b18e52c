"""The approval writer `gitwarden trust approve` used before DSSE approvals, kept only to
build repositories holding old notes: an SSH (namespace ``gitwarden-approval``) or OpenPGP
signature over ``gitwarden approval v1\\ncommit <id>\\n``, appended to the commit's note in
``refs/notes/gitwarden-approvals``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from gitwarden.integrity.approvals import NAMESPACE, NOTES_REF, approval_payload
from gitwarden.integrity.gpg_signing import gpg_detach_sign
from gitwarden.integrity.sshsig_signing import sign_file_key
from gitwarden.sources.git_repository import GitRepository

NOTES_IDENTITY = {
    "GIT_AUTHOR_NAME": "gitwarden",
    "GIT_AUTHOR_EMAIL": "gitwarden@localhost",
    "GIT_COMMITTER_NAME": "gitwarden",
    "GIT_COMMITTER_EMAIL": "gitwarden@localhost",
}


def approve(
    repo: GitRepository, commit: str, key_file: Path | None = None, *, gpg_key: str | None = None
) -> bytes:
    """Sign a legacy approval of ``commit`` and append it to the commit's note."""
    oid = repo.resolve(commit)
    if key_file is not None:
        signature = sign_file_key(key_file, approval_payload(oid), NAMESPACE)
    else:
        assert gpg_key is not None
        signature = gpg_detach_sign(approval_payload(oid), gpg_key)
    with tempfile.NamedTemporaryFile("wb", suffix=".sig") as handle:
        handle.write(signature)
        handle.flush()
        repo.run("notes", "--ref", NOTES_REF, "append", "-F", handle.name, oid, env=NOTES_IDENTITY)
    return signature
