"""recording: segment index, gaps, evidence locks, per-camera recording mode

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('camera_recording',
    sa.Column('camera_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('keep_days', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("mode IN ('off', 'continuous', 'while_shown')", name=op.f('ck_camera_recording_mode')),
    sa.ForeignKeyConstraint(['camera_id'], ['camera.id'], name=op.f('fk_camera_recording_camera_id_camera'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('camera_id', name=op.f('pk_camera_recording'))
    )
    op.create_table('evidence_lock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('camera_id', sa.Integer(), nullable=True),
    sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('end_at >= start_at', name=op.f('ck_evidence_lock_range')),
    sa.ForeignKeyConstraint(['camera_id'], ['camera.id'], name=op.f('fk_evidence_lock_camera_id_camera'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_lock'))
    )
    with op.batch_alter_table('evidence_lock', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_lock_camera_start', ['camera_id', 'start_at'], unique=False)
        batch_op.create_index('ix_evidence_lock_kind_ref', ['kind', 'ref'], unique=False)

    op.create_table('recording_gap',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('camera_id', sa.Integer(), nullable=True),
    sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['camera_id'], ['camera.id'], name=op.f('fk_recording_gap_camera_id_camera'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recording_gap'))
    )
    with op.batch_alter_table('recording_gap', schema=None) as batch_op:
        batch_op.create_index('ix_recording_gap_camera_start', ['camera_id', 'start_at'], unique=False)

    op.create_table('recording_segment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('camera_id', sa.Integer(), nullable=True),
    sa.Column('camera_name', sa.String(length=120), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('bytes', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('codec', sa.String(length=16), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('clock_offset_s', sa.Float(), nullable=True),
    sa.Column('note', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_recording_segment_status')),
    sa.ForeignKeyConstraint(['camera_id'], ['camera.id'], name=op.f('fk_recording_segment_camera_id_camera'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recording_segment')),
    sa.UniqueConstraint('path', name=op.f('uq_recording_segment_path'))
    )
    with op.batch_alter_table('recording_segment', schema=None) as batch_op:
        batch_op.create_index('ix_recording_segment_camera_start', ['camera_id', 'start_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_recording_segment_start_at'), ['start_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('recording_segment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recording_segment_start_at'))
        batch_op.drop_index('ix_recording_segment_camera_start')

    op.drop_table('recording_segment')
    with op.batch_alter_table('recording_gap', schema=None) as batch_op:
        batch_op.drop_index('ix_recording_gap_camera_start')

    op.drop_table('recording_gap')
    with op.batch_alter_table('evidence_lock', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_lock_kind_ref')
        batch_op.drop_index('ix_evidence_lock_camera_start')

    op.drop_table('evidence_lock')
    op.drop_table('camera_recording')
