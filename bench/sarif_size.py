"""SARIF size with only the rules its results use, against the whole catalogue (issue 18).

Scans a corpus once (no rendering, so the figure is about the format, not the renderers) and
renders SARIF twice: as gitwarden writes it now, and with every rule of the report described,
as it did before. Prints sizes, result and rule counts.

    .venv/bin/python bench/sarif_size.py                      # ../shared/corpora/argo-cd-manifests
    .venv/bin/python bench/sarif_size.py --corpus PATH
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.report.sarif import SarifFormat, rules_for, sarif_log, sarif_result

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "argo-cd-manifests"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    corpus = parser.parse_args().corpus
    report = scan(str(corpus), None, ScanOptions(render=False))
    now = SarifFormat().render(report)
    every_rule = list(report.rules.values())
    every_rule += [r for r in rules_for(report) if r.id not in report.rules]
    index_of = {rule.id: index for index, rule in enumerate(every_rule)}
    results = [sarif_result(f, index_of[f.rule_id]) for f in report.sorted_findings()]
    before = sarif_log(every_rule, results, report.tool_version)
    print(f"corpus: {corpus}")
    print(f"results: {len(report.findings)}")
    print(f"rules described: {len(rules_for(report))} now, {len(every_rule)} before")
    print(f"SARIF bytes: {len(now.encode()):,} now, {len(before.encode()):,} before")


if __name__ == "__main__":
    main()
