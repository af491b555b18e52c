"""The tamper-evident audit trail: append-only, hash-chained, signed entries in SQL stores.

Only the foundation and `gitwarden.attestation` (for keys) are imported here.
"""
