"""A test-only check family: a Deployment that runs one replica has no failover.

Written as a built-in family is (rules as data, CHECKS pairing each rule with its finder);
registered by one entry in `gitwarden.checks.registry.CHECK_FAMILIES`.
"""

from __future__ import annotations

from collections.abc import Iterator

from gitwarden.checks.check import Check, CheckContext
from gitwarden.findings import Finding, Severity
from gitwarden.rules import Rule

SINGLE_REPLICA = Rule(
    id="plugin-single-replica",
    family="plugin",
    severity=Severity.HIGH,
    title="Deployment runs a single replica",
    rationale="One pod means any eviction or node loss is an outage.",
    remediation="Set spec.replicas to 2 or more.",
)


def find_single_replica_deployments(context: CheckContext) -> Iterator[Finding]:
    for deployment in context.of_kind("Deployment"):
        if deployment.get(("spec", "replicas")) == 1:
            yield SINGLE_REPLICA.finding(
                f"{deployment.resource} runs one replica.",
                deployment.location(("spec", "replicas")),
            )


CHECKS = (Check(SINGLE_REPLICA, find_single_replica_deployments),)
