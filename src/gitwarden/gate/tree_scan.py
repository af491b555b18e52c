"""One scan of REV's materialised tree with the base's config, shared by the tree requirements.

The policies are the base's too: when the base names policy folders, they are read from the
base's own tree, so REV cannot weaken a policy by editing it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.findings import Finding
from gitwarden.gate.context import GateContext
from gitwarden.path_patterns import glob_match
from gitwarden.policy.rules import POLICY_ERROR, POLICY_RULE_PREFIXES
from gitwarden.policy.sources import PolicySource
from gitwarden.report.model import Report
from gitwarden.secrets import all_secret_rules
from gitwarden.sources.revision_tree import materialise_tree


def tree_report(context: GateContext) -> Report:
    """The scan of REV's tree (run once per gate run)."""
    if context.scans.tree_report is None:
        config = context.config
        if config.policies:
            base_root = context.work_dir / "base-tree"
            materialise_tree(context.repo, context.base.revision, base_root)
            config = replace(
                config,
                policies=tuple(
                    PolicySource(str(base_root / source.path), source.namespaces)
                    for source in config.policies
                ),
            )
        context.scans.tree_report = scan(
            context.tree.root,
            config,
            ScanOptions(fail_on=context.fail_on, today=context.now.date()),
        )
    return context.scans.tree_report


@cache
def secret_rule_ids() -> frozenset[str]:
    """Immutable, derived from the catalogue: caching it shares no run state."""
    return frozenset(rule.id for rule in all_secret_rules())


def is_secret(finding: Finding) -> bool:
    return finding.rule_id in secret_rule_ids()


def is_policy(finding: Finding) -> bool:
    return finding.rule_id.startswith(POLICY_RULE_PREFIXES) or finding.rule_id == POLICY_ERROR.id


def in_paths(finding: Finding, paths: tuple[str, ...]) -> bool:
    return any(glob_match(pattern, finding.location.file) for pattern in paths)
