"""Signed statements about decisions: in-toto Statement v1 in a DSSE envelope, Ed25519 keys.

Only the foundation is imported here; the gate and `gitwarden attest` build on it.
"""
