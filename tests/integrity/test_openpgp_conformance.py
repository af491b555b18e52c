"""gitwarden's verdict on every commit of a real GitHub history equals git's ``%G?``.

The bundle (fluxcd/flux2-multi-tenancy, 230 commits) holds GitHub web-flow signatures with
loosely sized MPIs, signatures by keys not in the keyring, and unsigned commits. git runs
with GitHub's keys in a scratch GNUPGHOME; gitwarden with the same keys through --keys.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from gitwarden.commands.verify import VerifyOptions, verify_result
from gitwarden.integrity.signature_verdict import SignatureStatus

# ../shared beside the repository, as every worktree has it.
CONFORMANCE = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "signed-history"
BUNDLE = CONFORMANCE / "flux2-multi-tenancy.bundle"
KEYS = CONFORMANCE / "github-web-flow.asc"
# git's %G?: G good, U good by a key of unknown trust, Y good by a key expired since (gpg
# judges expiry now, gitwarden at the signature's time: these signatures predate it), B bad,
# E cannot be checked (the key is not in the keyring), N no signature, R revoked key.
GIT_VERDICTS = {
    "G": SignatureStatus.VALID,
    "U": SignatureStatus.VALID,
    "Y": SignatureStatus.VALID,
    "B": SignatureStatus.BAD,
    "E": SignatureStatus.UNKNOWN_KEY,
    "N": SignatureStatus.UNSIGNED,
    "R": SignatureStatus.REVOKED_KEY,
}

pytestmark = pytest.mark.skipif(not BUNDLE.is_file(), reason="conformance bundle not present")


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("conformance") / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(BUNDLE), str(target)], check=True, capture_output=True
    )
    return target


def git_verdicts(clone: Path, home: Path) -> dict[str, tuple[str, str]]:
    env = {**os.environ, "GNUPGHOME": str(home), "GIT_CONFIG_GLOBAL": "/dev/null"}
    subprocess.run(
        ["gpg", "--batch", "--import", str(KEYS)], check=True, capture_output=True, env=env
    )
    out = subprocess.run(
        ["git", "-C", str(clone), "log", "--format=%H %G? %GF", "refs/heads/main"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    verdicts = {}
    for line in out.splitlines():
        oid, status, *key = line.split(" ")
        verdicts[oid] = (status, key[0] if key and key[0] else "")
    return verdicts


def test_every_commit_of_the_github_history_gets_gits_verdict(clone: Path, gnupghome: Path) -> None:
    expected = {
        oid: (GIT_VERDICTS[status], key if GIT_VERDICTS[status] is SignatureStatus.VALID else "")
        for oid, (status, key) in git_verdicts(clone, gnupghome).items()
    }
    result = verify_result(
        clone, options=VerifyOptions(refs=("main",), keys=(str(KEYS),), use_cache=False)
    )
    actual = {
        v.commit: (v.status, v.key or "" if v.status is SignatureStatus.VALID else "")
        for v in result.verdicts
    }
    assert len(expected) == 230
    assert actual == expected


def test_the_history_holds_web_flow_signatures_that_sequoia_alone_rejects(clone: Path) -> None:
    import pysequoia

    from gitwarden.sources.git_commits import parse_commit
    from gitwarden.sources.git_repository import GitRepository

    repo = GitRepository(clone)
    oids = repo.run("rev-list", "refs/heads/main").split()
    rejected = 0
    for oid, obj in repo.read_objects(oids).items():
        signature = parse_commit(oid, obj.data).signed.signature
        if signature and signature.startswith(b"-----BEGIN PGP"):
            try:
                pysequoia.Sig.from_bytes(signature)
            except Exception:
                rejected += 1
    assert rejected >= 50  # what the conformance test above proves is accepted like gpg
