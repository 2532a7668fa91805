"""A general sales pipeline for the deals leads make (Новая → Квалификация → Предложение → Переговоры → Выиграна /
Проиграна), and the deployment's choice of it or the law firm's (seed 004), asked at the first setup.

Only adds: the «sales» pipeline's statuses and the ``deployment.pipeline`` column. A deployment that already has
people keeps the law firm's pipeline its leads' deals have always opened in (``pipeline = 'law'``, its row written
when it never answered the setup's question, its areas left unanswered); a new one gets the sales pipeline, the
default. No existing pipeline, status or deal changes. The downgrade drops the column and the «sales» statuses
(refused by the database while a deal is in one of them).

Revision ID: 0036
Revises: 0034
Create Date: 2026-12-06 18:30:00
"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import core.db.kernel.types

revision: str = '0036'
down_revision: str | None = '0034'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: core.domain.deals.workspace.SEED_STATUSES[Pipeline.SALES] as of this revision, named in the seeds' Russian
SALES = [('new', 'Новая', '#5b8def', False), ('qualification', 'Квалификация', '#8e6cef', False),
         ('proposal', 'Предложение', '#30a0b0', False), ('negotiation', 'Переговоры', '#f0a030', False),
         ('won', 'Выиграна', '#2fb380', True), ('lost', 'Проиграна', '#7a7a7a', True)]


def upgrade() -> None:
    with op.batch_alter_table('deployment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pipeline', sa.String(length=16), nullable=True))
    statuses = sa.table('deal_statuses', sa.column('pipeline', sa.String), sa.column('code', sa.String),
                        sa.column('name', sa.String), sa.column('position', sa.Integer), sa.column('color', sa.String),
                        sa.column('final', sa.Boolean), sa.column('archived', sa.Boolean))
    op.bulk_insert(statuses, [{'pipeline': 'sales', 'code': code, 'name': name, 'position': i, 'color': color,
                               'final': final, 'archived': False} for i, (code, name, color, final) in enumerate(SALES)])
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM users LIMIT 1")).first() is None:
        return  # a new deployment: the default (sales) until its admin answers
    if bind.execute(sa.text("SELECT 1 FROM deployment WHERE id = 1")).first() is not None:
        bind.execute(sa.text("UPDATE deployment SET pipeline = 'law' WHERE id = 1"))
        return
    deployment = sa.table('deployment', sa.column('id', sa.Integer), sa.column('pipeline', sa.String),
                          sa.column('updated_at', core.db.kernel.types.UTCDateTime(timezone=True)))
    op.bulk_insert(deployment, [{'id': 1, 'pipeline': 'law', 'updated_at': datetime.now(UTC)}])


def downgrade() -> None:
    op.execute("DELETE FROM deal_statuses WHERE pipeline = 'sales'")
    with op.batch_alter_table('deployment', schema=None) as batch_op:
        batch_op.drop_column('pipeline')
