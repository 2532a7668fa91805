"""A contract with prepayment is a contract: the funnel report counts it in «Договоров» too (seed 004's columns;
a later stage counts for the earlier ones).

Leads that reached «Договор с предоплатой» before get ``reached_contracts = 1``. The downgrade leaves them: which of
them also passed through «Договор» is not recorded apart.

Revision ID: 0034
Revises: 0031
Create Date: 2026-12-06 16:00:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0034'
down_revision: str | None = '0031'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE leads SET reached_contracts = 1 WHERE reached_prepaid = 1")


def downgrade() -> None:
    pass
