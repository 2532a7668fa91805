"""The deal feed and the tasks keep facts, not sentences: ``deal_feed.params`` (a kind's facts, JSON) and
``tasks.params`` (what a task code's words need), and a task core makes has no title.

Old rows are left as they were: a feed line written before this revision keeps its sentence in ``deal_feed.text``
with ``params`` NULL, and the bot shows that text as it was written (legacy: it reads in the writer's language);
a task made before keeps its ``title`` (shown when its code has no words). Nothing of theirs is rewritten, so the
downgrade only drops the columns (a task core made after the upgrade gets its code as the title back).

A cold call's deal is named by its fact, the counterparty's name: the deals a campaign named «Сделка с клиентом:
<counterparty>» (Russian words every reader got) are renamed to the counterparty's name, as new ones are.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 12:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('deal_feed', schema=None) as batch_op:
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
        batch_op.alter_column('title', existing_type=sa.String(length=256), nullable=True)
    prefix = 'Сделка с клиентом: '
    op.execute(sa.text("UPDATE deals SET name = substr(name, :start) WHERE pipeline = 'cold_call' "
                       "AND substr(name, 1, :size) = :prefix").bindparams(start=len(prefix) + 1, size=len(prefix),
                                                                         prefix=prefix))


def downgrade() -> None:
    op.execute("UPDATE tasks SET title = COALESCE(code, '') WHERE title IS NULL")
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.alter_column('title', existing_type=sa.String(length=256), nullable=False)
        batch_op.drop_column('params')
    with op.batch_alter_table('deal_feed', schema=None) as batch_op:
        batch_op.drop_column('params')
