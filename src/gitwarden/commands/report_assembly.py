"""The one place where findings become a `Report`: config applied, rules attached, threshold set.

Scanners return findings (and their own typed results); every command builds its report here,
so suppressions, disabled rules, severity overrides and `fail_on` mean the same in every command.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

from gitwarden.config import Config, find_config, load_config
from gitwarden.findings import Finding, Severity
from gitwarden.report.model import Report
from gitwarden.rules import Rule
from gitwarden.suppressions import AnnotationSuppression, apply_config
from gitwarden.suppressions_inline import read_inline_suppressions
from gitwarden.version import __version__

DEFAULT_FAIL_ON = Severity.HIGH


def config_for(target: Path, config: Config | None) -> Config:
    """The config a command obeys: the one given, else the nearest `.gitwarden.yaml`.

    Nearest means the target folder, then its parents up to the root of the Git repository
    holding it: scanning ``clusters/prod`` obeys the repository's config. Outside a
    repository only the target folder is read; a folder above the repository is never
    consulted, since nothing there belongs to what is scanned.
    """
    return located_config(target, config)[0]


def located_config(target: Path, config: Config | None) -> tuple[Config, Path | None]:
    """`config_for`'s config, with the folder of the file it was read from (None: given or
    defaults): the config's paths (suppressions, severity overrides) are relative to it."""
    if config is not None:
        return config, None
    found = next(filter(None, map(find_config, config_folders(target))), None)
    if found is None:
        return Config(), None
    return load_config(found, found.name), found.parent.resolve()


def config_folders(target: Path) -> list[Path]:
    """Where a config for ``target`` may live, nearest first."""
    start = target if target.is_dir() else target.parent
    start = start.resolve()
    chain = [start, *start.parents]
    # `.git` is a folder in a clone and a file in a worktree or submodule.
    root = next((folder for folder in chain if (folder / ".git").exists()), None)
    if root is None:
        return [start] if target.is_dir() else []
    return chain[: chain.index(root) + 1]


def assemble_report(
    command: str,
    target: str,
    findings: Sequence[Finding],
    *,
    config: Config,
    rules: Mapping[str, Rule] | Iterable[Rule],
    fail_on: Severity | None = None,
    today: date | None = None,
    annotations: Mapping[tuple[str, str], AnnotationSuppression] | None = None,
    files_scanned: int = 0,
    objects_scanned: int = 0,
    inline_root: Path | None = None,
) -> Report:
    """Apply ``config`` to ``findings`` and wrap them, with their rules, as one command's report.

    ``fail_on`` from the command line wins over the config's, which wins over the default.
    ``inline_root``: the scanned folder whose YAML files may hold ``# gitwarden:ignore``
    comments (None for commands whose findings are not about the working tree).
    """
    inline, problems = (
        read_inline_suppressions(inline_root, findings) if inline_root is not None else ({}, [])
    )
    applied = apply_config(
        [*findings, *problems],
        config,
        annotations=annotations or {},
        today=today or date.today(),
        inline=inline,
    )
    rule_map = dict(rules) if isinstance(rules, Mapping) else {rule.id: rule for rule in rules}
    return Report(
        command=command,
        target=target,
        findings=tuple(applied),
        rules=rule_map,
        fail_on=fail_on or config.fail_on or DEFAULT_FAIL_ON,
        files_scanned=files_scanned,
        objects_scanned=objects_scanned,
        tool_version=__version__,
    )
