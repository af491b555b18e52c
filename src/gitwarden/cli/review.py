"""`gitwarden review BASE HEAD`: does this change have the approvals its policy asks for?"""

from __future__ import annotations

import argparse
from pathlib import Path

from gitwarden.cli import output
from gitwarden.commands.review import ReviewOptions, review, review_markdown, review_text


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "review",
        help="judge a change's approvals against the base revision's .gitwarden/review.yaml",
        description="Decide whether the change BASE..HEAD satisfies the review policy of the "
        "target branch (read from BASE, never from the change), rule by rule: which "
        "approvals counted, which did not and why, what is missing. Approvals come from "
        "refs/gitwarden/approvals (gitwarden approve) and, with --forge and --pr, from the "
        "pull or merge request. Exit 0 satisfied, 1 not, 2 error (unreadable policy, "
        "unreachable forge).",
    )
    parser.add_argument("base", metavar="BASE", help="the target branch's commit")
    parser.add_argument("head", metavar="HEAD", help="the change's last commit")
    parser.add_argument("--repo", type=Path, default=Path(), help="repository (default: .)")
    parser.add_argument("--branch", help="target branch (default: the branch whose tip is BASE)")
    parser.add_argument("--forge", choices=("github", "gitlab"), help="also read forge reviews")
    parser.add_argument("--pr", type=int, metavar="N", help="pull/merge request number")
    parser.add_argument("--project", help="OWNER/NAME or group/project (default: origin)")
    parser.add_argument(
        "--forge-data", type=Path, metavar="DIR", help="saved API responses (air-gapped runs)"
    )
    output.add_config_arguments(parser)
    output.add_output_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> bool:
    options = ReviewOptions(
        base=args.base,
        head=args.head,
        branch=args.branch,
        forge=args.forge,
        pr=args.pr,
        forge_data=args.forge_data,
        project=args.project,
        fail_on=args.fail_on,
    )
    result = review(args.repo, output.config_argument(args), options)
    if args.format == "markdown":
        text = review_markdown(result)
    elif args.format == "text":
        text = review_text(result)
    else:
        text = output.render_report(args, result.report)
    output.emit(text, args.output)
    return result.satisfied
