"""What every requirement judges: the revision, its tree, the base's settings, the clock.

`GateContext` is built once per gate run and passed to every requirement; the scans several
requirements share (the tree scan) are memoised in its `RevisionScans`, which belongs to that
run alone, so two gates in one process never see each other's results.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from gitwarden.attestation.decision_predicate import Approval, ImageRecord
from gitwarden.attestation.dsse import Envelope
from gitwarden.config import Config, EnvironmentSettings
from gitwarden.errors import GitwardenError
from gitwarden.findings import Location, Severity
from gitwarden.gate.protected_base import ProtectedBase
from gitwarden.report.model import Report
from gitwarden.sources.git_repository import GitRepository
from gitwarden.sources.revision_tree import MaterialisedTree


class GateTimeoutError(GitwardenError):
    """The gate's time budget ran out before every requirement was judged."""


@dataclass
class RevisionScans:
    """This run's shared scan results (filled on first use)."""

    tree_report: Report | None = None
    candidate_view: GitRepository | None = None
    # Commit -> fingerprint of the key whose valid signature it carries (for the record).
    signers: dict[str, str] = field(default_factory=dict)
    # What the environment deploys at REV, and the approvals the review counted (for the record).
    images: tuple[ImageRecord, ...] | None = None
    approvals: tuple[Approval, ...] = ()


@dataclass(frozen=True)
class GateContext:
    repo: GitRepository
    repository_name: str
    revision: str
    tree: MaterialisedTree
    base: ProtectedBase
    last_deployed: str | None
    now: datetime
    work_dir: Path
    deadline: float
    rollback_approval: Envelope | None = None
    scans: RevisionScans = field(default_factory=RevisionScans)

    @property
    def environment(self) -> EnvironmentSettings:
        return self.base.environment

    @property
    def config(self) -> Config:
        return self.base.config

    @property
    def fail_on(self) -> Severity:
        return self.environment.fail_on or self.config.fail_on or Severity.HIGH

    @property
    def location(self) -> Location:
        return Location(
            file=f"gate {self.environment.name}", resource=f"commit {self.revision[:12]}"
        )

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise GateTimeoutError("the time budget ran out before this check")
