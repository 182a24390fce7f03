"""alerts: a team's reminders stop when the alert's incident is resolved

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for every alert sent before: their reminders ran their course already.
    with op.batch_alter_table('alert_recipient') as batch:
        batch.add_column(sa.Column('reminders_stopped_at', sa.DateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('alert_recipient') as batch:
        batch.drop_column('reminders_stopped_at')
