"""watch list (entries, aliases, photos) and sightings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('watch_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('risk', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('case_reference', sa.String(length=120), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('sex', sa.String(length=16), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('plate', sa.String(length=40), nullable=False),
    sa.Column('plate_normalised', sa.String(length=40), nullable=True),
    sa.Column('colour', sa.String(length=60), nullable=False),
    sa.Column('make_model', sa.String(length=120), nullable=False),
    sa.CheckConstraint("category IN ('wanted', 'suspect', 'missing_person', 'fraud_risk', 'other')", name=op.f('ck_watch_entry_category')),
    sa.CheckConstraint("kind IN ('person', 'vehicle')", name=op.f('ck_watch_entry_kind')),
    sa.CheckConstraint("risk IN ('low', 'medium', 'high')", name=op.f('ck_watch_entry_risk')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watch_entry')),
    sa.UniqueConstraint('id_number', name=op.f('uq_watch_entry_id_number')),
    sa.UniqueConstraint('plate_normalised', name=op.f('uq_watch_entry_plate_normalised'))
    )
    op.create_table('watch_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['watch_entry.id'], name=op.f('fk_watch_alias_entry_id_watch_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watch_alias'))
    )
    with op.batch_alter_table('watch_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watch_alias_entry_id'), ['entry_id'], unique=False)

    op.create_table('watch_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['watch_entry.id'], name=op.f('fk_watch_photo_entry_id_watch_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watch_photo'))
    )
    with op.batch_alter_table('watch_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watch_photo_entry_id'), ['entry_id'], unique=False)

    op.create_table('sighting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('watch_entry_id', sa.Integer(), nullable=True),
    sa.Column('camera_id', sa.Integer(), nullable=True),
    sa.Column('camera_name', sa.String(length=120), nullable=False),
    sa.Column('junction', sa.String(length=200), nullable=False),
    sa.Column('frame_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('operator', sa.String(length=120), nullable=False),
    sa.Column('box_x', sa.Integer(), nullable=True),
    sa.Column('box_y', sa.Integer(), nullable=True),
    sa.Column('box_w', sa.Integer(), nullable=True),
    sa.Column('box_h', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('snapshot_path', sa.Text(), nullable=False),
    sa.Column('snapshot_sha256', sa.String(length=64), nullable=False),
    sa.Column('clip_path', sa.Text(), nullable=False),
    sa.Column('clip_sha256', sa.String(length=64), nullable=False),
    sa.Column('clip_status', sa.String(length=16), nullable=False),
    sa.Column('clip_error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("clip_status IN ('pending', 'done', 'failed')", name=op.f('ck_sighting_clip_status')),
    sa.ForeignKeyConstraint(['camera_id'], ['camera.id'], name=op.f('fk_sighting_camera_id_camera'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['watch_entry_id'], ['watch_entry.id'], name=op.f('fk_sighting_watch_entry_id_watch_entry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sighting'))
    )
    with op.batch_alter_table('sighting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sighting_camera_id'), ['camera_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sighting_frame_time'), ['frame_time'], unique=False)
        batch_op.create_index(batch_op.f('ix_sighting_watch_entry_id'), ['watch_entry_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sighting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sighting_watch_entry_id'))
        batch_op.drop_index(batch_op.f('ix_sighting_frame_time'))
        batch_op.drop_index(batch_op.f('ix_sighting_camera_id'))

    op.drop_table('sighting')
    with op.batch_alter_table('watch_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_photo_entry_id'))

    op.drop_table('watch_photo')
    with op.batch_alter_table('watch_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_alias_entry_id'))

    op.drop_table('watch_alias')
    op.drop_table('watch_entry')
