"""foundation: camera groups, cameras, layouts, secrets

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('secret',
    sa.Column('ref', sa.String(length=120), nullable=False),
    sa.Column('ciphertext', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('ref', name=op.f('pk_secret'))
    )
    op.create_table('camera_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_camera_group')),
    sa.UniqueConstraint('name', name=op.f('uq_camera_group_name'))
    )
    op.create_table('layout',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('spec', sa.Text(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_layout'))
    )
    op.create_table('camera',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('junction', sa.String(length=200), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('main_url', sa.Text(), nullable=False),
    sa.Column('sub_url', sa.Text(), nullable=False),
    sa.Column('transport', sa.String(length=8), nullable=False),
    sa.Column('credential_ref', sa.String(length=120), nullable=False),
    sa.Column('onvif_url', sa.Text(), nullable=False),
    sa.Column('ptz_capable', sa.Boolean(), nullable=False),
    sa.Column('map_x', sa.Float(), nullable=True),
    sa.Column('map_y', sa.Float(), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['camera_group.id'], name=op.f('fk_camera_group_id_camera_group'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_camera')),
    sa.UniqueConstraint('name', name=op.f('uq_camera_name'))
    )
    with op.batch_alter_table('camera', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_camera_group_id'), ['group_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('camera', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_camera_group_id'))

    op.drop_table('camera')
    op.drop_table('layout')
    op.drop_table('camera_group')
    op.drop_table('secret')
