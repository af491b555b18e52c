"""Kubernetes minor releases (``1.37``): what schemas and Pod Security Standards vary by."""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERSION_TEXT = re.compile(r"^v?(\d+)\.(\d+)(?:\.\d+)?$")


@dataclass(frozen=True, order=True)
class KubernetesVersion:
    """A Kubernetes minor release; ordered, so ``KubernetesVersion(1, 29) < (1, 37)``."""

    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> KubernetesVersion:
        """Read ``1.37``, ``v1.37`` or ``1.37.2``; raises ValueError otherwise."""
        match = _VERSION_TEXT.match(text.strip())
        if match is None:
            raise ValueError(f"not a Kubernetes version: {text!r} (write it like 1.37)")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"
