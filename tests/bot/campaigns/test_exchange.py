"""The exchange with 1C in the chat: the head sends the bank's statement (1C's client-bank file), sees the preview
with each row that cannot be booked, confirms (twice pressed, once booked), sends it again (nothing twice); gets
the counterparties and orders as a CommerceML file and takes counterparties from 1C's; and a counterparty's card
asks for the KPP right after an organisation's INN."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from bot.keyboards.callbacks import ColdAction, ColdCb
from core.db.kernel import models as m
from core.domain.campaigns import commerceml as cml
from core.domain.campaigns.counterparties import CounterpartyField
from core.services.deals import payments
from core.services.kernel import users
from tests.bot.campaigns.test_cold_call import A1, posted_deal
from tests.bot.conftest import ADMIN

DATA = Path(__file__).parents[2] / "data"
BANK = (DATA / "kl_to_1c.txt").read_bytes()
CML = (DATA / "commerceml_contragents.xml").read_bytes()


def plain(text: str) -> str:
    """Money is shown with no-break spaces between the thousands."""
    return text.replace("\xa0", " ")


async def test_the_head_books_the_banks_statement_once_after_its_preview(tg, uow, factory, cfg):
    deal_id = await posted_deal(tg, uow, cfg)
    assert deal_id == 1  # ООО Ромашка's deal: the sample's invoices are 1-1 and 1-2
    a1 = await users.find(uow(), str(A1.id))
    await payments.add_order(uow(), a1.id, deal_id, Decimal("43065.00"), date(2026, 12, 1))
    await payments.add_order(uow(), a1.id, deal_id, Decimal("3000.00"), date(2026, 12, 4))
    mark = tg.now()
    await tg.send(A1, "/exchange")  # a manager who heads no group does not exchange with 1C
    assert "Обмен с 1С ведут руководители групп доступа и администраторы." in tg.texts(A1, mark)
    await tg.send(ADMIN, "/campaigns")
    await tg.press(ADMIN, "Обмен с 1С")
    assert tg.texts(ADMIN)[-1].startswith("🔄 <b>Обмен с 1С</b>")
    await tg.press(ADMIN, "Выписка банка")
    assert "1CClientBankExchange" in tg.texts(ADMIN)[-1]
    await tg.document(ADMIN, "kl_to_1c.csv", mime="text/csv", content=BANK)
    assert tg.texts(ADMIN)[-1] == "Пришлите файл выписки из 1С (.txt, формат 1CClientBankExchange)."
    await tg.document(ADMIN, "kl_to_1c.txt", mime="text/plain", content=BANK)
    assert plain(tg.texts(ADMIN)[-1]).splitlines() == [
        "Разнести: 2 на 43 065 ₽. Ошибок: 3. Уже разнесены: 0. Наши списания (пропущены): 1.",
        "✅ стр. 21: п/п № 512 от 02.12.2026, 20 000 ₽ от ООО \"Ромашка\" → заказ № 1-1",
        "✅ стр. 99: п/п № 537 от 04.12.2026, 23 065 ₽ от ООО \"Ромашка\" → заказ № 1-1",
        "⚠️ стр. 139: счёт 1-1 выставлен ИНН 7707083893, а платит ИНН 7736050003",
        "⚠️ стр. 179: в назначении платежа нет номера нашего счёта: «Оплата по договору поставки № 15 от 10.11.2026. "
        "Сумма 3500-00, без налога (НДС)»",
        "⚠️ стр. 219: по счёту 1-2 осталось 3 000 ₽, а платёж 5 000 ₽"]
    shown, book = tg.button(ADMIN, "Разнести: 2")
    await tg.press(ADMIN, data=book, on=shown)
    await tg.press(ADMIN, data=book, on=shown)  # a double press books nothing more
    assert "Разнесено платежей: 2 на 43 065 ₽. Уже были разнесены: 0." in map(plain, tg.texts(ADMIN))
    result, _ = tg.button(ADMIN, "Обмен с 1С")  # the result leads back to the exchange's menu
    assert plain(result.text) == "Разнесено платежей: 2 на 43 065 ₽. Уже были разнесены: 0."
    async with factory() as s:
        paid = (await s.scalars(select(m.Payment.amount).where(m.Payment.bank_ref.is_not(None)))).all()
    assert sorted(paid) == [Decimal("20000.00"), Decimal("23065.00")]
    await tg.press(ADMIN, data=tg.button(ADMIN, "Обмен с 1С")[1])
    await tg.press(ADMIN, "Выписка банка")
    await tg.document(ADMIN, "kl_to_1c.txt", mime="text/plain", content=BANK)  # the same statement again
    text = plain(tg.texts(ADMIN)[-1])
    assert text.startswith("Разнести: 0 на 0 ₽. Ошибок: 3. Уже разнесены: 2.") and text.endswith("Разносить нечего.")
    assert "↩️ стр. 21: п/п № 512 уже разнесено" in text


async def test_counterparties_and_orders_go_to_1c_and_counterparties_come_from_it(tg, uow, factory, cfg):
    deal_id = await posted_deal(tg, uow, cfg)
    a1 = await users.find(uow(), str(A1.id))
    order = await payments.add_order(uow(), a1.id, deal_id, Decimal("43065.00"), date(2026, 12, 1))
    await tg.send(ADMIN, "/exchange")
    await tg.press(ADMIN, "Выгрузить в 1С")
    [(name, content)] = tg.session.uploads.values()
    assert name.startswith("dealgram-1c-") and name.endswith(".xml")
    root = ET.fromstring(content)
    ns = {"c": cml.NAMESPACE}
    assert root.get("ВерсияСхемы") == "2.10"
    assert root.findtext("c:Документ/c:Номер", namespaces=ns) == order.number
    assert root.findtext("c:Документ/c:Контрагенты/c:Контрагент/c:ИНН", namespaces=ns) == "7707083893"
    await tg.press(ADMIN, "Контрагенты из 1С")
    await tg.document(ADMIN, "contragents.xml", mime="application/xml", content=CML)
    assert tg.texts(ADMIN)[-1].splitlines()[0] == "Новых: 2. Известных: 1. Ошибок: 2."
    await tg.press(ADMIN, "Загрузить: 3")
    assert tg.texts(ADMIN)[-1] == "Добавлено контрагентов: 2. Дополнено: 1. Уже были: 0."
    async with factory() as s:
        kpps = (await s.scalars(select(m.Client.kpp).where(m.Client.inn == "7707083893")
                                .order_by(m.Client.id))).all()
    assert kpps == ["773601001", "695243001"]


async def test_the_card_asks_for_the_kpp_after_an_organisations_inn(tg, uow, factory, cfg):
    deal_id = await posted_deal(tg, uow, cfg)
    await tg.press(A1, data=ColdCb(action=ColdAction.EDIT, deal_id=deal_id, field=CounterpartyField.INN).pack())
    await tg.send(A1, "7707083893")
    assert tg.texts(A1)[-1] == "ИНН организации: укажите КПП (у филиала — свой КПП; «-» — пропустить)."
    await tg.send(A1, "77360100")
    assert tg.texts(A1)[-1] == "КПП «77360100» неверен: 9 знаков."
    await tg.send(A1, "773601001")
    async with factory() as s:
        client = await s.scalar(select(m.Client).join(m.Deal, m.Deal.client_id == m.Client.id)
                                .where(m.Deal.id == deal_id))
    assert (client.inn, client.kpp) == ("7707083893", "773601001")
