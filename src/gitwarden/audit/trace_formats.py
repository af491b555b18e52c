"""`audit trace` as text, Markdown or JSON. Every recorded string came from a scanned
repository or a writer of the store, so it is shown with unsafe characters escaped."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from gitwarden.audit.deployment_trace import DeploymentTrace, TraceStep

TRACE_FORMATS = ("text", "json", "markdown")

# Control characters and bidirectional overrides would let a commit subject rewrite the screen.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def _printable(text: str) -> str:
    return _UNSAFE.sub(lambda match: ascii(match.group())[1:-1], text)


def _markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _printable(text))


def _short(revision: str | None) -> str:
    return (revision or "-")[:12]


def render_trace(trace: DeploymentTrace, name: str) -> str:
    renderers: dict[str, Callable[[DeploymentTrace], str]] = {
        "text": _text,
        "json": _json,
        "markdown": _markdown_document,
    }
    return renderers[name](trace)


def _json(trace: DeploymentTrace) -> str:
    return json.dumps(trace.as_json(), indent=2, ensure_ascii=False) + "\n"


def _step_lines(step: TraceStep, escape: Callable[[str], str], bullet: str) -> list[str]:
    lines = []
    for reason in step.reasons:
        lines.append(f"{bullet}reason: {escape(reason)}")
    for commit in step.commits:
        signer = escape(commit.signer) if commit.signer else "UNSIGNED"
        lines.append(
            f"{bullet}commit {_short(commit.sha)} by {escape(commit.author or '?')}, "
            f"signed by {signer}: {escape(commit.subject or '')}"
        )
    for approval in step.approvals:
        role = f" ({escape(approval.role)})" if approval.role else ""
        where = [escape(approval.source)] if approval.source else []
        where += [f"key {escape(approval.signer)}"] if approval.signer else []
        via = f" [{', '.join(where)}]" if where else ""
        said = f": {escape(approval.message)}" if approval.message else ""
        lines.append(f"{bullet}approved by {escape(approval.approver)}{role}{via}{said}")
    for record in step.image_records:
        pin = f"pinned {escape(record.digest)}" if record.digest else "NOT PINNED"
        lines.append(f"{bullet}image {escape(record.name or '?')} ({pin})")
    if not step.image_records:  # entries whose writers recorded bare digests
        lines.extend(f"{bullet}image {escape(image)}" for image in step.images)
    if step.attestation_sha256:
        lines.append(f"{bullet}attestation sha256:{step.attestation_sha256}")
    return lines


def _heading(step: TraceStep, escape: Callable[[str], str]) -> str:
    outcome = (step.outcome or "recorded").upper()
    where = escape(step.environment or "-")
    return (
        f"#{step.seq} {step.time} {step.kind} {outcome} {where} {_short(step.revision)} "
        f"({escape(step.repository)}; signed {step.key_id})"
    )


def _text(trace: DeploymentTrace) -> str:
    scope = f" in {_printable(trace.environment)}" if trace.environment else ""
    lines = [f"trace of {trace.query}{scope}: {len(trace.steps)} recorded steps"]
    if not trace.chain_intact:
        lines.append("WARNING: the audit chain does not verify; run `gitwarden audit verify`")
    for step in trace.steps:
        lines.append(_heading(step, _printable))
        lines.extend(_step_lines(step, _printable, "    "))
    if not trace.steps:
        lines.append("nothing in the audit store names it")
    return "\n".join(lines) + "\n"


def _markdown_document(trace: DeploymentTrace) -> str:
    scope = f" in `{_printable(trace.environment)}`" if trace.environment else ""
    lines = [f"# Trace of `{trace.query}`{scope}", ""]
    if not trace.chain_intact:
        lines += ["> **Warning:** the audit chain does not verify.", ""]
    if not trace.steps:
        lines.append("Nothing in the audit store names it.")
    for step in trace.steps:
        lines += [f"## {_heading(step, _markdown)}", ""]
        lines += _step_lines(step, _markdown, "- ")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
