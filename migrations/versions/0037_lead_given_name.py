"""A lead keeps the name its request gave when the phone's contact card bears another (walkthrough point 16): a new
request with a known phone no longer loses the name typed with it.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-06 19:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0037'
down_revision: str | None = '0036'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("given_name", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("given_name")
