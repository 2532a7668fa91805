"""Migration 0028 maps an existing deployment's people (issue 27): each company with managers becomes a team of the
same name with those managers as members; where no marketplace runs the companies were the operator's own, so the
managers leave them; where it runs the companies stay partners; a marketplace-only deployment gets no teams."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from core.db.kernel.engine import create_engine
from migrations.runner import upgrade

USERS = ((1, "admin", None), (2, "manager", 1), (3, "manager", 1), (4, "manager", 2), (5, "client", None),
         (6, "agent", 1))


@pytest.mark.parametrize(("areas", "teams", "companies"), [
    (["leads"], {"Альфа": [2, 3], "Бета": [4, 9]}, {2: None, 3: None, 4: None, 6: 1}),
    (None, {"Альфа": [2, 3], "Бета": [4, 9]}, {2: 1, 3: 1, 4: 2, 6: 1}),
    (["marketplace", "cold_calls"], {"Альфа": [2, 3], "Бета": [4, 9]}, {2: 1, 3: 1, 4: 2, 6: 1}),
    (["marketplace"], {"Бета": [9]}, {2: 1, 3: 1, 4: 2, 6: 1}),
])
async def test_companies_with_managers_become_teams(db_url, areas, teams, companies):
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0022")
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO companies (id, name, archived) VALUES (1, 'Альфа', false), "
                                    "(2, 'Бета', false), (3, 'Гамма', false)"))
            for uid, role, company in (*USERS, (9, "manager", None)):
                await conn.execute(text(
                    "INSERT INTO users (id, tg_id, name, role, company_id, locale, timezone, blocked, created_at) "
                    "VALUES (:id, :tg, :n, :r, :c, 'ru', 'Europe/Moscow', false, '2026-11-01')"),
                    {"id": uid, "tg": uid, "n": f"U{uid}", "r": role, "c": company})
            # a team named like a company is already there (seed 001's directory): it is reused
            await conn.execute(text("INSERT INTO access_groups (id, name, archived) VALUES (7, 'Бета', false)"))
            await conn.execute(text("INSERT INTO access_group_members (group_id, user_id) VALUES (7, 9)"))
            if areas is not None:
                await conn.execute(text("INSERT INTO deployment (id, areas, updated_at) VALUES (1, :a, "
                                        "'2026-11-01')"), {"a": json.dumps(areas)})
            await conn.execute(text("INSERT INTO invites (token, role, company_id, created_by, created_at, "
                                    "expires_at) VALUES ('t', 'manager', 1, 1, '2026-11-01', '2026-11-02')"))
        await upgrade(engine)
        async with engine.connect() as conn:
            rows = (await conn.execute(text(
                "SELECT g.name, m.user_id FROM access_groups g JOIN access_group_members m ON m.group_id = g.id "
                "ORDER BY g.name, m.user_id"))).all()
            found: dict[str, list[int]] = {}
            for name, uid in rows:
                found.setdefault(name, []).append(uid)
            assert found == teams
            assert (await conn.execute(text("SELECT id FROM access_groups WHERE name = 'Бета'"))).scalar() == 7
            kept = dict((await conn.execute(text("SELECT id, company_id FROM users WHERE id IN (2, 3, 4, 6)"))).all())
            assert kept == companies
            invite = (await conn.execute(text("SELECT company_id, team_id FROM invites"))).one()
            assert tuple(invite) == (1, None)
    finally:
        await engine.dispose()
