"""The trust.yaml schema is made from the registered signature schemes: their key lists."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gitwarden.integrity.openpgp import OpenPgpSignatureScheme
from gitwarden.integrity.schemes import SCHEME_TYPES
from gitwarden.integrity.sshsig import SshSignatureScheme
from gitwarden.integrity.trust_schema import trust_file_schema


@pytest.mark.parametrize(
    ("kinds", "accepted"),
    [((SshSignatureScheme, OpenPgpSignatureScheme), True), ((OpenPgpSignatureScheme,), False)],
    ids=["ssh-registered", "ssh-not-registered"],
)
def test_principal_holds_the_key_lists_of_the_registered_schemes(
    kinds: tuple[type, ...], accepted: bool
) -> None:
    schema = trust_file_schema(kinds)
    if accepted:
        assert schema.model_validate({"principals": {"a": {"ssh_keys": []}}}).version == 1
    else:
        with pytest.raises(ValidationError, match="unknown key"):
            schema.model_validate({"principals": {"a": {"ssh_keys": []}}})


def test_key_written_alone_reads_as_its_mapping_form() -> None:
    schema = trust_file_schema(SCHEME_TYPES)
    line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl a"
    read = schema.model_validate({"principals": {"a": {"ssh_keys": [line]}}})
    (entry,) = read.principals["a"].ssh_keys
    assert (entry.key, entry.added) == (line, None)


def test_schema_is_built_once_per_set_of_schemes() -> None:
    assert trust_file_schema(SCHEME_TYPES) is trust_file_schema(SCHEME_TYPES)
    assert trust_file_schema(SCHEME_TYPES) is not trust_file_schema((SshSignatureScheme,))


def test_published_entries_carry_the_schemes_names_and_descriptions() -> None:
    definitions = trust_file_schema(SCHEME_TYPES).model_json_schema()["$defs"]
    assert definitions["SshKey"]["properties"]["key"]["description"].startswith("an authorized")
    assert "cert" in definitions["OpenPgpCert"]["required"]
