"""The stage engine (seed 001): a business process as data — its stages in order, and for each what must be true
to leave it (the exit key), the control deadline and what happens when it passes, what happens on entering it, and
where it may go next. Pure rules, no I/O: a service loads what the deal has done (``Facts``), asks here whether a
move may happen and what it sets off, and writes it.

Deadlines count **calendar days** in the deal's timezone, from the moment the stage was entered: the seed says
«Контроль 10 дней» and «1 день» with no word of working days, and a client waits through a weekend as through any
other day; a deadline that falls on a day off acts then (the head's reminder waits for the morning through the
quiet hours, as every message does).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from core.domain.kernel.errors import DomainError, IllegalTransition


class StageCode(StrEnum):
    """The stages of «Холодный обзвон» (seed 001, 1–14, and the two ends): the codes the deals' stays and the
    pipeline's statuses keep. One definition; every rule, screen and query names a stage through it."""

    CONTACT = "contact"  # 1 «Первичный контакт. Анкетирование»
    QUALIFY = "qualify"  # 2 «Квалифицировать клиента»
    CARD = "card"  # 3 «Визитка компании»
    REROUTE = "reroute"  # 4 «Перенаправление согласно квалификации клиента»
    NEEDS = "needs"  # 5 «Формирование потребностей клиента»
    QUOTE = "quote"  # 6 «Формирование коммерческого предложения»
    APPROVAL = "approval"  # 7 «Согласование» (the nested approval)
    SEND = "send"  # 8 «Отправка КП клиенту»
    WAIT = "wait"  # 9 «Ожидание ответа»
    ANALYSIS = "analysis"  # 10 «Анализ ответа»
    ORDER = "order"  # 11 «Формирование заказа покупателя»
    PURCHASE = "purchase"  # 12 the purchasing and contract tasks
    INVOICE = "invoice"  # 13 «Отправка документов на оплату»
    PAYMENT = "payment"  # 14 «Ожидание оплаты»
    PAID = "paid"  # the order paid: the process's end
    CLOSED = "closed"  # closed with a reason (by hand, or by a deadline)


S = StageCode
#: the stages where the deal's КП is written, decided, sent or waits for its answer (its facts are read there)
QUOTE_STAGES = frozenset({S.QUOTE, S.APPROVAL, S.SEND, S.WAIT, S.ANALYSIS})
#: the stages whose panel opens the КП's screen: those and «Формирование потребностей», where a КП is started
#: (the first one, and the next after a refusal)
QUOTE_SCREEN_STAGES = QUOTE_STAGES | {S.NEEDS}
#: the stages of the customer's order (its facts are read there)
ORDER_STAGES = frozenset({S.ORDER, S.PURCHASE, S.INVOICE, S.PAYMENT})


class Key(StrEnum):
    """What must be true of a deal to leave a stage."""

    SURVEY_DONE = "survey_done"  # the survey attached to the campaign is completed
    ACCESS_GROUP = "access_group"  # the counterparty's access group is filled
    INTERACTION_DONE = "interaction_done"  # the stage's interaction (an e-mail, a fax) is done
    QUOTE_SUBMITTED = "quote_submitted"  # the КП's version went to its approvers (stage 6)
    APPROVAL_DECIDED = "approval_decided"  # the approvers approved it or returned it (stage 7: the branch)
    QUOTE_SENT = "quote_sent"  # the e-mail with the КП was sent (stage 8)
    ANSWER_GIVEN = "answer_given"  # the client's answer is recorded: order, rework or refusal (stage 10: the branch)
    ORDER_MADE = "order_made"  # the customer's order is built from the КП (stage 11)
    ORDER_TASKS_DONE = "order_tasks_done"  # the purchasing and the contract tasks are done (stage 12)
    INVOICE_SENT = "invoice_sent"  # the e-mail with the invoice was sent (stage 13)
    ORDER_PAID = "order_paid"  # payments registered for this order cover it (stage 14)


class OnExpire(StrEnum):
    """What the scheduler does, once, when a stage's control deadline passes."""

    CLOSE = "close"  # the deal closes itself with the control's reason
    REMIND_HEAD = "remind_head"  # «Напоминание» to the head: the deal, its executor, the stage, «ПРОСРОЧЕН СРОК»
    FOLLOW_UP = "follow_up"  # «Взаимодействие с клиентом» for the executor, and again a week later (stage 9)


class OnEnter(StrEnum):
    """What entering a stage sets off."""

    START_TASK = "start_task"  # «Приступить к сделке» for the executor
    SEND_CARD = "send_card"  # the interaction «Визитка компании» (an e-mail or a fax) for the executor
    REROUTE_TASK = "reroute_task"  # a task to the head of the counterparty's access group: pick an executor
    PLAN_CALLS = "plan_calls"  # the calls by the counterparty's calling cadence
    SEND_QUOTE = "send_quote"  # the interaction «Отправка КП» (its e-mail) and its task for the executor
    MAKE_ORDER = "make_order"  # «Заказ покупателя» from the accepted КП's lines
    ORDER_TASKS = "order_tasks"  # the purchasing head's and the contract approval's tasks
    SEND_INVOICE = "send_invoice"  # the invoice, by e-mail and Telegram; the shipping task at once if allowed
    SHIPPING_TASK = "shipping_task"  # the shipping department's task for this order (unless made at stage 13)


class Purpose(StrEnum):
    """What an interaction with the counterparty is for."""

    CARD = "card"  # stage 3: the company's business card, by e-mail or fax
    CALL = "call"  # stage 5: the next call by the counterparty's cadence
    QUOTE = "quote"  # stage 8: the КП, by e-mail
    FOLLOW = "follow"  # stage 9: «Взаимодействие с клиентом», a week after the КП went out
    INVOICE = "invoice"  # stage 13: the invoice, by e-mail


#: the tasks the process makes are named by their code and params (bot: task_code.<code>[_<variant>], with
#: task_code.note_<note> after it for each of ``notes``); their words are the bot's, in the reader's language
SHIP_PAID, SHIP_UNPAID = "paid", "unpaid"  # the shipping task's variant: after the payment, or before it
NOTE_NO_GROUP = "no_group"  # a department's task given to the executor: no group has that duty
BY_HAND = "by_hand"  # a document's task after its e-mail was parked
#: the first task of the executor a rerouted deal was given (stage 4 → 5): take the deal over, call the client
TAKE_OVER = "take_over"
#: stage 9: the follow-up comes a week after the КП went out, and again each week while the deal waits
FOLLOW_UP_DAYS = 7


@dataclass(frozen=True)
class Control:
    days: int
    on_expire: OnExpire
    reason: str | None = None  # the closing reason, for OnExpire.CLOSE

    def due(self, entered_at: datetime) -> datetime:
        """Calendar days from the moment the stage was entered (the module's docstring says why)."""
        return entered_at + timedelta(days=self.days)


@dataclass(frozen=True)
class Stage:
    code: str  # named in the locales (stage.<process>.<code>): the statuses directory shows that name in the
    # reader's language until an admin renames the status (bot/views/kernel/names.py)
    key: Key | None = None
    control: Control | None = None
    on_enter: tuple[OnEnter, ...] = ()
    next: tuple[str, ...] = ()
    final: bool = False
    sub: Process | None = None  # a nested process (the approval) the deal goes through while in this stage


@dataclass(frozen=True)
class Process:
    code: str
    stages: tuple[Stage, ...]
    closed: str  # the stage a deal closed with a reason is in (by hand, or by a deadline)
    by_code: Mapping[str, Stage] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_code", {s.code: s for s in self.stages})

    def stage(self, code: str) -> Stage:
        return self.by_code[code]

    @property
    def first(self) -> Stage:
        return self.stages[0]


@dataclass(frozen=True)
class Facts:
    """What a deal has done, as the service reads it: the keys that hold, and whether its counterparty's access
    group is the executor's (stage 4's branch)."""

    keys: frozenset[Key] = frozenset()
    group_matches: bool = True
    approved: bool = False  # stage 7's branch: approved (on to 8) or returned (back to 6)
    answer_stage: str | None = None  # stage 10's branch: where the client's answer sends the deal


class StageKeyMissing(DomainError):
    """A move out of a stage whose exit key does not hold yet: the reason says what is missing
    (``errors.stage_key_<key>``)."""

    def __init__(self, stage: str, missing: Key, names: str | None = None) -> None:
        self.missing = missing
        super().__init__(f"stage_key_{missing.value}", names=names, stage=stage)


class ReasonRequired(DomainError):
    key = "close_reason_required"


# --- «Согласование»: the standard approval, a sub-process any process nests as one of its stages -------------

APPROVAL = Process(
    code="approval",
    closed="returned",
    stages=(
        Stage("pending", next=("approved", "returned")),
        Stage("approved", final=True),
        Stage("returned", final=True),
    ),
)


# --- «Холодный обзвон», stages 1–14 -------------------------------------------------------------------------

#: the reason a deal closes itself when stage 1's ten days pass (seed 001: «НЕ УСТАНОВЛЕН КОНТАКТ»): a code the bot
#: names in the reader's language (bot/locales: «close_reason.<code>»); a person's own reason is stored as typed
NO_CONTACT = "no_contact"
#: the closing reasons the core writes by itself
CLOSE_REASONS = frozenset({NO_CONTACT})

COLD_CALL = Process(
    code="cold_call",
    closed=S.CLOSED,
    stages=(
        Stage(S.CONTACT, key=Key.SURVEY_DONE,
              control=Control(10, OnExpire.CLOSE, NO_CONTACT), on_enter=(OnEnter.START_TASK,),
              next=(S.QUALIFY, S.CLOSED)),
        Stage(S.QUALIFY, key=Key.ACCESS_GROUP,
              control=Control(1, OnExpire.REMIND_HEAD), next=(S.CARD, S.CLOSED)),
        Stage(S.CARD, key=Key.INTERACTION_DONE, control=Control(1, OnExpire.REMIND_HEAD),
              on_enter=(OnEnter.SEND_CARD,), next=(S.REROUTE, S.NEEDS, S.CLOSED)),
        Stage(S.REROUTE, on_enter=(OnEnter.REROUTE_TASK,),
              next=(S.NEEDS, S.CLOSED)),
        Stage(S.NEEDS, on_enter=(OnEnter.PLAN_CALLS,),
              next=(S.QUOTE, S.CLOSED)),
        Stage(S.QUOTE, key=Key.QUOTE_SUBMITTED,
              next=(S.APPROVAL, S.CLOSED)),
        Stage(S.APPROVAL, key=Key.APPROVAL_DECIDED, sub=APPROVAL, next=(S.SEND, S.QUOTE, S.CLOSED)),
        Stage(S.SEND, key=Key.QUOTE_SENT, on_enter=(OnEnter.SEND_QUOTE,),
              next=(S.WAIT, S.CLOSED)),
        Stage(S.WAIT, control=Control(FOLLOW_UP_DAYS, OnExpire.FOLLOW_UP),
              next=(S.ANALYSIS, S.CLOSED)),
        Stage(S.ANALYSIS, key=Key.ANSWER_GIVEN, next=(S.ORDER, S.QUOTE, S.NEEDS, S.CLOSED)),
        Stage(S.ORDER, key=Key.ORDER_MADE, on_enter=(OnEnter.MAKE_ORDER,),
              next=(S.PURCHASE, S.CLOSED)),
        Stage(S.PURCHASE, key=Key.ORDER_TASKS_DONE,
              on_enter=(OnEnter.ORDER_TASKS,), next=(S.INVOICE, S.CLOSED)),
        Stage(S.INVOICE, key=Key.INVOICE_SENT, on_enter=(OnEnter.SEND_INVOICE,),
              next=(S.PAYMENT, S.CLOSED)),
        Stage(S.PAYMENT, key=Key.ORDER_PAID, on_enter=(OnEnter.SHIPPING_TASK,),
              next=(S.PAID, S.CLOSED)),
        Stage(S.PAID, final=True),
        Stage(S.CLOSED, final=True),
    ),
)


def check_move(process: Process, current: str, target: str, facts: Facts, *, reason: str | None = None) -> None:
    """May a deal in ``current`` go to ``target``? The table's edges; the exit key of the stage left (closing is
    always allowed, with a reason); after «Визитка компании» the access group decides: a counterparty of another
    group goes through «Перенаправление», one of the executor's own straight to «Формирование потребностей»."""
    stage = process.stage(current)
    if target not in stage.next:
        raise IllegalTransition(current=current, target=target, names=f"stage.{process.code}.")
    if target == process.closed:
        if not (reason or "").strip():
            raise ReasonRequired()
        return
    if stage.key is not None and stage.key not in facts.keys:
        raise StageKeyMissing(stage=stage.code, missing=stage.key, names=f"stage.{process.code}.")
    if target != next_stage(process, current, facts):  # a branch: the facts choose which way
        raise IllegalTransition(current=current, target=target, names=f"stage.{process.code}.")


def next_stage(process: Process, current: str, facts: Facts) -> str | None:
    """Where the deal goes on when its key holds (the path that is not closing), or None at the end."""
    stage = process.stage(current)
    if current == S.CARD:
        return S.NEEDS if facts.group_matches else S.REROUTE
    if current == S.APPROVAL:  # approved: on to the client; returned: back to the КП
        return S.SEND if facts.approved else S.QUOTE
    if current == S.ANALYSIS:  # the client's answer chooses
        return facts.answer_stage
    return next((code for code in stage.next if code != process.closed), None)


@dataclass(frozen=True)
class Expiry:
    """What a passed control deadline does: close the deal with a reason, or remind the head."""

    action: OnExpire
    reason: str | None


def next_follow_up(entered_at: datetime, now: datetime) -> datetime:
    """Stage 9's follow-up repeats weekly while the deal waits for the answer: the next one is the first whole week
    from entering the stage still ahead of ``now`` (weeks the bot was down are not made up one by one)."""
    step = timedelta(days=FOLLOW_UP_DAYS)
    weeks = (now - entered_at) // step + 1
    return entered_at + weeks * step


def expired(process: Process, stage_code: str, entered_at: datetime, now: datetime) -> Expiry | None:
    """The action due for a deal that entered ``stage_code`` at ``entered_at``, if its control deadline has passed
    by ``now`` (the scheduler marks it done, so it happens once)."""
    control = process.stage(stage_code).control
    if control is None or control.due(entered_at) > now:
        return None
    return Expiry(control.on_expire, control.reason)


#: the stage each task the process makes belongs to (its ``code``): it closes when the deal leaves that stage —
#: done when the stage's key was met, cancelled when the deal went elsewhere. The calls by the counterparty's
#: cadence (``call``) and the shipping task (``ship``, made at 13 or 14 and done after the payment) belong to no
#: stage: they live as long as the deal is open. Every open task closes when the deal closes.
TASK_STAGE: dict[str, StageCode] = {
    OnEnter.START_TASK.value: S.CONTACT,
    Purpose.CARD.value: S.CARD,
    "reroute": S.REROUTE,
    TAKE_OVER: S.NEEDS,
    Purpose.QUOTE.value: S.SEND,
    Purpose.FOLLOW.value: S.WAIT,
    "purchase": S.PURCHASE,
    "contract": S.PURCHASE,
    Purpose.INVOICE.value: S.INVOICE,
}


#: the tasks that sell to the client (the calls by the cadence, the follow-up after the КП): over once the order is
#: paid (the stage ``PAID_STAGE``; the shipping task stays)
SELLING_TASKS = (Purpose.CALL.value, Purpose.FOLLOW.value)
PAID_STAGE = S.PAID.value


class Action(StrEnum):
    """What a deal's panel offers to do at a stage of «Холодный обзвон» (the screens render this table; a test walks
    every stage against it, so no stage is a dead end)."""

    SURVEY = "survey"  # 1: the survey's next question
    GROUP = "group"  # 2: the counterparty's access group
    CARD_EMAIL = "card_email"  # 3: the card by the bot's e-mail
    CARD_FAX = "card_fax"  # 3: sent by fax
    CARD_BY_HAND = "card_by_hand"  # 3: sent some other way
    REROUTE = "reroute"  # 4: the group's head (or an admin) picks the executor
    CADENCE = "cadence"  # 5: the calling cadence (the calls it plans)
    QUOTE = "quote"  # 5–10: the КП's screen (started at 5, again after a refusal); after: its versions, its PDF
    ANSWERED = "answered"  # 9: the client answered (the answer itself is chosen on the КП's screen, stage 10)
    DOC_BY_HAND = "doc_by_hand"  # 8, 13: the КП or the invoice went some other way than the bot's e-mail
    ORDER = "order"  # 11–14 and after: the order's screen (its tasks, its payments)
    CLOSE = "close"  # every open stage: close the deal with a reason


A = Action
#: the panel's actions at each stage; a final stage («Заказ оплачен» keeps the order's screen for its shipping)
STAGE_ACTIONS: dict[StageCode, frozenset[Action]] = {
    S.CONTACT: frozenset({A.SURVEY, A.CLOSE}),
    S.QUALIFY: frozenset({A.GROUP, A.CLOSE}),
    S.CARD: frozenset({A.CARD_EMAIL, A.CARD_FAX, A.CARD_BY_HAND, A.CLOSE}),
    S.REROUTE: frozenset({A.REROUTE, A.CLOSE}),
    S.NEEDS: frozenset({A.CADENCE, A.QUOTE, A.CLOSE}),
    S.QUOTE: frozenset({A.QUOTE, A.CLOSE}),
    S.APPROVAL: frozenset({A.QUOTE, A.CLOSE}),
    S.SEND: frozenset({A.QUOTE, A.DOC_BY_HAND, A.CLOSE}),
    S.WAIT: frozenset({A.ANSWERED, A.QUOTE, A.CLOSE}),
    S.ANALYSIS: frozenset({A.QUOTE, A.CLOSE}),
    S.ORDER: frozenset({A.ORDER, A.QUOTE, A.CLOSE}),
    S.PURCHASE: frozenset({A.ORDER, A.QUOTE, A.CLOSE}),
    S.INVOICE: frozenset({A.ORDER, A.DOC_BY_HAND, A.QUOTE, A.CLOSE}),
    S.PAYMENT: frozenset({A.ORDER, A.QUOTE, A.CLOSE}),
    S.PAID: frozenset({A.ORDER, A.QUOTE}),
    S.CLOSED: frozenset(),
}
