"""What the deployment runs (the first admin's answer: marketplace, leads, cold calls, leasing).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 08:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.kernel.types

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'deployment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('areas', sa.JSON(), nullable=True),
        sa.Column('set_by', sa.Integer(), nullable=True),
        sa.Column('updated_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['set_by'], ['users.id'], name=op.f('fk_deployment_set_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deployment')),
    )


def downgrade() -> None:
    op.drop_table('deployment')
