"""`gitwarden policy test`: Rego unit tests, passing and failing."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_fixtures import write_files

from gitwarden.cli.main import EXIT_FINDINGS, EXIT_PASS, EXIT_USAGE, main

POLICY = """
    package main
    import rego.v1

    deny contains msg if {
      input.kind == "Deployment"
      not input.metadata.labels.owner
      msg := "no owner"
    }
"""

PASSING_TESTS = """
    package main
    import rego.v1

    test_denies_without_owner if {
      count(deny) == 1 with input as {"kind": "Deployment", "metadata": {"name": "w"}}
    }

    test_allows_with_owner if {
      count(deny) == 0 with input as {"kind": "Deployment", "metadata": {"labels": {"owner": "a"}}}
    }
"""

FAILING_TEST = """
    package main
    import rego.v1

    test_expects_the_wrong_thing if {
      count(deny) == 0 with input as {"kind": "Deployment", "metadata": {"name": "w"}}
    }
"""


def test_passing_policy_tests_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_files(tmp_path, {"owner.rego": POLICY, "owner_test.rego": PASSING_TESTS})
    assert main(["policy", "test", str(folder)]) == EXIT_PASS
    assert "2 tests, 2 passed, 0 failed" in capsys.readouterr().err


def test_failing_policy_test_fails_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_files(tmp_path, {"owner.rego": POLICY, "owner_test.rego": FAILING_TEST})
    assert main(["policy", "test", str(folder), "-f", "json"]) == EXIT_FINDINGS
    output = capsys.readouterr().out
    assert '"rule": "policy-test-failed"' in output
    assert "test_expects_the_wrong_thing" in output


def test_broken_policy_fails_the_test_run(tmp_path: Path) -> None:
    folder = write_files(
        tmp_path,
        {"owner.rego": "package main\ndeny contains x if {\n", "t_test.rego": PASSING_TESTS},
    )
    assert main(["policy", "test", str(folder)]) == EXIT_FINDINGS


def test_folder_without_tests_is_a_usage_error(tmp_path: Path) -> None:
    folder = write_files(tmp_path, {"owner.rego": POLICY})
    assert main(["policy", "test", str(folder)]) == EXIT_USAGE
