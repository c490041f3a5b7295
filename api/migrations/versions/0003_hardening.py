"""hardening (issue 14): one published version per period, the publish lock, the per-doctor index
of published shifts, failed logins

Revision ID: 0003_hardening
Revises: 0002_daily_life
Create Date: 2026-12-03

Before the partial unique index is created, versions a racing double publish left published for
the same period start are repaired: the newest stays published, the others become superseded by it
(what a sequential publish would have done). The per-doctor index of already published versions is
filled at start-up (``api.services.published.backfill``), by the same code that fills it on publish.
"""
import sqlalchemy as sa
from alembic import op

revision = '0003_hardening'
down_revision = '0002_daily_life'
branch_labels = None
depends_on = None

PUBLISHED = sa.text("status = 'published'")

REPAIR_DOUBLE_PUBLISHED = """
UPDATE roster_versions
SET status = 'superseded',
    superseded_by = (SELECT MAX(newer.id) FROM roster_versions newer
                     WHERE newer.status = 'published' AND newer.period_start = roster_versions.period_start)
WHERE status = 'published'
  AND id < (SELECT MAX(newer.id) FROM roster_versions newer
            WHERE newer.status = 'published' AND newer.period_start = roster_versions.period_start)
"""


def upgrade() -> None:
    op.execute(REPAIR_DOUBLE_PUBLISHED)
    with op.batch_alter_table('roster_versions', schema=None) as batch_op:
        batch_op.create_index('uq_roster_versions_published_start', ['period_start'], unique=True,
                              sqlite_where=PUBLISHED, postgresql_where=PUBLISHED)

    op.create_table('publish_lock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('publishes', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.execute("INSERT INTO publish_lock (id, publishes) VALUES (1, 0)")

    op.create_table('published_doctors',
    sa.Column('roster_id', sa.Integer(), nullable=False),
    sa.Column('doctor_id', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['roster_id'], ['roster_versions.id'], ),
    sa.PrimaryKeyConstraint('roster_id', 'doctor_id')
    )
    with op.batch_alter_table('published_doctors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_doctors_doctor_id'), ['doctor_id'], unique=False)

    op.create_table('published_shifts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roster_id', sa.Integer(), nullable=False),
    sa.Column('doctor_id', sa.String(length=80), nullable=False),
    sa.Column('shift_key', sa.String(length=100), nullable=False),
    sa.Column('template', sa.String(length=80), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('station', sa.String(length=80), nullable=False),
    sa.Column('station_name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('duty', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['roster_id'], ['roster_versions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('published_shifts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_shifts_doctor_id'), ['doctor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_published_shifts_roster_id'), ['roster_id'], unique=False)

    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failures_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failures_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failures_username'), ['username'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failures_username'))
        batch_op.drop_index(batch_op.f('ix_login_failures_at'))
        batch_op.drop_index(batch_op.f('ix_login_failures_address'))

    op.drop_table('login_failures')
    with op.batch_alter_table('published_shifts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_shifts_roster_id'))
        batch_op.drop_index(batch_op.f('ix_published_shifts_doctor_id'))

    op.drop_table('published_shifts')
    with op.batch_alter_table('published_doctors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_doctors_doctor_id'))

    op.drop_table('published_doctors')
    op.drop_table('publish_lock')
    with op.batch_alter_table('roster_versions', schema=None) as batch_op:
        batch_op.drop_index('uq_roster_versions_published_start')
