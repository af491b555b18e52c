"""The in-toto Statement v1: what is attested (subjects) and the claim about it (predicate)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from gitwarden.errors import GitwardenError

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"


class AttestationError(GitwardenError):
    """An attestation is malformed, unsigned by a trusted key, or says something else."""


class UntrustedSignatureError(AttestationError):
    """No signature of the envelope verifies under a trusted key."""


@dataclass(frozen=True)
class Subject:
    """One attested artefact: a name and its digests (``{"gitCommit": "3f2a..."}``)."""

    name: str
    digest: Mapping[str, str]

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "digest": dict(self.digest)}


@dataclass(frozen=True)
class Statement:
    subjects: tuple[Subject, ...]
    predicate_type: str
    predicate: Mapping[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "_type": STATEMENT_TYPE,
            "subject": [subject.as_json() for subject in self.subjects],
            "predicateType": self.predicate_type,
            "predicate": dict(self.predicate),
        }

    def to_bytes(self) -> bytes:
        return json.dumps(self.as_json(), sort_keys=True, separators=(",", ":")).encode()


def statement_from_bytes(payload: bytes) -> Statement:
    """Parse a Statement v1, refusing any other ``_type`` or a missing field."""
    try:
        data = json.loads(payload)
    except ValueError as error:
        raise AttestationError(f"the statement is not JSON ({error})") from None
    if not isinstance(data, dict) or data.get("_type") != STATEMENT_TYPE:
        raise AttestationError(f"the payload is not an in-toto Statement ({STATEMENT_TYPE})")
    subjects_data = data.get("subject")
    predicate_type = data.get("predicateType")
    predicate = data.get("predicate", {})
    if not isinstance(subjects_data, list) or not subjects_data:
        raise AttestationError("the statement names no subject")
    if not isinstance(predicate_type, str) or not isinstance(predicate, dict):
        raise AttestationError(
            "the statement has no predicateType or its predicate is not an object"
        )
    subjects = []
    for item in subjects_data:
        digest = item.get("digest") if isinstance(item, dict) else None
        if not isinstance(digest, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in digest.items()
        ):
            raise AttestationError("a statement subject has no digest")
        subjects.append(Subject(str(item.get("name", "")), MappingProxyType(dict(digest))))
    return Statement(tuple(subjects), predicate_type, MappingProxyType(predicate))
