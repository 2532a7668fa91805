"""The default dunning levels are stored as codes (reminder, demand, final), not Polish sentences: the bot names
them in each reader's language, the letter in its recipient's. The dunnings sent with the default levels before
take their codes; a level an admin typed in their own table stays as typed (their words).

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-06 19:15:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0038'
down_revision: str | None = '0037'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAMES = (("reminder", "Przypomnienie o płatności"), ("demand", "Wezwanie do zapłaty"),
         ("final", "Ostateczne przedsądowe wezwanie do zapłaty"))


def upgrade() -> None:
    for code, name in NAMES:
        op.execute(sa.text("UPDATE lease_dunnings SET name = :code WHERE name = :name").bindparams(code=code,
                                                                                                  name=name))


def downgrade() -> None:
    for code, name in NAMES:
        op.execute(sa.text("UPDATE lease_dunnings SET name = :name WHERE name = :code").bindparams(code=code,
                                                                                                  name=name))
