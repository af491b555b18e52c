"""Rules about what a secret scan could not see, and about the baseline itself.

A history that could not be read completely is never reported as clean.
"""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.rules import Rule
from gitwarden.secrets.rule_spec import FAMILY

HISTORY_SHALLOW = Rule(
    id="history-shallow-clone",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Shallow clone: history before the cut-off was not scanned",
    rationale=(
        "A shallow clone lacks the commits before its graft points; secrets committed there "
        "cannot be seen, so the history cannot be called clean."
    ),
    remediation="Scan a full clone (`git fetch --unshallow`).",
)

HISTORY_PARTIAL = Rule(
    id="history-partial-clone",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Partial clone: blobs the clone did not fetch were not scanned",
    rationale=(
        "A partial (filtered) clone leaves blobs on the server; gitwarden never fetches "
        "them, so what they hold is unknown."
    ),
    remediation="Scan a full clone (`git clone --no-filter`, or `git fetch --refetch`).",
)

HISTORY_OBJECT_MISSING = Rule(
    id="history-object-missing",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Git object missing or unreadable: not scanned",
    rationale="An object referenced by history could not be read, so it was not checked.",
    remediation="Repair the repository (`git fsck`) or scan a complete clone.",
)

SECRET_SCAN_SKIPPED = Rule(
    id="secret-scan-too-large",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="File or blob larger than the size cap: not scanned for secrets",
    rationale="Oversized blobs are skipped to keep scans bounded; what is skipped is unchecked.",
    remediation="Raise `max_file_bytes` in .gitwarden.yaml if the blob should be scanned.",
)

BASELINE_STALE = Rule(
    id="baseline-stale",
    family=FAMILY,
    severity=Severity.LOW,
    title="Baseline entry no longer matches any secret",
    rationale=(
        "A stale baseline entry hides nothing today but would silently accept the same "
        "secret if it came back; the baseline should say what it accepts now."
    ),
    remediation="Rewrite the baseline with --write-baseline.",
)

HISTORY_CACHE_UNTRUSTED = Rule(
    id="history-cache-untrusted",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="History cache failed its integrity check: ignored, every blob scanned",
    rationale=(
        "The clean-blob cache lets a run skip blobs; an entry added by someone else (a CI "
        "cache restored from another branch, a shared folder) would hide a secret. The cache "
        "is sealed with a key kept outside it; a cache whose seal does not verify was forged, "
        "edited or written under another key, so nothing in it was trusted."
    ),
    remediation=(
        "Find out who could write the cache folder. Gate runs should use a cache only they "
        "write (or `--no-cache`); never restore the state folder's `keys/` with a cache."
    ),
)

COVERAGE_RULES = (
    HISTORY_SHALLOW,
    HISTORY_PARTIAL,
    HISTORY_OBJECT_MISSING,
    SECRET_SCAN_SKIPPED,
    BASELINE_STALE,
    HISTORY_CACHE_UNTRUSTED,
)
