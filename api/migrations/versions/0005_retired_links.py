"""retired links: a rotated doctor link's token digest, so its calendar feed can say the link changed

Revision ID: 0005_retired_links
Revises: 0004_progress_level
Create Date: 2026-12-07

A rotated link answered 404, and a subscribed calendar then kept the last shifts it had fetched,
silently out of date (calendar audit of 7 December 2026). The old token's SHA-256 is kept for a
while so its feed can answer with a notice and no shifts.
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_retired_links'
down_revision = '0004_progress_level'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('retired_links',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('doctor_id', sa.String(length=80), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('token_hash')
    )
    with op.batch_alter_table('retired_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retired_links_retired_at'), ['retired_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('retired_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retired_links_retired_at'))
    op.drop_table('retired_links')
