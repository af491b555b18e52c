"""SecretHits to Findings: redacted by default, inline allows marked as suppressions."""

from __future__ import annotations

from collections.abc import Mapping

from gitwarden.findings import Finding, Location, Suppression
from gitwarden.secrets.hits import SecretHit
from gitwarden.secrets.redaction import shown

INLINE_REASON = "gitwarden:allow comment on the line"


def hit_finding(
    hit: SecretHit,
    path: str,
    *,
    show_secrets: bool,
    extra: Mapping[str, str] | None = None,
    message_suffix: str = "",
) -> Finding:
    value = shown(hit.value, show_secrets)
    where = f" ({hit.note})" if hit.note else ""
    message = (
        f"{hit.rule.title}: '{value}'{where}. Revoke and rotate it, then remove it from the "
        f"repository{message_suffix}."
    )
    details = {"secret": value, **(extra or {})}
    finding = hit.rule.finding(
        message,
        Location(
            file=path,
            line=hit.line,
            column=hit.column,
            resource=hit.resource,
            field_path=hit.field_path,
        ),
        details=details,
    )
    if hit.allowed_inline:
        return finding.with_suppression(Suppression(source="inline", reason=INLINE_REASON))
    return finding
