"""the funnel stages each lead has reached, kept on the lead (the report reads one table)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 18:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: stage → the statuses that count for it (core.domain.leads.lifecycle.FUNNEL as it is at this revision)
STAGES = {
    'reached_records': ('meeting', 'visited', 'contract', 'contract_prepaid'),
    'reached_visits': ('visited', 'contract', 'contract_prepaid'),
    'reached_contracts': ('contract',),
    'reached_prepaid': ('contract_prepaid',),
}


def upgrade() -> None:
    with op.batch_alter_table('leads', schema=None) as batch_op:
        for column in STAGES:
            batch_op.add_column(sa.Column(column, sa.SmallInteger(), nullable=False, server_default='0'))
    for column, statuses in STAGES.items():  # what the history says each lead has reached so far
        listed = ', '.join(f"'{s}'" for s in statuses)
        op.execute(f"UPDATE leads SET {column} = 1 WHERE EXISTS (SELECT 1 FROM lead_status_history h "
                   f"WHERE h.lead_id = leads.id AND h.to_status IN ({listed}))")
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index('ix_leads_funnel', ['created_at', 'source_id', *STAGES], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_funnel')
        for column in STAGES:
            batch_op.drop_column(column)
