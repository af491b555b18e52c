from __future__ import annotations

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
