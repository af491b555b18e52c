"""Finding gator suites and kyverno-test.yaml files in a policy folder."""

from __future__ import annotations

from pathlib import Path

from policy_fixtures import write_files

from gitwarden.policy.suite_discovery import find_suites

SUITE = "kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\nmetadata: {name: s}\n"


def test_suites_and_hidden_kyverno_tests_are_found(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "gk/suite.yaml": SUITE,
            "gk/other.yaml": "kind: ConfigMap\napiVersion: v1\n",
            "ky/.kyverno-test/kyverno-test.yaml": "kind: Test\n",
            ".git/kyverno-test.yaml": "kind: Test\n",
        },
    )
    found = find_suites(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in found.gator] == ["gk/suite.yaml"]
    assert [p.relative_to(tmp_path).as_posix() for p in found.kyverno] == [
        "ky/.kyverno-test/kyverno-test.yaml"
    ]


def test_linked_files_are_not_followed(tmp_path: Path) -> None:
    write_files(tmp_path, {"real/suite.yaml": SUITE})
    (tmp_path / "linked.yaml").symlink_to(tmp_path / "real" / "suite.yaml")
    assert [p.name for p in find_suites(tmp_path).gator] == ["suite.yaml"]
