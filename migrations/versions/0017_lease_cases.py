"""Seed 002, a Polish lessor's case: the pipeline «leasing» and its statuses (one per core.domain.leasing.case
status), the case beside its deal, the offer's versions, the consents, the securities, what G2I fetched, the
scoring automaton's table, and a client's Polish kind and identifiers (NIP unique)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 03:43:54.232532
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.kernel.types

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = sa.table('deal_statuses', sa.column('pipeline', sa.String), sa.column('code', sa.String),
                    sa.column('name', sa.String), sa.column('position', sa.Integer), sa.column('color', sa.String),
                    sa.column('final', sa.Boolean), sa.column('archived', sa.Boolean))
#: the case's statuses as the workspace shows them (core.domain.leasing.case.SEED as of this revision)
LEASING = [('offer', 'Ofertowanie', '#5b8def', False), ('draft', 'Wniosek', '#6c8ebf', False),
           ('risk_check', 'Weryfikacja i scoring', '#9673a6', False), ('analysis', 'Ocena ryzyka', '#9673a6', False),
           ('corrections', 'Poprawki', '#d6b656', False), ('motion', 'Wniosek ryzyka', '#9673a6', False),
           ('approved', 'Decyzja pozytywna', '#82b366', False), ('conditional', 'Decyzja warunkowa', '#d79b00', False),
           ('signing', 'Podpisywanie', '#6c8ebf', False), ('verification', 'Weryfikowanie', '#6c8ebf', False),
           ('to_payment', 'Przekazanie do płatności', '#82b366', False),
           ('refused', 'Decyzja negatywna', '#b85450', True), ('cancelled', 'Anulowany', '#999999', True)]

def upgrade() -> None:
    op.create_table('scoring_tables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('set_by', sa.Integer(), nullable=True),
    sa.Column('set_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['set_by'], ['users.id'], name=op.f('fk_scoring_tables_set_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scoring_tables'))
    )
    op.create_table('lease_consents',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('consent', sa.String(length=16), nullable=False),
    sa.Column('text_version', sa.String(length=16), nullable=False),
    sa.Column('given_by', sa.Integer(), nullable=True),
    sa.Column('given_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_consents_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['given_by'], ['users.id'], name=op.f('fk_lease_consents_given_by_users')),
    sa.PrimaryKeyConstraint('deal_id', 'consent', name=op.f('pk_lease_consents'))
    )
    op.create_table('lease_securities',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('detail', sa.String(length=64), nullable=True),
    sa.Column('amount', core.db.kernel.types.Money(), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_securities_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('deal_id', 'kind', name=op.f('pk_lease_securities'))
    )
    op.create_table('lease_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('tg_file_id', sa.String(length=256), nullable=False),
    sa.Column('file_name', sa.String(length=256), nullable=True),
    sa.Column('mime_type', sa.String(length=128), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('sent_by', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('checked_by', sa.Integer(), nullable=True),
    sa.Column('checked_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_files_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by'], ['users.id'], name=op.f('fk_lease_files_sent_by_users')),
    sa.ForeignKeyConstraint(['checked_by'], ['users.id'], name=op.f('fk_lease_files_checked_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_files'))
    )
    with op.batch_alter_table('lease_files', schema=None) as batch_op:
        batch_op.create_index('ix_lease_files_deal', ['deal_id', 'kind'], unique=False)

    op.create_table('lease_conditions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=512), nullable=False),
    sa.Column('met_by', sa.Integer(), nullable=True),
    sa.Column('met_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_conditions_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['met_by'], ['users.id'], name=op.f('fk_lease_conditions_met_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_conditions'))
    )
    with op.batch_alter_table('lease_conditions', schema=None) as batch_op:
        batch_op.create_index('ix_lease_conditions_deal', ['deal_id', 'id'], unique=False)

    op.create_table('registry_fetches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('query', sa.String(length=64), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('error', sa.String(length=256), nullable=True),
    sa.Column('fetched_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_registry_fetches_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_fetches'))
    )
    with op.batch_alter_table('registry_fetches', schema=None) as batch_op:
        batch_op.create_index('ix_registry_fetches_deal', ['deal_id', 'id'], unique=False)

    op.create_table('lease_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('price', core.db.kernel.types.Money(), nullable=False),
    sa.Column('vat', core.db.kernel.types.Fixed(2), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('rate', core.db.kernel.types.Fixed(2), nullable=False),
    sa.Column('advance', core.db.kernel.types.Money(), nullable=False),
    sa.Column('residual', core.db.kernel.types.Money(), nullable=False),
    sa.Column('fee', core.db.kernel.types.Money(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('timing', sa.String(length=16), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('financed', core.db.kernel.types.Money(), nullable=False),
    sa.Column('instalment', core.db.kernel.types.Money(), nullable=False),
    sa.Column('total', core.db.kernel.types.Money(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_lease_offers_created_by_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_offers_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_lease_offers_document_id_documents'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_offers')),
    sa.UniqueConstraint('deal_id', 'version', name='uq_lease_offers_deal_version')
    )
    op.create_table('lease_cases',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=True),
    sa.Column('sales_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=256), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('verdict', sa.String(length=16), nullable=True),
    sa.Column('analyst_id', sa.Integer(), nullable=True),
    sa.Column('motion', sa.Text(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('verified_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('verified_amount', core.db.kernel.types.Money(), nullable=True),
    sa.Column('contract_offer_id', sa.Integer(), nullable=True),
    sa.Column('contract_document_id', sa.Integer(), nullable=True),
    sa.Column('terms_accepted_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contract_offer_id'], ['lease_offers.id'], name=op.f('fk_lease_cases_contract_offer_id_lease_offers')),
    sa.ForeignKeyConstraint(['contract_document_id'], ['documents.id'], name=op.f('fk_lease_cases_contract_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['analyst_id'], ['users.id'], name=op.f('fk_lease_cases_analyst_id_users')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_lease_cases_client_id_clients')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_lease_cases_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_lease_cases_decided_by_users')),
    sa.ForeignKeyConstraint(['offer_id'], ['lease_offers.id'], name=op.f('fk_lease_cases_offer_id_lease_offers')),
    sa.ForeignKeyConstraint(['sales_id'], ['users.id'], name=op.f('fk_lease_cases_sales_id_users')),
    sa.ForeignKeyConstraint(['vendor_id'], ['clients.id'], name=op.f('fk_lease_cases_vendor_id_clients')),
    sa.PrimaryKeyConstraint('deal_id', name=op.f('pk_lease_cases'))
    )
    with op.batch_alter_table('lease_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lease_cases_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lease_cases_sales_id'), ['sales_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lease_cases_status'), ['status'], unique=False)

    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('vendor', sa.Boolean(), server_default=sa.text('(false)'), nullable=False))
        batch_op.add_column(sa.Column('nip', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('regon', sa.String(length=14), nullable=True))
        batch_op.add_column(sa.Column('krs', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('pesel', sa.String(length=11), nullable=True))
        batch_op.add_column(sa.Column('iban', sa.String(length=34), nullable=True))
        batch_op.create_index('uq_clients_nip', ['nip'], unique=True, sqlite_where=sa.text('nip IS NOT NULL'), postgresql_where=sa.text('nip IS NOT NULL'))
    op.bulk_insert(STATUSES, [{'pipeline': 'leasing', 'code': code, 'name': name, 'position': i, 'color': color,
                               'final': final, 'archived': False} for i, (code, name, color, final) in enumerate(LEASING)])



def downgrade() -> None:
    op.execute("DELETE FROM deal_statuses WHERE pipeline = 'leasing'")
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index('uq_clients_nip', sqlite_where=sa.text('nip IS NOT NULL'), postgresql_where=sa.text('nip IS NOT NULL'))
        batch_op.drop_column('iban')
        batch_op.drop_column('pesel')
        batch_op.drop_column('krs')
        batch_op.drop_column('regon')
        batch_op.drop_column('nip')
        batch_op.drop_column('vendor')
        batch_op.drop_column('kind')

    with op.batch_alter_table('lease_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lease_cases_status'))
        batch_op.drop_index(batch_op.f('ix_lease_cases_sales_id'))
        batch_op.drop_index(batch_op.f('ix_lease_cases_client_id'))

    op.drop_table('lease_cases')
    op.drop_table('lease_offers')
    with op.batch_alter_table('registry_fetches', schema=None) as batch_op:
        batch_op.drop_index('ix_registry_fetches_deal')

    op.drop_table('registry_fetches')
    with op.batch_alter_table('lease_files', schema=None) as batch_op:
        batch_op.drop_index('ix_lease_files_deal')

    op.drop_table('lease_files')
    with op.batch_alter_table('lease_conditions', schema=None) as batch_op:
        batch_op.drop_index('ix_lease_conditions_deal')

    op.drop_table('lease_conditions')
    op.drop_table('lease_securities')
    op.drop_table('lease_consents')
    op.drop_table('scoring_tables')
