"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('doctor_links',
    sa.Column('doctor_id', sa.String(length=80), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('rotated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('doctor_id')
    )
    with op.batch_alter_table('doctor_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_doctor_links_token'), ['token'], unique=True)

    op.create_table('manager_sessions',
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('manager', sa.String(length=100), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('token_digest')
    )
    op.create_table('scenarios',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('solve_runs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('time_limit', sa.Float(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('strict', sa.Boolean(), nullable=False),
    sa.Column('elapsed', sa.Float(), nullable=True),
    sa.Column('objective', sa.Float(), nullable=True),
    sa.Column('bound', sa.Float(), nullable=True),
    sa.Column('gap', sa.Float(), nullable=True),
    sa.Column('open_slots', sa.Integer(), nullable=True),
    sa.Column('solutions', sa.Integer(), nullable=False),
    sa.Column('solver_status', sa.String(length=20), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenarios.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('solve_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_solve_runs_scenario_id'), ['scenario_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_solve_runs_status'), ['status'], unique=False)

    op.create_table('roster_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('violations', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by', sa.String(length=100), nullable=True),
    sa.Column('superseded_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['solve_runs.id'], ),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenarios.id'], ),
    sa.ForeignKeyConstraint(['superseded_by'], ['roster_versions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('roster_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_versions_scenario_id'), ['scenario_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_versions_status'), ['status'], unique=False)

    op.create_table('run_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.String(length=36), nullable=False),
    sa.Column('elapsed', sa.Float(), nullable=False),
    sa.Column('objective', sa.Float(), nullable=False),
    sa.Column('bound', sa.Float(), nullable=True),
    sa.Column('gap', sa.Float(), nullable=True),
    sa.Column('open_slots', sa.Integer(), nullable=False),
    sa.Column('solutions', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['solve_runs.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('run_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_run_progress_run_id'), ['run_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('run_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_run_progress_run_id'))

    op.drop_table('run_progress')
    with op.batch_alter_table('roster_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_versions_status'))
        batch_op.drop_index(batch_op.f('ix_roster_versions_scenario_id'))

    op.drop_table('roster_versions')
    with op.batch_alter_table('solve_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_solve_runs_status'))
        batch_op.drop_index(batch_op.f('ix_solve_runs_scenario_id'))

    op.drop_table('solve_runs')
    op.drop_table('scenarios')
    op.drop_table('manager_sessions')
    with op.batch_alter_table('doctor_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_doctor_links_token'))

    op.drop_table('doctor_links')
    op.drop_table('audit_log')
