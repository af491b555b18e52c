from __future__ import annotations

from report_fixtures import HOST_PATH, LATEST_TAG, NO_LIMITS, PRIVILEGED, make_finding, make_report

from gitwarden.findings import Severity
from gitwarden.report.display import (
    GROUP_THRESHOLD,
    DisplayOptions,
    family_counts,
    hidden_count,
    repeated_rules,
    rule_counts,
    shown_findings,
)
from gitwarden.report.model import Report


def mixed_report() -> Report:
    return make_report(
        (
            make_finding(rule=LATEST_TAG, line=1),
            make_finding(rule=LATEST_TAG, line=2),
            make_finding(rule=NO_LIMITS, line=3),
            make_finding(rule=PRIVILEGED, line=4),
        )
    )


def test_floor_hides_findings_below_it_and_counts_them() -> None:
    report = mixed_report()
    display = DisplayOptions(min_severity=Severity.HIGH)

    assert [f.rule_id for f in shown_findings(report, display)] == [PRIVILEGED.id]
    assert hidden_count(report, display) == 3


def test_floor_does_not_change_the_verdict() -> None:
    report = mixed_report()

    assert not report.passed
    assert hidden_count(report, DisplayOptions(min_severity=Severity.CRITICAL)) == 3
    assert not report.passed


def test_rule_counts_are_worst_first_then_most_frequent() -> None:
    counts = rule_counts(mixed_report(), DisplayOptions())

    assert [(c.rule_id, c.count) for c in counts] == [
        (PRIVILEGED.id, 1),
        (LATEST_TAG.id, 2),
        (NO_LIMITS.id, 1),
    ]


def test_family_counts_add_up_per_family_worst_first() -> None:
    counts = family_counts(rule_counts(mixed_report(), DisplayOptions()))

    assert counts == [
        ("pod-security", Severity.CRITICAL, 1),
        ("images", Severity.MEDIUM, 2),
        (NO_LIMITS.family, NO_LIMITS.severity, 1),
    ]


def test_a_rule_repeated_often_enough_is_grouped() -> None:
    many = [make_finding(rule=HOST_PATH, line=n) for n in range(GROUP_THRESHOLD)]
    few = [make_finding(rule=LATEST_TAG, line=n) for n in range(GROUP_THRESHOLD - 1)]

    assert repeated_rules([*many, *few], DisplayOptions()) == {(HOST_PATH.id, HOST_PATH.severity)}


def test_grouping_can_be_turned_off() -> None:
    many = [make_finding(rule=HOST_PATH, line=n) for n in range(GROUP_THRESHOLD)]

    assert repeated_rules(many, DisplayOptions(group_repeats=False)) == set()
