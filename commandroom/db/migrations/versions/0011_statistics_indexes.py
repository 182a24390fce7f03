"""statistics: covering indexes for sightings per junction and day, alerts per month and
time to acknowledge (bench/bench_statistics.py: 100,000 incidents, 1,000,000 sightings)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_sighting_time_junction', 'sighting', ['frame_time', 'junction'],
                    unique=False)
    op.create_index('ix_alert_created_at', 'alert', ['created_at'], unique=False)
    op.create_index('ix_incident_team_ack', 'incident_team',
                    ['incident_id', 'team_id', 'ack_seconds'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_incident_team_ack', table_name='incident_team')
    op.drop_index('ix_alert_created_at', table_name='alert')
    op.drop_index('ix_sighting_time_junction', table_name='sighting')
