"""The gate's report carries its decision, so the HTML report shows it with each check."""

from __future__ import annotations

from pathlib import Path

from gate_fixtures import GitopsRepo

from gitwarden.report import get_format


def test_the_gate_report_carries_the_decision_predicate(repo: GitopsRepo) -> None:
    result = repo.gate()
    decision = result.report.decision
    assert decision is not None
    assert decision["environment"] == "prod"
    assert decision["decision"] == ("allow" if result.allowed else "deny")


def test_the_html_report_of_a_gate_shows_the_decision_and_its_checks(repo: GitopsRepo) -> None:
    result = repo.gate()
    page = get_format("html").render(result.report)
    verdict = "ALLOW" if result.allowed else "DENY"
    assert f'class="verdict {verdict.lower()}">{verdict}</span>' in page
    for check in result.decision.results:
        assert check.name in page


def test_other_commands_carry_no_decision(repo: GitopsRepo) -> None:
    from gitwarden.commands.scan import ScanOptions, scan

    assert scan(repo.path, options=ScanOptions(render=False, secrets=False)).decision is None


def test_the_report_carries_the_deny_an_unwritable_attestation_caused(
    repo: GitopsRepo, tmp_path: Path
) -> None:
    result = repo.gate(attest=tmp_path / "no-such-folder" / "decision.json")
    assert result.report.decision is not None
    assert result.report.decision["decision"] == "deny"
    assert result.report.decision["errored"] is True


def test_the_html_report_lists_the_decisions_images_and_approvals_as_text() -> None:
    from gitwarden.report.model import Report

    hostile = "<script>alert(1)</script>"
    decision = {
        "decision": "allow",
        "environment": "prod",
        "checks": [],
        "images": [
            {
                "name": "registry.example/web@sha256:" + "a" * 64,
                "digest": "sha256:" + "a" * 64,
                "pinned": True,
            },
            {"name": f"nginx:{hostile}", "digest": None, "pinned": False},
        ],
        "approvals": [
            {
                "approver": "dave",
                "role": "production",
                "source": "git",
                "signer": "SHA256:k",
                "message": hostile,
            },
        ],
    }
    page = get_format("html").render(Report("gate", ".", (), decision=decision))
    assert "sha256:" + "a" * 64 in page
    assert "NOT PINNED" in page
    assert "dave" in page and "SHA256:k" in page
    assert hostile not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
