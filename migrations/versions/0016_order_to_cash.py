"""Seed 001's stages 6–14 (the commercial offer, its approval, order to cash): the pipeline's new statuses, generated
documents and their templates, the e-mail outbox, the duty of an access group, an order's tasks and its shipping

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 00:18:19.884855
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.kernel.types

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: the statuses of «Холодный обзвон» the stages 6–14 add, after «Формирование потребностей клиента» (position 4);
#: «Сделка закрыта» moves to the end
NEW = (
    ("quote", "Формирование коммерческого предложения", "#5b8def", False),
    ("approval", "Согласование", "#c060c0", False),
    ("send", "Отправка КП клиенту", "#30a0b0", False),
    ("wait", "Ожидание ответа", "#f0a030", False),
    ("analysis", "Анализ ответа", "#8e6cef", False),
    ("order", "Формирование заказа покупателя", "#2fb380", False),
    ("purchase", "Задания на исполнение заказа и согласование договора", "#30a0b0", False),
    ("invoice", "Отправка документов на оплату", "#f0a030", False),
    ("payment", "Ожидание оплаты", "#c060c0", False),
    ("paid", "Заказ оплачен", "#2fb380", True),
)
STATUSES = sa.table('deal_statuses', sa.column('pipeline', sa.String), sa.column('code', sa.String),
                    sa.column('name', sa.String), sa.column('position', sa.Integer), sa.column('color', sa.String),
                    sa.column('final', sa.Boolean), sa.column('archived', sa.Boolean))


def upgrade() -> None:
    op.create_table('doc_templates',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_doc_templates_updated_by_users')),
    sa.PrimaryKeyConstraint('kind', name=op.f('pk_doc_templates'))
    )
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=128), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('tg_file_id', sa.String(length=256), nullable=True),
    sa.Column('created_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_documents_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_documents_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_documents_quote_id_quotes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_deal_id'), ['deal_id'], unique=False)

    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_addr', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=256), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('deal_id', sa.Integer(), nullable=True),
    sa.Column('interaction_id', sa.Integer(), nullable=True),
    sa.Column('sent_by', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('not_before', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_mail_outbox_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_mail_outbox_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_mail_outbox_interaction_id_interactions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sent_by'], ['users.id'], name=op.f('fk_mail_outbox_sent_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_outbox_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index('ix_mail_outbox_due', ['status', 'not_before'], unique=False)

    with op.batch_alter_table('access_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duty', sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_access_groups_duty'), ['duty'])

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purchase_task_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('contract_task_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ship_task_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('shipped_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_orders_contract_task_id_tasks'), 'tasks', ['contract_task_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_orders_ship_task_id_tasks'), 'tasks', ['ship_task_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_orders_purchase_task_id_tasks'), 'tasks', ['purchase_task_id'], ['id'], ondelete='SET NULL')

    op.execute("UPDATE deal_statuses SET position = position + 100 WHERE pipeline = 'cold_call' AND position > 4")
    op.bulk_insert(STATUSES, [{'pipeline': 'cold_call', 'code': code, 'name': name, 'position': 5 + i, 'color': color,
                               'final': final, 'archived': False} for i, (code, name, color, final) in enumerate(NEW)])


def downgrade() -> None:
    codes = ", ".join(f"'{code}'" for code, *_ in NEW)
    op.execute(f"DELETE FROM deal_statuses WHERE pipeline = 'cold_call' AND code IN ({codes})")
    op.execute("UPDATE deal_statuses SET position = position - 100 WHERE pipeline = 'cold_call' AND position > 99")
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_orders_purchase_task_id_tasks'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_orders_ship_task_id_tasks'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_orders_contract_task_id_tasks'), type_='foreignkey')
        batch_op.drop_column('shipped_at')
        batch_op.drop_column('ship_task_id')
        batch_op.drop_column('contract_task_id')
        batch_op.drop_column('purchase_task_id')

    with op.batch_alter_table('access_groups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_access_groups_duty'), type_='unique')
        batch_op.drop_column('duty')

    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_mail_outbox_due')
        batch_op.drop_index(batch_op.f('ix_mail_outbox_deal_id'))

    op.drop_table('mail_outbox')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_deal_id'))

    op.drop_table('documents')
    op.drop_table('doc_templates')
