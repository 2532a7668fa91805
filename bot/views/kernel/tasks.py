"""The screens of tasks: «Мои задачи» grouped (overdue, today, upcoming), and the one message that lists the tasks
falling due (or overdue) at once, with a button to open each. Each task names its deal and counterparty."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.types import InlineKeyboardMarkup as Markup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from bot.keyboards.builders import menu_button
from bot.keyboards.callbacks import LeadAction, LeadCb, MenuAction, MenuCb, TaskAction, TaskCb, WsAction, WsCb
from bot.keyboards.pager import button, fit
from bot.views.kernel.names import close_reason
from core.db.kernel import models as m
from core.services.kernel.tasks import MyTasks, TaskLine

#: how many tasks a reminder lists, each with its button (the rest are counted; «Мои задачи» has them all)
LISTED = 10


@dataclass(frozen=True)
class _Shown:
    """A part the translator has already rendered (and escaped): put into another text as it is."""

    text: str

    def __format__(self, spec: str) -> str:
        return self.text


def task_title(t: Translator, task) -> str:
    """A task the process or a rule made is named by its code and params, in the reader's language
    (``task_code.<code>``, ``task_code.<code>_<variant>``); one a person typed, by the words they typed; one made
    before its code had words, by the title it was made with. Its notes (why it went to whom) are facts the
    screens that show them word on a line of their own (``task_notes``), never part of the title."""
    params = dict(getattr(task, "params", None) or {})
    variant = params.pop("variant", None)
    params.pop("notes", None)
    key = f"task_code.{task.code}" + (f"_{variant}" if variant else "")
    if not task.code or not t.has(key):
        return task.title or "—"
    return t(key, **params)


def task_notes(t: Translator, tasks) -> list[str]:
    """The notes of these tasks, each once, as lines (``task_code.notes.<note>``): «a department with no group
    set: its task is the executor's»."""
    seen = dict.fromkeys(n for x in tasks for n in ((getattr(x, "params", None) or {}).get("notes") or ()))
    return [t(f"task_code.notes.{n}") for n in seen if t.has(f"task_code.notes.{n}")]


def where(t: Translator, x: TaskLine) -> _Shown:
    """« — «Поставка бумаги» (ООО Ромашка)», « — «ООО Ромашка»» (a deal named by its client), or « — лид №3», or
    nothing."""
    if x.deal is not None:
        named_by_client = x.client and x.client == x.deal  # a cold call's deal is named by its counterparty
        text = t("tasks.of_deal", deal=x.deal) + (t("tasks.of_client", client=x.client)
                                                  if x.client and not named_by_client else "")
    elif x.task.lead_id:
        text = t("tasks.of_lead", id=x.task.lead_id)
    else:
        text = ""
    return _Shown(text)


def my_tasks(t: Translator, mine: MyTasks) -> tuple[str, Markup]:
    """«Мои задачи»: the groups with their counts, each task with its deal, and its buttons (done, +1 h, tomorrow,
    another time, another person)."""
    kb = InlineKeyboardBuilder()
    lines = [f"<b>{t('tasks.mine_title', total=mine.total)}</b>"]
    for key, group in (("tasks.group_overdue", mine.overdue), ("tasks.group_today", mine.today),
                       ("tasks.group_upcoming", mine.upcoming)):
        if not group:
            continue
        lines.append(f"<b>{t(key, count=len(group))}</b>")
        for x in group:
            task = x.task
            lines.append(t("tasks.line", id=task.id, title=task_title(t, task), where=where(t, x),
                           due=t.dt(task.due_at)))
            kb.row(done_button(t, task, listed=True))  # its line's number and its name: never a bare «№10»
            kb.row(button(t("tasks.hour_button"), TaskCb(action=TaskAction.SNOOZE_HOUR, task_id=task.id)),
                   button(t("tasks.tomorrow_button"), TaskCb(action=TaskAction.SNOOZE_TOMORROW, task_id=task.id)))
            kb.row(button(t("tasks.pick_button"), TaskCb(action=TaskAction.SNOOZE_PICK, task_id=task.id)),
                   button(t("tasks.reassign_button"), TaskCb(action=TaskAction.REASSIGN, task_id=task.id)))
    if mine.more:
        lines.append(t("tasks.more", count=mine.more))
    if mine.total == 0:
        lines.append(t("lists.empty"))
    kb.row(menu_button(t))
    return "\n".join(lines), kb.as_markup()


def done_button(t: Translator, task: m.Task, *, listed: bool = False):
    """« ✅ Отправить адрес » under a task's notice; « ✅ №10 Отправить адрес » in a list whose lines start with «№10»:
    the task named, never a bare number, which reads like a lead's."""
    title = _Shown(task_title(t, task))  # rendered already: not escaped again
    return button(fit(t("tasks.done_listed", id=task.id, title=title) if listed
                      else t("tasks.done_button", title=title), 60),
                  TaskCb(action=TaskAction.DONE, task_id=task.id))


def open_button(t: Translator, x: TaskLine, label: str):
    """The button to a task's object: its deal's card, or its lead's (None: a task of neither)."""
    if x.task.deal_id:
        return button(label, WsCb(action=WsAction.OPEN, deal_id=x.task.deal_id))
    if x.task.lead_id:
        return button(label, LeadCb(action=LeadAction.OPEN, lead_id=x.task.lead_id))
    return None


def one_task_buttons(t: Translator, x: TaskLine) -> Markup:
    """Under a notice about one task: open its deal (or lead), done, +1 h, and «My tasks»."""
    kb = InlineKeyboardBuilder()
    label = t("tasks.open_deal") if x.task.deal_id else t("tasks.open_lead", id=x.task.lead_id)
    if (opened := open_button(t, x, label)) is not None:
        kb.row(opened)
    kb.row(done_button(t, x.task), button(t("tasks.hour_button"), TaskCb(action=TaskAction.SNOOZE_HOUR,
                                                                        task_id=x.task.id)))
    kb.row(button(t("tasks.all_button"), MenuCb(action=MenuAction.TASKS)))
    return kb.as_markup()


def due(t: Translator, listed: list[TaskLine], *, overdue: bool, recipient_id: int, total: int | None = None
        ) -> tuple[str, Markup]:
    """The tasks that fell due (or became overdue) at once, in one message: one task as a sentence, several as a
    list (the first ``LISTED``, the rest counted), a button to open each one's deal, and «Мои задачи»."""
    kb = InlineKeyboardBuilder()
    total = len(listed) if total is None else total
    shown = listed[:LISTED]
    if len(listed) == 1 and total == 1:  # one task: a sentence, and the buttons of a single task's notice
        x = listed[0]
        text = t("tasks.overdue" if overdue else "tasks.reminder", title=task_title(t, x.task), lead=where(t, x),
                 due=t.dt(x.task.due_at), responsible=x.responsible)
        return text, one_task_buttons(t, x)
    else:
        lines = [t("tasks.overdue_many" if overdue else "tasks.due_many", count=total)]
        for x in shown:
            mine = x.task.responsible_id == recipient_id
            lines.append(t("tasks.item" if mine else "tasks.item_of", title=task_title(t, x.task), where=where(t, x),
                           due=t.dt(x.task.due_at), responsible=x.responsible))
        if total > len(shown):
            lines.append(t("tasks.more", count=total - len(shown)))
        text = "\n".join(lines)
    labels = [x.deal or (t("tasks.open_lead", id=x.task.lead_id) if x.task.lead_id else "") for x in shown]
    for n, (x, label) in enumerate(zip(shown, labels, strict=True), 1):
        if labels.count(label) > 1:  # two tasks of one lead (or deal): each button names its task too
            label = f"{label} · {task_title(t, x.task)}"
        if (opened := open_button(t, x, fit(f"{n}. {label}", 52))) is not None:
            kb.row(opened)
    kb.row(button(t("tasks.all_button"), MenuCb(action=MenuAction.TASKS)))
    return text, kb.as_markup()


def deals_closed(t: Translator, deals: list[list], reason: str | None) -> tuple[str, Markup]:
    """Deals of one executor closed together by their deadline (stage 1's ten days): one notice, the first ones
    named with a button each, the rest counted."""
    kb = InlineKeyboardBuilder()
    lines = [t("notify.stages_closed", count=len(deals), reason=close_reason(t, reason) or "—")]
    for n, (deal_id, name) in enumerate(deals[:LISTED], 1):
        lines.append(t("notify.closed_deal", name=name, id=deal_id))
        kb.row(button(fit(f"{n}. {name}", 52), WsCb(action=WsAction.OPEN, deal_id=deal_id)))
    if len(deals) > LISTED:
        lines.append(t("notify.closed_more", count=len(deals) - LISTED))
    return "\n".join(lines), kb.as_markup()
