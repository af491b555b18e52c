"""Kept for callers of `gitwarden.scanner`: the scan command lives in `gitwarden.commands.scan`
and its pipeline in `gitwarden.pipeline`."""

from __future__ import annotations

from gitwarden.commands.scan import ScanOptions, scan

__all__ = ["ScanOptions", "scan"]
