"""The survey (seed 001, stage 1): templates a head types, and the executor's answers inside the deal, question by
question — stopped and resumed at will (every answer is kept at once; the next question is the first unanswered).
The last answer completes it: the deal goes on to «Квалифицировать клиента»."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.db.kernel import models as m
from core.db.kernel.uow import DuplicateRow, UnitOfWork
from core.domain.campaigns import survey as rules
from core.domain.campaigns.survey import Kind
from core.domain.kernel import feed as said
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.names import check_unique
from core.domain.kernel.permissions import Action, Area
from core.services.campaigns import campaign as campaigns
from core.services.campaigns import stages
from core.services.kernel.deal_access import editable, tell


async def create_template(uow: UnitOfWork, actor_id: int, name: str, text: str) -> m.SurveyTemplate:
    name = clean_text(name, max_len=128)
    questions = rules.parse_template(text)
    try:
        async with uow:
            await campaigns.head(uow, actor_id)
            check_unique(name, [(x.id, x.name) for x in await uow.surveys.templates()])
            template = uow.add(m.SurveyTemplate(name=name, created_by=actor_id, questions=[
                m.SurveyQuestion(position=position, text=q.text, kind=q.kind, options=list(q.options))
                for position, q in enumerate(questions, start=1)]))
            await uow.flush()
            uow.audit.record(entity="survey_template", entity_id=template.id, actor_id=actor_id, action="add",
                             comment=f"{name}: {len(questions)}")
            await uow.commit()
            return template
    except DuplicateRow as exc:
        raise InvalidInput("duplicate_name", name=name) from exc


async def templates(uow: UnitOfWork, actor_id: int) -> list[m.SurveyTemplate]:
    async with uow:
        await campaigns.head(uow, actor_id)
        return await uow.surveys.templates()


@dataclass
class Step:
    """Where the deal's survey stands: the question to ask next (None when all are answered)."""

    deal_id: int
    question: m.SurveyQuestion | None
    number: int  # the question's place, from 1
    total: int


async def _step(uow: UnitOfWork, deal: m.Deal) -> Step:
    template = await uow.surveys.template_of(deal.id)
    if template is None or not template.questions:
        raise InvalidInput("survey_none")
    answered = await uow.surveys.answers(deal.id)
    for n, question in enumerate(template.questions, start=1):
        if question.id not in answered:
            return Step(deal.id, question, n, len(template.questions))
    return Step(deal.id, None, len(template.questions), len(template.questions))


async def current(uow: UnitOfWork, actor_id: int, deal_id: int) -> Step:
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id, Action.EDIT, Area.CAMPAIGNS)
        return await _step(uow, deal)


async def answer(uow: UnitOfWork, actor_id: int, deal_id: int, question_id: int, raw: Any) -> Step:
    """Keep the answer to ``question_id`` (checked against its kind) and give the next step. A question answered
    already (a double press, a stale button) is refused and nothing changes."""
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id, Action.EDIT, Area.CAMPAIGNS)
        template = await uow.surveys.template_of(deal.id)
        if template is None:
            raise InvalidInput("survey_none")
        question = next((q for q in template.questions if q.id == question_id), None)
        if question is None:
            raise InvalidInput("stale_button")
        if await uow.surveys.answer(deal.id, question.id) is not None:
            raise InvalidInput("survey_answered")
        value = rules.parse_answer(Kind(question.kind), question.options, raw)
        uow.add(m.SurveyAnswer(deal_id=deal.id, question_id=question.id, value=value, answered_by=actor_id,
                               answered_at=uow.clock.now()))
        await uow.flush()
        step = await _step(uow, deal)
        if step.question is None:
            tell(uow, deal, actor_id, said.SurveyDone())
            uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="survey_done",
                             comment=template.name)
            await stages.advance(uow, deal, actor_id)
        await uow.commit()
        return step


async def answers(uow: UnitOfWork, deal_id: int) -> list[tuple[str, Kind, Any]]:
    """Inside an open unit: the deal's questions with their answers (None: not yet), for the page and the export."""
    template = await uow.surveys.template_of(deal_id)
    if template is None:
        return []
    kept = await uow.surveys.answers(deal_id)
    return [(q.text, Kind(q.kind), kept.get(q.id)) for q in template.questions]
