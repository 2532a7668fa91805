"""The running contract's books (issue 19, seed 002: Uruchomienie, Rozliczanie): schedule versions and lines,
the ledger (charges, receipts, allocations), invoices and their series, the runs done, statements, dunning,
the admins' tables, insurance, suspensions, commissions; the case's launch columns; the leasing pipeline's
statuses for the running contract.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 05:57:45.119858
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.kernel.types

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


STATUSES = sa.table('deal_statuses', sa.column('pipeline', sa.String), sa.column('code', sa.String),
                    sa.column('name', sa.String), sa.column('position', sa.Integer), sa.column('color', sa.String),
                    sa.column('final', sa.Boolean), sa.column('archived', sa.Boolean))
#: the running contract's statuses (core.domain.leasing.case.SEED as of this revision), after «to_payment»
RUNNING = [('active', 'Rozliczanie', '#82b366', False), ('suspended', 'Zawieszona', '#d79b00', False),
           ('closed', 'Rozliczona', '#999999', True)]


def upgrade() -> None:
    op.create_table('lease_runs',
    sa.Column('job', sa.String(length=16), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('done_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('job', 'day', name=op.f('pk_lease_runs'))
    )
    op.create_table('lease_series',
    sa.Column('series', sa.String(length=16), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('series', name=op.f('pk_lease_series'))
    )
    op.create_table('lease_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=256), nullable=True),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.Column('imported_by', sa.Integer(), nullable=True),
    sa.Column('imported_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['imported_by'], ['users.id'], name=op.f('fk_lease_statements_imported_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_statements')),
    sa.UniqueConstraint('digest', name=op.f('uq_lease_statements_digest'))
    )
    op.create_table('lease_tables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('set_by', sa.Integer(), nullable=True),
    sa.Column('set_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['set_by'], ['users.id'], name=op.f('fk_lease_tables_set_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_tables'))
    )
    with op.batch_alter_table('lease_tables', schema=None) as batch_op:
        batch_op.create_index('ix_lease_tables_kind', ['kind', 'id'], unique=False)

    op.create_table('lease_statement_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('amount', core.db.kernel.types.Money(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=256), nullable=True),
    sa.Column('problem', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['lease_statements.id'], name=op.f('fk_lease_statement_lines_statement_id_lease_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_statement_lines'))
    )
    with op.batch_alter_table('lease_statement_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lease_statement_lines_statement_id'), ['statement_id'], unique=False)

    op.create_table('lease_charges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('net', core.db.kernel.types.Money(), nullable=False),
    sa.Column('vat', core.db.kernel.types.Money(), nullable=False),
    sa.Column('gross', core.db.kernel.types.Money(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('booked_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=256), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('paid_off', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_lease_charges_created_by_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_charges_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_charges')),
    sa.UniqueConstraint('deal_id', 'key', name='uq_lease_charges_key')
    )
    with op.batch_alter_table('lease_charges', schema=None) as batch_op:
        batch_op.create_index('ix_lease_charges_booked', ['booked_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_lease_charges_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index('ix_lease_charges_open', ['due', 'deal_id', 'kind', 'id'], unique=False, sqlite_where=sa.text('paid_off IS NULL'), postgresql_where=sa.text('paid_off IS NULL'))

    op.create_table('lease_commissions',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=8), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('base', core.db.kernel.types.Money(), nullable=False),
    sa.Column('percent', core.db.kernel.types.Fixed(2), nullable=False),
    sa.Column('amount', core.db.kernel.types.Money(), nullable=False),
    sa.Column('settled_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_commissions_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('deal_id', 'party', name=op.f('pk_lease_commissions'))
    )
    with op.batch_alter_table('lease_commissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lease_commissions_period'), ['period'], unique=False)

    op.create_table('lease_insurances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('insurer', sa.String(length=128), nullable=False),
    sa.Column('policy_no', sa.String(length=64), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('set_by', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reminded_days', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_insurances_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by'], ['users.id'], name=op.f('fk_lease_insurances_set_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_insurances'))
    )
    with op.batch_alter_table('lease_insurances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lease_insurances_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lease_insurances_ends_on'), ['ends_on'], unique=False)

    op.create_table('lease_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('amount', core.db.kernel.types.Money(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('reference', sa.String(length=256), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('spent_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_lease_receipts_created_by_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_receipts_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_receipts')),
    sa.UniqueConstraint('key', name=op.f('uq_lease_receipts_key'))
    )
    with op.batch_alter_table('lease_receipts', schema=None) as batch_op:
        batch_op.create_index('ix_lease_receipts_deal', ['deal_id', 'id'], unique=False)
        batch_op.create_index('ix_lease_receipts_unspent', ['deal_id'], unique=False, sqlite_where=sa.text('spent_on IS NULL'), postgresql_where=sa.text('spent_on IS NULL'))

    op.create_table('lease_schedule_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('net', core.db.kernel.types.Money(), nullable=False),
    sa.Column('vat', core.db.kernel.types.Money(), nullable=False),
    sa.Column('gross', core.db.kernel.types.Money(), nullable=False),
    sa.Column('interest', core.db.kernel.types.Money(), nullable=False),
    sa.Column('principal', core.db.kernel.types.Money(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_schedule_lines_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_schedule_lines')),
    sa.UniqueConstraint('deal_id', 'version', 'key', name='uq_lease_schedule_lines_key')
    )
    with op.batch_alter_table('lease_schedule_lines', schema=None) as batch_op:
        batch_op.create_index('ix_lease_schedule_lines_due', ['due'], unique=False)

    op.create_table('lease_schedules',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('made_by', sa.Integer(), nullable=True),
    sa.Column('made_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_schedules_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['made_by'], ['users.id'], name=op.f('fk_lease_schedules_made_by_users')),
    sa.PrimaryKeyConstraint('deal_id', 'version', name=op.f('pk_lease_schedules'))
    )
    op.create_table('lease_suspensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('resumed_on', sa.Date(), nullable=True),
    sa.Column('reason', sa.String(length=512), nullable=False),
    sa.Column('by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by'], ['users.id'], name=op.f('fk_lease_suspensions_by_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_suspensions_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_suspensions'))
    )
    with op.batch_alter_table('lease_suspensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lease_suspensions_deal_id'), ['deal_id'], unique=False)

    op.create_table('lease_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('charge_id', sa.Integer(), nullable=False),
    sa.Column('amount', core.db.kernel.types.Money(), nullable=False),
    sa.Column('created_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['charge_id'], ['lease_charges.id'], name=op.f('fk_lease_allocations_charge_id_lease_charges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['receipt_id'], ['lease_receipts.id'], name=op.f('fk_lease_allocations_receipt_id_lease_receipts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_allocations'))
    )
    with op.batch_alter_table('lease_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lease_allocations_charge_id'), ['charge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lease_allocations_receipt_id'), ['receipt_id'], unique=False)

    op.create_table('lease_dunnings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('charge_id', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('owed', core.db.kernel.types.Money(), nullable=False),
    sa.Column('by_letter', sa.Boolean(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('created_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['charge_id'], ['lease_charges.id'], name=op.f('fk_lease_dunnings_charge_id_lease_charges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_dunnings_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_dunnings')),
    sa.UniqueConstraint('deal_id', 'charge_id', 'days', name='uq_lease_dunnings_level')
    )
    with op.batch_alter_table('lease_dunnings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lease_dunnings_deal_id'), ['deal_id'], unique=False)

    op.create_table('lease_invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('charge_id', sa.Integer(), nullable=True),
    sa.Column('receipt_id', sa.Integer(), nullable=True),
    sa.Column('series', sa.String(length=16), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['charge_id'], ['lease_charges.id'], name=op.f('fk_lease_invoices_charge_id_lease_charges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_invoices_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_lease_invoices_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['receipt_id'], ['lease_receipts.id'], name=op.f('fk_lease_invoices_receipt_id_lease_receipts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_invoices')),
    sa.UniqueConstraint('charge_id', name=op.f('uq_lease_invoices_charge_id')),
    sa.UniqueConstraint('receipt_id', name=op.f('uq_lease_invoices_receipt_id')),
    sa.UniqueConstraint('series', 'seq', name='uq_lease_invoices_number')
    )
    with op.batch_alter_table('lease_invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lease_invoices_deal_id'), ['deal_id'], unique=False)

    with op.batch_alter_table('lease_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vendor_paid_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('vendor_paid_amount', core.db.kernel.types.Money(), nullable=True))
        batch_op.add_column(sa.Column('vendor_payment_ref', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('registration', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('handed_over_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('schedule_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('late_rate', core.db.kernel.types.Fixed(2), nullable=True))
        batch_op.add_column(sa.Column('closed_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True))

    op.execute("UPDATE deal_statuses SET position = position + 3 WHERE pipeline = 'leasing' "
               "AND code IN ('refused', 'cancelled')")
    op.execute("UPDATE deal_statuses SET name = 'Uruchomienie' WHERE pipeline = 'leasing' AND code = 'to_payment' "
               "AND name = 'Przekazanie do płatności'")
    op.bulk_insert(STATUSES, [{'pipeline': 'leasing', 'code': code, 'name': name, 'position': 11 + i,
                               'color': color, 'final': final, 'archived': False}
                              for i, (code, name, color, final) in enumerate(RUNNING)])


def downgrade() -> None:
    op.execute("DELETE FROM deal_statuses WHERE pipeline = 'leasing' AND code IN ('active', 'suspended', 'closed')")
    op.execute("UPDATE deal_statuses SET position = position - 3 WHERE pipeline = 'leasing' "
               "AND code IN ('refused', 'cancelled')")
    op.execute("UPDATE deal_statuses SET name = 'Przekazanie do płatności' WHERE pipeline = 'leasing' "
               "AND code = 'to_payment' AND name = 'Uruchomienie'")
    with op.batch_alter_table('lease_cases', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
        batch_op.drop_column('late_rate')
        batch_op.drop_column('schedule_version')
        batch_op.drop_column('handed_over_on')
        batch_op.drop_column('registration')
        batch_op.drop_column('vendor_payment_ref')
        batch_op.drop_column('vendor_paid_amount')
        batch_op.drop_column('vendor_paid_on')

    with op.batch_alter_table('lease_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lease_invoices_deal_id'))

    op.drop_table('lease_invoices')
    with op.batch_alter_table('lease_dunnings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lease_dunnings_deal_id'))

    op.drop_table('lease_dunnings')
    with op.batch_alter_table('lease_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lease_allocations_receipt_id'))
        batch_op.drop_index(batch_op.f('ix_lease_allocations_charge_id'))

    op.drop_table('lease_allocations')
    with op.batch_alter_table('lease_suspensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lease_suspensions_deal_id'))

    op.drop_table('lease_suspensions')
    op.drop_table('lease_schedules')
    with op.batch_alter_table('lease_schedule_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_lease_schedule_lines_due')

    op.drop_table('lease_schedule_lines')
    with op.batch_alter_table('lease_receipts', schema=None) as batch_op:
        batch_op.drop_index('ix_lease_receipts_unspent', sqlite_where=sa.text('spent_on IS NULL'), postgresql_where=sa.text('spent_on IS NULL'))
        batch_op.drop_index('ix_lease_receipts_deal')

    op.drop_table('lease_receipts')
    with op.batch_alter_table('lease_insurances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lease_insurances_ends_on'))
        batch_op.drop_index(batch_op.f('ix_lease_insurances_deal_id'))

    op.drop_table('lease_insurances')
    with op.batch_alter_table('lease_commissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lease_commissions_period'))

    op.drop_table('lease_commissions')
    with op.batch_alter_table('lease_charges', schema=None) as batch_op:
        batch_op.drop_index('ix_lease_charges_open', sqlite_where=sa.text('paid_off IS NULL'), postgresql_where=sa.text('paid_off IS NULL'))
        batch_op.drop_index(batch_op.f('ix_lease_charges_deal_id'))
        batch_op.drop_index('ix_lease_charges_booked')

    op.drop_table('lease_charges')
    with op.batch_alter_table('lease_statement_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lease_statement_lines_statement_id'))

    op.drop_table('lease_statement_lines')
    with op.batch_alter_table('lease_tables', schema=None) as batch_op:
        batch_op.drop_index('ix_lease_tables_kind')

    op.drop_table('lease_tables')
    op.drop_table('lease_statements')
    op.drop_table('lease_series')
    op.drop_table('lease_runs')
