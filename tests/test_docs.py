from __future__ import annotations

from pathlib import Path

from gitwarden.report import get_format
from gitwarden.rule_catalogue import all_rules

REPO = Path(__file__).resolve().parents[1]


def test_rules_document_matches_the_rule_catalogue() -> None:
    expected = get_format("markdown").render_rules(list(all_rules()))
    actual = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert actual == expected, "regenerate: gitwarden rules --format markdown > docs/rules.md"


def test_readme_opens_with_the_two_setup_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    block_start = readme.index("```sh")
    commands = readme[block_start + 1 : readme.index("```", block_start)]
    assert len(commands) == 2
    assert "gitwarden scan examples/insecure-gitops" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    test_command = readme.split("```sh\n", 1)[1].splitlines()[1].split("&& ")[-1]
    assert test_command in (REPO / ".ci" / "run").read_text(encoding="utf-8")
