"""`python -m bot` as a real process (seed 001, stages 6–14): a posted campaign's deal at «Формирование
потребностей» (made through the services before the start); in the chat the executor writes the КП and submits it,
the admin approves it from the notice, the mail worker sends the PDF — caught by a local SMTP server and read back
(its lines, totals and the sum in words) —, the client's answer makes the order, the executor closes its purchasing
and contract tasks from the order's screen, the invoice goes out by e-mail the same way, and the deal waits for the
payment with the shipping task made."""

from __future__ import annotations

import asyncio
import io

import pytest
from pypdf import PdfReader

from core.clock import SystemClock
from core.db.kernel.engine import create_engine
from core.domain.kernel.roles import Role
from core.services.campaigns import campaign as campaigns
from core.services.campaigns import stages, surveys
from core.services.kernel import directories, privacy, users
from core.services.kernel.config import CoreConfig
from core.services.kernel.directories import Directory
from migrations.runner import upgrade
from tests.e2e.process import ADMIN, MANAGER, running
from tests.e2e.test_bot_process import press, say
from tests.factories import units
from tests.smtp import smtp_server

FILE = "Организация;ИНН;Телефон;E-mail\nООО Ромашка;7707083893;+7 900 111-22-33;info@romashka.ru\n"


async def prepare(db_url: str) -> int:
    """The admin and the manager (consented), a campaign of one row posted to the manager, its deal at stage 5."""
    engine = create_engine(db_url)
    await upgrade(engine)
    cfg = CoreConfig()

    uow = units(engine, SystemClock())

    admin = await users.touch(uow(), users.TgPerson(ADMIN[0], ADMIN[1]), cfg, frozenset({ADMIN[0]}))
    manager = await users.touch(uow(), users.TgPerson(MANAGER[0], MANAGER[1]), cfg, frozenset())
    company = await directories.add(uow(), admin.id, Directory.COMPANIES, "Альфа")
    await users.set_role(uow(), admin.id, manager.id, Role.MANAGER, company.id)
    for person in (admin, manager):
        await privacy.consent(uow(), person.id)
    template = await surveys.create_template(uow(), admin.id, "Опрос", "текст: Кто директор?")
    c = await campaigns.create(uow(), admin.id, "Декабрь")
    pv = await campaigns.preview(uow(), admin.id, c.id, FILE.encode(), "base.csv", cfg)
    await campaigns.add_rows(uow(), admin.id, c.id, pv.add)
    await campaigns.set_template(uow(), admin.id, c.id, template.id)
    await campaigns.set_executor(uow(), admin.id, c.id, manager.id)
    await campaigns.move(uow(), admin.id, c.id, campaigns.CampaignStatus.IN_WORK)
    await campaigns.post(uow(), admin.id, c.id)
    deal_id = (await campaigns.view(uow(), admin.id, c.id)).rows[0][0].deal_id
    async with uow() as u:
        await stages.enter(u, await u.deals.get(deal_id), "needs", None)
        await u.commit()
    await engine.dispose()
    return deal_id


@pytest.fixture
async def world(tmp_path, db_url):
    deal_id = await prepare(db_url)
    with smtp_server() as (smtp, catcher):
        env = dict(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port), SMTP_SECURITY="none",
                   SMTP_FROM="sales@dealgram.test", MAIL_SECONDS="0.3")
        async with running(tmp_path, db_url, env=env) as (api, _):
            yield api, catcher, deal_id


async def mail(catcher, n: int):
    """The n-th message the SMTP server caught (waiting for the mail worker)."""
    for _ in range(200):
        if len(catcher.messages) >= n:
            return catcher.messages[n - 1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"only {len(catcher.messages)} e-mails caught")


async def until_stage(api, stage: str) -> None:
    """The executor opens the panel again until the deal is at ``stage`` (a mail worker's pass moves it)."""
    for _ in range(100):
        mark = api.mark()
        await press(api, MANAGER, "К этапу")
        panel = await api.wait_for(MANAGER[0], "Этап:", after=mark)
        if f"Этап: {stage}" in panel.params["text"]:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the deal never reached «{stage}»")


def pdf_of(msg) -> tuple[str, str]:
    [part] = list(msg.iter_attachments())
    content = part.get_content()
    assert content.startswith(b"%PDF")
    return part.get_filename(), "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def test_from_the_offer_to_the_shipping_task(world):
    api, catcher, deal_id = world
    await api.wait_for(MANAGER[0], "Проведён обзвон «Декабрь»")
    await press(api, MANAGER, "Открыть обзвон", "→ сделка")
    await press(api, MANAGER, "ООО Ромашка", "ООО Ромашка")
    await press(api, MANAGER, "Этап и действия", "Этап: Формирование потребностей клиента")
    await press(api, MANAGER, "Коммерческое предложение", "ещё не начато")
    await press(api, MANAGER, "Начать КП", "версия 1: черновик")
    await press(api, MANAGER, "Строка", "Строка КП:")
    await say(api, MANAGER, "Бумага А4; 10; пачка; -350", "Цена — неотрицательная сумма")
    await say(api, MANAGER, "Бумага А4; 100; пачка; 350; 5%", "Бумага А4")
    await press(api, MANAGER, "Строка", "Строка КП:")
    await say(api, MANAGER, "Доставка; 1; усл; 2 500; ; без НДС", "2. Доставка")
    mark = api.mark()
    await press(api, MANAGER, "На согласование")
    await api.wait_for(ADMIN[0], "КП на согласование", after=mark)  # the manager has no head: the admins approve
    await press(api, ADMIN, "Согласовать")
    _, to, msg = await mail(catcher, 1)
    assert (to, msg["Subject"]) == (["info@romashka.ru"], f"Коммерческое предложение № {deal_id}-1")
    name, text = pdf_of(msg)
    assert name == f"KP_{deal_id}-1.pdf"
    for needle in (f"Коммерческое предложение № {deal_id}-1", "ООО Ромашка", "Бумага А4", "Доставка",
                   "Итого без НДС: 35 750,00", "НДС: 7 315,00", "Всего с НДС: 43 065,00 ₽",
                   "Сорок три тысячи шестьдесят пять рублей 00 копеек"):
        assert needle in text.replace("\xa0", " "), needle
    await until_stage(api, "Ожидание ответа")  # the stage moves when the mail worker has sent the КП
    await press(api, MANAGER, "Коммерческое предложение", "отправлено клиенту")
    await press(api, MANAGER, "Клиент ответил", "версия 1: отправлено клиенту")
    await press(api, MANAGER, "Заказ", "версия 1: принято — заказ")
    await press(api, MANAGER, "К этапу", "Этап: Задания на исполнение заказа")
    await press(api, MANAGER, "Заказ покупателя", f"Заказ покупателя № {deal_id}-1")
    await press(api, MANAGER, "Выполнено: Задание руководителю службы закупок", "Задание руководителю")
    await press(api, MANAGER, "Выполнено: Согласование договора поставки", "выполнено")
    _, to, msg = await mail(catcher, 2)
    assert msg["Subject"] == f"Счёт на оплату № {deal_id}-1"
    name, text = pdf_of(msg)
    assert name == f"Schet_{deal_id}-1.pdf" and "Всего к оплате: 43 065,00 ₽" in text.replace("\xa0", " ")
    await until_stage(api, "Ожидание оплаты")
    order = await press(api, MANAGER, "Заказ покупателя", "Задание отделу отгрузки")
    assert f"Задание отделу отгрузки: заказ {deal_id}-1 (отгрузка после оплаты)" in order.params["text"]
