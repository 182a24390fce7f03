"""playback sources: the recorder (Hikvision/Dahua NVR, ONVIF Profile G) of each camera

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('camera_playback_source',
    sa.Column('camera_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('rtsp_port', sa.Integer(), nullable=False),
    sa.Column('onvif_port', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Integer(), nullable=False),
    sa.Column('credential_ref', sa.String(length=120), nullable=False),
    sa.Column('utc_offset_min', sa.Integer(), nullable=False),
    sa.Column('clock_offset_s', sa.Float(), nullable=True),
    sa.Column('hikvision_local_time', sa.Boolean(), nullable=False),
    sa.Column('recording_token', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['camera_id'], ['camera.id'], name=op.f('fk_camera_playback_source_camera_id_camera'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('camera_id', name=op.f('pk_camera_playback_source'))
    )


def downgrade() -> None:
    op.drop_table('camera_playback_source')
