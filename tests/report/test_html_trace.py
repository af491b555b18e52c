"""`audit trace --format html`: one page, no script, every recorded string shown as text."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from gitwarden.audit.deployment_trace import (
    DeploymentTrace,
    TracedApproval,
    TracedCommit,
    TracedImage,
    TraceStep,
)
from gitwarden.report.html_trace import render_trace_page

HOSTILE = '"><img src=x onerror=alert(1)><script>alert(2)</script>\x1b[2J\u202e'
DIGEST = "sha256:" + "d" * 64


def step(**changes: object) -> TraceStep:
    base = TraceStep(
        seq=3,
        time="2026-11-01T12:00:00.000000Z",
        kind="gate-decision",
        repository="git@example.com:org/shop.git",
        environment="prod",
        revision="a" * 40,
        outcome="allow",
        reasons=(),
        commits=(TracedCommit("b" * 40, "alice <alice@example.com>", "SHA256:alicekey", "fix"),),
        approvals=(TracedApproval("bob", "four-eyes", "checked", "SHA256:bobkey", "git"),),
        images=(DIGEST,),
        attestation_sha256="c" * 64,
        key_id="SHA256:gatekey",
        image_records=(TracedImage(f"app@{DIGEST}", DIGEST),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def page(*steps: TraceStep, intact: bool = True) -> str:
    return render_trace_page(DeploymentTrace("a" * 40, "prod", steps, intact))


def test_the_page_admits_no_script_and_fetches_nothing() -> None:
    rendered = page(step())
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', rendered)
    assert policy is not None
    assert "default-src 'none'" in policy.group(1) and "script-src 'none'" in policy.group(1)
    assert "<script" not in rendered and "http://" not in rendered and "https://" not in rendered


@pytest.mark.parametrize(
    "changes",
    [
        {"commits": (TracedCommit("b" * 40, HOSTILE, None, HOSTILE),)},
        {"reasons": (HOSTILE,)},
        {"approvals": (TracedApproval(HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE),)},
        {"environment": HOSTILE, "repository": HOSTILE},
        {"image_records": (TracedImage(HOSTILE, None),)},
    ],
    ids=["commit", "reason", "approval", "environment", "image"],
)
def test_recorded_markup_and_control_characters_are_escaped(changes: dict[str, object]) -> None:
    rendered = page(step(**changes))
    assert "<img" not in rendered and "<script>alert" not in rendered
    assert "\x1b" not in rendered and "\u202e" not in rendered
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered


def test_the_page_names_approver_key_source_and_message() -> None:
    rendered = page(step())
    row = re.search(r'<tr class="approval">(.*?)</tr>', rendered, re.DOTALL)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells == ["bob", "four-eyes", "git", "<code>SHA256:bobkey</code>", "checked"]


@pytest.mark.parametrize(
    ("image", "shown"),
    [(TracedImage(f"app@{DIGEST}", DIGEST), DIGEST), (TracedImage("app:1.2", None), "not pinned")],
    ids=["pinned", "tag-only"],
)
def test_each_image_says_whether_it_is_pinned(image: TracedImage, shown: str) -> None:
    rendered = page(step(image_records=(image,)))
    row = re.search(r'<tr class="image" data-pinned="(\w+)">(.*?)</tr>', rendered, re.DOTALL)
    assert row is not None
    assert row.group(1) == ("true" if image.pinned else "false") and shown in row.group(2)


def test_a_damaged_chain_is_said_at_the_top() -> None:
    rendered = page(step(), intact=False)
    assert "CHAIN DAMAGED" in rendered and 'id="chain-warning"' in rendered


def test_an_empty_trace_says_nothing_names_it() -> None:
    assert "Nothing in the audit store names it." in page()
