"""camera_recording.record_stream: which of a camera's streams is recorded (main|sub)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # server_default: rows saved before record the main stream, as the engine's default.
    with op.batch_alter_table('camera_recording', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record_stream', sa.String(length=8), nullable=False,
                                      server_default='main'))
        batch_op.create_check_constraint('record_stream', "record_stream IN ('main', 'sub')")


def downgrade() -> None:
    with op.batch_alter_table('camera_recording', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_camera_recording_record_stream'), type_='check')
        batch_op.drop_column('record_stream')
