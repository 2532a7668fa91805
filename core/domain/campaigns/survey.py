"""The survey (seed 001 «Опрос»): a template's questions, each of a kind, asked one by one inside the deal; an
answer is checked against its question's kind before it is kept. A template is typed as lines, one question each:

    текст: Как зовут директора?
    число: Сколько у вас складов?
    один: Форма собственности? | ООО; ИП; АО
    несколько: Что закупаете? | Бумага; Картон; Плёнка
    да/нет: Работаете с НДС?
    дата: Когда следующая закупка?
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from core.domain.campaigns.vocabulary import SURVEY_KINDS
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.inputs import clean_text, parse_amount, parse_date


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    ONE = "one"  # one of the options
    MANY = "many"  # several of the options
    YESNO = "yesno"
    DATE = "date"


#: how a line of a typed template names its kind, in the three languages
KIND_WORDS = {Kind(kind): words for kind, words in SURVEY_KINDS.items()}
CHOICE = frozenset({Kind.ONE, Kind.MANY})
MAX_QUESTIONS = 50
MAX_OPTIONS = 20


@dataclass(frozen=True)
class Question:
    kind: Kind
    text: str
    options: tuple[str, ...] = ()


def parse_template(text: str) -> list[Question]:
    """The questions of a typed template; the first bad line is refused with its number."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise InvalidInput("survey_empty")
    if len(lines) > MAX_QUESTIONS:
        raise InvalidInput("survey_too_long", max=MAX_QUESTIONS)
    questions = []
    for n, line in enumerate(lines, start=1):
        word, sep, rest = line.partition(":")
        kind = next((k for k, words in KIND_WORDS.items() if word.strip().lower() in words), None)
        if not sep or kind is None:
            raise InvalidInput("survey_line", line=n)
        wording, _, options_text = rest.partition("|")
        options = tuple(dict.fromkeys(o.strip() for o in options_text.split(";") if o.strip()))
        if kind in CHOICE and not 2 <= len(options) <= MAX_OPTIONS:
            raise InvalidInput("survey_options", line=n)
        if kind not in CHOICE and options:
            raise InvalidInput("survey_line", line=n)
        if not wording.strip() or len(wording.strip()) > 500 or any(len(o) > 64 for o in options):
            raise InvalidInput("survey_line", line=n)
        questions.append(Question(kind, wording.strip(), options))
    return questions


def parse_answer(kind: Kind, options: tuple[str, ...] | list[str], raw: Any) -> Any:
    """The answer to keep (JSON-ready), from what was typed (TEXT, NUMBER, DATE) or pressed (the index of an option
    for ONE; the set of indexes for MANY; a bool for YESNO). A wrong type is refused with what is expected."""
    try:
        if kind == Kind.TEXT:
            return clean_text(raw, max_len=2000)
        if kind == Kind.NUMBER:
            return format(parse_amount(str(raw)).normalize(), "f")  # «3», «2.5»: as typed, without «.00»
        if kind == Kind.DATE:
            return parse_date(str(raw)).isoformat()
        if kind == Kind.YESNO:
            if not isinstance(raw, bool):
                raise InvalidInput()
            return raw
        if kind == Kind.ONE:
            if not isinstance(raw, int) or not 0 <= raw < len(options):
                raise InvalidInput()
            return options[raw]
        if kind == Kind.MANY:
            picked = sorted(set(raw)) if isinstance(raw, list | set | tuple) else None
            if not picked or not all(isinstance(i, int) and 0 <= i < len(options) for i in picked):
                raise InvalidInput()
            return [options[i] for i in picked]
    except (InvalidInput, TypeError, ValueError) as exc:
        raise InvalidInput(f"answer_{kind.value}") from exc
    raise InvalidInput(f"answer_{kind.value}")


def shown(kind: Kind, value: Any, yes: str, no: str) -> str:
    """An answer as the deal page and the export show it (yes and no in the reader's words; none: «—»)."""
    if value is None:
        return "—"
    if kind == Kind.YESNO:
        return yes if value else no
    if kind == Kind.MANY:
        return "; ".join(value)
    if kind == Kind.DATE:
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    return str(value)
