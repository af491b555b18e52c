"""`gitwarden.flux_promote(target, config, options) -> FluxPromoteResult`: gate REV for ENV and,
on allow, move a signed tag that Flux follows.

Flux's `GitRepository` with ``spec.ref.tag`` and ``spec.verify`` (``mode: Tag``) reconciles
only a tag whose OpenPGP signature verifies against its keys: pointing that tag at a revision
only when the gate allows it means Flux only ever reconciles allowed revisions. The tag is an
annotated tag object written with ``git mktag`` and moved with a compare-and-swap
``update-ref`` through the hardened git runner (no hook, no config of the repository runs);
the user's gpg signs it (`integrity.gpg_signing`). On deny the tag is never touched. Pushing
the tag is the CI job's step: gitwarden never reaches the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gitwarden.attestation.signing_keys import SigningKey
from gitwarden.commands.gate import DEFAULT_TIMEOUT_SECONDS, GateOptions, GateResult, gate
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.integrity.gpg_signing import gpg_detach_sign
from gitwarden.report.model import Report
from gitwarden.sources.git_repository import GitRepository

TAG_PREFIX = "refs/tags/"
DEFAULT_TAGGER = "gitwarden <gitwarden@localhost>"
NO_OBJECT = "0" * 40


def default_tag(environment: str) -> str:
    return f"gitwarden/allowed/{environment}"


@dataclass(frozen=True)
class FluxPromoteOptions:
    """``tag_key``: the OpenPGP key (id, fingerprint or e-mail in the user's gpg) that signs
    the tag, whose public key Flux's ``spec.verify.secretRef`` holds; ``tag``: the tag to move
    (default ``gitwarden/allowed/ENV``); ``signing_key``, ``audit``: as for `gitwarden.gate`."""

    revision: str
    environment: str
    tag_key: str
    tag: str | None = None
    tagger: str = DEFAULT_TAGGER
    signing_key: Path | SigningKey | None = None
    audit: str | None = None
    branch: str | None = None
    repository: str | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    fail_on: Severity | None = None
    now: datetime | None = None
    environ: Mapping[str, str] | None = None


@dataclass(frozen=True)
class FluxPromoteResult:
    """The gate's result; on allow the tag object written and what the tag pointed at before."""

    gate: GateResult
    tag: str
    tag_object: str | None = None
    previous: str | None = None

    @property
    def allowed(self) -> bool:
        return self.gate.allowed

    @property
    def moved(self) -> bool:
        return self.tag_object is not None

    @property
    def report(self) -> Report:
        return self.gate.report

    @property
    def summary(self) -> str:
        if self.tag_object is None:
            return f"{self.gate.summary} (tag {self.tag} untouched)"
        return f"{self.gate.summary} (tag {self.tag} -> {self.gate.decision.revision[:12]})"


def flux_promote(
    target: str | Path, config: Config | None = None, options: FluxPromoteOptions | None = None
) -> FluxPromoteResult:
    """Gate ``options.revision`` for ``options.environment``; on allow, move the signed tag."""
    if options is None:
        raise UsageError("flux promote needs a revision, an environment and a tag key")
    repo = GitRepository(Path(target))
    tag = options.tag or default_tag(options.environment)
    ref = f"{TAG_PREFIX}{tag}"
    if not repo.succeeds("check-ref-format", ref):
        raise UsageError(f"{tag!r} is not a valid tag name")
    previous = repo.refs([ref]).get(ref)
    result = gate(repo.path, config, _gate_options(options))
    if not result.allowed:
        return FluxPromoteResult(result, tag, None, previous)
    commit = result.decision.revision
    if len(commit) != len(NO_OBJECT):  # the gate names the commit it judged, in full
        commit = repo.resolve(f"{commit}^{{commit}}")
    payload = _tag_payload(commit, tag, options, result)
    signature = gpg_detach_sign(payload, options.tag_key)
    tag_object = repo.run("mktag", input_bytes=payload + signature).strip()
    # Compare-and-swap: a tag another job moved meanwhile is not overwritten.
    repo.run("update-ref", "-m", "gitwarden flux promote", ref, tag_object, previous or NO_OBJECT)
    return FluxPromoteResult(result, tag, tag_object, previous)


def _gate_options(options: FluxPromoteOptions) -> GateOptions:
    return GateOptions(
        revision=options.revision,
        environment=options.environment,
        audit=options.audit,
        signing_key=options.signing_key,
        branch=options.branch,
        repository=options.repository,
        timeout_seconds=options.timeout_seconds,
        fail_on=options.fail_on,
        now=options.now,
        environ=options.environ,
    )


def _tag_payload(commit: str, tag: str, options: FluxPromoteOptions, result: GateResult) -> bytes:
    if "\n" in options.tagger or "<" not in options.tagger:
        raise UsageError(f"tagger {options.tagger!r}: expected 'Name <email>'")
    moment = (options.now or datetime.now(UTC)).astimezone(UTC)
    entry = f"audit entry {result.audit_entry.seq}\n" if result.audit_entry else ""
    return (
        f"object {commit}\n"
        "type commit\n"
        f"tag {tag}\n"
        f"tagger {options.tagger} {int(moment.timestamp())} +0000\n"
        "\n"
        f"gitwarden: {commit[:12]} allowed for {options.environment}\n"
        "\n"
        f"{result.summary}\n"
        f"{entry}"
    ).encode()
