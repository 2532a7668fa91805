"""Tasks follow the process (issue 28): who closed a task and why; the open tasks of deals already closed are
closed now (they kept reminding).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 08:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('tasks') as batch:
        batch.add_column(sa.Column('closed_by', sa.Integer(), sa.ForeignKey('users.id', name='fk_tasks_closed_by_users'),
                                   nullable=True))
        batch.add_column(sa.Column('close_reason', sa.String(length=16), nullable=True))
    # a deal of a process whose current stay is «closed»: its open tasks close with it
    op.execute(sa.text(
        "UPDATE tasks SET status = 'cancelled', close_reason = 'deal_closed', done_at = ("
        " SELECT s.entered_at FROM deal_stages s WHERE s.deal_id = tasks.deal_id AND s.left_at IS NULL"
        " AND s.stage = 'closed') "
        "WHERE status = 'open' AND deal_id IN ("
        " SELECT s.deal_id FROM deal_stages s WHERE s.left_at IS NULL AND s.stage = 'closed')"))


def downgrade() -> None:
    with op.batch_alter_table('tasks') as batch:
        batch.drop_column('close_reason')
        batch.drop_column('closed_by')
