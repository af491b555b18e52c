from __future__ import annotations

import pytest

from gitwarden.cli import EXIT_USAGE, main


def test_rules_named_on_the_command_line_are_the_only_ones_listed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["rules", "pss-privileged", "images-latest-tag"])

    output = capsys.readouterr().out
    assert "pss-privileged" in output and "images-latest-tag" in output
    assert "pss-run-as-non-root" not in output


def test_rule_globs_select_a_family_of_ids(capsys: pytest.CaptureFixture[str]) -> None:
    main(["rules", "pss-*", "--format", "markdown"])

    output = capsys.readouterr().out
    assert "`pss-privileged`" in output and "images-latest-tag" not in output


def test_family_filter_lists_only_that_family(capsys: pytest.CaptureFixture[str]) -> None:
    main(["rules", "--family", "images"])

    output = capsys.readouterr().out
    assert "images-latest-tag" in output and "pss-privileged" not in output


@pytest.mark.parametrize(
    "argv", [["rules", "no-such-rule"], ["rules", "--family", "no-such-family"]]
)
def test_a_filter_matching_nothing_is_a_usage_error(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == EXIT_USAGE
    assert "no rule" in capsys.readouterr().err
