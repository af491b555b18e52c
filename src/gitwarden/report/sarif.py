"""SARIF 2.1.0, shaped for GitHub code scanning.

One run whose driver lists the rules its results use (described from ``report.rules``, or
rebuilt from the finding when the report lacks the rule), so ``ruleIndex`` always points
at the right descriptor. Paths are relative to the repository root (``uriBaseId``
``%SRCROOT%``, located by the run's ``originalUriBaseIds``), so GitHub annotates the right
file whichever folder was scanned. Each rule carries GitHub's ``security-severity`` and
``precision`` properties; each result a ``gitwarden/v1`` partial fingerprint that survives
line moves, and suppressed findings are kept with a ``suppressions`` entry rather than
dropped, so a dismissal is visible as one.

The schema this output is tested against ships in ``schemas/sarif-schema-2.1.0.json``.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from gitwarden.findings import Finding, Location, Severity, Suppression
from gitwarden.report.escaping import indented_json, path_bytes, printable
from gitwarden.report.model import Report
from gitwarden.rules import Rule

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
TOOL_NAME = "gitwarden"
INFORMATION_URI = "https://pypi.org/project/gitwarden/"
FINGERPRINT_KEY = "gitwarden/v1"
SOURCE_ROOT = "%SRCROOT%"

# GitHub ranks alerts by this CVSS-like score: over 9.0 is critical, 7.0-8.9 high,
# 4.0-6.9 medium, 0.1-3.9 low. It must be a string holding a number.
SECURITY_SEVERITY: dict[Severity, str] = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}
LEVELS: dict[Severity, str] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# Rules match exact fields of parsed objects rather than guessing from text, so GitHub
# should show their alerts by default ("high"; it hides "low" precision ones).
PRECISION = "high"
# Annotations and inline comments live next to the finding; config and baselines elsewhere.
SUPPRESSION_KINDS = {
    "annotation": "inSource",
    "inline": "inSource",
    "config": "external",
    "baseline": "external",
}


def rule_name(rule_id: str) -> str:
    """SARIF's ``name`` is an identifier-like form of the id: ``run-as-root`` -> ``RunAsRoot``."""
    return "".join(part.capitalize() for part in re.split(r"[^0-9A-Za-z]+", rule_id) if part)


def rule_help(rule: Rule) -> dict[str, str]:
    text = f"{rule.rationale}\n\nRemediation: {rule.remediation}"
    markdown = f"**{rule.title}**\n\n{rule.rationale}\n\n**Remediation:** {rule.remediation}"
    if rule.references:
        text += "\n\nReferences:\n" + "\n".join(rule.references)
        markdown += "\n\n**References:**\n" + "\n".join(f"- <{r}>" for r in rule.references)
    return {"text": text, "markdown": markdown}


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule_name(rule.id),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale or rule.title},
        "help": rule_help(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": ["security", rule.family],
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "precision": PRECISION,
        },
    }
    if rule.references:
        descriptor["helpUri"] = rule.references[0]
    return descriptor


def rule_from_finding(finding: Finding) -> Rule:
    """Rebuild what a finding knows of its rule, for findings whose rule the report lacks."""
    return Rule(
        id=finding.rule_id,
        family="gitwarden",
        severity=finding.severity,
        title=finding.title,
        rationale=finding.title,
        remediation=finding.remediation,
        references=finding.references,
    )


def rules_for(report: Report) -> list[Rule]:
    """The rules the report's results use, described from the report, else from the finding.

    Only those: the whole catalogue made the log megabytes long for a few results, and a
    descriptor no result points at tells code scanning nothing.
    """
    used = {finding.rule_id for finding in report.findings}
    by_id: dict[str, Rule] = {}
    for rule in report.rules.values():
        if rule.id in used:
            by_id.setdefault(rule.id, rule)
    for finding in report.sorted_findings():
        if finding.rule_id not in by_id:
            by_id[finding.rule_id] = rule_from_finding(finding)
    return list(by_id.values())


def artifact_location(file: str) -> dict[str, str]:
    """A URI for ``file``: relative to the checkout when it is, as GitHub requires.

    Percent-encoding keeps names with spaces, ``%`` or ``:`` valid URI references, and
    names that are not UTF-8 exact: each of their bytes is encoded as it is.
    """
    path = PurePosixPath(file)
    uri = quote(path_bytes(path.as_posix()), safe="/")
    if path.is_absolute():
        return {"uri": "file://" + uri}
    return {"uri": uri, "uriBaseId": SOURCE_ROOT}


def logical_locations(location: Location) -> list[dict[str, str]]:
    """The Kubernetes object, and the field inside it, as SARIF logical locations."""
    found: list[dict[str, str]] = []
    resource = printable(location.resource) if location.resource else None
    field_path = printable(location.field_path) if location.field_path else None
    if resource:
        found.append({"kind": "resource", "name": resource, "fullyQualifiedName": resource})
    if field_path:
        qualified = f"{resource}:{field_path}" if resource else field_path
        found.append({"kind": "property", "name": field_path, "fullyQualifiedName": qualified})
    return found


def sarif_location(location: Location) -> dict[str, Any]:
    sarif: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": artifact_location(location.file),
            # SARIF lines and columns start at 1; never emit a region the schema rejects.
            "region": {
                "startLine": max(location.line, 1),
                "startColumn": max(location.column, 1),
            },
        }
    }
    logical = logical_locations(location)
    if logical:
        sarif["logicalLocations"] = logical
    return sarif


def sarif_suppression(suppression: Suppression) -> dict[str, str]:
    justification = suppression.reason
    if suppression.expires:
        justification += f" (until {suppression.expires.isoformat()})"
    return {
        "kind": SUPPRESSION_KINDS[suppression.source],
        "status": "accepted",
        "justification": printable(justification),
    }


def sarif_result(finding: Finding, rule_index: int) -> dict[str, Any]:
    properties: dict[str, Any] = {"severity": finding.severity.value}
    if finding.location.origin:
        properties["origin"] = printable(finding.location.origin)
    if finding.details:
        properties["details"] = dict(finding.details)
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        # The finding's own severity: configuration may have raised or lowered the rule's.
        "level": LEVELS[finding.severity],
        "message": {"text": printable(finding.message or finding.title)},
        "locations": [sarif_location(finding.location)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }
    if finding.suppression is not None:
        result["suppressions"] = [sarif_suppression(finding.suppression)]
    return result


def original_uri_base_ids(source_root: str) -> dict[str, dict[str, str]]:
    """Where ``%SRCROOT%`` was on the scanning machine: an absolute folder URI ending in ``/``."""
    uri = "file://" + quote(path_bytes(PurePosixPath(source_root).as_posix()), safe="/")
    return {SOURCE_ROOT: {"uri": uri if uri.endswith("/") else uri + "/"}}


def sarif_log(
    rules: list[Rule],
    results: list[dict[str, Any]],
    version: str | None,
    source_root: str | None = None,
) -> str:
    driver: dict[str, Any] = {"name": TOOL_NAME, "informationUri": INFORMATION_URI}
    if version:
        driver["version"] = version
    driver["rules"] = [rule_descriptor(rule) for rule in rules]
    run: dict[str, Any] = {"tool": {"driver": driver}}
    if source_root:
        run["originalUriBaseIds"] = original_uri_base_ids(source_root)
    run["results"] = results
    log = {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}
    return indented_json(log) + "\n"


class SarifFormat:
    name = "sarif"

    def render(self, report: Report, *, color: bool = False) -> str:
        rules = rules_for(report)
        index_of = {rule.id: index for index, rule in enumerate(rules)}
        results = [sarif_result(f, index_of[f.rule_id]) for f in report.sorted_findings()]
        return sarif_log(rules, results, report.tool_version, report.source_root)

    def render_rules(self, rules: list[Rule], *, color: bool = False) -> str:
        return sarif_log(rules, [], version=None)
