"""Findings per rule and per severity on each shared corpus, and the text lines people read.

    .venv/bin/python bench/noise_table.py [/work/shared/corpora] > table.md

For each corpus: findings per severity, the ten rules with most findings, and the length of
the text report with every finding on its own (as before grouping) and with repeated rules
grouped (the default now). Files are read as they are (no rendering) so the run is offline
and takes seconds; rendered corpora only add findings of the same rules.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import gitwarden
from gitwarden.commands.scan import ScanOptions
from gitwarden.report.display import DisplayOptions
from gitwarden.report.text import TextFormat

OPTIONS = ScanOptions(render=False, secrets=False)
TOP_RULES = 10


def corpus_table(corpus: Path) -> str:
    report = gitwarden.scan(corpus, None, OPTIONS)
    active = report.active
    by_severity = report.counts()
    by_rule = Counter((f.rule_id, f.severity.value) for f in active)
    ungrouped = TextFormat(display=DisplayOptions(group_repeats=False)).render(report)
    grouped = TextFormat().render(report)
    lines = [
        f"### {corpus.name}",
        "",
        f"{len(active)} findings: "
        + ", ".join(f"{count} {severity}" for severity, count in by_severity.items())
        + f". Text report: {len(ungrouped.splitlines())} lines ungrouped, "
        f"{len(grouped.splitlines())} grouped.",
        "",
        "| rule | severity | findings |",
        "| --- | --- | --- |",
    ]
    for (rule_id, severity), count in by_rule.most_common(TOP_RULES):
        lines.append(f"| `{rule_id}` | {severity} | {count} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path("/work/shared/corpora")
    for corpus in sorted(p for p in root.iterdir() if p.is_dir()):
        print(corpus_table(corpus))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
