"""gitwarden's own predicate: the deploy decision for one revision and environment.

Described once by ``schemas/decision-predicate.schema.json``; `DecisionPredicate` is the typed
form the gate builds, and `decision_statement` wraps it as the in-toto Statement it signs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import jsonschema

from gitwarden.attestation.statement import Statement, Subject

DECISION_PREDICATE_TYPE = "https://gitwarden.dev/attestation/decision/v1"
PREDICATE_SCHEMA_NAME = "decision-predicate.schema.json"

Decision = Literal["allow", "deny"]
CheckOutcome = Literal["pass", "fail", "error", "not-configured"]


@dataclass(frozen=True)
class CheckResult:
    name: str
    result: CheckOutcome
    summary: str = ""
    findings: int = 0


@dataclass(frozen=True)
class PolicyVersion:
    name: str
    fingerprint: str
    version: str | None = None


@dataclass(frozen=True)
class CommitRecord:
    sha: str
    author: str | None = None
    signer: str | None = None
    subject: str | None = None


@dataclass(frozen=True)
class Approval:
    """A counted review approval: ``approver`` (the principal), ``role`` (the review rules it
    counted for), ``signer`` (the fingerprint of the key that signed it, for Git approvals)
    and ``source`` (``git``, ``github``, ``gitlab``, ...)."""

    approver: str
    role: str | None = None
    message: str | None = None
    signer: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class ImageRecord:
    """An image the environment's manifests deploy: ``name`` as written, ``digest`` when it is
    pinned by one (None: a tag only, which may move)."""

    digest: str | None
    name: str | None = None

    @property
    def pinned(self) -> bool:
        return self.digest is not None

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "digest": self.digest, "pinned": self.pinned}


@dataclass(frozen=True)
class DecisionPredicate:
    """What the gate decided, and everything it decided it from."""

    repository: str
    revision: str
    environment: str
    decision: Decision
    decided_at: str
    gitwarden_version: str
    reasons: tuple[str, ...] = ()
    checks: tuple[CheckResult, ...] = ()
    tree: str | None = None
    base_revision: str | None = None
    policies: tuple[PolicyVersion, ...] = ()
    commits: tuple[CommitRecord, ...] = ()
    approvals: tuple[Approval, ...] = ()
    images: tuple[ImageRecord, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "repository": self.repository,
            "revision": self.revision,
            "tree": self.tree,
            "environment": self.environment,
            "base_revision": self.base_revision,
            "decision": self.decision,
            "reasons": list(self.reasons),
            "checks": [vars(check) for check in self.checks],
            "policies": [vars(policy) for policy in self.policies],
            "commits": [vars(commit) for commit in self.commits],
            "approvals": [vars(approval) for approval in self.approvals],
            "images": [image.as_json() for image in self.images],
            "decided_at": self.decided_at,
            "gitwarden_version": self.gitwarden_version,
        }


def decision_statement(predicate: DecisionPredicate) -> Statement:
    """The Statement the gate signs: subjects are the commit and every pinned image's digest."""
    subjects = [Subject(predicate.repository, {"gitCommit": predicate.revision})]
    for image in predicate.images:
        if image.digest is not None:
            algorithm, _, value = image.digest.partition(":")
            subjects.append(Subject(image.name or image.digest, {algorithm: value}))
    return Statement(tuple(subjects), DECISION_PREDICATE_TYPE, predicate.as_json())


@cache
def predicate_schema() -> dict[str, Any]:
    """The predicate's JSON Schema (read-only package data, so caching it shares no state)."""
    text = (
        resources.files("gitwarden.attestation").joinpath("schemas", PREDICATE_SCHEMA_NAME)
    ).read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def predicate_errors(predicate: Mapping[str, Any]) -> list[str]:
    """Every way ``predicate`` breaks the schema, as ``path: message`` lines."""
    validator = jsonschema.Draft202012Validator(predicate_schema())
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(top)'}: {error.message}"
        for error in sorted(validator.iter_errors(dict(predicate)), key=lambda e: list(e.path))
    ]
