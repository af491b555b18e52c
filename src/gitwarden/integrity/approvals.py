"""Approvals: extra signatures over a commit id, kept in git notes, that count towards k-of-n.

A git commit carries one signature. Rules with a threshold above one are met by the commit's
signer plus approvals: SSH signatures (namespace ``gitwarden-approval``) over
``gitwarden approval v1\\ncommit <id>\\n``, stored in the note of the commit under
``refs/notes/gitwarden-approvals``. A note is just a container: each signature in it is
verified against the policy, so a forged or unknown approval counts for nothing.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from gitwarden.errors import UsageError
from gitwarden.integrity.gpg_signing import gpg_detach_sign
from gitwarden.integrity.sshsig_signing import sign_file_key
from gitwarden.sources.git_repository import GitRepository

NOTES_REF = "refs/notes/gitwarden-approvals"
NAMESPACE = "gitwarden-approval"
# Any armored signature block; which scheme it is, and whether it counts, the policy decides.
_ARMORED = re.compile(
    rb"-----BEGIN ([A-Z0-9 ]{1,40}) SIGNATURE-----.*?-----END \1 SIGNATURE-----\n?", re.DOTALL
)
MAX_APPROVALS_PER_COMMIT = 32
# The notes commit is bookkeeping; the approval's author is the signature inside it.
NOTES_IDENTITY = {
    "GIT_AUTHOR_NAME": "gitwarden",
    "GIT_AUTHOR_EMAIL": "gitwarden@localhost",
    "GIT_COMMITTER_NAME": "gitwarden",
    "GIT_COMMITTER_EMAIL": "gitwarden@localhost",
}


def approval_payload(commit: str) -> bytes:
    return f"gitwarden approval v1\ncommit {commit}\n".encode()


def approval_notes(repo: GitRepository) -> dict[str, str]:
    """Commit id -> note blob id, for every commit with approvals."""
    if repo.object_ids([NOTES_REF]).get(NOTES_REF) is None:
        return {}
    out = repo.run("notes", "--ref", NOTES_REF, "list")
    notes: dict[str, str] = {}
    for line in out.splitlines():
        blob, _, commit = line.partition(" ")
        if commit:
            notes[commit] = blob
    return notes


def signatures_in_note(text: bytes) -> list[bytes]:
    return [m.group(0) for m in _ARMORED.finditer(text)][:MAX_APPROVALS_PER_COMMIT]


def approve(
    repo: GitRepository, commit: str, key_file: Path | None = None, *, gpg_key: str | None = None
) -> bytes:
    """Sign an approval of ``commit`` with the SSH ``key_file`` or the user's gpg key
    ``gpg_key``, and append it to the commit's note."""
    oid = repo.resolve(commit)
    if key_file is not None and gpg_key is None:
        signature = sign_file_key(key_file, approval_payload(oid), NAMESPACE)
    elif gpg_key is not None and key_file is None:
        signature = gpg_detach_sign(approval_payload(oid), gpg_key)
    else:
        raise UsageError("approve with one key: an SSH key file or a gpg key id")
    with tempfile.NamedTemporaryFile("wb", suffix=".sig") as handle:
        handle.write(signature)
        handle.flush()
        repo.run("notes", "--ref", NOTES_REF, "append", "-F", handle.name, oid, env=NOTES_IDENTITY)
    return signature
