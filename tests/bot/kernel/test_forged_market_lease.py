"""Access through the chat (issue 27) in the marketplace and the leasing areas: a partner company's manager who was
sent an application but not chosen forges the buttons of the deal room, its moves and another company's offer; a
client who has nothing to do with the application forges its card; a salesperson forges another salesperson's
lease case and its books; each is refused in their language and shown nothing of the record."""

from __future__ import annotations

from bot.keyboards.callbacks import (
    AppAction,
    AppCb,
    BooksAction,
    BooksCb,
    DealAction,
    DealCb,
    LeaseAction,
    LeaseCb,
    MenuAction,
    MenuCb,
    OfferAction,
    OfferCb,
)
from core.domain.marketplace.applications import AppStatus
from core.services.kernel import users
from core.services.leasing import origination as leasing
from tests.bot.fake_telegram import Person
from tests.bot.leasing.test_leasing import JAN, OLA, staffed
from tests.factories import market_deal, person

B1 = Person(2003, "Борис")  # Бета-Лизинг: sent the application, not chosen
STRANGER = Person(4002, "Пётр")  # a client of the bot, nobody to the application
A1 = Person(2001, "Анна")  # Альфа-Лизинг: chosen


async def test_another_company_and_a_stranger_forge_the_marketplace_buttons_and_are_refused(tg, uow, cfg):
    _w, app, _deal = await market_deal(uow, cfg)
    await person(uow, cfg, STRANGER.id, STRANGER.name)
    for who in (B1, STRANGER, A1):
        await tg.start(who)
    async with uow() as u:
        [offer] = await u.offers.for_application(app.id, ["chosen"])
    not_participant = "Вы не участник этой сделки."
    refused = "У вас нет доступа к этому действию."
    for data in (DealCb(action=DealAction.OPEN, app_id=app.id), DealCb(action=DealAction.HISTORY, app_id=app.id),
                 DealCb(action=DealAction.WRITE, app_id=app.id)):
        mark = tg.now()
        await tg.press(B1, data=data.pack())
        assert tg.alerts(B1, mark) == [not_participant], data
        assert "ООО Ромашка" not in tg.everything(B1, mark) and "+79001234567" not in tg.everything(B1, mark)
        assert "+7 900 123-45-67" not in tg.everything(B1, mark)
    for data in (DealCb(action=DealAction.STATUS, app_id=app.id, status=AppStatus.APPROVED),
                 OfferCb(action=OfferAction.WITHDRAW, app_id=app.id, offer_id=offer.id),
                 OfferCb(action=OfferAction.VIEW, app_id=app.id, offer_id=offer.id)):
        mark = tg.now()
        await tg.press(B1, data=data.pack())
        assert tg.alerts(B1, mark) and tg.alerts(B1, mark)[0] in (not_participant, refused), data
        assert "150" not in tg.everything(B1, mark), data  # Альфа's monthly payment stays Альфа's
    mark = tg.now()
    await tg.press(STRANGER, data=AppCb(action=AppAction.OPEN, app_id=app.id).pack())
    assert tg.alerts(STRANGER, mark) == [refused]
    assert "Экскаватор" not in tg.everything(STRANGER, mark)
    async with uow() as u:  # nothing moved
        assert (await u.applications.get(app.id)).status == AppStatus.DOCUMENTS
        assert (await u.offers.get(offer.id)).status == "chosen"
    # the chosen manager opens the room and is offered its moves
    mark = tg.now()
    await tg.press(A1, data=DealCb(action=DealAction.OPEN, app_id=app.id).pack())
    assert "ООО Ромашка" in tg.everything(A1, mark) and tg.alerts(A1, mark) == []


async def test_another_salesperson_forges_a_lease_cases_buttons_and_is_refused_in_polish(tg, uow, cfg):
    await staffed(tg, uow)
    ola = await users.find(uow(), str(OLA.id))
    client = await leasing.register_client(uow(), ola.id, leasing.ClientKind.COMPANY,
                                           "Alfa sp. z o.o.; 8567346215; 192598184; 0000123456")
    case = await leasing.open_case(uow(), ola.id, client.id, "Koparka Volvo", "1 500 000; 20%; 48; 8,5; 1%", cfg)
    refused = "Nie masz dostępu do tego działania."
    for data in (LeaseCb(action=LeaseAction.OPEN, deal_id=case.deal_id),
                 LeaseCb(action=LeaseAction.SEND, deal_id=case.deal_id),
                 BooksCb(action=BooksAction.OPEN, deal_id=case.deal_id),
                 BooksCb(action=BooksAction.VENDOR, deal_id=case.deal_id)):
        mark = tg.now()
        await tg.press(JAN, data=data.pack())
        assert tg.alerts(JAN, mark) == [refused], data
        assert "Koparka" not in tg.everything(JAN, mark) and "Alfa" not in tg.everything(JAN, mark), data
    mark = tg.now()  # the books' menu is for whom the rules give the books, not a salesperson
    await tg.press(JAN, data=MenuCb(action=MenuAction.BOOKS).pack())
    assert tg.alerts(JAN, mark) and "Wyciąg" not in tg.everything(JAN, mark)
    async with uow() as u:
        assert (await u.leases.case(case.deal_id)).status == "offer"
        assert [o.status for o in await u.leases.offers(case.deal_id)] == ["draft"]
    # the case's own salesperson opens it
    mark = tg.now()
    await tg.press(OLA, data=LeaseCb(action=LeaseAction.OPEN, deal_id=case.deal_id).pack())
    assert "Koparka Volvo" in tg.everything(OLA, mark) and tg.alerts(OLA, mark) == []


