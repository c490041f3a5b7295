"""the roster in daily life: versions made from versions, re-plan jobs, swaps, requests, outbox

Revision ID: 0002_daily_life
Revises: 0001
Create Date: 2026-12-03

Re-planned versions made before this revision named their base only in their scenario's source
(«omplanlegging av vaktplan N»); the upgrade copies that into the new ``parent_id``.
"""
import re

import sqlalchemy as sa
from alembic import op

revision = '0002_daily_life'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('request_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('doctor_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('doctor_id', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=False),
    sa.Column('template', sa.String(length=80), nullable=True),
    sa.Column('wants', sa.Boolean(), nullable=False),
    sa.Column('absence_kind', sa.String(length=20), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['request_rounds.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('doctor_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_doctor_requests_doctor_id'), ['doctor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_doctor_requests_round_id'), ['round_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doctor_id', sa.String(length=80), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('roster_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['roster_id'], ['roster_versions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_doctor_id'), ['doctor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_status'), ['status'], unique=False)

    op.create_table('swap_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roster_id', sa.Integer(), nullable=False),
    sa.Column('giver', sa.String(length=80), nullable=False),
    sa.Column('shift', sa.String(length=120), nullable=False),
    sa.Column('taker', sa.String(length=80), nullable=True),
    sa.Column('back_shift', sa.String(length=120), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('result_roster_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['result_roster_id'], ['roster_versions.id'], ),
    sa.ForeignKeyConstraint(['roster_id'], ['roster_versions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('swap_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_swap_requests_giver'), ['giver'], unique=False)
        batch_op.create_index(batch_op.f('ix_swap_requests_roster_id'), ['roster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_swap_requests_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_swap_requests_taker'), ['taker'], unique=False)

    with op.batch_alter_table('roster_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('origin', sa.String(length=20), server_default='beregning', nullable=False))
        batch_op.create_foreign_key('fk_roster_versions_parent_id', 'roster_versions', ['parent_id'], ['id'])

    with op.batch_alter_table('solve_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='beregning', nullable=False))
        batch_op.add_column(sa.Column('base_roster_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('changes', sa.Text(), nullable=True))
    _link_replans()


def _link_replans() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT r.id, s.source FROM roster_versions r JOIN scenarios s ON s.id = r.scenario_id WHERE r.run_id IS NULL"
    )).all()
    ids = {i for (i,) in conn.execute(sa.text("SELECT id FROM roster_versions"))}
    for version, source in rows:
        match = re.fullmatch(r"omplanlegging av vaktplan (\d+)", source or "")
        if match and int(match.group(1)) in ids:
            conn.execute(sa.text("UPDATE roster_versions SET parent_id = :parent, origin = 'omplanlegging' WHERE id = :id"),
                         {"parent": int(match.group(1)), "id": version})


def downgrade() -> None:
    with op.batch_alter_table('solve_runs', schema=None) as batch_op:
        batch_op.drop_column('changes')
        batch_op.drop_column('base_roster_id')
        batch_op.drop_column('kind')

    with op.batch_alter_table('roster_versions', schema=None) as batch_op:
        batch_op.drop_constraint('fk_roster_versions_parent_id', type_='foreignkey')
        batch_op.drop_column('origin')
        batch_op.drop_column('parent_id')

    with op.batch_alter_table('swap_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_swap_requests_taker'))
        batch_op.drop_index(batch_op.f('ix_swap_requests_status'))
        batch_op.drop_index(batch_op.f('ix_swap_requests_roster_id'))
        batch_op.drop_index(batch_op.f('ix_swap_requests_giver'))

    op.drop_table('swap_requests')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_status'))
        batch_op.drop_index(batch_op.f('ix_outbox_doctor_id'))

    op.drop_table('outbox')
    with op.batch_alter_table('doctor_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_doctor_requests_round_id'))
        batch_op.drop_index(batch_op.f('ix_doctor_requests_doctor_id'))

    op.drop_table('doctor_requests')
    op.drop_table('request_rounds')
