"""`gitwarden rules [RULE...] [--family NAME]`: the rule catalogue, generated from the rules."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from gitwarden.cli import output
from gitwarden.errors import UsageError
from gitwarden.path_patterns import name_glob_match
from gitwarden.report import get_format
from gitwarden.rule_catalogue import all_rules
from gitwarden.rules import Rule


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "rules", help="list every rule: id, severity, what it checks, why, how to fix"
    )
    parser.add_argument(
        "rule_ids",
        nargs="*",
        metavar="RULE",
        help="only these rules (ids or globs such as 'pss-*'; default: every rule)",
    )
    parser.add_argument(
        "--family",
        action="append",
        default=[],
        metavar="NAME",
        help="only the rules of this family (repeatable)",
    )
    output.add_output_arguments(parser, display=False)
    parser.set_defaults(handler=run)


def select_rules(
    rules: Sequence[Rule], rule_ids: Sequence[str], families: Sequence[str]
) -> list[Rule]:
    """The rules matching every filter given; an id or family matching nothing is an error.

    Failing instead of printing an empty catalogue: a typo must not read as "no such rule
    exists, so nothing checks that".
    """
    known_families = {rule.family for rule in rules}
    unknown_families = sorted(set(families) - known_families)
    if unknown_families:
        raise UsageError(
            f"no rule family {', '.join(unknown_families)} "
            f"(families: {', '.join(sorted(known_families))})"
        )
    chosen = [rule for rule in rules if not families or rule.family in families]
    for pattern in rule_ids:
        if not any(name_glob_match(pattern, rule.id) for rule in chosen):
            raise UsageError(f"no rule matches {pattern!r}; `gitwarden rules` lists them all")
    if rule_ids:
        chosen = [r for r in chosen if any(name_glob_match(p, r.id) for p in rule_ids)]
    return chosen


def run(args: argparse.Namespace) -> bool:
    rules = select_rules(all_rules(), args.rule_ids, args.family)
    output.emit(
        get_format(args.format).render_rules(rules, color=output.use_color(args.output)),
        args.output,
    )
    return True
