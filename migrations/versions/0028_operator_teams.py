"""The operator's teams and the marketplace's partners are two things (issue 27).

``invites.team_id``: a staff invite (manager, sales, risk, back office, collections) names the operator's team the
person joins; only a marketplace partner's manager is invited to a partner company (``invites.company_id``).

Existing deployments are mapped so that what everyone sees today is kept:

- Every company with managers (``users.role = 'manager'``) becomes a team (an access group) of the same name, those
  managers its members (a team of that name already there is reused and gets them as members). Where the CRM runs
  (leads or cold calls; a deployment that never answered runs everything) a company's managers today see its deals:
  as one team they still do.
- Where the deployment runs no marketplace (it answered, without it), the companies were the operator's own
  organisation: the managers are its staff, so their ``company_id`` is cleared (the team holds them now). Where the
  marketplace runs, the companies are its partners and stay companies: their managers keep ``company_id`` (partner
  managers making offers) and are in the team too.
- A deployment that runs only the marketplace gets no teams: its companies are all partners.
- Invites not yet used keep their company; none names a team.

The downgrade drops ``invites.team_id``; the teams and memberships made stay (they are ordinary rows), and cleared
companies are not restored.

Revision ID: 0028
Revises: 0026
Create Date: 2026-12-06 12:10:00
"""
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0028'
down_revision: str | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CRM = {"leads", "cold_calls"}


def _areas(bind) -> set[str] | None:
    """What the deployment runs, as stored (None: never answered, so everything)."""
    raw = bind.execute(sa.text("SELECT areas FROM deployment ORDER BY id LIMIT 1")).scalar()
    if raw is None:
        return None
    return set(json.loads(raw) if isinstance(raw, str) else raw)


def upgrade() -> None:
    with op.batch_alter_table('invites') as batch:
        batch.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_invites_team_id_access_groups'), 'access_groups', ['team_id'], ['id'],
                                 ondelete='SET NULL')
    bind = op.get_bind()
    areas = _areas(bind)
    marketplace = areas is None or "marketplace" in areas
    crm = areas is None or bool(areas & _CRM)
    if not crm and marketplace:
        return  # only the marketplace: its companies are all partners
    rows = bind.execute(sa.text(
        "SELECT c.id, c.name, u.id FROM companies c JOIN users u ON u.company_id = c.id "
        "WHERE u.role = 'manager' ORDER BY c.id, u.id")).all()
    teams: dict[int, int] = {}
    for company_id, name, user_id in rows:
        if company_id not in teams:
            team = bind.execute(sa.text("SELECT id FROM access_groups WHERE name = :n"), {"n": name}).scalar()
            if team is None:
                bind.execute(sa.text("INSERT INTO access_groups (name, archived) VALUES (:n, :a)"),
                             {"n": name, "a": False})
                team = bind.execute(sa.text("SELECT id FROM access_groups WHERE name = :n"), {"n": name}).scalar()
            teams[company_id] = team
        known = bind.execute(sa.text("SELECT 1 FROM access_group_members WHERE group_id = :g AND user_id = :u"),
                             {"g": teams[company_id], "u": user_id}).scalar()
        if known is None:
            bind.execute(sa.text("INSERT INTO access_group_members (group_id, user_id) VALUES (:g, :u)"),
                         {"g": teams[company_id], "u": user_id})
    if not marketplace:  # the companies were the operator's own organisation: its managers are staff now
        bind.execute(sa.text("UPDATE users SET company_id = NULL WHERE role = 'manager' AND company_id IS NOT NULL"))


def downgrade() -> None:
    with op.batch_alter_table('invites') as batch:
        batch.drop_constraint(op.f('fk_invites_team_id_access_groups'), type_='foreignkey')
        batch.drop_column('team_id')
