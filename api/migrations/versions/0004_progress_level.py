"""progress level: which level of a lexicographic solve a run's figures belong to

Revision ID: 0004_progress_level
Revises: 0003_hardening
Create Date: 2026-12-03

A lexicographic solve (solver.objective.LEVELS) reports the value, bound and gap of the level it
is solving; stored without the level, the run page put the whole objective beside the level's
bound and called the distance between them the gap. 0 is the whole objective (every earlier run).
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_progress_level'
down_revision = '0003_hardening'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('solve_runs', 'run_progress'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('level', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    for table in ('run_progress', 'solve_runs'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('level')
