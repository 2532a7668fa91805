"""Exchange with 1C and the e-mails' headers (issue 28): counterparties unique by INN and KPP (a company's branches
share its INN, each with its own KPP), a payment's bank document (a client-bank file imported twice books nothing
twice), and an e-mail's Message-ID and thread (unique across deployments, kept for every resend).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 08:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_NULL_INN = sa.text('inn IS NOT NULL')


def upgrade() -> None:
    op.drop_index('uq_clients_inn', table_name='clients', sqlite_where=NOT_NULL_INN, postgresql_where=NOT_NULL_INN)
    op.create_index('uq_clients_inn_kpp', 'clients', ['inn', sa.text("coalesce(kpp, '')")], unique=True,
                    sqlite_where=NOT_NULL_INN, postgresql_where=NOT_NULL_INN)
    op.add_column('payments', sa.Column('bank_ref', sa.String(length=128), nullable=True))
    op.create_index('ix_payments_bank_ref', 'payments', ['bank_ref'], unique=True)
    op.add_column('mail_outbox', sa.Column('message_id', sa.String(length=255), nullable=True))
    op.add_column('mail_outbox', sa.Column('thread', sa.Text(), nullable=True))
    op.create_index('ix_mail_outbox_message_id', 'mail_outbox', ['message_id'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_mail_outbox_message_id', table_name='mail_outbox')
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_column('thread')
        batch_op.drop_column('message_id')
    op.drop_index('ix_payments_bank_ref', table_name='payments')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_column('bank_ref')
    op.drop_index('uq_clients_inn_kpp', table_name='clients', sqlite_where=NOT_NULL_INN,
                  postgresql_where=NOT_NULL_INN)
    op.create_index('uq_clients_inn', 'clients', ['inn'], unique=True, sqlite_where=NOT_NULL_INN,
                    postgresql_where=NOT_NULL_INN)
