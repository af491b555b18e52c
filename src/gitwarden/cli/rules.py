"""`gitwarden rules`: the rule catalogue, generated from the rules themselves."""

from __future__ import annotations

import argparse

from gitwarden.cli.output import add_output_arguments, emit, use_color
from gitwarden.report import get_format
from gitwarden.rule_catalogue import all_rules


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "rules", help="list every rule: id, severity, what it checks, why, how to fix"
    )
    add_output_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> bool:
    rules = list(all_rules())
    emit(get_format(args.format).render_rules(rules, color=use_color(args.output)), args.output)
    return True
