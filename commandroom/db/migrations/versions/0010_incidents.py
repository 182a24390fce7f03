"""incidents (线索/警情): incident, the teams it went to, entries, links, notes, steps

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('camera_id', sa.Integer(), nullable=True),
    sa.Column('junction', sa.String(length=200), nullable=False),
    sa.Column('created_day', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('dispatched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('on_scene_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=120), nullable=False),
    sa.Column('scene_seconds', sa.Integer(), nullable=True),
    sa.Column('resolution_seconds', sa.Integer(), nullable=True),
    sa.CheckConstraint("outcome IN ('', 'caught', 'cleared', 'false_alarm', 'handed_over')", name=op.f('ck_incident_outcome')),
    sa.CheckConstraint("priority IN ('high', 'normal')", name=op.f('ck_incident_priority')),
    sa.CheckConstraint("state IN ('open', 'dispatched', 'acknowledged', 'on_scene', 'resolved')", name=op.f('ck_incident_state')),
    sa.ForeignKeyConstraint(['camera_id'], ['camera.id'], name=op.f('fk_incident_camera_id_camera'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident')),
    sa.UniqueConstraint('number', name=op.f('uq_incident_number')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_incident_year'))
    )
    op.create_index(op.f('ix_incident_created_at'), 'incident', ['created_at'], unique=False)
    op.create_index('ix_incident_day_junction', 'incident', ['created_day', 'junction'], unique=False)
    op.create_index(op.f('ix_incident_state'), 'incident', ['state'], unique=False)
    op.create_table('incident_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('watch_entry_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_entry_incident_id_incident'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['watch_entry_id'], ['watch_entry.id'], name=op.f('fk_incident_entry_watch_entry_id_watch_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_entry')),
    sa.UniqueConstraint('incident_id', 'watch_entry_id', name=op.f('uq_incident_entry_incident_id'))
    )
    op.create_index(op.f('ix_incident_entry_incident_id'), 'incident_entry', ['incident_id'], unique=False)
    op.create_index(op.f('ix_incident_entry_watch_entry_id'), 'incident_entry', ['watch_entry_id'], unique=False)
    op.create_table('incident_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=200), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('linked_by', sa.String(length=120), nullable=False),
    sa.CheckConstraint("kind IN ('sighting', 'alert', 'evidence_package')", name=op.f('ck_incident_link_kind')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_link_incident_id_incident'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_link')),
    sa.UniqueConstraint('incident_id', 'kind', 'ref_id', 'ref', name=op.f('uq_incident_link_incident_id'))
    )
    op.create_index(op.f('ix_incident_link_incident_id'), 'incident_link', ['incident_id'], unique=False)
    op.create_index('ix_incident_link_kind_ref', 'incident_link', ['kind', 'ref_id'], unique=False)
    op.create_table('incident_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(length=120), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_note_incident_id_incident'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_note'))
    )
    op.create_index(op.f('ix_incident_note_incident_id'), 'incident_note', ['incident_id'], unique=False)
    op.create_table('incident_state_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(length=120), nullable=False),
    sa.Column('who', sa.String(length=120), nullable=False),
    sa.Column('how', sa.String(length=16), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('alert_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_incident_state_change_alert_id_alert'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_state_change_incident_id_incident'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_incident_state_change_team_id_team'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_state_change'))
    )
    op.create_index('ix_incident_state_change_incident_at', 'incident_state_change', ['incident_id', 'at'], unique=False)
    op.create_table('incident_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=True),
    sa.Column('dispatched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ack_how', sa.String(length=16), nullable=False),
    sa.Column('acked_by', sa.String(length=120), nullable=False),
    sa.Column('ack_seconds', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_incident_team_alert_id_alert'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_team_incident_id_incident'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_incident_team_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_team')),
    sa.UniqueConstraint('incident_id', 'team_id', name=op.f('uq_incident_team_incident_id'))
    )
    op.create_index(op.f('ix_incident_team_incident_id'), 'incident_team', ['incident_id'], unique=False)
    op.create_index(op.f('ix_incident_team_team_id'), 'incident_team', ['team_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_incident_team_team_id'), table_name='incident_team')
    op.drop_index(op.f('ix_incident_team_incident_id'), table_name='incident_team')
    op.drop_table('incident_team')
    op.drop_index('ix_incident_state_change_incident_at', table_name='incident_state_change')
    op.drop_table('incident_state_change')
    op.drop_index(op.f('ix_incident_note_incident_id'), table_name='incident_note')
    op.drop_table('incident_note')
    op.drop_index('ix_incident_link_kind_ref', table_name='incident_link')
    op.drop_index(op.f('ix_incident_link_incident_id'), table_name='incident_link')
    op.drop_table('incident_link')
    op.drop_index(op.f('ix_incident_entry_watch_entry_id'), table_name='incident_entry')
    op.drop_index(op.f('ix_incident_entry_incident_id'), table_name='incident_entry')
    op.drop_table('incident_entry')
    op.drop_index(op.f('ix_incident_state'), table_name='incident')
    op.drop_index('ix_incident_day_junction', table_name='incident')
    op.drop_index(op.f('ix_incident_created_at'), table_name='incident')
    op.drop_table('incident')
