"""Shared steps for the bot tests."""

from __future__ import annotations

from core.domain.kernel.roles import Role
from core.services.kernel import deployment, directories, users
from core.services.kernel.directories import Directory
from tests.bot.conftest import ADMIN


async def seed(tg, uow, *, managers=(), agents=()):
    """Admin, one company, category and region; managers and agents by a role grant (not by the bot)."""
    await tg.start(ADMIN)
    admin = await users.find(uow(), str(ADMIN.id))
    company = await directories.add(uow(), admin.id, Directory.COMPANIES, "Альфа-Лизинг")
    await directories.add(uow(), admin.id, Directory.CATEGORIES, "Спецтехника")
    await directories.add(uow(), admin.id, Directory.REGIONS, "Москва")
    for person in managers:
        await tg.start(person)
        u = await users.find(uow(), str(person.id))
        await users.set_role(uow(), admin.id, u.id, Role.MANAGER, company.id)
    for person in agents:
        await tg.start(person)
        u = await users.find(uow(), str(person.id))
        await users.set_role(uow(), admin.id, u.id, Role.AGENT)
    await tg.app.worker.drain()  # the role notices, with the new menus
    return admin


async def submit_application(tg, who, *, files: int = 0) -> None:
    await tg.press(who, "Новая заявка")
    await tg.press(who, "Спецтехника")
    await tg.send(who, "Трактор")
    await tg.send(who, "1500000,50")
    await tg.send(who, "24")
    await tg.press(who, "Москва")
    await tg.send(who, "Пётр")
    await tg.send(who, "+7 900 765-43-21")
    for i in range(files):
        await tg.document(who, f"doc{i}.pdf")
    await tg.press(who, "Готово")
    await tg.press(who, "Отправить")


async def runs(tg, uow, *areas) -> None:
    """The admin has started the bot and said what the deployment runs (``areas``)."""
    await tg.start(ADMIN)
    admin = await users.find(uow(), str(ADMIN.id))
    await deployment.set_areas(uow(), admin.id, frozenset(areas))
