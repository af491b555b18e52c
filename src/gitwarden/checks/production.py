"""Which destinations are production: some GitOps rules are stricter there.

Configured in .gitwarden.yaml under ``production:`` (namespace, cluster and path globs). Once
any pattern is configured, only the configured patterns count; without configuration a
namespace, cluster or path counts as production when one of its words is ``prod`` or
``production`` (``prod-eu``, ``clusters/production/``, but not ``preprod`` or ``products``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from gitwarden.path_patterns import glob_match, name_glob_match

# "prod" or "production" as a whole word: letters on neither side.
_PRODUCTION_WORD = re.compile(r"(?<![a-z])prod(?:uction)?(?![a-z])", re.IGNORECASE)


@dataclass(frozen=True)
class ProductionScope:
    """Globs naming production namespaces, clusters (name or API server URL) and paths."""

    namespaces: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()

    @property
    def configured(self) -> bool:
        return bool(self.namespaces or self.clusters or self.paths)

    def matches(
        self,
        *,
        namespaces: Iterable[str | None] = (),
        clusters: Iterable[str | None] = (),
        paths: Iterable[str | None] = (),
    ) -> bool:
        """True when any of the given namespaces, clusters or paths is production."""
        if not self.configured:
            values = (*namespaces, *clusters, *paths)
            return any(value and _PRODUCTION_WORD.search(value) for value in values)
        return (
            _any(self.namespaces, namespaces, name_glob_match)
            or _any(self.clusters, clusters, name_glob_match)
            or _any(self.paths, paths, glob_match)
        )


def _any(
    patterns: tuple[str, ...],
    values: Iterable[str | None],
    match: Callable[[str, str], bool],
) -> bool:
    return any(
        value is not None and match(pattern, _clean(value))
        for value in values
        for pattern in patterns
    )


def _clean(value: str) -> str:
    # Flux and Argo CD write paths as "./apps/prod"; globs are relative to the root.
    return value.removeprefix("./").strip("/") or value
