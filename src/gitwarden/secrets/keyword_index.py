"""The first pass: which rules can match a blob at all.

Hyperscan compiles every rule's own pattern in prefilter mode (it may report a rule that RE2
then rejects, never miss one) and scans for all of them at once; the compiled database is
cached on disk, as compiling it takes seconds; the cached database is sealed with the cache key
(a forged database could drop every rule, and is native code's input), and one whose seal
does not verify is compiled again. Where Hyperscan is not available (it needs a
CPU with SSSE3 and a wheel for the platform), an Aho-Corasick automaton over the rules'
keywords does the job.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from gitwarden.cache_files import read_cache_file, write_atomically
from gitwarden.secrets.cache_key import CacheKey, load_cache_key
from gitwarden.secrets.cache_location import cache_key_file, state_root

ENGINE_VARIABLE = "GITWARDEN_SECRETS_PREFILTER"
_PURPOSE = "hyperscan-prefilter-database"
_SEAL_BYTES = 64  # an HMAC-SHA256 in hex, before the database bytes
_MAX_DB_BYTES = 256 * 1024 * 1024


class KeywordIndex(Protocol):
    name: str

    def rules_in(self, data: bytes) -> set[int]:
        """Indexes of the rules that may match ``data``."""
        ...


class HyperscanIndex:
    name = "hyperscan"

    def __init__(
        self, patterns: Sequence[str], cache_dir: Path | None, key: CacheKey | None
    ) -> None:
        import hyperscan

        self._hyperscan = hyperscan
        self._database = self._load_or_compile(patterns, cache_dir, key)
        self._scratch = hyperscan.Scratch(self._database)

    def _load_or_compile(
        self, patterns: Sequence[str], cache_dir: Path | None, key: CacheKey | None
    ) -> Any:
        hyperscan = self._hyperscan
        digest = hashlib.sha256(hyperscan.__version__.encode())
        for pattern in patterns:
            digest.update(pattern.encode() + b"\0")
        name = f"prefilter-{digest.hexdigest()[:24]}.hsdb"
        cached = None if cache_dir is None else cache_dir / name
        stored = None if key is None or cached is None else read_cache_file(cached, _MAX_DB_BYTES)
        if key is not None and stored is not None:
            try:
                seal, payload = stored[:_SEAL_BYTES].decode("ascii"), stored[_SEAL_BYTES:]
                if key.verifies(_PURPOSE, payload, seal):
                    return hyperscan.loadb(payload, hyperscan.HS_MODE_BLOCK)
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
        if key is not None and cached is not None:
            payload = hyperscan.dumpb(database)
            with contextlib.suppress(OSError):  # unwritable: only costs a compile next run
                write_atomically(cached, key.seal(_PURPOSE, payload).encode("ascii") + payload)
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
    key: CacheKey | None = None,
) -> KeywordIndex:
    """Hyperscan when it loads, else Aho-Corasick; ``prefer`` (or the environment) forces one."""
    choice = prefer or os.environ.get(ENGINE_VARIABLE, "")
    if choice != "aho-corasick":
        try:
            return HyperscanIndex(
                patterns,
                cache_dir or state_root() / "patterns",
                key or load_cache_key(cache_key_file()),
            )
        except Exception:  # no wheel for this platform, a CPU without SSSE3, a refused pattern
            if choice == "hyperscan":
                raise
    return AhoCorasickIndex(keywords)
