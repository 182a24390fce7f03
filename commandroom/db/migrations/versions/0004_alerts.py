"""alerts: teams, channels, routing rules, alert outbox, deliveries, attempts

Seeds the two teams and the default routing rules (wanted/suspect -> both teams, high;
missing_person and fraud_risk -> community policing, normal).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team')),
    sa.UniqueConstraint('key', name=op.f('uq_team_key'))
    )
    op.create_table('alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sighting_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('risk', sa.Integer(), nullable=False),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('extra_line', sa.Text(), nullable=False),
    sa.Column('frame_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['sighting_id'], ['sighting.id'], name=op.f('fk_alert_sighting_id_sighting'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert'))
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_sighting_id'), ['sighting_id'], unique=False)

    op.create_table('routing_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('min_risk', sa.Integer(), nullable=False),
    sa.Column('camera_group_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['camera_group_id'], ['camera_group.id'], name=op.f('fk_routing_rule_camera_group_id_camera_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_routing_rule_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_rule'))
    )
    with op.batch_alter_table('routing_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_routing_rule_category'), ['category'], unique=False)

    op.create_table('team_channel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('config', sa.Text(), nullable=False),
    sa.Column('secret_ref', sa.String(length=120), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_channel_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_channel')),
    sa.UniqueConstraint('team_id', 'name', name=op.f('uq_team_channel_team_id'))
    )
    with op.batch_alter_table('team_channel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_channel_team_id'), ['team_id'], unique=False)

    op.create_table('team_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('radio', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_member_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_member'))
    )
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_member_team_id'), ['team_id'], unique=False)

    op.create_table('alert_recipient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('escalations', sa.Integer(), nullable=False),
    sa.Column('last_notified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acked_by', sa.String(length=120), nullable=False),
    sa.Column('ack_how', sa.String(length=16), nullable=False),
    sa.Column('ack_recorded_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_alert_recipient_alert_id_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_alert_recipient_team_id_team'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_recipient')),
    sa.UniqueConstraint('alert_id', 'team_id', name=op.f('uq_alert_recipient_alert_id'))
    )
    with op.batch_alter_table('alert_recipient', schema=None) as batch_op:
        batch_op.create_index('ix_alert_recipient_open', ['acked_at', 'escalations'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_recipient_team_id'), ['team_id'], unique=False)

    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_try', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_delivery_alert_id_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['channel_id'], ['team_channel.id'], name=op.f('fk_delivery_channel_id_team_channel'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recipient_id'], ['alert_recipient.id'], name=op.f('fk_delivery_recipient_id_alert_recipient'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_delivery_idempotency_key'))
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_alert_id'), ['alert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_channel_id'), ['channel_id'], unique=False)
        batch_op.create_index('ix_delivery_due', ['status', 'next_try'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_recipient_id'), ['recipient_id'], unique=False)

    op.create_table('delivery_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name=op.f('fk_delivery_attempt_delivery_id_delivery'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_attempt'))
    )
    with op.batch_alter_table('delivery_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_attempt_delivery_id'), ['delivery_id'], unique=False)

    _seed()


DEFAULT_TEAMS = [("community", "Community policing"), ("case", "Case handling")]
DEFAULT_RULES = [
    ("wanted", "community", "high"),
    ("wanted", "case", "high"),
    ("suspect", "community", "high"),
    ("suspect", "case", "high"),
    ("missing_person", "community", "normal"),
    ("fraud_risk", "community", "normal"),
]


def _seed() -> None:
    team = sa.table(
        'team', sa.column('id', sa.Integer()), sa.column('key', sa.String()),
        sa.column('name', sa.String()), sa.column('active', sa.Boolean()),
        sa.column('created_at', sa.DateTime(timezone=True)),
    )
    rule = sa.table(
        'routing_rule', sa.column('category', sa.String()), sa.column('min_risk', sa.Integer()),
        sa.column('camera_group_id', sa.Integer()), sa.column('team_id', sa.Integer()),
        sa.column('priority', sa.String()),
    )
    now = datetime.now(UTC)
    op.bulk_insert(team, [
        {'key': key, 'name': name, 'active': True, 'created_at': now} for key, name in DEFAULT_TEAMS
    ])
    ids = dict(op.get_bind().execute(sa.select(team.c.key, team.c.id)).all())
    op.bulk_insert(rule, [
        {'category': category, 'min_risk': 0, 'camera_group_id': None, 'team_id': ids[key],
         'priority': priority}
        for category, key, priority in DEFAULT_RULES
    ])


def downgrade() -> None:
    with op.batch_alter_table('delivery_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_attempt_delivery_id'))

    op.drop_table('delivery_attempt')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_recipient_id'))
        batch_op.drop_index('ix_delivery_due')
        batch_op.drop_index(batch_op.f('ix_delivery_channel_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_alert_id'))

    op.drop_table('delivery')
    with op.batch_alter_table('alert_recipient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_recipient_team_id'))
        batch_op.drop_index('ix_alert_recipient_open')

    op.drop_table('alert_recipient')
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_member_team_id'))

    op.drop_table('team_member')
    with op.batch_alter_table('team_channel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_channel_team_id'))

    op.drop_table('team_channel')
    with op.batch_alter_table('routing_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_routing_rule_category'))

    op.drop_table('routing_rule')
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_sighting_id'))

    op.drop_table('alert')
    op.drop_table('team')
