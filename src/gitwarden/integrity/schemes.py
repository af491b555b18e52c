"""The signature schemes gitwarden verifies, one module each."""

from __future__ import annotations

from gitwarden.integrity.openpgp import OpenPgpSignatureScheme
from gitwarden.integrity.signature_scheme import SignatureScheme
from gitwarden.integrity.sshsig import SshSignatureScheme

SCHEMES: tuple[SignatureScheme, ...] = (SshSignatureScheme(), OpenPgpSignatureScheme())
