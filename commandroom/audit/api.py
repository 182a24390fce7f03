"""What services need from the audit trail: append one event inside their transaction."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.orm import Session

from commandroom.auth.permissions import Actor


class AuditSink(Protocol):
    def append(
        self,
        session: Session,
        actor: Actor,
        action: str,
        subject: str = "",
        details: dict[str, Any] | None = None,
    ) -> None:
        """Add one audit event in ``session``'s transaction (committed with the change)."""
        ...

    def anchor_head(self, session: Session) -> dict[str, Any] | None:
        """The trail's head (seq, hash) with its HMAC under the anchor key, for a record
        made in ``session``'s transaction; None when the trail is not anchored."""
        ...
