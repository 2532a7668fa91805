"""«Холодный обзвон» (seed 001, stages 1–5) through the services: a campaign from a file (the preview's bad,
repeated and known rows), posted once into deals with their first stage and task; the survey, the access group,
the business card, the rerouting and the planned calls move a deal through the stages."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.db.kernel import models as m
from core.domain.campaigns.campaign import CampaignNotReady, CampaignPosted, CampaignStatus
from core.domain.campaigns.stages import StageKeyMissing
from core.domain.kernel.errors import AlreadyDecided, Conflict, DomainError, Forbidden, InvalidInput, NotFound
from core.domain.kernel.roles import Role
from core.domain.kernel.tasks import TaskStatus
from core.services.campaigns import campaign as campaigns
from core.services.campaigns import counterparties, interactions, stages, surveys
from core.services.campaigns.interactions import Channel
from core.services.deals import listing as deal_list
from core.services.kernel import directories, tasks, users
from core.services.kernel.directories import Directory
from core.services.kernel.mail import MailFailed
from tests.factories import T0, world
from tests.said import line

TEMPLATE = """текст: Как зовут директора?
один: Форма собственности? | ООО; ИП; АО
да/нет: Работаете с НДС?"""

FILE = ("Организация;ИНН;Контактное лицо;Телефон;E-mail;Город\n"
        "ООО Ромашка;7707083893;Иван Петров;+7 900 111-22-33;info@romashka.ru;Москва\n"
        "ООО Лютик;;Ольга;+7 900 111-22-44;;Тверь\n"
        "ООО Ромашка (дубль);7707083893;Иван;+7 900 111-22-55;;\n"
        "Без телефона;;;;;\n"
        "ООО Плохой ИНН;1234567890;;+7 900 111-22-66;;\n"
        "ООО Известный;;;+7 900 111-22-77;;\n")


class Mailbox:
    def __init__(self, fail: bool = False) -> None:
        self.sent, self.fail = [], fail

    async def send(self, to, subject, body):
        if self.fail:
            raise MailFailed("SMTPRecipientsRefused")
        self.sent.append((to, subject, body))


async def cold_world(uow, cfg):
    """``world`` and: access groups «Север» (head A2, member A1) and «Юг» (no head, member B1), a survey template, a
    cadence «2 недели», a known counterparty «ООО Известный» (its phone ends 77)."""
    w = await world(uow, cfg)
    north = await directories.add(uow(), w["admin"].id, Directory.ACCESS_GROUPS, "Север")
    south = await directories.add(uow(), w["admin"].id, Directory.ACCESS_GROUPS, "Юг")
    await counterparties.set_head(uow(), w["admin"].id, north.id, w["a2"].id)
    await counterparties.toggle_member(uow(), w["admin"].id, north.id, w["a1"].id)
    await counterparties.toggle_member(uow(), w["admin"].id, south.id, w["b1"].id)
    w.update(north=north, south=south)
    w["template"] = await surveys.create_template(uow(), w["a2"].id, "Первичный опрос", TEMPLATE)
    w["cadence"] = await counterparties.add_cadence(uow(), w["admin"].id, "2 недели")
    known = await campaigns.create(uow(), w["admin"].id, "Старый обзвон")
    pv = await campaigns.preview(uow(), w["admin"].id, known.id, "Организация;Телефон\nООО Известный;+79001112277\n"
                                 .encode(), "old.csv", cfg)
    await campaigns.add_rows(uow(), w["admin"].id, known.id, pv.add)
    return w


async def posted(uow, cfg, w, text: str = FILE) -> tuple[m.Campaign, list[m.Deal]]:
    c = await campaigns.create(uow(), w["a2"].id, "Обзвон: декабрь")
    pv = await campaigns.preview(uow(), w["a2"].id, c.id, text.encode("cp1251"), "base.csv", cfg)
    await campaigns.add_rows(uow(), w["a2"].id, c.id, pv.add)
    await campaigns.set_template(uow(), w["a2"].id, c.id, w["template"].id)
    await campaigns.set_executor(uow(), w["a2"].id, c.id, w["a1"].id)
    await campaigns.move(uow(), w["a2"].id, c.id, CampaignStatus.IN_WORK)
    await campaigns.post(uow(), w["a2"].id, c.id)
    view = await campaigns.view(uow(), w["a2"].id, c.id)
    async with uow() as u:
        deals = [await u.deals.get(row.deal_id) for row, *_ in view.rows]
    return view.campaign, deals


async def count(factory, model, *where) -> int:
    async with factory() as s:
        return await s.scalar(select(func.count()).select_from(model).where(*where))


async def test_a_file_previews_its_bad_repeated_and_known_rows_by_number(uow, cfg):
    w = await cold_world(uow, cfg)
    c = await campaigns.create(uow(), w["a2"].id, "Обзвон")
    pv = await campaigns.preview(uow(), w["a2"].id, c.id, FILE.encode("cp1251"), "base.csv", cfg)
    assert [r["row"] for r in pv.add] == [2, 3, 7]
    assert [(r["org"], r["inn"], r["phone"], r["email"]) for r in pv.add[:2]] == [
        ("ООО Ромашка", "7707083893", "+79001112233", "info@romashka.ru"), ("ООО Лютик", None, "+79001112244", None)]
    assert pv.bad == [(5, "bad_phone", {"example": "+7 912 345-67-89"}), (6, "bad_inn", {"value": "1234567890"})]
    assert pv.repeated == [(4, 2)]  # the same INN as row 2
    assert pv.known == [(7, "ООО Известный")]
    same = await campaigns.preview(uow(), w["a2"].id, c.id, FILE.encode("utf-8"), "base.csv", cfg)
    assert same == pv  # UTF-8 reads as Windows-1251 does
    for data, name, key in ((b"", "e.csv", "import_empty"), ("Организация;Город\nА;Б\n".encode(), "x.csv",
                                                              "import_columns"),
                            ("a\x00b".encode("utf-16"), "x.csv", "import_encoding"), (b"PK\x03\x04zz", "x.xlsx",
                                                                                       "import_unreadable"),
                            (b"x", "x.txt", "import_format")):
        with pytest.raises(InvalidInput) as refused:
            await campaigns.preview(uow(), w["a2"].id, c.id, data, name, cfg)
        assert refused.value.key == key
    huge = "Организация;Телефон\n" + "".join(f"Org {i};+7900{i:07d}\n" for i in range(5001))
    with pytest.raises(InvalidInput) as refused:
        await campaigns.preview(uow(), w["a2"].id, c.id, huge.encode(), "big.csv", cfg)
    assert refused.value.key == "import_too_many"
    with pytest.raises(Forbidden):  # a manager who heads no group runs no campaign
        await campaigns.preview(uow(), w["a1"].id, c.id, FILE.encode(), "base.csv", cfg)


async def test_posting_starts_one_deal_per_row_once(uow, factory, cfg):
    w = await cold_world(uow, cfg)
    c, deals = await posted(uow, cfg, w)
    assert c.status == CampaignStatus.POSTED and len(deals) == 3
    assert {d.pipeline for d in deals} == {"cold_call"} and {d.responsible_id for d in deals} == {w["a1"].id}
    assert [d.name for d in deals] == ["ООО Ромашка", "ООО Лютик",
                                       "ООО Известный"]
    view = await campaigns.view(uow(), w["a1"].id, c.id)  # the executor sees the document, each row's deal and stage
    assert [(code, stage.code, stage.name) for _, _, _, code, stage in view.rows] == [
        (f"{d.id:010d}", "contact", "Первичный контакт. Анкетирование") for d in deals]
    assert await count(factory, m.Task, m.Task.code == "start_task", m.Task.title.is_(None),
                       m.Task.responsible_id == w["a1"].id) == 3
    assert await count(factory, m.DealStage, m.DealStage.stage == "contact",
                       m.DealStage.due_at == T0 + timedelta(days=10)) == 3
    assert await count(factory, m.Outbox, m.Outbox.kind == "campaign_posted", m.Outbox.user_id == w["a1"].id) == 1
    async with uow() as u:  # the known counterparty was linked, not made twice; the contacts came along
        assert await u.deals.contact_ids(deals[2].id)
    assert await count(factory, m.Client, m.Client.name == "ООО Известный") == 1
    page = await deal_list.view(uow(), w["a1"].id, deals[0].id)
    assert page.status.code == "contact" and line(page.feed[0]) == "🔀 Первичный контакт. Анкетирование"
    with pytest.raises(AlreadyDecided):
        await campaigns.post(uow(), w["a2"].id, c.id)
    with pytest.raises(CampaignPosted):
        await campaigns.pick(uow(), w["a2"].id, c.id, deals[0].client_id)
    assert await count(factory, m.Deal, m.Deal.pipeline == "cold_call") == 3


async def test_two_posts_at_once_start_the_deals_once(uow, factory, cfg):
    w = await cold_world(uow, cfg)
    c = await campaigns.create(uow(), w["a2"].id, "Обзвон")
    pv = await campaigns.preview(uow(), w["a2"].id, c.id, FILE.encode(), "base.csv", cfg)
    await campaigns.add_rows(uow(), w["a2"].id, c.id, pv.add)
    await campaigns.set_template(uow(), w["a2"].id, c.id, w["template"].id)
    await campaigns.set_executor(uow(), w["a2"].id, c.id, w["a1"].id)
    await campaigns.move(uow(), w["a2"].id, c.id, CampaignStatus.IN_WORK)
    results = await asyncio.gather(*(campaigns.post(uow(), w["a2"].id, c.id) for _ in range(2)),
                                   return_exceptions=True)
    assert sorted(map(type, results), key=str) == sorted([int, AlreadyDecided], key=str), results
    assert await count(factory, m.Deal, m.Deal.pipeline == "cold_call") == 3
    assert await count(factory, m.Task, m.Task.code == "start_task", m.Task.title.is_(None)) == 3


async def test_a_campaign_needs_rows_a_template_and_a_staff_executor(uow, cfg):
    w = await cold_world(uow, cfg)
    c = await campaigns.create(uow(), w["a2"].id, "Обзвон")
    with pytest.raises(CampaignNotReady) as refused:
        await campaigns.move(uow(), w["a2"].id, c.id, CampaignStatus.IN_WORK)
    assert refused.value.key == "campaign_no_rows"
    found = await campaigns.search(uow(), w["a2"].id, "извест")
    assert [f.name for f in found] == ["ООО Известный"]
    with pytest.raises(NotFound):  # a counterparty nobody has
        await campaigns.pick(uow(), w["a2"].id, c.id, 99_999)
    assert await campaigns.pick(uow(), w["a2"].id, c.id, found[0].id) is True
    assert await campaigns.pick(uow(), w["a2"].id, c.id, found[0].id) is False  # once
    with pytest.raises(CampaignNotReady) as refused:
        await campaigns.move(uow(), w["a2"].id, c.id, CampaignStatus.IN_WORK)
    assert refused.value.key == "campaign_no_template"
    await campaigns.set_template(uow(), w["a2"].id, c.id, w["template"].id)
    with pytest.raises(InvalidInput) as refused:
        await campaigns.set_executor(uow(), w["a2"].id, c.id, w["agent"].id)
    assert refused.value.key == "campaign_executor_not_staff"
    with pytest.raises(DomainError) as refused:
        await campaigns.post(uow(), w["a2"].id, c.id)
    assert refused.value.key == "campaign_not_in_work"
    with pytest.raises(CampaignNotReady) as refused:
        await campaigns.move(uow(), w["a2"].id, c.id, CampaignStatus.IN_WORK)
    assert refused.value.key == "campaign_no_executor"
    with pytest.raises(Forbidden):  # another head may not touch it
        await campaigns.set_template(uow(), w["a1"].id, c.id, w["template"].id)


async def test_the_survey_the_group_the_card_and_the_calls_move_the_deal_to_stage_5(uow, factory, cfg, clock):
    w = await cold_world(uow, cfg)
    _, deals = await posted(uow, cfg, w)
    deal = deals[0]
    step = await surveys.current(uow(), w["a1"].id, deal.id)
    assert (step.number, step.total, step.question.text) == (1, 3, "Как зовут директора?")
    with pytest.raises(StageKeyMissing):
        await stages.move(uow(), w["a1"].id, deal.id, "qualify")
    step = await surveys.answer(uow(), w["a1"].id, deal.id, step.question.id, "Пётр Петрович")
    with pytest.raises(InvalidInput) as refused:  # a wrong type, a second answer: refused, nothing written
        await surveys.answer(uow(), w["a1"].id, deal.id, step.question.id, 7)
    assert refused.value.key == "answer_one"
    with pytest.raises(InvalidInput) as refused:
        await surveys.answer(uow(), w["a1"].id, deal.id, step.question.id - 1, "Иван")
    assert refused.value.key == "survey_answered"
    step = await surveys.answer(uow(), w["a1"].id, deal.id, step.question.id, 0)
    assert (await deal_list.view(uow(), w["a1"].id, deal.id)).status.code == "contact"
    step = await surveys.answer(uow(), w["a1"].id, deal.id, step.question.id, True)
    assert step.question is None
    async with uow() as u:
        assert await surveys.answers(u, deal.id) == [("Как зовут директора?", "text", "Пётр Петрович"),
                                                     ("Форма собственности?", "one", "ООО"),
                                                     ("Работаете с НДС?", "yesno", True)]
    assert (await deal_list.view(uow(), w["a1"].id, deal.id)).status.code == "qualify"
    with pytest.raises(InvalidInput) as refused:
        await counterparties.edit(uow(), w["a1"].id, deal.id, counterparties.CounterpartyField.OGRN, "123", cfg)
    assert refused.value.key == "bad_ogrn"
    await counterparties.edit(uow(), w["a1"].id, deal.id, counterparties.CounterpartyField.OGRN, "1027700132195", cfg)
    await counterparties.set_group(uow(), w["a1"].id, deal.id, w["north"].id)
    assert (await deal_list.view(uow(), w["a1"].id, deal.id)).status.code == "card"
    with pytest.raises(InvalidInput) as refused:
        await interactions.card_by_email(uow(), w["a1"].id, deal.id, None, "Визитка")
    assert refused.value.key == "smtp_off"
    failing = Mailbox(fail=True)
    with pytest.raises(InvalidInput) as refused:
        await interactions.card_by_email(uow(), w["a1"].id, deal.id, failing, "Визитка")
    assert refused.value.key == "mail_failed"
    box = Mailbox()
    assert await interactions.card_by_email(uow(), w["a1"].id, deal.id, box, "Визитка") == "info@romashka.ru"
    assert box.sent == [("info@romashka.ru", "Визитка компании", "Визитка")]
    with pytest.raises(Conflict):  # a second press sends nothing
        await interactions.card_by_email(uow(), w["a1"].id, deal.id, box, "Визитка")
    assert len(box.sent) == 1
    page = await deal_list.view(uow(), w["a1"].id, deal.id)
    assert page.status.code == "needs"  # the group is the executor's: no rerouting
    call = await counterparties.set_cadence(uow(), w["a1"].id, deal.id, w["cadence"].id)
    assert (call.number, call.planned_at) == (1, T0 + timedelta(weeks=2))
    clock.advance(timedelta(weeks=2, hours=1))
    await tasks.done(uow(), w["a1"].id, call.task_id)
    async with uow() as u:
        calls = [(i.number, i.planned_at, i.done_at is not None) for i in await u.interactions.of_deal(deal.id)
                 if i.purpose == "call"]
    assert calls == [(1, T0 + timedelta(weeks=2), True), (2, T0 + timedelta(weeks=4, hours=1), False)]
    async with factory() as s:
        actions = (await s.scalars(select(m.AuditLog.action).where(m.AuditLog.entity_id == deal.id,
                                                                   m.AuditLog.entity == "deal")
                                   .order_by(m.AuditLog.id))).all()
    assert actions == ["stage", "survey_done", "stage", "stage", "mail_failed", "interaction", "stage",
                       "interaction"]


async def test_a_counterparty_of_another_group_is_rerouted_by_its_head(uow, factory, cfg):
    w = await cold_world(uow, cfg)
    _, deals = await posted(uow, cfg, w)
    deal = deals[1]
    async with uow() as u:
        template = await u.surveys.template_of(deal.id)
    for q, raw in zip(template.questions, ("Ольга", 1, False), strict=True):
        await surveys.answer(uow(), w["a1"].id, deal.id, q.id, raw)
    await counterparties.set_group(uow(), w["a1"].id, deal.id, w["south"].id)  # «Юг» has no head: the admins pick
    await interactions.card_by_hand(uow(), w["a1"].id, deal.id, Channel.FAX)
    assert (await deal_list.view(uow(), w["a1"].id, deal.id)).status.code == "reroute"
    assert await count(factory, m.Task, m.Task.code == "reroute", m.Task.responsible_id == w["admin"].id,
                       m.Task.status == TaskStatus.OPEN) == 1
    with pytest.raises(Forbidden):
        await interactions.reroute(uow(), w["a2"].id, deal.id, w["b1"].id)
    _, people = await interactions.reroute_choices(uow(), w["admin"].id, deal.id)
    assert [p.id for p in people] == [w["b1"].id]
    with pytest.raises(InvalidInput) as refused:
        await interactions.reroute(uow(), w["admin"].id, deal.id, w["a2"].id)
    assert refused.value.key == "reroute_not_in_group"
    await interactions.reroute(uow(), w["admin"].id, deal.id, w["b1"].id)
    with pytest.raises(Conflict):
        await interactions.reroute(uow(), w["admin"].id, deal.id, w["b1"].id)
    page = await deal_list.view(uow(), w["a1"].id, deal.id)  # the former executor still sees it
    assert page.status.code == "needs" and page.deal.responsible_id == w["b1"].id
    async with uow() as u:
        assert [p.id for p in await u.members.of_deal(deal.id)] == [w["a1"].id]
    assert await count(factory, m.Task, m.Task.code == "reroute", m.Task.status == TaskStatus.OPEN) == 0
    assert await count(factory, m.Outbox, m.Outbox.kind == "deal_assigned", m.Outbox.user_id == w["b1"].id) == 1


async def test_bad_directory_entries_are_refused(uow, cfg):
    w = await cold_world(uow, cfg)
    for text in ("0 недель", "100 лет", "1200 месяцев", "две недели", "13 месяцев"):
        with pytest.raises(InvalidInput) as refused:
            await counterparties.add_cadence(uow(), w["admin"].id, text)
        assert refused.value.key == "bad_cadence"
    with pytest.raises(InvalidInput):
        await counterparties.set_head(uow(), w["admin"].id, w["north"].id, w["agent"].id)
    with pytest.raises(InvalidInput) as refused:
        await surveys.create_template(uow(), w["a2"].id, "Плохой", "один: Вопрос? | только один")
    assert refused.value.key == "survey_options"
    await users.set_role(uow(), w["admin"].id, w["a2"].id, Role.MANAGER, w["A"].id)
    assert await campaigns.may_run(uow(), w["a2"].id) is True
    assert await campaigns.may_run(uow(), w["a1"].id) is False


async def test_an_xlsx_file_and_a_search_by_inn(uow, cfg):
    from openpyxl import Workbook

    w = await cold_world(uow, cfg)
    wb = Workbook()
    wb.active.append(["Организация", "ИНН", "Телефон", "Город", "Комментарий"])
    wb.active.append(["ООО Ромашка", 7707083893, "+7 900 111-22-33", "Москва", "звонить утром"])
    wb.active.append(["ООО Лютик", None, "8 (900) 111-22-44", None, None])
    data = io.BytesIO()
    wb.save(data)
    c = await campaigns.create(uow(), w["a2"].id, "Из Excel")
    pv = await campaigns.preview(uow(), w["a2"].id, c.id, data.getvalue(), "base.xlsx", cfg)
    assert [(r["row"], r["org"], r["inn"], r["phone"], r["city"], r["comment"]) for r in pv.add] == [
        (2, "ООО Ромашка", "7707083893", "+79001112233", "Москва", "звонить утром"),
        (3, "ООО Лютик", None, "+79001112244", None, None)]
    assert await campaigns.add_rows(uow(), w["a2"].id, c.id, pv.add) == 2
    assert await campaigns.add_rows(uow(), w["a2"].id, c.id, pv.add) == 0  # the same rows again: nothing twice
    assert [x.name for x in await campaigns.search(uow(), w["a2"].id, "77070")] == ["ООО Ромашка"]


async def test_a_person_joins_the_deal_staff_once(uow, cfg, clock):
    w = await cold_world(uow, cfg)
    _, deals = await posted(uow, cfg, w)
    async with uow() as u:
        assert await u.members.add(deals[0].id, w["a2"].id, clock.now()) is True
        assert await u.members.add(deals[0].id, w["a2"].id, clock.now()) is False
        await u.commit()
    async with uow() as u:
        assert [p.id for p in await u.members.of_deal(deals[0].id)] == [w["a2"].id]


async def test_a_card_whose_sender_died_mid_send_may_be_sent_again(uow, cfg, clock):
    w = await cold_world(uow, cfg)
    _, deals = await posted(uow, cfg, w)
    deal = deals[0]
    async with uow() as u:
        template = await u.surveys.template_of(deal.id)
    for q, raw in zip(template.questions, ("Пётр", 0, True), strict=True):
        await surveys.answer(uow(), w["a1"].id, deal.id, q.id, raw)
    await counterparties.set_group(uow(), w["a1"].id, deal.id, w["north"].id)
    async with uow() as u:  # a press claimed the card, and its process died before the message went
        card = await u.interactions.open(deal.id, "card")
        card.channel, card.claimed_at = "email", clock.now()
        await u.commit()
    box = Mailbox()
    with pytest.raises(Conflict) as refused:
        await interactions.card_by_email(uow(), w["a1"].id, deal.id, box, "Визитка")
    assert refused.value.key == "card_sending" and box.sent == []
    clock.advance(timedelta(minutes=3))  # the claim lapsed
    assert await interactions.card_by_email(uow(), w["a1"].id, deal.id, box, "Визитка") == "info@romashka.ru"
    assert len(box.sent) == 1
    assert (await deal_list.view(uow(), w["a1"].id, deal.id)).status.code == "needs"


async def test_a_month_of_cadence_is_counted_on_the_executors_calendar(uow, cfg, clock):
    w = await cold_world(uow, cfg)
    _, deals = await posted(uow, cfg, w)
    deal = deals[0]
    async with uow() as u:
        template = await u.surveys.template_of(deal.id)
    for q, raw in zip(template.questions, ("Пётр", 0, True), strict=True):
        await surveys.answer(uow(), w["a1"].id, deal.id, q.id, raw)
    await counterparties.set_group(uow(), w["a1"].id, deal.id, w["north"].id)
    await interactions.card_by_hand(uow(), w["a1"].id, deal.id, Channel.FAX)
    monthly = await counterparties.add_cadence(uow(), w["admin"].id, "1 месяц")
    clock.set(datetime(2027, 1, 30, 22, 0, tzinfo=UTC))  # 31 January, 01:00 in Moscow, where the executor is
    call = await counterparties.set_cadence(uow(), w["a1"].id, deal.id, monthly.id)
    assert call.planned_at == datetime(2027, 2, 27, 22, 0, tzinfo=UTC)  # 28 February, 01:00 in Moscow
