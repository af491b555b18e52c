"""Applying suppressions: config entries (with reasons and expiry), resource annotations and
``# gitwarden:ignore`` comments (`gitwarden.suppressions_inline`).

A suppressed finding is kept, marked with who suppressed it and why, so JSON and SARIF still
show it. An expired config suppression stops suppressing and becomes a finding itself; a
malformed annotation is ignored and reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from gitwarden.config import Config, ConfigSuppression
from gitwarden.findings import Finding, Location, Suppression
from gitwarden.input_rules import SUPPRESSION_EXPIRED, SUPPRESSION_INVALID
from gitwarden.manifests.objects import K8sObject
from gitwarden.path_patterns import compile_name_glob, glob_match, name_glob_match
from gitwarden.suppressions_inline import InlineSuppressions, inline_match

IGNORE_ANNOTATION = "gitwarden.io/ignore"


@dataclass(frozen=True)
class AnnotationSuppression:
    rules: tuple[str, ...]
    reason: str


def read_annotation_suppressions(
    objects: Iterable[K8sObject],
) -> tuple[dict[tuple[str, str], AnnotationSuppression], list[Finding]]:
    """``(file, resource) -> suppression`` from ``gitwarden.io/ignore`` annotations."""
    by_resource: dict[tuple[str, str], AnnotationSuppression] = {}
    problems: list[Finding] = []
    for obj in objects:
        value = obj.annotations.get(IGNORE_ANNOTATION)
        if value is None:
            continue
        parsed = parse_ignore_annotation(value)
        if parsed is None:
            problems.append(
                SUPPRESSION_INVALID.finding(
                    f"Annotation {IGNORE_ANNOTATION}: {value!r} has no rule id or no reason and "
                    'is ignored; write it as "<rule>[,<rule>] -- <reason>".',
                    obj.location(("metadata", "annotations", IGNORE_ANNOTATION)),
                )
            )
            continue
        by_resource[(obj.file, obj.resource)] = parsed
    return by_resource, problems


def parse_ignore_annotation(value: object) -> AnnotationSuppression | None:
    """``"<rule>[,<rule>] -- <reason>"``, or None when a rule, the reason or a glob is bad."""
    if not isinstance(value, str) or "--" not in value:
        return None
    rules_text, _, reason = value.partition("--")
    rules = tuple(r.strip() for r in rules_text.split(",") if r.strip())
    if not rules or not reason.strip() or not all(_is_valid_glob(rule) for rule in rules):
        return None
    return AnnotationSuppression(rules, reason.strip())


def _is_valid_glob(pattern: str) -> bool:
    # The annotation is repository content: a broken glob must be reported, not crash.
    try:
        compile_name_glob(pattern)
    except ValueError:
        return False
    return True


def apply_suppressions(
    findings: Sequence[Finding],
    *,
    annotations: Mapping[tuple[str, str], AnnotationSuppression],
    config_suppressions: Sequence[ConfigSuppression],
    config_file: str | None,
    today: date,
    inline: InlineSuppressions | None = None,
) -> list[Finding]:
    """Mark suppressed findings and append one finding per expired config suppression.

    The suppression nearest the finding wins: its annotation, then a comment on its line,
    then the config.
    """
    live = [s for s in config_suppressions if s.expires is None or s.expires >= today]
    result: list[Finding] = []
    for finding in findings:
        suppression = (
            _annotation_match(finding, annotations)
            or inline_match(finding, inline or {})
            or _config_match(finding, live)
        )
        result.append(finding.with_suppression(suppression) if suppression else finding)
    for expired in config_suppressions:
        if expired.expires is not None and expired.expires < today:
            result.append(
                SUPPRESSION_EXPIRED.finding(
                    f"Suppression of '{expired.rule}' ({expired.reason}) expired on "
                    f"{expired.expires.isoformat()} and no longer applies; fix the findings "
                    "or renew it with a new date and reason.",
                    Location(file=config_file or ".gitwarden.yaml", line=expired.line),
                )
            )
    return result


def _annotation_match(
    finding: Finding, annotations: Mapping[tuple[str, str], AnnotationSuppression]
) -> Suppression | None:
    resource = finding.location.resource
    if resource is None or finding.rule_id.startswith("suppression-"):
        return None
    entry = annotations.get((finding.location.file, resource))
    if entry and any(name_glob_match(rule, finding.rule_id) for rule in entry.rules):
        return Suppression(source="annotation", reason=entry.reason)
    return None


def _config_match(finding: Finding, live: Sequence[ConfigSuppression]) -> Suppression | None:
    if finding.rule_id.startswith("suppression-"):
        return None
    for entry in live:
        if not name_glob_match(entry.rule, finding.rule_id):
            continue
        if entry.path and not glob_match(entry.path, finding.location.file):
            continue
        # The whole resource must match: ``Deployment/web`` (a Deployment without a
        # namespace) must not also suppress every Deployment in the namespace ``web``; and a
        # suppression scoped to a resource never covers findings that have none.
        resource = finding.location.resource
        if entry.resource and (resource is None or not name_glob_match(entry.resource, resource)):
            continue
        return Suppression(source="config", reason=entry.reason, expires=entry.expires)
    return None


def apply_config(
    findings: Sequence[Finding],
    config: Config,
    *,
    annotations: Mapping[tuple[str, str], AnnotationSuppression],
    today: date,
    inline: InlineSuppressions | None = None,
) -> list[Finding]:
    """Suppressions, then disabled rules and severity overrides, as the config says.

    Disabling and re-rating come last so that the findings about suppressions themselves
    obey the config too. A path-scoped override (the list form, each with its reason) wins
    over the mapping form: it is the explicit way to lower a "not checked" finding where a
    team accepts it.
    """
    marked = apply_suppressions(
        findings,
        annotations=annotations,
        config_suppressions=config.suppressions,
        config_file=config.file,
        today=today,
        inline=inline,
    )
    disabled = set(config.disabled_rules)
    return [_rerated(f, config) for f in marked if f.rule_id not in disabled]


def _rerated(finding: Finding, config: Config) -> Finding:
    """The severity the config gives ``finding``: a path-scoped entry first, then the mapping."""
    for entry in config.scoped_severity_overrides:
        if entry.rule == finding.rule_id and (
            entry.path is None or glob_match(entry.path, finding.location.file)
        ):
            # The report keeps why and from what it was re-rated: a lowered "not checked"
            # finding must say so wherever it is read.
            details = {
                **finding.details,
                "rerated_from": finding.severity.value,
                "rerated_because": entry.reason,
            }
            return replace(finding.with_severity(entry.severity), details=details)
    severity = config.severity_overrides.get(finding.rule_id)
    return finding if severity is None else finding.with_severity(severity)
