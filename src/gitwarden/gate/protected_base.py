"""The protected base: the environment's branch tip as the ledger last recorded it.

The environment (its paths, threshold and requirements) is read from the base's
`.gitwarden.yaml`, never from the revision being judged, so a change cannot relax its own gate.
Without a ledger record of the branch, the branch tip is the base, and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from gitwarden.config import Config, EnvironmentSettings, parse_config
from gitwarden.errors import UsageError
from gitwarden.integrity.ledger_store import read_chain
from gitwarden.sources.git_repository import GitRepository

BRANCH_PREFIX = "refs/heads/"
CONFIG_NAMES = (".gitwarden.yaml", ".gitwarden.yml")
LEDGER = "ledger"
BRANCH_TIP = "branch tip"


@dataclass(frozen=True)
class ProtectedBase:
    """Where the environment was read: ``branch`` at ``revision``; ``source`` says how the
    revision was found (``ledger`` or ``branch tip``)."""

    branch: str
    revision: str
    source: str
    config: Config
    environment: EnvironmentSettings


def find_protected_base(
    repo: GitRepository,
    environment: str,
    branch: str | None = None,
    override: Config | None = None,
) -> ProtectedBase:
    """The base declaring ``environment``: on ``branch``, else the first candidate branch
    (ledger-recorded ones first) whose own config declares it to deploy from that branch.

    With ``override`` (a configuration given out of band) the environment is read from it
    instead of the base's `.gitwarden.yaml`."""
    recorded = _recorded_branches(repo)
    local = {
        name.removeprefix(BRANCH_PREFIX): oid for name, oid in repo.refs([BRANCH_PREFIX]).items()
    }
    candidates = [branch] if branch else [*sorted(recorded), *sorted(set(local) - set(recorded))]
    for name in candidates:
        tip, source = (
            (recorded[name], LEDGER) if name in recorded else (local.get(name), BRANCH_TIP)
        )
        if tip is None:
            continue
        config = override or config_at(repo, tip)
        settings = config.environments.get(environment)
        if settings is not None and name in settings.branches:
            return ProtectedBase(name, tip, source, config, settings)
    where = f"branch {branch!r}" if branch else "any branch"
    raise UsageError(
        f"environment {environment!r} is not declared (with that branch in its branches) on "
        f"{where} of {repo.path}",
        hint="declare it under environments: in .gitwarden.yaml on the branch it deploys from",
    )


def config_at(repo: GitRepository, revision: str) -> Config:
    """The `.gitwarden.yaml` committed at ``revision`` (defaults when there is none)."""
    names = [f"{revision}:{name}" for name in CONFIG_NAMES]
    for name, oid in repo.object_ids(names).items():
        if oid is not None:
            data = repo.read_object(oid).data
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise UsageError(f"{name}: is not UTF-8 text") from None
            return parse_config(text, name)
    return Config()


def _recorded_branches(repo: GitRepository) -> dict[str, str]:
    """Branch -> tip in the ledger's last readable entry (its chain is the ledger check's job)."""
    for stored in reversed(read_chain(repo)):
        try:
            refs = stored.parse().refs
        except (ValueError, KeyError):
            continue
        return {
            ref.removeprefix(BRANCH_PREFIX): oid
            for ref, oid in refs.items()
            if ref.startswith(BRANCH_PREFIX)
        }
    return {}
