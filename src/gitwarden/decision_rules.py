"""Rules of the commands that decide over other commands' results: the deploy gate and fleet
scans. Data only, kept at the foundation so the rule catalogue (below the commands) lists them,
`gitwarden rules` prints them and `.gitwarden.yaml` may re-rate or suppress them.
"""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.rules import Rule

FAMILY = "gate"
_WHY_CLOSED = "A deploy gate fails closed: what could not be checked is never deployed."

CHECK_ERROR = Rule(
    id="gate-check-error",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="A required check could not run",
    rationale=_WHY_CLOSED,
    remediation="Fix the cause the message names (missing object, crashed renderer...) and rerun.",
)
REQUIREMENT_UNAVAILABLE = Rule(
    id="gate-requirement-unavailable",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="A required check is not available or not configured",
    rationale=_WHY_CLOSED,
    remediation="Configure what the message names, or remove the requirement on the base branch.",
)
ROLLBACK_UNAPPROVED = Rule(
    id="gate-rollback-unapproved",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="The revision does not descend from the last deployed revision",
    rationale=(
        "A revision that is not a descendant of what runs is a rollback or a force push; "
        "deployed silently it undoes reviewed changes."
    ),
    remediation=(
        "Deploy a descendant, or pass a rollback approval signed by a trust-policy "
        "principal (--rollback-approval FILE)."
    ),
)
TREE_ENTRY_UNCHECKED = Rule(
    id="gate-tree-entry-unchecked",
    family=FAMILY,
    severity=Severity.HIGH,
    title="A tree entry was not checked (symbolic link, submodule or oversized file)",
    rationale="The gate scans the revision's blobs only; what it did not read it cannot pass.",
    remediation="Replace the link or submodule with the files themselves, or shrink the file.",
)
BASE_UNRECORDED = Rule(
    id="gate-base-unrecorded",
    family=FAMILY,
    severity=Severity.INFO,
    title="The protected base is the branch tip: the ledger records no tip for it",
    rationale="Without a ledger record the branch tip is trusted as the base as it is now.",
    remediation="Record the protected refs: gitwarden ledger record.",
)
TIMEOUT = Rule(
    id="gate-timeout",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="The gate ran out of time",
    rationale=_WHY_CLOSED,
    remediation="Raise --timeout, or find the slow check in the report.",
)

GATE_RULES = (
    CHECK_ERROR,
    REQUIREMENT_UNAVAILABLE,
    ROLLBACK_UNAPPROVED,
    TREE_ENTRY_UNCHECKED,
    BASE_UNRECORDED,
    TIMEOUT,
)


FLEET_NOT_SCANNED = Rule(
    id="fleet-repository-not-scanned",
    family="input",
    severity=Severity.HIGH,
    title="A repository of the fleet could not be scanned",
    rationale="A repository that was not checked must not pass as clean.",
    remediation="Fix the path in the repos file or the error the message names, then rerun.",
)

DECISION_RULES = (*GATE_RULES, FLEET_NOT_SCANNED)
