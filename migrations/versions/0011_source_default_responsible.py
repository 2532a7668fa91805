"""leads that nobody owns: a source's default responsible

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 18:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('default_responsible_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_sources_default_responsible_id_users'), 'users',
                                    ['default_responsible_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sources_default_responsible_id_users'), type_='foreignkey')
        batch_op.drop_column('default_responsible_id')
