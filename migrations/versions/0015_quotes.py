"""the commercial offer (КП) and its versions and lines, the admins' approval rules, an order's lines and its КП, a
payment registered for one order, the counterparty's «shipping before payment» (seed 001, stages 6–14)

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 23:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.kernel.types

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('approval_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=16), nullable=False),
    sa.Column('min_amount', core.db.kernel.types.Money(), nullable=False),
    sa.Column('approver_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_approval_rules_approver_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_rules'))
    )
    op.create_table('quotes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('terms', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_comment', sa.Text(), nullable=True),
    sa.Column('sent_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_quotes_created_by_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_quotes_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_quotes_decided_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotes')),
    sa.UniqueConstraint('deal_id', 'version', name='uq_quotes_deal_version')
    )
    op.create_table('quote_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=256), nullable=False),
    sa.Column('quantity', core.db.kernel.types.Fixed(3), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('price', core.db.kernel.types.Money(), nullable=False),
    sa.Column('discount', core.db.kernel.types.Fixed(2), nullable=False),
    sa.Column('vat', core.db.kernel.types.Fixed(2), nullable=True),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_quote_lines_quote_id_quotes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_lines'))
    )
    with op.batch_alter_table('quote_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quote_lines_quote_id'), ['quote_id'], unique=False)

    op.create_table('order_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=256), nullable=False),
    sa.Column('quantity', core.db.kernel.types.Fixed(3), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('price', core.db.kernel.types.Money(), nullable=False),
    sa.Column('discount', core.db.kernel.types.Fixed(2), nullable=False),
    sa.Column('vat', core.db.kernel.types.Fixed(2), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines'))
    )
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_lines_order_id'), ['order_id'], unique=False)

    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ship_unpaid', sa.Boolean(), server_default=sa.text('(false)'), nullable=False))

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quote_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_orders_quote_id'), ['quote_id'])
        batch_op.create_foreign_key(batch_op.f('fk_orders_quote_id_quotes'), 'quotes', ['quote_id'], ['id'])

    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('order_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_payments_order_id'), ['order_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_payments_order_id_orders'), 'orders', ['order_id'], ['id'], ondelete='CASCADE')



def downgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_payments_order_id_orders'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_payments_order_id'))
        batch_op.drop_column('order_id')

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_orders_quote_id_quotes'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_orders_quote_id'), type_='unique')
        batch_op.drop_column('quote_id')

    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('ship_unpaid')

    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_lines_order_id'))

    op.drop_table('order_lines')
    with op.batch_alter_table('quote_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quote_lines_quote_id'))

    op.drop_table('quote_lines')
    op.drop_table('quotes')
    op.drop_table('approval_rules')
