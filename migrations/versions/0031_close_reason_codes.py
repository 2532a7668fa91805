"""A deal that closes itself (stage 1's ten days, seed 001) stores why as a code the bot names in the reader's
language (``close_reason.no_contact``), no longer the Russian sentence «НЕ УСТАНОВЛЕН КОНТАКТ» (issue 26).

The rows that hold that exact sentence as the core wrote it get the code: the stays' reason (``deal_stages``), the
feed's status lines (``deal_feed.params``, key ``reason``) and the notices not yet sent (``outbox.payload``, key
``reason``). Anything else stored there (a person's reason, as typed) is kept and shown as is. The downgrade writes
the sentence back.

Revision ID: 0031
Revises: 0028
Create Date: 2026-12-06 15:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0031'
down_revision: str | None = '0028'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SENTENCE, CODE = "НЕ УСТАНОВЛЕН КОНТАКТ", "no_contact"


def _rewrite(old: str, new: str) -> None:
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE deal_stages SET reason = :new WHERE reason = :old"), {"new": new, "old": old})
    for name, column, kinds in (("deal_feed", "params", ("status",)), ("outbox", "payload", ("stage_closed",
                                                                                          "stages_closed"))):
        table = sa.table(name, sa.column("id", sa.Integer), sa.column("kind", sa.String),
                         sa.column(column, sa.JSON))
        rows = bind.execute(sa.select(table.c.id, table.c[column]).where(table.c.kind.in_(kinds))).all()
        for row_id, value in rows:
            if isinstance(value, dict) and value.get("reason") == old:
                bind.execute(table.update().where(table.c.id == row_id).values({column: {**value, "reason": new}}))


def upgrade() -> None:
    _rewrite(SENTENCE, CODE)


def downgrade() -> None:
    _rewrite(CODE, SENTENCE)
