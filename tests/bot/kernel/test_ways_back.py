"""Every screen has a way back: the Dispatcher is driven through the menus of each role (admin, manager, client, a
lessor's sales and back office), pressing every button a few screens deep, and every screen with inline buttons that
it reaches must offer « Menu », a « ⬅️ » back to where it came from, or « Cancel » (a dialog's step)."""

from __future__ import annotations

import pytest

from core.domain.kernel.roles import Role
from core.services.kernel import directories, users
from core.services.kernel.directories import Directory
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed, submit_application

MANAGER = Person(2001, "Анна")
CLIENT = Person(4001, "Иван")
SALES = Person(5001, "Ola", language_code="pl")
BACK_OFFICE = Person(5004, "Piotr", language_code="pl")

#: a way back: a button to the menu or one of its screens (MenuCb), a back, a dialog's cancel, a picker's « Done »
#: (back to the card it edits)
BACK_MARKS = ("⬅️", "🏠", "↩️", "✅ Готово", "✅ Gotowe", "✅ Done")
SKIP = ("Удалить", "Usuń", "Delete", "Стереть", "Выйти", "Отозвать", "Анонимизировать", "Стереть мои данные")
#: a screen's main block: at most this many buttons besides its ways back and its pager (issue 30)
MAIN_MAX = 8
PAGER_MARKS = ("◀", "▶")


def is_way_back(b) -> bool:
    data = b.callback_data or ""
    return data.startswith(("m:", "f:")) or any(mark in b.text for mark in BACK_MARKS)


def has_way_back(markup) -> bool:
    return any(is_way_back(b) for row in markup.inline_keyboard for b in row)


def main_block(markup) -> int:
    """The buttons of a screen that are neither a way back nor its pager's (a list pages: only its page counts)."""
    labels = [b.text.strip() for row in markup.inline_keyboard for b in row if not is_way_back(b)]
    if any(label.startswith(PAGER_MARKS) for label in labels):
        return 0  # a list that pages: each page is short by its pager
    return len(labels)


def says_cancel(shown) -> bool:
    """A dialog's question: a « Cancel » (or another way back) under it, or « /cancel » in its text."""
    return (shown.markup is not None and has_way_back(shown.markup)) or "/cancel" in (shown.text or "")


async def walk(tg, who, depth: int = 3, budget: int = 120, start: str = "/menu", wide=False,
               skip: tuple[str, ...] = ()) -> list[str]:
    """Press, breadth first from the screen ``start`` shows (a command, or a button's callback data), every button
    of every screen reached (``depth`` presses deep, at most ``budget`` presses); the screens without a way back,
    with more than MAIN_MAX buttons in their main block (``wide``: True, or which screens to count), and the
    dialogs opened that neither offer « Cancel » nor say /cancel, each with the path to it. A dialog opened is left
    before the next press. Buttons whose label has one of ``skip`` are not pressed."""
    if start.startswith("/"):
        await tg.send(who, start)
    else:
        await tg.press(who, data=start)
    root = list(tg.session.shown[who.id].values())[-1]
    missing: list[str] = []
    if root.markup is None or not has_way_back(root.markup):
        missing.append(f"{start}  [{(root.text or '')[:60]!r}]")
    if root.markup is None:
        return missing
    queue = [(root, b.text, b.callback_data, (b.text,)) for row in root.markup.inline_keyboard for b in row
             if b.callback_data]
    state = tg.app.dp.fsm.get_context(bot=tg.app.bot, chat_id=who.id, user_id=who.id)
    seen_data, presses = set(), 0
    while queue and presses < budget:
        on, label, data, path = queue.pop(0)
        if data in seen_data or any(s in label for s in (*SKIP, *skip)):
            continue
        seen_data.add(data)
        before = {mid: (s.text, s.markup) for mid, s in tg.session.shown[who.id].items()}
        presses += 1
        await tg.press(who, data=data, on=on)
        new = [s for mid, s in tg.session.shown[who.id].items() if mid not in before]
        if await state.get_state():  # a dialog asks for something typed
            if not new or not says_cancel(new[-1]):
                missing.append(" → ".join(path) + f"  [dialog without cancel: {(new[-1].text if new else '')!r}]")
            await state.clear()
            continue
        for mid, shown in list(tg.session.shown[who.id].items()):
            if before.get(mid) == (shown.text, shown.markup) or shown.markup is None:
                continue
            if not shown.markup.inline_keyboard:
                continue
            if not has_way_back(shown.markup):
                missing.append(" → ".join(path) + f"  [{(shown.text or '')[:60]!r}]")
            counted = wide(shown) if callable(wide) else wide
            if counted and (count := main_block(shown.markup)) > MAIN_MAX:
                missing.append(" → ".join(path) + f"  [{count} buttons: {(shown.text or '')[:60]!r}]")
            if len(path) < depth:
                queue += [(shown, b.text, b.callback_data, (*path, b.text)) for row in shown.markup.inline_keyboard
                          for b in row if b.callback_data]
    return missing


async def people(tg, uow):
    admin = await seed(tg, uow, managers=[MANAGER])
    await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    await tg.start(CLIENT)
    await submit_application(tg, CLIENT)
    await tg.press(ADMIN, "Одобрить")
    for who, role in ((SALES, Role.SALES), (BACK_OFFICE, Role.BACK_OFFICE)):
        await tg.start(who)
        await users.set_role(uow(), admin.id, (await users.find(uow(), str(who.id))).id, role)
    # a lead of the manager's (its card, its task, and the deal it may become)
    await tg.send(MANAGER, "/lead")
    await tg.send(MANAGER, "+7 900 111-22-33")
    await tg.send(MANAGER, "Пётр")
    await tg.press(MANAGER, "Сайт")
    await tg.send(MANAGER, "450 000")
    await tg.press(MANAGER, "Пропустить")  # city
    await tg.press(MANAGER, "Пропустить")  # comment
    await tg.app.worker.drain()


@pytest.mark.parametrize("who", [ADMIN, MANAGER, CLIENT, SALES, BACK_OFFICE], ids=lambda p: p.name)
async def test_every_screen_reached_from_the_menu_has_a_way_back(tg, uow, who):
    await people(tg, uow)
    missing = await walk(tg, who, depth=4, budget=160)
    assert missing == [], "\n".join(missing)


async def test_a_deals_screens_have_a_way_back(tg, uow, settings):
    """The deepest screens: a workspace deal (the law firm's, made from the manager's lead), from «💼 Сделки»:
    the list, the deal's page, its stage panel, feed, payments, contacts and their pickers."""
    from datetime import timedelta

    from sqlalchemy import select

    from core.db.kernel import models as m
    from core.domain.leads.lifecycle import LeadStatus
    from core.services.leads import lifecycle as leads

    await people(tg, uow)
    cfg = settings.core()
    async with uow() as u:
        lead = await u.session.scalar(select(m.Lead).order_by(m.Lead.id.desc()))
        manager_id = lead.responsible_id
    await leads.set_status(uow(), manager_id, lead.id, LeadStatus.MEETING, cfg,
                           meeting_at=uow().clock.now() + timedelta(days=1))
    uow().clock.advance(timedelta(days=1, hours=1))  # the meeting held
    await leads.set_status(uow(), manager_id, lead.id, LeadStatus.VISITED, cfg)
    await leads.set_status(uow(), manager_id, lead.id, LeadStatus.CONTRACT, cfg)
    await tg.app.worker.drain()
    missing = await walk(tg, MANAGER, depth=5, budget=220)
    assert missing == [], "\n".join(missing)
