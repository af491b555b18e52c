"""A transport that counts the requests it answers: how `forge audit` shows its progress.

How many requests an audit makes is not known up front (pages, and the users whose keys
are read, come from earlier answers), so the count has no total: it says the audit moves.
"""

from __future__ import annotations

from dataclasses import dataclass

from gitwarden.forge.transport import ForgeResponse, Request, Transport
from gitwarden.progress import ProgressStep


@dataclass(frozen=True)
class CountedTransport:
    """``transport``, advancing ``step`` once per answered request (a rate-limit retry
    inside the transport is the same request)."""

    transport: Transport
    step: ProgressStep

    def get(self, request: Request) -> ForgeResponse:
        response = self.transport.get(request)
        self.step.advance()
        return response
