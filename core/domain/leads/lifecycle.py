"""Leads of a law firm (seed 004): statuses, the transition table, the «Недозвон» rule, duplicates,
auto-tasks and the funnel. Pure rules, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.domain.kernel.deployment import LeadPipeline
from core.domain.kernel.errors import DomainError, IllegalTransition
from core.domain.kernel.roles import Role


class LeadStatus(StrEnum):
    NEW = "new"  # Новый
    CALLING = "calling"  # Прозвон
    MEETING = "meeting"  # Запись на встречу/встреча назначена
    POSTPONED = "postponed"  # Решение отложено
    NOT_LEFT = "junk_not_left"  # брак: Заявку не оставлял
    SMALL_DEBT = "junk_small_debt"  # брак: Маленькая сумма долга
    OTHER_CITY = "junk_other_city"  # брак: Другой город
    BAD_NUMBER = "junk_bad_number"  # брак: Некорректный номер
    NO_ANSWER = "junk_no_answer"  # брак: Недозвон
    DUPLICATE = "junk_duplicate"  # брак: Дубль
    REFUSED = "junk_refused"  # брак: Отказался/решил проблему
    VISITED = "visited"  # Встреча состоялась/Визит/Консультация проведена
    CONTRACT = "contract"  # Договор
    CONTRACT_PREPAID = "contract_prepaid"  # Договор с предоплатой


JUNK = frozenset(s for s in LeadStatus if s.value.startswith("junk_"))
CONTRACTS = frozenset({LeadStatus.CONTRACT, LeadStatus.CONTRACT_PREPAID})
FINAL = JUNK | CONTRACTS
#: junk a person may choose; «Дубль» is set only by the duplicate check on arrival
CHOSEN_JUNK = JUNK - {LeadStatus.DUPLICATE}
#: the statuses only the law firm's leads have (seed 004's «Маленькая сумма долга»): a sales team's junk is neutral
LAW_ONLY = frozenset({LeadStatus.SMALL_DEBT})


def offered(pipeline: LeadPipeline | str) -> list[LeadStatus]:
    """The lead statuses of a deployment with this deal pipeline, in their order."""
    return [s for s in LeadStatus if pipeline == LeadPipeline.LAW or s not in LAW_ONLY]

TRANSITIONS: dict[LeadStatus, frozenset[LeadStatus]] = {
    LeadStatus.NEW: frozenset({LeadStatus.CALLING, LeadStatus.MEETING, LeadStatus.POSTPONED}) | CHOSEN_JUNK,
    LeadStatus.CALLING: frozenset({LeadStatus.MEETING, LeadStatus.POSTPONED}) | CHOSEN_JUNK,
    LeadStatus.MEETING: frozenset({LeadStatus.VISITED, LeadStatus.CALLING, LeadStatus.POSTPONED,
                                   LeadStatus.REFUSED}),
    LeadStatus.POSTPONED: frozenset({LeadStatus.CALLING, LeadStatus.MEETING, LeadStatus.NO_ANSWER,
                                     LeadStatus.REFUSED}),
    LeadStatus.VISITED: frozenset({LeadStatus.CONTRACT, LeadStatus.CONTRACT_PREPAID, LeadStatus.POSTPONED,
                                   LeadStatus.REFUSED}),
}


class MeetingTimeRequired(DomainError):
    key = "meeting_time_required"


class MeetingNotYet(DomainError):
    """«Встреча состоялась» before the time the meeting was booked for."""

    key = "meeting_not_yet"


class MeetingPassed(DomainError):
    """«Запись» with a meeting time already gone (a date typed for another month, a year behind)."""

    key = "meeting_passed"


#: how far back a meeting being booked may start: one starting now, typed a few minutes late, is still booked
MEETING_GRACE = timedelta(hours=1)


def check_meeting_time(meeting_at: datetime, now: datetime) -> None:
    """A meeting is booked for a time to come (within the grace: one starting right now)."""
    if meeting_at < now - MEETING_GRACE:
        raise MeetingPassed(at=meeting_at)


def check_visit(meeting_at: datetime | None, now: datetime) -> None:
    """A meeting is marked held from its booked time on (a lead booked for the 10th is not «visited» on the 6th)."""
    if meeting_at is not None and now < meeting_at:
        raise MeetingNotYet(at=meeting_at)


class NoAnswerTooEarly(DomainError):
    """«Недозвон» before the required attempts: says how many were made and when it becomes possible."""

    key = "no_answer_too_early"


class NoAnswerNoAttempts(NoAnswerTooEarly):
    """«Недозвон» with no call attempt logged yet: no day to name, only how many attempts it takes."""

    key = "no_answer_no_attempts"


class DuplicateLead(DomainError):
    """Work happens in the original lead, never in its duplicate."""

    key = "duplicate_lead"


def check_transition(current: LeadStatus, target: LeadStatus, original_id: int | None = None,
                     pipeline: LeadPipeline | str = LeadPipeline.LAW) -> None:
    if current == LeadStatus.DUPLICATE:
        raise DuplicateLead(original=original_id)
    if target not in TRANSITIONS.get(current, frozenset()) or target not in offered(pipeline):
        raise IllegalTransition(current.value, target.value, "lead_status.")


@dataclass(frozen=True)
class CallPolicy:
    """«Недозвон» needs ``attempts`` logged call attempts spread over at least ``span``."""

    attempts: int = 3
    span: timedelta = timedelta(days=2)


def check_no_answer(attempts: Iterable[datetime], policy: CallPolicy) -> None:
    times = sorted(attempts)
    done = len(times)
    earliest = times[0] + policy.span if times else None
    if done >= policy.attempts and times[-1] >= earliest:
        return
    if earliest is None:
        raise NoAnswerNoAttempts(required=policy.attempts)
    raise NoAnswerTooEarly(done=done, required=policy.attempts, after=earliest)


def is_open(status: LeadStatus) -> bool:
    return status not in FINAL


def may_work(role: str, actor_id: int, responsible_id: int | None) -> bool:
    """Who may work (see, change, move) a lead: an admin any; a manager theirs and the ones nobody has yet."""
    return role == Role.ADMIN or responsible_id in (None, actor_id)


def original_of(candidates: Iterable[tuple[int, LeadStatus]]) -> int | None:
    """The open lead (oldest id first) that a new lead with the same phone duplicates, if any."""
    open_ids = sorted(lead_id for lead_id, status in candidates if is_open(status))
    return open_ids[0] if open_ids else None


class LeadField(StrEnum):
    """What of a lead is typed anew (its source and responsible are picked; its name and phones are its
    contact's)."""

    DEBT = "debt"
    CITY = "city"
    COMMENT = "comment"


# --- who works a new lead --------------------------------------------------------------------------------------

class Assignment(StrEnum):
    """Why a new lead went to its responsible (shown to the admins with it)."""

    CREATOR = "creator"  # a manager typed it in
    FILE = "file"  # the import file named the responsible
    ORIGINAL = "original"  # a duplicate: the original lead's responsible
    SOURCE = "source"  # the source's default responsible
    FEWEST = "fewest"  # the manager with the fewest open leads
    NOBODY = "nobody"  # nobody works leads yet: no manager, no default


def pick_responsible(source_default: int | None, open_leads: Mapping[int, int]) -> tuple[int | None, Assignment]:
    """Every lead that arrives by itself (a source link, an import row naming nobody) is someone's at once: the
    source's default responsible when the admin set one (``source_default``: only if they may still work leads),
    else the manager with the fewest open leads (``open_leads``: each manager who works leads and their count;
    a tie goes to the one who joined first, the lowest id), which makes a round robin while the load is even."""
    if source_default is not None:
        return source_default, Assignment.SOURCE
    if not open_leads:
        return None, Assignment.NOBODY
    return min(open_leads, key=lambda user_id: (open_leads[user_id], user_id)), Assignment.FEWEST


# --- auto-tasks ------------------------------------------------------------------------------------------------

class TaskCode(StrEnum):
    CONTACT = "contact_client"  # Связаться с клиентом
    WHATSAPP = "write_whatsapp"  # Написать в WhatsApp
    SEND_ADDRESS = "send_address"  # Отправить адрес
    CONFIRM_MEETING = "confirm_meeting"  # Подтвердить встречу
    UPDATE_NEEDS = "update_needs"  # Актуализировать потребность


@dataclass(frozen=True)
class TaskRule:
    code: TaskCode
    repeats: bool = False  # again after each cadence offset, until the status changes
    before_meeting: bool = False  # due the day before the meeting


AUTO_TASKS: dict[LeadStatus, tuple[TaskRule, ...]] = {
    LeadStatus.NEW: (TaskRule(TaskCode.CONTACT),),
    LeadStatus.CALLING: (TaskRule(TaskCode.CONTACT, repeats=True), TaskRule(TaskCode.WHATSAPP, repeats=True)),
    LeadStatus.MEETING: (TaskRule(TaskCode.SEND_ADDRESS), TaskRule(TaskCode.CONFIRM_MEETING, before_meeting=True)),
    LeadStatus.VISITED: (TaskRule(TaskCode.UPDATE_NEEDS),),
}


@dataclass(frozen=True)
class PlannedTask:
    code: TaskCode
    due_at: datetime


def plan_tasks(status: LeadStatus, entered_at: datetime, *, cadence_days: Iterable[int] = (1, 2, 4),
               meeting_at: datetime | None = None, enabled: frozenset[TaskCode] | None = None) -> list[PlannedTask]:
    """The tasks entering ``status`` creates. ``enabled`` (None: all) is the admin's switchboard."""
    planned: list[PlannedTask] = []
    for rule in AUTO_TASKS.get(status, ()):
        if enabled is not None and rule.code not in enabled:
            continue
        if rule.before_meeting:
            if meeting_at is None:
                raise MeetingTimeRequired()
            planned.append(PlannedTask(rule.code, max(entered_at, meeting_at - timedelta(days=1))))
            continue
        planned.append(PlannedTask(rule.code, entered_at))
        if rule.repeats:
            planned += [PlannedTask(rule.code, entered_at + timedelta(days=d)) for d in cadence_days]
    return sorted(planned, key=lambda p: (p.due_at, p.code))


# --- the funnel ------------------------------------------------------------------------------------------------

#: stage -> the statuses that count for it: reaching a later stage counts for the earlier ones too
FUNNEL = {
    "records": frozenset({LeadStatus.MEETING, LeadStatus.VISITED, LeadStatus.CONTRACT, LeadStatus.CONTRACT_PREPAID}),
    "visits": frozenset({LeadStatus.VISITED, LeadStatus.CONTRACT, LeadStatus.CONTRACT_PREPAID}),
    "contracts": frozenset({LeadStatus.CONTRACT, LeadStatus.CONTRACT_PREPAID}),  # a prepaid contract is a contract
    "prepaid": frozenset({LeadStatus.CONTRACT_PREPAID}),
}


def stages_reached(status: LeadStatus) -> frozenset[str]:
    """The funnel stages a lead has reached by entering ``status`` (kept on the lead, never taken back: «ever
    reached»)."""
    return frozenset(stage for stage, statuses in FUNNEL.items() if status in statuses)


@dataclass(frozen=True)
class FunnelRow:
    source: str
    leads: int = 0
    records: int = 0
    visits: int = 0
    contracts: int = 0
    prepaid: int = 0


def funnel(leads: Iterable[tuple[str, Iterable[LeadStatus]]]) -> list[FunnelRow]:
    """Per source: leads, and how many of them ever reached each stage (from their status history)."""
    counts: dict[str, dict[str, int]] = {}
    for source, reached in leads:
        reached = set(reached)
        row = counts.setdefault(source, {"leads": 0} | dict.fromkeys(FUNNEL, 0))
        row["leads"] += 1
        for stage, statuses in FUNNEL.items():
            if reached & statuses:
                row[stage] += 1
    return [FunnelRow(source, **row) for source, row in sorted(counts.items())]


class SalesDealStatus(StrEnum):
    """A general sales pipeline: a lead's contract opens a deal at «Новая», won or lost at the end."""

    NEW = "new"  # Новая
    QUALIFICATION = "qualification"  # Квалификация
    PROPOSAL = "proposal"  # Предложение
    NEGOTIATION = "negotiation"  # Переговоры
    WON = "won"  # Выиграна
    LOST = "lost"  # Проиграна


class LawDealStatus(StrEnum):
    """The law firm's deal pipeline (seed 004), one step after another."""

    DOCUMENTS = "documents"  # Сбор документов
    SENT_TO_COURT = "sent_to_court"  # Отправлен в суд
    COURT_1 = "court_1"  # Суд 1 состоялся
    BANKRUPTCY_DONE = "bankruptcy_done"  # Конкурсное производство завершено
    COURT_2 = "court_2"  # Суд 2 состоялся
    DECISION = "decision"  # Решение/определение получено



#: the status a lead's contract opens its deal in, per deal pipeline
FIRST_DEAL_STATUS: dict[LeadPipeline, str] = {LeadPipeline.SALES: SalesDealStatus.NEW,
                                              LeadPipeline.LAW: LawDealStatus.DOCUMENTS}
