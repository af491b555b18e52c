"""The decision for machines: the predicate's facts plus each requirement's findings count and
where the base was read from."""

from __future__ import annotations

from typing import Any

from gitwarden.gate.decision import GateDecision
from gitwarden.gate.summary_line import summary_line


def decision_json(decision: GateDecision) -> dict[str, Any]:
    document = decision.predicate().as_json()
    document.update(
        {
            "summary": summary_line(decision),
            "errored": decision.errored,
            "base": {
                "branch": decision.base_branch,
                "revision": decision.base_revision,
                "source": decision.base_source,
            },
            "last_deployed": decision.last_deployed,
        }
    )
    return document
