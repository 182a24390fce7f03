"""How a team's state and an alert's overall state follow from their delivery rows.

Recipient: queued → sent (e-mail accepted by the relay) → delivered (webhook 2xx, MQTT
PUBACK) → acknowledged; failed when every delivery of the latest round failed; escalated
(sticky until acknowledged) once a reminder went out.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandroom.alerts.models import AlertRecipientRow, AlertRow, DeliveryRow


def refresh_recipient(session: Session, recipient: AlertRecipientRow) -> None:
    if recipient.acked_at is not None:
        recipient.status = "acknowledged"
        return
    if recipient.status == "escalated":
        return
    statuses = session.scalars(
        select(DeliveryRow.status).where(
            DeliveryRow.recipient_id == recipient.id, DeliveryRow.round == recipient.escalations
        )
    ).all()
    if "delivered" in statuses:
        recipient.status = "delivered"
    elif "sent" in statuses:
        recipient.status = "sent"
    elif not statuses or all(s == "failed" for s in statuses):
        recipient.status = "failed"
    else:
        recipient.status = "queued"


def refresh_alert(alert: AlertRow) -> None:
    states = [r.status for r in alert.recipients]
    if states and all(s == "acknowledged" for s in states):
        alert.status = "acknowledged"
    elif "escalated" in states:
        alert.status = "escalated"
    elif states and all(s == "failed" for s in states):
        alert.status = "failed"
    elif states and all(s in ("delivered", "acknowledged") for s in states):
        alert.status = "delivered"
    elif any(s in ("sent", "delivered", "acknowledged") for s in states):
        alert.status = "sent"
    else:
        alert.status = "queued"


def refresh(session: Session, recipient: AlertRecipientRow) -> None:
    refresh_recipient(session, recipient)
    refresh_alert(recipient.alert)
