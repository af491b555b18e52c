"""What it would take to turn enforcement on: unsigned and unknown-key commits per author
and key, counted once per commit however many refs reach it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from gitwarden.integrity.signature_verdict import SignatureStatus, SignatureVerdict

COUNTED = (SignatureStatus.UNSIGNED, SignatureStatus.UNKNOWN_KEY)


@dataclass(frozen=True)
class AdoptionEntry:
    author: str
    status: SignatureStatus
    key: str | None
    commits: int


@dataclass(frozen=True)
class Adoption:
    """``entries`` most commits first; ``by_status`` counts every commit once."""

    commits: int
    by_status: tuple[tuple[SignatureStatus, int], ...]
    entries: tuple[AdoptionEntry, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "commits": self.commits,
            "by_status": {status.value: count for status, count in self.by_status},
            "entries": [
                {"author": e.author, "status": e.status.value, "key": e.key, "commits": e.commits}
                for e in self.entries
            ],
        }

    def as_text(self) -> str:
        lines = [f"adoption report: {self.commits} commit(s)"]
        lines += [f"  {status.value}: {count}" for status, count in self.by_status]
        if self.entries:
            lines.append("unsigned and unknown-key commits by author and key:")
        for entry in self.entries:
            key = f" key {entry.key}" if entry.key else ""
            lines.append(f"  {entry.commits:>6}  {entry.status.value:<11} {entry.author}{key}")
        return "\n".join(lines) + "\n"


def adoption_of(verdicts: Iterable[SignatureVerdict]) -> Adoption:
    unique = {v.commit: v for v in verdicts}
    statuses = Counter(v.status for v in unique.values())
    groups = Counter(
        (v.author, v.status, v.key if v.status is SignatureStatus.UNKNOWN_KEY else None)
        for v in unique.values()
        if v.status in COUNTED
    )
    entries = tuple(
        AdoptionEntry(author, status, key, count)
        for (author, status, key), count in sorted(
            groups.items(), key=lambda item: (-item[1], item[0][0], item[0][1], item[0][2] or "")
        )
    )
    by_status = tuple(sorted(statuses.items(), key=lambda item: (-item[1], item[0].value)))
    return Adoption(len(unique), by_status, entries)
