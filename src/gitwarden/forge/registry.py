"""The forges gitwarden can read: one line per forge module."""

from __future__ import annotations

from gitwarden.forge.github import GITHUB
from gitwarden.forge.gitlab import GITLAB
from gitwarden.forge.interface import ForgeKind

FORGES: dict[str, ForgeKind] = {kind.name: kind for kind in (GITHUB, GITLAB)}
