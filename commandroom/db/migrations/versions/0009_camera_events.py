"""camera events: each camera's event source, the events stored, plate suggestions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # server_default: cameras saved before have no event source, as the engine's default.
    with op.batch_alter_table('camera', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_source', sa.String(length=16), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('event_url', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('event_channel', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.add_column(sa.Column('motion_detection', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    op.create_table('camera_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('camera_id', sa.Integer(), nullable=True),
    sa.Column('camera_name', sa.String(length=120), nullable=False),
    sa.Column('junction', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('device_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('plate', sa.String(length=32), nullable=False),
    sa.Column('plate_normalised', sa.String(length=32), nullable=False),
    sa.Column('plate_colour', sa.String(length=16), nullable=False),
    sa.Column('picture_path', sa.Text(), nullable=False),
    sa.Column('picture_sha256', sa.String(length=64), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['camera_id'], ['camera.id'], name=op.f('fk_camera_events_camera_id_camera'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_camera_events'))
    )
    with op.batch_alter_table('camera_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_camera_events_camera_id'), ['camera_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_camera_events_plate_normalised'), ['plate_normalised'], unique=False)
        batch_op.create_index(batch_op.f('ix_camera_events_received_at'), ['received_at'], unique=False)

    op.create_table('plate_suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('camera_id', sa.Integer(), nullable=True),
    sa.Column('watch_entry_id', sa.Integer(), nullable=False),
    sa.Column('plate_read', sa.String(length=32), nullable=False),
    sa.Column('plate_normalised', sa.String(length=32), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('rules', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('repeats', sa.Integer(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('sighting_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['camera_events.id'], name=op.f('fk_plate_suggestions_event_id_camera_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sighting_id'], ['sighting.id'], name=op.f('fk_plate_suggestions_sighting_id_sighting'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['watch_entry_id'], ['watch_entry.id'], name=op.f('fk_plate_suggestions_watch_entry_id_watch_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plate_suggestions'))
    )
    with op.batch_alter_table('plate_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plate_suggestions_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plate_suggestions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_plate_suggestions_watch_entry_id'), ['watch_entry_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('plate_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plate_suggestions_watch_entry_id'))
        batch_op.drop_index(batch_op.f('ix_plate_suggestions_status'))
        batch_op.drop_index(batch_op.f('ix_plate_suggestions_event_id'))
    op.drop_table('plate_suggestions')
    with op.batch_alter_table('camera_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_camera_events_received_at'))
        batch_op.drop_index(batch_op.f('ix_camera_events_plate_normalised'))
        batch_op.drop_index(batch_op.f('ix_camera_events_camera_id'))
    op.drop_table('camera_events')
    with op.batch_alter_table('camera', schema=None) as batch_op:
        batch_op.drop_column('motion_detection')
        batch_op.drop_column('event_channel')
        batch_op.drop_column('event_url')
        batch_op.drop_column('event_source')
