"""run submission: what asked for a run, so pressing its button twice starts one run

Revision ID: 0006_run_submission
Revises: 0005_retired_links
Create Date: 2026-12-07

A double click on «Start beregning», or «Start på nytt» pressed twice (or in two tabs), started
two solves of the same scenario, each holding a worker for its whole time limit. A run now
records the form shown (or the interrupted run it restarts); the unique index lets the database
refuse a second run for the same submission.
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_run_submission'
down_revision = '0005_retired_links'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('solve_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission', sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f('ix_solve_runs_submission'), ['submission'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('solve_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_solve_runs_submission'))
        batch_op.drop_column('submission')
