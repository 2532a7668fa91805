"""Statements matched by the payer's account: the account on receipts and kept-aside lines, a kept-aside line
assigned to a contract in the chat, a typed payment matched to its statement line, the accounts clients pay from.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 12:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.kernel.types

revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('lease_receipts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account', sa.String(length=34), nullable=True))
        batch_op.add_column(sa.Column('line_key', sa.String(length=80), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_lease_receipts_line_key'), ['line_key'])
    with op.batch_alter_table('lease_statement_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account', sa.String(length=34), nullable=True))
        batch_op.add_column(sa.Column('key', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('deal_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assigned_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assigned_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_lease_statement_lines_deal_id_deals'), 'deals', ['deal_id'],
                                    ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_lease_statement_lines_assigned_by_users'), 'users',
                                    ['assigned_by'], ['id'])
    op.create_table(
        'lease_client_accounts',
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('iban', sa.String(length=34), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('created_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_lease_client_accounts_client_id_clients'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('client_id', 'iban', name=op.f('pk_lease_client_accounts')),
    )
    with op.batch_alter_table('lease_client_accounts', schema=None) as batch_op:
        batch_op.create_index('ix_lease_client_accounts_iban', ['iban'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lease_client_accounts', schema=None) as batch_op:
        batch_op.drop_index('ix_lease_client_accounts_iban')
    op.drop_table('lease_client_accounts')
    with op.batch_alter_table('lease_statement_lines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_lease_statement_lines_assigned_by_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_lease_statement_lines_deal_id_deals'), type_='foreignkey')
        batch_op.drop_column('assigned_at')
        batch_op.drop_column('assigned_by')
        batch_op.drop_column('deal_id')
        batch_op.drop_column('key')
        batch_op.drop_column('account')
    with op.batch_alter_table('lease_receipts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_lease_receipts_line_key'), type_='unique')
        batch_op.drop_column('line_key')
        batch_op.drop_column('account')
