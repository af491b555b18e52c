"""`gitwarden serve`: a read-only web dashboard over the audit store and saved reports."""
