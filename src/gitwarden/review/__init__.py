"""Change review: who approved a change, whether that is enough under `.gitwarden/review.yaml`."""
