"""What CODEOWNERS asks of a rule with ``codeowners: true``: for every changed path, its
owners (from the base revision's CODEOWNERS, in the forge's semantics) must be among the
rule's counted approvers, as many as the owning section requires.

Owners are tied to principals by forge user name or e-mail. A team or role cannot be
resolved offline (its membership lives in the forge), so a requirement only a team can meet
stays unmet and says why: fail closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gitwarden.findings import Finding
from gitwarden.review.codeowners import CodeOwners, Flavour, Owner, OwnershipMatch, find_codeowners
from gitwarden.review.engine import CodeOwnersCheck, CodeOwnersVerdict
from gitwarden.review.principals import Principals

MAX_LISTED_PATHS = 3


@dataclass(frozen=True)
class CodeOwnersRequirement:
    """The check a rule runs, and the lines of the file the forge would skip (findings)."""

    check: CodeOwnersCheck
    problems: tuple[Finding, ...] = ()
    file: str | None = None


def codeowners_requirement(
    read: Callable[[str], str | None], principals: Principals, flavour: Flavour
) -> CodeOwnersRequirement:
    """``read(path)``: the base revision's text of ``path``, or None."""
    found = find_codeowners(read, flavour)
    if found is None:
        return CodeOwnersRequirement(_no_file)
    return CodeOwnersRequirement(
        lambda counted, paths: _judge(found, principals, counted, paths),
        found.problems,
        found.file,
    )


def _no_file(counted: tuple[str, ...], paths: tuple[str, ...]) -> CodeOwnersVerdict:
    return CodeOwnersVerdict(("code owners must approve, but the base revision has no CODEOWNERS",))


def _judge(
    owners: CodeOwners, principals: Principals, counted: tuple[str, ...], paths: tuple[str, ...]
) -> CodeOwnersVerdict:
    approvers = set(counted)
    unmet: dict[tuple[int, str | None], tuple[OwnershipMatch, int, list[str]]] = {}
    for path in paths:
        for match in owners.owners_of(path):
            if match.approvals_required <= 0:
                continue
            resolved = {_principal(owner, principals, owners.flavour) for owner in match.owners}
            approved = len(approvers & (resolved - {None}))
            if approved < match.approvals_required:
                key = (match.line, match.section)
                entry = unmet.setdefault(key, (match, match.approvals_required - approved, []))
                entry[2].append(path)
    return CodeOwnersVerdict(
        tuple(_missing(owners.file, *entry) for _, entry in sorted(unmet.items(), key=_line))
    )


def _line(item: tuple[tuple[int, str | None], object]) -> int:
    return item[0][0]


def _principal(owner: Owner, principals: Principals, flavour: Flavour) -> str | None:
    if owner.kind == "user":
        return principals.of_forge_user(flavour, owner.name)
    if owner.kind == "email":
        return principals.of_email(owner.name)
    return None  # teams and roles: their members are the forge's to say


def _missing(file: str, match: OwnershipMatch, short: int, paths: list[str]) -> str:
    who = ", ".join(owner.text for owner in match.owners) or "nobody (no owners listed)"
    where = f"{file}:{match.line}" + (f" [{match.section}]" if match.section else "")
    shown = ", ".join(paths[:MAX_LISTED_PATHS])
    if len(paths) > MAX_LISTED_PATHS:
        shown += f" and {len(paths) - MAX_LISTED_PATHS} more"
    plural = "s" if short > 1 else ""
    unknown = [o.text for o in match.owners if o.kind in ("team", "role")]
    note = (
        f" (members of {', '.join(unknown)} are not known offline: list them as users)"
        if unknown
        else ""
    )
    return f"needs {short} more approval{plural} from code owners {who} ({where}) for {shown}{note}"
