"""A self-contained HTML report: one file, its CSS, script and data inline, readable offline.

Every string from the scanned repository reaches the page through Jinja2's autoescaping,
after `printable` has made control and bidirectional characters visible. A Content Security
Policy admits only the report's own script (by hash), so even a slip in escaping could not
run anything or fetch from the network. Without JavaScript every finding is shown; the
script only adds the filters.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from gitwarden.findings import Finding, Severity
from gitwarden.report.escaping import printable, printable_lines, valid_unicode
from gitwarden.report.html_charts import BarChart, bar_chart
from gitwarden.report.html_excerpts import Excerpt, ExcerptReader, field_name
from gitwarden.report.model import Report
from gitwarden.rules import Rule

ASSETS = "html_assets"
# Beyond this many findings the page shows them without source lines: it must stay openable.
MAX_EXCERPTS = 2_000
# Commands whose findings point into the target's working tree; others (history: a blob of
# some commit) would show whatever the file holds now, so they show no source lines.
EXCERPT_COMMANDS = frozenset({"scan"})
# A file where a credential was found shows no source lines at all: a report is an artifact
# people share, and a key can span the lines around the one it was found on.
SECRETS_FAMILY = "secrets"


@dataclass(frozen=True)
class ShownFinding:
    finding: Finding
    family: str
    file: str
    message: str
    resource: str
    field_path: str
    field: str | None
    suppression: str
    excerpt: Excerpt | None


@dataclass(frozen=True)
class FileGroup:
    file: str
    findings: tuple[ShownFinding, ...]


def asset_text(name: str) -> str:
    return resources.files("gitwarden.report").joinpath(ASSETS, name).read_text("utf-8")


def script_hash(script: str) -> str:
    """The CSP source admitting exactly ``script``."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def template_environment(*packages: tuple[str, str]) -> jinja2.Environment:
    """Autoescaping everywhere; templates from the given packages, then the report's own."""
    loaders: list[jinja2.BaseLoader] = [
        jinja2.PackageLoader(pkg, folder) for pkg, folder in packages
    ]
    loaders.append(jinja2.PackageLoader("gitwarden.report", ASSETS))
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Autoescaping stops markup; this makes control and bidi characters visible too.
    environment.filters["printable"] = printable
    environment.filters["printable_lines"] = printable_lines
    return environment


def decision_of(report: Report) -> Mapping[str, Any] | None:
    """The gate's decision predicate when the report carries one (``report.decision``)."""
    decision = getattr(report, "decision", None)
    if decision is None:
        return None
    as_json = getattr(decision, "as_json", None)
    data = as_json() if callable(as_json) else decision
    return data if isinstance(data, Mapping) else None


def family_of(finding: Finding, rules: Mapping[str, Rule]) -> str:
    rule = rules.get(finding.rule_id)
    return rule.family if rule is not None else finding.rule_id.split("-", 1)[0].lower()


class HtmlFormat:
    name = "html"

    def __init__(self) -> None:
        self._environment = template_environment()

    def render(self, report: Report, *, color: bool = False) -> str:
        del color  # a page has its own colours
        reader = ExcerptReader(report.source_root or report.target)
        with_source = report.command in EXCERPT_COMMANDS
        secret_files = {
            f.location.file for f in report.findings if family_of(f, report.rules) == SECRETS_FAMILY
        }
        shown = [
            self._shown(
                finding,
                report.rules,
                reader
                if with_source
                and index < MAX_EXCERPTS
                and finding.location.file not in secret_files
                else None,
            )
            for index, finding in enumerate(report.sorted_findings())
        ]
        groups: dict[str, list[ShownFinding]] = {}
        for item in shown:
            groups.setdefault(item.file, []).append(item)
        families = Counter(item.family for item in shown if not item.finding.suppressed)
        counts = report.counts()
        script = asset_text("report.js")
        page = self._environment.get_template("report.html.j2").render(
            report=report,
            target=printable(report.target),
            summary=report.summary(),
            groups=[FileGroup(file, tuple(items)) for file, items in groups.items()],
            severity_chart=_severity_chart(counts),
            family_chart=bar_chart("Findings by family", sorted(families.items())),
            severities=[s.value for s in sorted(Severity, reverse=True)],
            families=sorted({item.family for item in shown}),
            rule_ids=sorted({item.finding.rule_id for item in shown}),
            rules=[
                report.rules[rule_id]
                for rule_id in sorted(report.rules)
                if rule_id in {item.finding.rule_id for item in shown}
            ],
            decision=decision_of(report),
            css=asset_text("report.css"),
            script=script,
            # Base64 and quotes only: nothing to escape, and escaped quotes would read worse.
            script_source=Markup(script_hash(script)),
            excerpts_cut=max(0, len(shown) - MAX_EXCERPTS),
        )
        # Any string not passed through `printable` (a policy's own rule id...) that holds a
        # lone surrogate must not make the page unwritable as UTF-8.
        safe_page: str = valid_unicode(page)
        return safe_page

    def render_rules(self, rules: list[Rule], *, color: bool = False) -> str:
        del color
        return self._environment.get_template("rules.html.j2").render(
            rules=sorted(rules, key=lambda rule: rule.id), css=asset_text("report.css")
        )

    @staticmethod
    def _shown(
        finding: Finding, rules: Mapping[str, Rule], reader: ExcerptReader | None
    ) -> ShownFinding:
        location = finding.location
        suppression = finding.suppression
        return ShownFinding(
            finding=finding,
            family=family_of(finding, rules),
            file=printable(location.file),
            message=printable_lines(finding.message),
            resource=printable(location.resource or ""),
            field_path=printable(location.field_path or ""),
            field=field_name(location.field_path),
            suppression=(
                f"{suppression.source}: {printable(suppression.reason)}" if suppression else ""
            ),
            excerpt=reader.excerpt(location.file, location.line) if reader else None,
        )


def _severity_chart(counts: Mapping[str, int]) -> BarChart:
    return bar_chart(
        "Findings by severity",
        list(counts.items()),
        [f"sev-{name}" for name in counts],
    )
