"""The source stage: what a scan has to look at, before anything is rendered or parsed.

For a folder: the files the tree walk kept, the render plan and the inputs checks read
besides objects. For a single file: that file, loaded as it is, with nothing to render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gitwarden.checks.check import RepositoryInputs
from gitwarden.config import Config
from gitwarden.findings import Finding
from gitwarden.path_patterns import PathFilter
from gitwarden.pipeline.check_inputs import read_check_inputs
from gitwarden.pipeline.render_units import RenderPlan, plan_renders
from gitwarden.sources.tree import RepoFile, walk_repository


@dataclass(frozen=True)
class ScanSources:
    """Everything the later stages read, fixed before they start."""

    # The folder every path is relative to (a single file's folder when one file is scanned).
    root: Path
    # Every file the walk kept: what the secret scanner reads.
    files: tuple[RepoFile, ...]
    # Candidate manifests, loaded as they are unless a render covers them.
    manifest_files: tuple[RepoFile, ...]
    # What the walk refused or could not read (links out of the repository, ...).
    findings: tuple[Finding, ...] = ()
    plan: RenderPlan = field(default_factory=RenderPlan)
    inputs: RepositoryInputs = field(default_factory=RepositoryInputs)


def collect_sources(
    target: Path, config: Config, *, render: bool, allow_network: bool
) -> ScanSources:
    """The sources of ``target`` (an existing folder or file, resolved)."""
    if target.is_file():
        single = RepoFile(target.name, target)
        return ScanSources(root=target.parent, files=(single,), manifest_files=(single,))
    walk = walk_repository(target, PathFilter(config.include, config.exclude))
    return ScanSources(
        root=target,
        files=tuple(walk.all_files),
        manifest_files=tuple(walk.manifest_files),
        findings=tuple(walk.findings),
        plan=plan_renders(
            walk, max_file_bytes=config.max_file_bytes, render=render, allow_network=allow_network
        ),
        inputs=read_check_inputs(walk.all_files),
    )
