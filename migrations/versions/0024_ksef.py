"""KSeF: each faktura's FA(3) XML on its way to KSeF (the queue), the KSeF number and the UPO on the faktura; a
correcting faktura names the faktura it corrects and what it changes of its line.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 12:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.kernel.types

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('lease_invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrects_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('net', core.db.kernel.types.Money(), nullable=True))
        batch_op.add_column(sa.Column('vat', core.db.kernel.types.Money(), nullable=True))
        batch_op.add_column(sa.Column('ksef_number', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('ksef_upo', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_lease_invoices_corrects_id'), ['corrects_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_lease_invoices_corrects_id_lease_invoices'), 'lease_invoices',
                                    ['corrects_id'], ['id'], ondelete='CASCADE')
    op.create_table(
        'ksef_submissions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('invoice_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('offline', sa.Boolean(), nullable=False),
        sa.Column('xml', sa.Text(), nullable=True),
        sa.Column('xml_hash', sa.String(length=64), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_try_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('session_ref', sa.String(length=64), nullable=True),
        sa.Column('invoice_ref', sa.String(length=64), nullable=True),
        sa.Column('error', sa.String(length=512), nullable=True),
        sa.Column('created_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('done_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['invoice_id'], ['lease_invoices.id'],
                                name=op.f('fk_ksef_submissions_invoice_id_lease_invoices'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ksef_submissions')),
        sa.UniqueConstraint('invoice_id', name=op.f('uq_ksef_submissions_invoice_id')),
    )
    op.create_index('ix_ksef_submissions_due', 'ksef_submissions', ['status', 'next_try_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_ksef_submissions_due', table_name='ksef_submissions')
    op.drop_table('ksef_submissions')
    with op.batch_alter_table('lease_invoices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_lease_invoices_corrects_id_lease_invoices'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_lease_invoices_corrects_id'))
        batch_op.drop_column('ksef_upo')
        batch_op.drop_column('ksef_number')
        batch_op.drop_column('vat')
        batch_op.drop_column('net')
        batch_op.drop_column('corrects_id')
