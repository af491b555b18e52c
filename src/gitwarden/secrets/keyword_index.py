"""The first pass: which rules can match a blob at all.

Hyperscan compiles every rule's own pattern in prefilter mode (it may report a rule that RE2
then rejects, never miss one) and scans for all of them at once; the compiled database is
cached on disk, as compiling it takes seconds. Where Hyperscan is not available (it needs a
CPU with SSSE3 and a wheel for the platform), an Aho-Corasick automaton over the rules'
keywords does the job.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from gitwarden.secrets.cache_location import cache_root

ENGINE_VARIABLE = "GITWARDEN_SECRETS_PREFILTER"


class KeywordIndex(Protocol):
    name: str

    def rules_in(self, data: bytes) -> set[int]:
        """Indexes of the rules that may match ``data``."""
        ...


class HyperscanIndex:
    name = "hyperscan"

    def __init__(self, patterns: Sequence[str], cache_dir: Path | None) -> None:
        import hyperscan

        self._hyperscan = hyperscan
        self._database = self._load_or_compile(patterns, cache_dir)
        self._scratch = hyperscan.Scratch(self._database)

    def _load_or_compile(self, patterns: Sequence[str], cache_dir: Path | None) -> Any:
        hyperscan = self._hyperscan
        digest = hashlib.sha256(hyperscan.__version__.encode())
        for pattern in patterns:
            digest.update(pattern.encode() + b"\0")
        name = f"prefilter-{digest.hexdigest()[:24]}.hsdb"
        cached = None if cache_dir is None else cache_dir / name
        if cached is not None and cached.is_file():
            try:
                return hyperscan.loadb(cached.read_bytes(), hyperscan.HS_MODE_BLOCK)
            except Exception:
                pass  # a database from another platform or a damaged file: rebuild it
        flags = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_SINGLEMATCH
        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        database.compile(
            expressions=[p.encode() for p in patterns],
            ids=list(range(len(patterns))),
            elements=len(patterns),
            flags=[flags] * len(patterns),
        )
        if cached is not None:
            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                temporary = cached.with_suffix(f".{os.getpid()}.tmp")
                temporary.write_bytes(hyperscan.dumpb(database))
                temporary.replace(cached)
            except OSError:
                pass  # an unwritable cache only costs the compile time next run
        return database

    def rules_in(self, data: bytes) -> set[int]:
        found: set[int] = set()

        def on_match(rule: int, start: int, end: int, flags: int, context: object) -> None:
            found.add(rule)

        self._database.scan(data, match_event_handler=on_match, scratch=self._scratch)
        return found


class AhoCorasickIndex:
    name = "aho-corasick"

    def __init__(self, keywords: Sequence[tuple[str, ...]]) -> None:
        import ahocorasick  # type: ignore[import-not-found]

        owners: dict[str, set[int]] = {}
        for rule_index, words in enumerate(keywords):
            for word in words:
                owners.setdefault(word.lower(), set()).add(rule_index)
        self._automaton = ahocorasick.Automaton()
        for word, rules in owners.items():
            self._automaton.add_word(word, frozenset(rules))
        self._automaton.make_automaton()

    def rules_in(self, data: bytes) -> set[int]:
        found: set[int] = set()
        # latin-1 maps every byte to one character, so the ASCII keywords are found as is.
        for _end, rules in self._automaton.iter(data.decode("latin-1").lower()):
            found.update(rules)
        return found


def build_keyword_index(
    patterns: Sequence[str],
    keywords: Sequence[tuple[str, ...]],
    prefer: str | None = None,
    cache_dir: Path | None = None,
) -> KeywordIndex:
    """Hyperscan when it loads, else Aho-Corasick; ``prefer`` (or the environment) forces one."""
    choice = prefer or os.environ.get(ENGINE_VARIABLE, "")
    if choice != "aho-corasick":
        try:
            return HyperscanIndex(patterns, cache_dir if cache_dir else cache_root() / "patterns")
        except Exception:  # no wheel for this platform, a CPU without SSSE3, a refused pattern
            if choice == "hyperscan":
                raise
    return AhoCorasickIndex(keywords)
