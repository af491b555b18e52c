from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from gitwarden.commands.report_assembly import assemble_report, config_for
from gitwarden.config import Config, ConfigSuppression
from gitwarden.findings import Location, Severity
from gitwarden.rules import Rule

RULE = Rule("demo-rule", "demo", Severity.MEDIUM, "Demo", "Why it matters.", "Fix it.")
OTHER = Rule("other-rule", "demo", Severity.HIGH, "Other", "Why.", "Fix.")
TODAY = date(2026, 1, 1)


def _findings() -> list:
    return [
        RULE.finding("first", Location("a.yaml", 3)),
        OTHER.finding("second", Location("b.yaml", 4)),
    ]


def test_config_suppression_marks_the_finding_it_matches() -> None:
    config = Config(suppressions=(ConfigSuppression(rule="demo-rule", reason="accepted"),))
    report = assemble_report("demo", ".", _findings(), config=config, rules=[RULE], today=TODAY)
    suppressed = [f.rule_id for f in report.findings if f.suppressed]
    assert suppressed == ["demo-rule"]


def test_disabled_rule_is_dropped_and_override_rerates() -> None:
    config = Config(disabled_rules=("other-rule",), severity_overrides={"demo-rule": Severity.LOW})
    report = assemble_report("demo", ".", _findings(), config=config, rules=[RULE], today=TODAY)
    assert [(f.rule_id, f.severity) for f in report.findings] == [("demo-rule", Severity.LOW)]


def test_fail_on_from_the_caller_wins_over_the_config() -> None:
    config = Config(fail_on=Severity.CRITICAL)
    from_config = assemble_report("demo", ".", _findings(), config=config, rules={}, today=TODAY)
    from_caller = assemble_report(
        "demo", ".", _findings(), config=config, rules={}, fail_on=Severity.LOW, today=TODAY
    )
    assert (from_config.fail_on, from_config.passed) == (Severity.CRITICAL, True)
    assert (from_caller.fail_on, from_caller.passed) == (Severity.LOW, False)


def test_rules_are_attached_by_id_whether_given_as_list_or_mapping() -> None:
    as_list = assemble_report("demo", ".", [], config=Config(), rules=[RULE, OTHER])
    as_map = assemble_report("demo", ".", [], config=Config(), rules={RULE.id: RULE})
    assert set(as_list.rules) == {"demo-rule", "other-rule"}
    assert set(as_map.rules) == {"demo-rule"}


def test_config_for_reads_the_target_folders_config(tmp_path: Path) -> None:
    (tmp_path / ".gitwarden.yaml").write_text("fail_on: low\n")
    assert config_for(tmp_path, None).fail_on == Severity.LOW
    given = Config(fail_on=Severity.CRITICAL)
    assert config_for(tmp_path, given) is given
    assert config_for(tmp_path / "missing", None) == Config()


def _repository_with_config(root: Path, fail_on: str) -> Path:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".gitwarden.yaml").write_text(f"fail_on: {fail_on}\n", encoding="utf-8")
    sub = root / "clusters" / "prod"
    sub.mkdir(parents=True)
    return sub


def test_config_for_a_subfolder_reads_the_repository_root_config(tmp_path: Path) -> None:
    sub = _repository_with_config(tmp_path / "repo", "low")

    assert config_for(sub, None).fail_on == Severity.LOW


def test_config_for_a_file_in_a_repository_reads_the_root_config(tmp_path: Path) -> None:
    sub = _repository_with_config(tmp_path / "repo", "medium")
    manifest = sub / "pod.yaml"
    manifest.write_text("kind: Pod\n", encoding="utf-8")

    assert config_for(manifest, None).fail_on == Severity.MEDIUM


def test_config_for_prefers_the_nearest_config(tmp_path: Path) -> None:
    sub = _repository_with_config(tmp_path / "repo", "low")
    (sub / ".gitwarden.yaml").write_text("fail_on: critical\n", encoding="utf-8")

    assert config_for(sub, None).fail_on == Severity.CRITICAL


def test_config_for_never_reads_above_the_repository(tmp_path: Path) -> None:
    (tmp_path / ".gitwarden.yaml").write_text("fail_on: low\n", encoding="utf-8")
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)

    assert config_for(repo, None).fail_on is None


def test_config_for_outside_a_repository_reads_only_the_target_folder(tmp_path: Path) -> None:
    (tmp_path / ".gitwarden.yaml").write_text("fail_on: low\n", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()

    assert config_for(sub, None).fail_on is None
