"""the stage engine: each deal's stays in the stages of its process, and the «Холодный обзвон» pipeline's statuses

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 21:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.kernel.types

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: «Холодный обзвон»'s stages as statuses (core.domain.campaigns.stages.COLD_CALL as of this revision)
SEED = [('contact', 'Первичный контакт. Анкетирование', '#5b8def', False),
        ('qualify', 'Квалифицировать клиента', '#8e6cef', False),
        ('card', 'Визитка компании', '#30a0b0', False),
        ('reroute', 'Перенаправление согласно квалификации клиента', '#f0a030', False),
        ('needs', 'Формирование потребностей клиента', '#2fb380', False),
        ('closed', 'Сделка закрыта', '#7a7a7a', True)]
OPEN = "left_at IS NULL AND expired_at IS NULL"


def upgrade() -> None:
    op.create_table('deal_stages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('process', sa.String(length=32), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('entered_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('entered_by', sa.Integer(), nullable=True),
    sa.Column('due_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expired_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('left_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('left_by', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_stages_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entered_by'], ['users.id'], name=op.f('fk_deal_stages_entered_by_users')),
    sa.ForeignKeyConstraint(['left_by'], ['users.id'], name=op.f('fk_deal_stages_left_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_stages'))
    )
    with op.batch_alter_table('deal_stages', schema=None) as batch_op:
        batch_op.create_index('ix_deal_stages_deal', ['deal_id', 'id'], unique=False)
        batch_op.create_index('ix_deal_stages_due', ['due_at'], unique=False, sqlite_where=sa.text(OPEN),
                              postgresql_where=sa.text(OPEN))
    statuses = sa.table('deal_statuses', sa.column('pipeline', sa.String), sa.column('code', sa.String),
                        sa.column('name', sa.String), sa.column('position', sa.Integer), sa.column('color', sa.String),
                        sa.column('final', sa.Boolean), sa.column('archived', sa.Boolean))
    op.bulk_insert(statuses, [{'pipeline': 'cold_call', 'code': code, 'name': name, 'position': i, 'color': color,
                               'final': final, 'archived': False} for i, (code, name, color, final) in enumerate(SEED)])


def downgrade() -> None:
    op.execute("DELETE FROM deal_statuses WHERE pipeline = 'cold_call'")
    with op.batch_alter_table('deal_stages', schema=None) as batch_op:
        batch_op.drop_index('ix_deal_stages_due', sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
        batch_op.drop_index('ix_deal_stages_deal')
    op.drop_table('deal_stages')
