"""delivery: error code + parameters (worded by the console), parts a robot accepted

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # server_default: rows already in the outbox get the values the models default to.
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error_code', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('error_params', sa.Text(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('parts_sent', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_column('parts_sent')
        batch_op.drop_column('error_params')
        batch_op.drop_column('error_code')
