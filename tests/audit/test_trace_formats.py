from __future__ import annotations

import json
from dataclasses import replace

import pytest

from gitwarden.audit.deployment_trace import (
    DeploymentTrace,
    TracedApproval,
    TracedCommit,
    TracedImage,
    TraceStep,
)
from gitwarden.audit.trace_formats import render_trace

HOSTILE = "fix\x1b[2J\u202eevil](javascript:alert(1))"


def _trace(intact: bool = True) -> DeploymentTrace:
    step = TraceStep(
        seq=2,
        time="2026-11-01T12:00:00.000000Z",
        kind="gate-decision",
        repository="repo",
        environment="prod",
        revision="a" * 40,
        outcome="allow",
        reasons=(),
        commits=(TracedCommit("b" * 40, "alice", None, HOSTILE),),
        approvals=(TracedApproval("dave", "product-owner", "ship it", None),),
        images=(),
        attestation_sha256="c" * 64,
        key_id="SHA256:key",
    )
    return DeploymentTrace("a" * 40, "prod", (step,), intact)


def test_text_names_commit_author_signer_and_approver() -> None:
    text = render_trace(_trace(), "text")
    assert "commit bbbbbbbbbbbb by alice, signed by UNSIGNED" in text
    assert "approved by dave (product-owner): ship it" in text
    assert "ALLOW prod aaaaaaaaaaaa" in text


@pytest.mark.parametrize("name", ["text", "markdown"])
def test_control_and_bidi_characters_from_commits_are_escaped(name: str) -> None:
    rendered = render_trace(_trace(), name)
    assert "\x1b" not in rendered and "\u202e" not in rendered
    assert "\\x1b" in rendered and "\\u202e" in rendered


def test_markdown_cannot_be_turned_into_a_link_by_a_commit_subject() -> None:
    rendered = render_trace(_trace(), "markdown")
    assert "](javascript" not in rendered
    assert "\\]\\(javascript" in rendered


def test_json_is_the_trace_data() -> None:
    data = json.loads(render_trace(_trace(), "json"))
    assert data["deployments"] == [2]
    assert data["steps"][0]["commits"][0]["subject"] == HOSTILE


def test_a_damaged_chain_is_called_out() -> None:
    assert "WARNING: the audit chain does not verify" in render_trace(_trace(False), "text")


def _step_with_record(**changes: object) -> DeploymentTrace:
    step = replace(_trace().steps[0], **changes)  # type: ignore[arg-type]
    return DeploymentTrace("a" * 40, "prod", (step,), True)


def test_text_names_the_approvals_source_and_signing_key() -> None:
    approval = TracedApproval("bob", "four-eyes", "checked", "SHA256:bobkey", "git")
    text = render_trace(_step_with_record(approvals=(approval,)), "text")
    assert "approved by bob (four-eyes) [git, key SHA256:bobkey]: checked" in text


@pytest.mark.parametrize(
    ("image", "line"),
    [
        (TracedImage("app@sha256:" + "d" * 64, "sha256:" + "d" * 64), "(pinned sha256:ddd"),
        (TracedImage("app:1.2", None), "image app:1.2 (NOT PINNED)"),
    ],
    ids=["pinned", "tag-only"],
)
def test_text_says_whether_each_image_is_pinned(image: TracedImage, line: str) -> None:
    assert line in render_trace(_step_with_record(image_records=(image,)), "text")
