"""camera events: a suggestion keeps its match's edits (which character became which),
so the card says them without comparing the plates again

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL on the cards raised before: they still say the rules they matched by.
    with op.batch_alter_table('plate_suggestions') as batch:
        batch.add_column(sa.Column('edits', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('plate_suggestions') as batch:
        batch.drop_column('edits')
