"""The contract's end (issue 29, seed 002 «Zakończenie umowy», «Weryfikacja tożsamości»): how a contract ended (the
buyout's protocol, an early termination's settlement, a return), the identity checks of the verification transfer,
an offer accepted on the client's behalf with the signed document; the leasing pipeline's statuses «terminated»
and «returned», after «closed».

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 11:52:10.054049
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.kernel.types

revision: str = '0026'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = sa.table('deal_statuses', sa.column('pipeline', sa.String), sa.column('code', sa.String),
                    sa.column('name', sa.String), sa.column('position', sa.Integer), sa.column('color', sa.String),
                    sa.column('final', sa.Boolean), sa.column('archived', sa.Boolean))
#: the ended contract's statuses (core.domain.leasing.case.SEED as of this revision), after «closed»
ENDED = [('terminated', 'Rozwiązana przed terminem', '#b85450', False),
         ('returned', 'Przedmiot zwrócony', '#999999', False)]


def upgrade() -> None:
    op.create_table('lease_identity_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('payer_name', sa.String(length=256), nullable=True),
    sa.Column('payer_iban', sa.String(length=34), nullable=False),
    sa.Column('amount', core.db.kernel.types.Money(), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('reasons', sa.String(length=64), nullable=False),
    sa.Column('checked_by', sa.Integer(), nullable=True),
    sa.Column('checked_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['checked_by'], ['users.id'], name=op.f('fk_lease_identity_checks_checked_by_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_identity_checks_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_lease_identity_checks_decided_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_identity_checks'))
    )
    with op.batch_alter_table('lease_identity_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lease_identity_checks_deal_id'), ['deal_id'], unique=False)

    op.create_table('lease_endings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('principal', core.db.kernel.types.Money(), nullable=True),
    sa.Column('interest', core.db.kernel.types.Money(), nullable=True),
    sa.Column('fee', core.db.kernel.types.Money(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('made_by', sa.Integer(), nullable=True),
    sa.Column('made_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_endings_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_lease_endings_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invoice_id'], ['lease_invoices.id'], name=op.f('fk_lease_endings_invoice_id_lease_invoices')),
    sa.ForeignKeyConstraint(['made_by'], ['users.id'], name=op.f('fk_lease_endings_made_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_endings')),
    sa.UniqueConstraint('deal_id', 'kind', name='uq_lease_endings_kind')
    )
    with op.batch_alter_table('lease_offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('accepted_file_id', sa.String(length=256), nullable=True))
        batch_op.add_column(sa.Column('accepted_file_name', sa.String(length=256), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_lease_offers_accepted_by_users'), 'users', ['accepted_by'], ['id'])

    # the ended contract's statuses after «closed» (its position read, not assumed: an admin may have added statuses)
    closed = op.get_bind().execute(sa.text("SELECT position FROM deal_statuses WHERE pipeline = 'leasing' "
                                           "AND code = 'closed'")).scalar()
    if closed is not None:
        op.execute(sa.text("UPDATE deal_statuses SET position = position + :n WHERE pipeline = 'leasing' "
                           "AND position > :p").bindparams(n=len(ENDED), p=closed))
        op.bulk_insert(STATUSES, [{'pipeline': 'leasing', 'code': code, 'name': name, 'position': closed + 1 + i,
                                   'color': color, 'final': final, 'archived': False}
                                  for i, (code, name, color, final) in enumerate(ENDED)])


def downgrade() -> None:
    closed = op.get_bind().execute(sa.text("SELECT position FROM deal_statuses WHERE pipeline = 'leasing' "
                                           "AND code = 'closed'")).scalar()
    op.execute("DELETE FROM deal_statuses WHERE pipeline = 'leasing' AND code IN ('terminated', 'returned') "
               "AND NOT EXISTS (SELECT 1 FROM deals WHERE deals.status_id = deal_statuses.id)")
    if closed is not None:
        op.execute(sa.text("UPDATE deal_statuses SET position = position - :n WHERE pipeline = 'leasing' "
                           "AND position > :p").bindparams(n=len(ENDED), p=closed + len(ENDED)))
    with op.batch_alter_table('lease_offers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_lease_offers_accepted_by_users'), type_='foreignkey')
        batch_op.drop_column('accepted_file_name')
        batch_op.drop_column('accepted_file_id')
        batch_op.drop_column('accepted_by')

    op.drop_table('lease_endings')
    with op.batch_alter_table('lease_identity_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lease_identity_checks_deal_id'))

    op.drop_table('lease_identity_checks')
