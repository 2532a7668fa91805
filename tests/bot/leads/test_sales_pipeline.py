"""A distributor's «Лиды и сделки»: the first setup keeps the general sales pipeline (the default), so a lead asks
for «Сумма сделки», its junk is neutral, its «Договор» opens a deal at «Новая» of «Продажи», whose statuses read in
each reader's language; the admin's directories list that pipeline, not the law firm's."""

from __future__ import annotations

from datetime import timedelta

from core.domain.leads.lifecycle import LeadStatus
from core.services.kernel import directories, users
from core.services.kernel.directories import Directory
from core.services.leads import lifecycle as leads
from core.services.leads.lifecycle import LeadInput
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed
from tests.factories import law_firm

IGOR = Person(2001, "Игорь")
TOM = Person(2002, "Tom", language_code="en")
OLA = Person(2003, "Ola", language_code="pl")


def labels(tg, who) -> list[str]:
    shown = list(tg.session.shown[who.id].values())[-1]
    return [b.text for row in shown.markup.inline_keyboard for b in row] if shown.markup else []


async def test_a_distributors_lead_becomes_a_sales_deal(tg, uow):
    await tg.start(ADMIN)
    await tg.press(ADMIN, "Лиды и сделки")
    assert labels(tg, ADMIN)[4:6] == ["🔘 💼 Продажи", "⚪ ⚖️ Юридические услуги"]  # the default: sales
    await tg.press(ADMIN, "Сохранить")
    assert "Воронка сделок из лидов: Продажи." in tg.texts(ADMIN)[-1]
    admin = await seed(tg, uow, managers=[IGOR])
    await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")

    await tg.send(IGOR, "/lead")
    await tg.send(IGOR, "+79001112233")
    await tg.send(IGOR, "ООО Ромашка")
    await tg.press(IGOR, "Сайт")
    assert tg.texts(IGOR)[-1] == "Сумма сделки, ₽:"
    await tg.send(IGOR, "190 022")
    await tg.press(IGOR, "Пропустить")  # city
    await tg.press(IGOR, "Пропустить")  # comment
    card = tg.texts(IGOR)[-1]
    assert "Сумма сделки: 190\u00a0022 ₽" in card and "долг" not in card
    await tg.press(IGOR, "Брак")
    junk = labels(tg, IGOR)
    assert "Заявку не оставлял" in junk and not any("долг" in x for x in junk)

    await tg.press(IGOR, "Запись на встречу")
    await tg.send(IGOR, "23.11.2026 11:00")  # held an hour before now (12:00 in Moscow)
    await tg.press(IGOR, "Встреча состоялась")
    await tg.press(IGOR, "Договор")
    card = tg.texts(IGOR)[-1]
    assert card.splitlines()[0] == "<b>Лид №1</b> · Договор" and "💼 Сделка №1: «ООО Ромашка»" in card
    await tg.press(IGOR, "Открыть сделку №1")
    page = tg.texts(IGOR)[-1]
    assert "Воронка: Продажи" in page and "Статус: Новая" in page and "Сумма: 190\u00a0022 ₽" in page
    await tg.press(IGOR, "🔀 Статус")
    assert [x for x in labels(tg, IGOR) if x in ("Квалификация", "Предложение", "Переговоры", "Выиграна",
                                                 "Проиграна")] == ["Квалификация", "Предложение", "Переговоры",
                                                                   "Выиграна", "Проиграна"]

    await tg.send(IGOR, "/crm")
    await tg.press(IGOR, "По статусу")
    # the deployment runs leads and deals alone: its one pipeline's statuses at once (not the law firm's, nor the
    # pipelines of the marketplace, the cold calls and the lessor it does not run)
    assert tg.texts(IGOR)[-1] == "Выберите статус:"
    assert labels(tg, IGOR) == ["Новая", "Квалификация", "Предложение", "Переговоры", "Выиграна", "▶️", "⬅️ Назад"]

    await tg.send(ADMIN, "/setup")
    await tg.press(ADMIN, "Справочники")
    statuses = [x for x in labels(tg, ADMIN) if x.startswith("Статусы сделок")]
    assert "Статусы сделок: Продажи" in statuses and not any("Юридические" in x for x in statuses)
    await tg.send(ADMIN, "/import")
    assert tg.texts(ADMIN)[-1] == ("Пришлите файл CSV или XLSX с колонками: Телефон, Имя, Источник (обязательно), "
                                   "Сумма сделки, Город, Комментарий.")


async def test_the_sales_statuses_read_in_english_and_polish(tg, uow):
    admin = await seed(tg, uow)
    for who in (TOM, OLA):
        await tg.start(who)
        await users.set_role(uow(), admin.id, (await users.find(uow(), str(who.id))).id, "admin")
    await tg.send(TOM, "/setup")
    await tg.press(TOM, "Directories")
    await tg.press(TOM, "Deal statuses: Sales")
    names = [x.split(" ", 1)[1] for x in labels(tg, TOM)[:6]]  # after each status's colour
    assert names == ["New", "Qualification", "Proposal", "Negotiation", "⭐ Won", "⭐ Lost"]
    await tg.send(OLA, "/setup")
    await tg.press(OLA, "Słowniki")
    await tg.press(OLA, "Sprzedaż")
    names = [x.split(" ", 1)[1] for x in labels(tg, OLA)[:6]]
    assert names == ["Nowa", "Kwalifikacja", "Oferta", "Negocjacje", "⭐ Wygrana", "⭐ Przegrana"]


async def test_the_funnel_counts_a_prepaid_contract_as_a_contract(tg, uow, cfg):
    """Walk point 24: «Contracts 0 / 0%» stood next to «Prepaid 1 / 50%»."""
    adam = Person(2004, "Adam", language_code="en")
    admin = await seed(tg, uow)
    await tg.start(adam)
    await users.set_role(uow(), admin.id, (await users.find(uow(), str(adam.id))).id, "admin")
    await law_firm(uow, admin.id)
    source = await directories.add(uow(), admin.id, Directory.SOURCES, "Website")
    paid = await leads.create(uow(), admin.id, LeadInput("+79005550001", "John", source.id), cfg)
    await leads.create(uow(), admin.id, LeadInput("+79005550002", "Mary", source.id), cfg)
    await leads.set_status(uow(), admin.id, paid.id, LeadStatus.MEETING, cfg,
                           meeting_at=uow().clock.now() - timedelta(hours=1))
    await leads.set_status(uow(), admin.id, paid.id, LeadStatus.VISITED, cfg)
    await leads.set_status(uow(), admin.id, paid.id, LeadStatus.CONTRACT_PREPAID, cfg)

    await tg.send(adam, "/report")
    mark = tg.now()
    await tg.press(adam, "This month")
    table = tg.texts(adam, mark)[0].split("<pre>")[1].split("</pre>")[0]
    rows = [line.split() for line in table.splitlines()]
    assert ["Contracts", "1", "50%"] in rows and ["Prepaid", "1", "50%"] in rows


async def test_the_board_opens_on_the_deployments_leads_pipeline(tg, uow, cfg):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.webapp import create_webapp
    from tests.browser.test_kanban import init_data

    admin = await seed(tg, uow, managers=[IGOR])
    app = create_webapp(tg.app.settings.bot_token.get_secret_value(), tg.app.bot, tg.app.uow, tg.app.clock)
    auth = {"Authorization": f"tma {init_data(IGOR.id, IGOR.name, token='42:TEST-TOKEN-never-shown')}"}
    async with TestClient(TestServer(app)) as http:
        board = await (await http.get("/app/api/board?mine=1", headers=auth)).json()
        assert (board["pipeline"], [c["name"] for c in board["columns"]]) == (
            "sales", ["Новая", "Квалификация", "Предложение", "Переговоры", "Выиграна", "Проиграна"])
        await law_firm(uow, admin.id)
        board = await (await http.get("/app/api/board?mine=1", headers=auth)).json()
        assert (board["pipeline"], board["columns"][0]["name"]) == ("law", "Сбор документов")
