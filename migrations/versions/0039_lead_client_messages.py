"""A client who left a request writes to the firm in the bot (walkthrough item 13): the lead knows the person in the
bot who left it (``leads.client_user_id``, whether or not the phone they typed binds them to the card), and its feed
keeps facts (``lead_notes.params``: a duplicate that arrived, the client's message, the answer) rather than
sentences; ``lead_notes.text`` holds only a person's words, and may be empty (a file without a caption).

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-06 22:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0039'
down_revision: str | None = '0038'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("client_user_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_leads_client_user_id_users"), "users", ["client_user_id"], ["id"])
        batch.create_index(op.f("ix_leads_client_user_id"), ["client_user_id"], unique=False)
    with op.batch_alter_table("lead_notes") as batch:
        batch.add_column(sa.Column("params", sa.JSON(), nullable=True))
        batch.alter_column("text", existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    op.execute(sa.text("UPDATE lead_notes SET text = '' WHERE text IS NULL"))
    with op.batch_alter_table("lead_notes") as batch:
        batch.alter_column("text", existing_type=sa.Text(), nullable=False)
        batch.drop_column("params")
    with op.batch_alter_table("leads") as batch:
        batch.drop_index(op.f("ix_leads_client_user_id"))
        batch.drop_constraint(op.f("fk_leads_client_user_id_users"), type_="foreignkey")
        batch.drop_column("client_user_id")
