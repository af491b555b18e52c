"""Commit objects parsed from their bytes: the payload git signs and the signature it holds."""

from __future__ import annotations

import pytest

from gitwarden.sources.git_commits import MalformedObjectError, parse_commit

TREE = "4b825dc642cb6eb9a060e54bf8d69288fbad4904"
SIG = b"-----BEGIN SSH SIGNATURE-----\n AAAA\n -----END SSH SIGNATURE-----\n"
OTHER = b"-----BEGIN PGP SIGNATURE-----\n BBBB\n -----END PGP SIGNATURE-----\n"
HEAD = f"tree {TREE}\nauthor A U Thor <a@example.com> 1700000000 +0000\n".encode()
COMMITTER = b"committer C O Mitter <c@example.com> 1700000001 +0000\n"


def raw(*headers: bytes) -> bytes:
    return HEAD + COMMITTER + b"".join(headers) + b"\nmessage\n"


@pytest.mark.parametrize(
    ("oid", "signature"),
    [
        ("1" * 40, b"-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n"),
        ("2" * 64, b"-----BEGIN PGP SIGNATURE-----\nBBBB\n-----END PGP SIGNATURE-----\n"),
    ],
    ids=["sha1-gpgsig", "sha256-gpgsig-sha256"],
)
def test_signature_of_the_repositorys_hash_is_taken(oid: str, signature: bytes) -> None:
    commit = parse_commit(oid, raw(b"gpgsig " + SIG, b"gpgsig-sha256 " + OTHER))
    assert commit.signed.signature == signature


def test_payload_leaves_out_every_signature_header() -> None:
    commit = parse_commit("1" * 40, raw(b"gpgsig " + SIG, b"gpgsig-sha256 " + OTHER))
    assert commit.signed.payload == raw()


def test_commit_without_signature_is_unsigned() -> None:
    assert parse_commit("1" * 40, raw()).signed.signature is None


def test_author_identity_drops_the_timestamp() -> None:
    assert parse_commit("1" * 40, raw()).author_identity == "A U Thor <a@example.com>"


def test_commit_without_committer_is_malformed() -> None:
    with pytest.raises(MalformedObjectError, match="lacks a tree or committer"):
        parse_commit("1" * 40, HEAD + b"\nmessage\n")
