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
    approver: str
    role: str | None = None
    message: str | None = None
    signer: str | None = None


@dataclass(frozen=True)
class ImageRecord:
    digest: str
    name: str | None = None


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
            "images": [vars(image) for image in self.images],
            "decided_at": self.decided_at,
            "gitwarden_version": self.gitwarden_version,
        }


def decision_statement(predicate: DecisionPredicate) -> Statement:
    """The Statement the gate signs: subjects are the commit and every image digest."""
    subjects = [Subject(predicate.repository, {"gitCommit": predicate.revision})]
    subjects += [
        Subject(image.name or image.digest, {"sha256": image.digest.removeprefix("sha256:")})
        for image in predicate.images
    ]
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
