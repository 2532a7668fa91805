"""Tasks in the chat as a sales team meets them (issue 28): right after a campaign is posted «Мои задачи» lists
its tasks as upcoming, each naming its deal and counterparty; when they fall due together the executor gets ONE
message listing them, with a button to open each deal and one to «Мои задачи»."""

from __future__ import annotations

from datetime import timedelta

from core.services.campaigns import campaign as campaigns
from core.services.campaigns import stages, surveys
from core.services.kernel import tasks, users
from tests.bot.campaigns.test_cold_call import A1, B1, FILE, TEMPLATE
from tests.bot.helpers import seed

ROMASHKA = "ООО Ромашка"
LUTIK = "ООО Лютик"


async def post_two(tg, uow, cfg) -> None:
    admin = await seed(tg, uow, managers=[A1, B1])
    a1 = await users.find(uow(), str(A1.id))
    template = await surveys.create_template(uow(), admin.id, "Опрос", TEMPLATE)
    c = await campaigns.create(uow(), admin.id, "Декабрь")
    pv = await campaigns.preview(uow(), admin.id, c.id, FILE.encode(), "base.csv", cfg)
    await campaigns.add_rows(uow(), admin.id, c.id, pv.add)
    await campaigns.set_template(uow(), admin.id, c.id, template.id)
    await campaigns.set_executor(uow(), admin.id, c.id, a1.id)
    await campaigns.move(uow(), admin.id, c.id, campaigns.CampaignStatus.IN_WORK)
    assert await campaigns.post(uow(), admin.id, c.id) == 2


def buttons(shown) -> list[str]:
    return [b.text for row in shown.markup.inline_keyboard for b in row]


async def test_posted_tasks_are_listed_at_once_and_fall_due_in_one_message(tg, uow, clock, cfg):
    await post_two(tg, uow, cfg)
    await tg.start(A1)
    await tg.send(A1, "/tasks")  # due tomorrow: listed as upcoming, with their deals and counterparties
    assert tg.texts(A1)[-1] == (
        "<b>Мои задачи: 2</b>\n<b>📅 Дальше: 2</b>\n"
        f"№1 Приступить к сделке — «{ROMASHKA}» — 24.11.2026 12:00\n"
        f"№2 Приступить к сделке — «{LUTIK}» — 24.11.2026 12:00")
    clock.advance(timedelta(days=1, minutes=1))
    mark = tg.now()
    for _ in range(2):  # a second scan sends nothing again
        await tasks.scan_due(uow(), tg.app.settings.core())
        await tg.app.worker.drain()
    assert tg.texts(A1, mark) == [
        "⏰ Пора — задач: 2\n"
        f"• Приступить к сделке — «{ROMASHKA}» — срок 24.11.2026 12:00\n"
        f"• Приступить к сделке — «{LUTIK}» — срок 24.11.2026 12:00"]
    shown, all_tasks = tg.button(A1, "Мои задачи")
    assert buttons(shown) == [f"1. {ROMASHKA}", f"2. {LUTIK}", "📋 Мои задачи"]
    await tg.press(A1, f"1. {ROMASHKA}")  # opens the deal
    assert tg.texts(A1)[-1].startswith(f"💼 <b>{ROMASHKA}</b>")
    await tg.press(A1, data=all_tasks, on=shown)
    assert tg.texts(A1)[-1].startswith("<b>Мои задачи: 2</b>\n<b>🔴 Просрочено: 2</b>\n№1 Приступить к сделке")
    assert tg.texts(B1, mark) == []  # not B1's


async def test_deals_closed_together_by_their_deadline_come_in_one_notice(tg, uow, clock, cfg):
    await post_two(tg, uow, cfg)
    await tg.app.worker.drain()  # (the campaign's notice)
    clock.advance(timedelta(days=10))
    mark = tg.now()
    assert await stages.scan_deadlines(uow(), tg.app.settings.core()) == 2
    await tg.app.worker.drain()
    [notice] = tg.texts(A1, mark)
    assert notice == ("💼 Закрыто сделок: 2 — НЕ УСТАНОВЛЕН КОНТАКТ.\n"
                      f"• «{ROMASHKA}» (№1)\n• «{LUTIK}» (№2)")
    shown, _ = tg.button(A1, "1. ")
    assert buttons(shown) == [f"1. {ROMASHKA}", f"2. {LUTIK}"]
    await tg.send(A1, "/tasks")  # their tasks closed with them
    assert tg.texts(A1)[-1] == "<b>Мои задачи: 0</b>\nПока пусто."
