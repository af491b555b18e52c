"""The signature schemes gitwarden verifies, one module each, and the set one run uses.

Adding a scheme: one module implementing ``signature_scheme.SignatureScheme`` and one line in
``SCHEME_TYPES``. Each verification run gets its own instances (``SchemeSet``), so state a
scheme keeps for a run (signatures checked ahead) is never shared with another run.
"""

from __future__ import annotations

from collections.abc import Sequence

from gitwarden.integrity.batch_verification import ChecksAhead
from gitwarden.integrity.openpgp import OpenPgpSignatureScheme
from gitwarden.integrity.signature_scheme import SignatureError, SignatureScheme
from gitwarden.integrity.sshsig import SshSignatureScheme

SCHEME_TYPES: tuple[type[SignatureScheme], ...] = (SshSignatureScheme, OpenPgpSignatureScheme)


class SchemeSet:
    """One instance of every scheme, for one verification run."""

    def __init__(self) -> None:
        self.ssh = SshSignatureScheme()
        self.schemes: tuple[SignatureScheme, ...] = tuple(
            self.ssh if kind is SshSignatureScheme else kind() for kind in SCHEME_TYPES
        )

    def named(self, name: str) -> SignatureScheme:
        return next(scheme for scheme in self.schemes if scheme.name == name)

    def for_key(self, text: str) -> SignatureScheme | None:
        """The scheme whose public keys look like ``text``."""
        return next((s for s in self.schemes if s.recognises_key(text)), None)

    def check_ahead(self, items: Sequence[tuple[str, bytes, bytes, str]]) -> ChecksAhead:
        """Start checking (key, payload, signature, namespace) items ahead, each batch by
        its scheme (schemes that verify in-line start nothing)."""
        batches: dict[str, list[tuple[str, bytes, bytes, str]]] = {}
        for item in items:
            scheme = next((s for s in self.schemes if s.recognises(item[2])), None)
            if scheme is not None:
                batches.setdefault(scheme.name, []).append(item)
        ahead = ChecksAhead()
        for name, batch in batches.items():
            ready = self.named(name).preverify([(p, s, n) for _, p, s, n in batch])
            ahead.add([key for key, _, _, _ in batch], ready)
        return ahead

    def scheme_for(self, signature: bytes) -> SignatureScheme:
        for scheme in self.schemes:
            if scheme.recognises(signature):
                return scheme
        raise SignatureError("the signature is in no supported format (SSH or OpenPGP)")
