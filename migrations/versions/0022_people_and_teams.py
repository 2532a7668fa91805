"""People hold several roles; teams nest (issue 27).

``users.extra_roles``: the roles a person holds besides ``users.role`` (empty for everyone at upgrade: each keeps
the one role they had). ``access_groups.parent_id``: a team nested under another (none at upgrade).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 12:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('extra_roles', sa.JSON(), nullable=True))
    with op.batch_alter_table('access_groups') as batch:
        batch.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_access_groups_parent_id_access_groups'), 'access_groups',
                                 ['parent_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('access_groups') as batch:
        batch.drop_constraint(op.f('fk_access_groups_parent_id_access_groups'), type_='foreignkey')
        batch.drop_column('parent_id')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('extra_roles')
