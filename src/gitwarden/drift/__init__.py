"""Drift: is the cluster still what Git declares? Objects and live state in, findings out."""
