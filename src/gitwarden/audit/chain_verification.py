"""Judge a stored chain: each entry's own hash and signature, then the links between them.

Content and signatures are checked entry by entry while streaming; the structure (which entry
links to which) is checked afterwards over ``(seq, hash, prev_hash)`` alone, so that a
deletion, insertion or reordering is named as such, at the first entry it affects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from cryptography.hazmat.primitives import serialization

from gitwarden.attestation.signing_keys import VerifyingKey
from gitwarden.audit import rules
from gitwarden.audit.chain import recomputed_hash
from gitwarden.audit.entries import GENESIS_HASH, AuditEntry
from gitwarden.audit.signature_batch import SignatureChecker, SignatureJob
from gitwarden.errors import GitwardenError
from gitwarden.findings import Finding, Location
from gitwarden.rules import Rule


class ProblemKind(StrEnum):
    MODIFIED = "modified"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"
    TRUNCATED = "truncated"
    BAD_SIGNATURE = "bad-signature"
    UNTRUSTED_SIGNER = "untrusted-signer"


_RULES: dict[ProblemKind, Rule] = {
    ProblemKind.MODIFIED: rules.ENTRY_MODIFIED,
    ProblemKind.DELETED: rules.ENTRY_DELETED,
    ProblemKind.INSERTED: rules.ENTRY_INSERTED,
    ProblemKind.REORDERED: rules.ENTRIES_REORDERED,
    ProblemKind.TRUNCATED: rules.TAIL_TRUNCATED,
    ProblemKind.BAD_SIGNATURE: rules.SIGNATURE_INVALID,
    ProblemKind.UNTRUSTED_SIGNER: rules.SIGNER_UNTRUSTED,
}


@dataclass(frozen=True)
class ChainProblem:
    """One way the chain is damaged; ``seq`` is the first entry position it affects."""

    kind: ProblemKind
    seq: int
    message: str


@dataclass(frozen=True)
class ChainVerification:
    """The verdict on a whole chain."""

    entries_checked: int
    head_hash: str | None
    head_seq: int | None
    problems: tuple[ChainProblem, ...]
    signatures_checked: bool

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> ChainProblem | None:
        return min(self.problems, key=lambda problem: problem.seq, default=None)

    def findings(self, location: str) -> list[Finding]:
        """The problems as findings of the audit rules, located at ``location`` and entry."""
        found = [
            _RULES[problem.kind].finding(
                problem.message,
                Location(location, problem.seq, resource=f"audit-entry/{problem.seq}"),
                details={"seq": str(problem.seq), "problem": problem.kind.value},
            )
            for problem in sorted(self.problems, key=lambda problem: problem.seq)
        ]
        if not self.signatures_checked and self.entries_checked:
            found.append(
                rules.SIGNATURES_UNCHECKED.finding(
                    f"{self.entries_checked} entries: hash chain checked, signatures not "
                    "(no --key given)",
                    Location(location),
                )
            )
        if not self.entries_checked and not self.problems:
            found.append(
                rules.STORE_EMPTY.finding("the store holds no entries", Location(location))
            )
        return found


def verify_chain(
    entries: Iterable[AuditEntry],
    *,
    keys: Sequence[VerifyingKey] = (),
    expect_head: str | None = None,
) -> ChainVerification:
    """Check every entry of ``entries`` (in stored order) and the chain they form."""
    trusted = {key.key_id: key for key in keys}
    problems: list[ChainProblem] = []
    seqs: list[int] = []
    hashes: list[str] = []
    prevs: list[str] = []
    raw_keys = {key_id: _raw(key) for key_id, key in trusted.items()}
    with SignatureChecker(raw_keys) as signatures:
        for entry in entries:
            problems.extend(_entry_problems(entry, trusted))
            if entry.key_id in trusted:
                signatures.add(SignatureJob(entry.seq, entry.key_id, entry.hash, entry.signature))
            seqs.append(entry.seq)
            hashes.append(entry.hash)
            prevs.append(entry.prev_hash)
        bad_signatures = signatures.invalid()
    for seq in bad_signatures:
        problems.append(
            ChainProblem(
                ProblemKind.BAD_SIGNATURE,
                seq,
                f"entry {seq}: the signature does not verify under the key it names",
            )
        )
    problems.sort(key=lambda problem: problem.seq)
    structural = _first_structural_problem(seqs, hashes, prevs)
    if structural is not None:
        problems.append(structural)
    if expect_head is not None and expect_head not in set(hashes):
        problems.append(_truncation(expect_head, seqs, hashes))
    return ChainVerification(
        entries_checked=len(seqs),
        head_hash=hashes[-1] if hashes else None,
        head_seq=seqs[-1] if seqs else None,
        problems=tuple(problems),
        signatures_checked=bool(trusted),
    )


def _entry_problems(entry: AuditEntry, trusted: dict[str, VerifyingKey]) -> list[ChainProblem]:
    found: list[ChainProblem] = []
    try:
        intact = recomputed_hash(entry) == entry.hash
    except GitwardenError as error:
        intact = False
        detail = f" ({error.message})"
    else:
        detail = ""
    if not intact:
        found.append(
            ChainProblem(
                ProblemKind.MODIFIED,
                entry.seq,
                f"entry {entry.seq}: its content no longer matches its hash{detail}: it was "
                "changed after it was written",
            )
        )
    if trusted and entry.key_id not in trusted:
        found.append(
            ChainProblem(
                ProblemKind.UNTRUSTED_SIGNER,
                entry.seq,
                f"entry {entry.seq}: signed by {entry.key_id}, not one of the trusted keys",
            )
        )
    return found


def _raw(key: VerifyingKey) -> bytes:
    return key.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _first_structural_problem(
    seqs: Sequence[int], hashes: Sequence[str], prevs: Sequence[str]
) -> ChainProblem | None:
    """The first place where the stored order stops being the chain, classified."""
    position_of: dict[str, int] = {}
    for index, entry_hash in enumerate(hashes):
        if entry_hash in position_of:
            return ChainProblem(
                ProblemKind.INSERTED,
                seqs[index],
                f"entry {seqs[index]} is a copy of entry {seqs[position_of[entry_hash]]}",
            )
        position_of[entry_hash] = index
    for index, seq in enumerate(seqs):
        expected_prev = hashes[index - 1] if index else GENESIS_HASH
        expected_seq = seqs[index - 1] + 1 if index else 1
        if prevs[index] == expected_prev and seq == expected_seq:
            continue
        if prevs[index] == expected_prev:
            return _missing(expected_seq, seq, f"entry {seq} follows entry {expected_seq - 1}")
        linked = position_of.get(prevs[index])
        if linked is None:
            follower_skips = index + 1 < len(seqs) and prevs[index + 1] == expected_prev
            if follower_skips:
                return ChainProblem(
                    ProblemKind.INSERTED,
                    seq,
                    f"entry {seq} is not part of the chain: entry {seqs[index + 1]} links "
                    f"past it to entry {expected_seq - 1}",
                )
            return _missing(
                expected_seq,
                seq,
                f"entry {seq} links to an entry the store no longer holds",
            )
        if linked > index:
            return ChainProblem(
                ProblemKind.REORDERED,
                seq,
                f"entry {seq} is out of order: it was chained after entry {seqs[linked]}, "
                "which is stored after it",
            )
        first_foreign = seqs[linked + 1]
        return ChainProblem(
            ProblemKind.INSERTED,
            first_foreign,
            f"entry {first_foreign} is not part of the chain: entry {seq} links past it to "
            f"entry {seqs[linked]}",
        )
    return None


def _missing(expected_seq: int, seq: int, how: str) -> ChainProblem:
    if seq > expected_seq:
        span = str(expected_seq) if seq == expected_seq + 1 else f"{expected_seq}-{seq - 1}"
        return ChainProblem(ProblemKind.DELETED, expected_seq, f"entry {span} deleted: {how}")
    return ChainProblem(ProblemKind.DELETED, seq, f"an entry before entry {seq} was deleted: {how}")


def _truncation(expect_head: str, seqs: Sequence[int], hashes: Sequence[str]) -> ChainProblem:
    if not seqs:
        return ChainProblem(
            ProblemKind.TRUNCATED,
            1,
            f"the expected head {expect_head[:16]} is missing: the store is empty",
        )
    return ChainProblem(
        ProblemKind.TRUNCATED,
        seqs[-1] + 1,
        f"the expected head {expect_head[:16]} is missing: the store ends at entry {seqs[-1]} "
        f"({hashes[-1][:16]}); later entries were removed or the trail was rewritten",
    )
