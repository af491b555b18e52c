"""Matching a branch or tag against a forge's ref patterns (rulesets, protected branches)."""

from __future__ import annotations

from fnmatch import fnmatchcase


def ruleset_applies(conditions: object, ref: str, default_branch: str) -> bool:
    """Whether a GitHub ruleset's ``conditions.ref_name`` include/exclude select ``ref``.

    ``ref`` is a full ref (``refs/heads/main``); ``~ALL`` and ``~DEFAULT_BRANCH`` are
    GitHub's special patterns.
    """
    ref_name = conditions.get("ref_name") if isinstance(conditions, dict) else None
    if not isinstance(ref_name, dict):
        # No ref condition on a ruleset means it targets every ref of its kind.
        return True
    include = [p for p in ref_name.get("include") or () if isinstance(p, str)]
    exclude = [p for p in ref_name.get("exclude") or () if isinstance(p, str)]
    default_ref = f"refs/heads/{default_branch}"

    def selects(pattern: str) -> bool:
        if pattern == "~ALL":
            return True
        if pattern == "~DEFAULT_BRANCH":
            return ref == default_ref
        return fnmatchcase(ref, pattern)

    return any(selects(p) for p in include) and not any(selects(p) for p in exclude)


def gitlab_pattern_matches(pattern: str, name: str) -> bool:
    """GitLab's protected branch/tag names: exact, or ``*`` wildcards."""
    return fnmatchcase(name, pattern) if "*" in pattern else pattern == name
