"""«Контрагенты» (INN, KPP, OGRN, access group, cadence …), access groups, calling cadences, survey templates, the
«Холодный обзвон» campaigns and their rows, a deal's survey answers, interactions and «Сотрудники по сделке»

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 22:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.kernel.types

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('cadences',
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cadences')),
    sa.UniqueConstraint('name', name=op.f('uq_cadences_name'))
    )
    op.create_table('access_groups',
    sa.Column('head_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['head_id'], ['users.id'], name=op.f('fk_access_groups_head_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_groups')),
    sa.UniqueConstraint('name', name=op.f('uq_access_groups_name'))
    )
    op.create_table('survey_templates',
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_survey_templates_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_templates')),
    sa.UniqueConstraint('name', name=op.f('uq_survey_templates_name'))
    )
    op.create_table('access_group_members',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['access_groups.id'], name=op.f('fk_access_group_members_group_id_access_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_access_group_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'user_id', name=op.f('pk_access_group_members'))
    )
    with op.batch_alter_table('access_group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_group_members_user_id'), ['user_id'], unique=False)

    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=256), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('executor_id', sa.Integer(), nullable=True),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('posted_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_campaigns_author_id_users')),
    sa.ForeignKeyConstraint(['executor_id'], ['users.id'], name=op.f('fk_campaigns_executor_id_users')),
    sa.ForeignKeyConstraint(['template_id'], ['survey_templates.id'], name=op.f('fk_campaigns_template_id_survey_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns'))
    )
    op.create_table('survey_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['survey_templates.id'], name=op.f('fk_survey_questions_template_id_survey_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_questions')),
    sa.UniqueConstraint('template_id', 'position', name='uq_survey_questions_template_position')
    )
    op.create_table('campaign_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('row_no', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('deal_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_rows_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_campaign_rows_client_id_clients')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_campaign_rows_contact_id_contacts')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_campaign_rows_deal_id_deals'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_rows')),
    sa.UniqueConstraint('campaign_id', 'client_id', name='uq_campaign_rows_campaign_client'),
    sa.UniqueConstraint('deal_id', name=op.f('uq_campaign_rows_deal_id'))
    )
    op.create_table('deal_members',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_members_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_deal_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('deal_id', 'user_id', name=op.f('pk_deal_members'))
    )
    with op.batch_alter_table('deal_members', schema=None) as batch_op:
        batch_op.create_index('ix_deal_members_user', ['user_id', 'deal_id'], unique=False)

    op.create_table('survey_answers',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('answered_by', sa.Integer(), nullable=True),
    sa.Column('answered_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answered_by'], ['users.id'], name=op.f('fk_survey_answers_answered_by_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_survey_answers_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], name=op.f('fk_survey_answers_question_id_survey_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('deal_id', 'question_id', name=op.f('pk_survey_answers'))
    )
    op.create_table('interactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=8), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('planned_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by', sa.Integer(), nullable=True),
    sa.Column('claimed_at', core.db.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_interactions_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['done_by'], ['users.id'], name=op.f('fk_interactions_done_by_users')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_interactions_task_id_tasks'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interactions'))
    )
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.create_index('ix_interactions_deal', ['deal_id', 'purpose'], unique=False)

    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inn', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('kpp', sa.String(length=9), nullable=True))
        batch_op.add_column(sa.Column('ogrn', sa.String(length=15), nullable=True))
        batch_op.add_column(sa.Column('address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('city', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('access_group_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('potential', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('competitors', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('volumes', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('assortment', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('cadence_id', sa.Integer(), nullable=True))
        batch_op.create_index('uq_clients_inn', ['inn'], unique=True, sqlite_where=sa.text('inn IS NOT NULL'), postgresql_where=sa.text('inn IS NOT NULL'))
        batch_op.create_foreign_key(batch_op.f('fk_clients_access_group_id_access_groups'), 'access_groups', ['access_group_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_clients_cadence_id_cadences'), 'cadences', ['cadence_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_clients_cadence_id_cadences'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_clients_access_group_id_access_groups'), type_='foreignkey')
        batch_op.drop_index('uq_clients_inn', sqlite_where=sa.text('inn IS NOT NULL'), postgresql_where=sa.text('inn IS NOT NULL'))
        batch_op.drop_column('cadence_id')
        batch_op.drop_column('assortment')
        batch_op.drop_column('volumes')
        batch_op.drop_column('competitors')
        batch_op.drop_column('potential')
        batch_op.drop_column('access_group_id')
        batch_op.drop_column('city')
        batch_op.drop_column('email')
        batch_op.drop_column('address')
        batch_op.drop_column('ogrn')
        batch_op.drop_column('kpp')
        batch_op.drop_column('inn')

    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_index('ix_interactions_deal')

    op.drop_table('interactions')
    op.drop_table('survey_answers')
    with op.batch_alter_table('deal_members', schema=None) as batch_op:
        batch_op.drop_index('ix_deal_members_user')

    op.drop_table('deal_members')
    op.drop_table('campaign_rows')
    op.drop_table('survey_questions')
    op.drop_table('campaigns')
    with op.batch_alter_table('access_group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_group_members_user_id'))

    op.drop_table('access_group_members')
    op.drop_table('survey_templates')
    op.drop_table('access_groups')
    op.drop_table('cadences')
