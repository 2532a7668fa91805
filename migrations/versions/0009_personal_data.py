"""personal data: consent version and time, erasure time

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 05:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.db.kernel.types import UTCDateTime

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_version', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('consent_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('erased_at', UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
        batch_op.drop_column('consent_at')
        batch_op.drop_column('consent_version')
