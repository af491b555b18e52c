"""Fuzzing the Git object parsers (`gitwarden.sources.git_commits`): any bytes a hostile
repository stores as a commit or tag yield an object or MalformedObjectError, nothing else."""

from __future__ import annotations

import contextlib

from hypothesis import given
from hypothesis import strategies as st

from gitwarden.sources.git_commits import MalformedObjectError, parse_commit, parse_tag

OID = "0" * 40
_hex = st.text("0123456789abcdef", min_size=0, max_size=45)
_person = st.builds(
    lambda name, stamp, zone: f"{name} <{name}@example.org> {stamp} {zone}".encode(),
    st.text(max_size=8),
    st.sampled_from(["1700000000", "", "-1", "9" * 5000, "x", "1700000000.5"]),
    st.sampled_from(["+0000", "-0130", "", "+99999", "Z"]),
)
_header = st.one_of(
    _hex.map(lambda h: b"tree " + h.encode()),
    _hex.map(lambda h: b"parent " + h.encode()),
    _hex.map(lambda h: b"object " + h.encode()),
    st.sampled_from([b"type commit", b"type tree", b"tag v1", b"tag ", b"encoding latin1"]),
    _person.map(lambda p: b"author " + p),
    _person.map(lambda p: b"committer " + p),
    _person.map(lambda p: b"tagger " + p),
    st.sampled_from(
        [
            b"gpgsig -----BEGIN PGP SIGNATURE-----\n \n =abc\n -----END PGP SIGNATURE-----",
            b"gpgsig -----BEGIN SSH SIGNATURE-----",
            b"gpgsig-sha256 x",
            b" continuation",
            b"mergetag object x",
        ]
    ),
    st.binary(max_size=12),
)
_message = st.one_of(
    st.binary(max_size=40),
    st.sampled_from([b"-----BEGIN PGP SIGNATURE-----\nxx\n-----END PGP SIGNATURE-----\n"]),
)
git_objects = st.builds(
    lambda headers, message, blank: b"\n".join(headers) + (b"\n\n" if blank else b"\n") + message,
    st.lists(_header, max_size=8),
    _message,
    st.booleans(),
) | st.binary(max_size=300)


def parse_both(data: bytes) -> None:
    for parse in (parse_commit, parse_tag):
        with contextlib.suppress(MalformedObjectError):
            parse(OID, data)


@given(git_objects)
def test_git_object_parsers_raise_only_malformed_object_errors(data: bytes) -> None:
    parse_both(data)
