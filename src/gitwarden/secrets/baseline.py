"""Baselines: accepted secrets, keyed on rule + an HMAC of the value, never the value.

The HMAC key is random per baseline and stored in it, so the same secret hashes differently
in two baselines (a baseline leaks no reusable hash), and rewriting a baseline keeps its key
and sorted entries: re-runs produce no churn. Line numbers and commits are not part of the
key, so rebases and moved lines keep matching.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gitwarden.errors import ConfigError
from gitwarden.findings import Finding, Location, Suppression
from gitwarden.secrets.coverage_rules import BASELINE_STALE

FORMAT_VERSION = 1


@dataclass(frozen=True)
class BaselineEntry:
    rule: str
    hash: str
    file: str


@dataclass(frozen=True)
class Baseline:
    key: bytes
    entries: tuple[BaselineEntry, ...] = ()

    @classmethod
    def new(cls) -> Baseline:
        return cls(secrets.token_bytes(32))

    def digest(self, value: str) -> str:
        return hmac.new(self.key, value.strip().encode(), hashlib.sha256).hexdigest()

    def keys(self) -> set[tuple[str, str]]:
        return {(e.rule, e.hash) for e in self.entries}


def load_baseline(path: Path) -> Baseline:
    where = str(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("no such baseline file", file=where) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"not a gitwarden baseline ({error})", file=where) from None
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        raise ConfigError(
            f"not a version-{FORMAT_VERSION} gitwarden baseline",
            file=where,
            hint="write one with `gitwarden history --write-baseline FILE`",
        )
    try:
        key = bytes.fromhex(document["key"])
        entries = tuple(
            BaselineEntry(str(e["rule"]), str(e["hash"]), str(e.get("file", "")))
            for e in document["entries"]
        )
    except (KeyError, TypeError, ValueError):
        raise ConfigError("malformed baseline: key or entries missing", file=where) from None
    if len(key) < 16:
        raise ConfigError("baseline key is too short", file=where, key="key")
    return Baseline(key, entries)


def write_baseline(
    path: Path, baseline: Baseline, accepted: Iterable[tuple[Finding, str]]
) -> Baseline:
    """Write a baseline accepting ``accepted`` (finding, value); keeps the key of ``baseline``."""
    entries: dict[tuple[str, str], BaselineEntry] = {}
    for finding, value in accepted:
        digest = baseline.digest(value)
        entries.setdefault(
            (finding.rule_id, digest), BaselineEntry(finding.rule_id, digest, finding.location.file)
        )
    ordered = tuple(sorted(entries.values(), key=lambda e: (e.file, e.rule, e.hash)))
    document = {
        "version": FORMAT_VERSION,
        "generator": "gitwarden",
        "hash": "hmac-sha256",
        "key": baseline.key.hex(),
        "entries": [{"rule": e.rule, "hash": e.hash, "file": e.file} for e in ordered],
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return Baseline(baseline.key, ordered)


def apply_baseline(
    baseline: Baseline, found: Iterable[tuple[Finding, str]], baseline_file: str
) -> list[Finding]:
    """Mark accepted findings suppressed; add one finding per entry that matched nothing."""
    accepted = baseline.keys()
    matched: set[tuple[str, str]] = set()
    result = []
    for finding, value in found:
        key = (finding.rule_id, baseline.digest(value))
        if key in accepted and not finding.suppressed:
            matched.add(key)
            finding = finding.with_suppression(
                Suppression(source="baseline", reason=f"accepted in {baseline_file}")
            )
        result.append(finding)
    for entry in baseline.entries:
        if (entry.rule, entry.hash) not in matched:
            result.append(
                BASELINE_STALE.finding(
                    f"Baseline entry for '{entry.rule}' in {entry.file or 'an unknown file'} no "
                    "longer matches any secret; rewrite the baseline with --write-baseline.",
                    Location(file=baseline_file),
                    details={"baseline_hash": entry.hash[:16]},
                )
            )
    return result
