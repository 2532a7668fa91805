"""A Bot API session that records every call and answers like Telegram, and a driver that feeds the real
Dispatcher updates as people would send them (messages, button presses, edits)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramForbiddenError
from aiogram.methods import TelegramMethod
from aiogram.types import (
    CallbackQuery,
    Chat,
    Contact,
    Document,
    File,
    InlineKeyboardMarkup,
    Message,
    MessageId,
    PhotoSize,
    Update,
    User,
)

BOT_USER = User(id=42, is_bot=True, first_name="Dealgram", username="dealgram_bot")
SEND = {"sendMessage", "sendDocument", "sendPhoto", "sendMediaGroup", "copyMessage", "copyMessages",
        "forwardMessage", "forwardMessages"}


@dataclass
class Shown:
    """A message as the user's chat shows it now."""

    message_id: int
    text: str | None
    markup: InlineKeyboardMarkup | None


@dataclass
class RecordingSession(BaseSession):
    calls: list[TelegramMethod] = field(default_factory=list)
    shown: dict[int, dict[int, Shown]] = field(default_factory=lambda: defaultdict(dict))
    blocked: set[int] = field(default_factory=set)
    files: dict[str, bytes] = field(default_factory=dict)  # file_id -> content, for getFile and downloads
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file_id -> (name, bytes) the bot uploaded

    def __post_init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(10_000)

    async def close(self) -> None:
        return None

    async def stream_content(self, url: str, *args, **kwargs):
        yield self.files[url.rsplit("/", 1)[1]]

    def _message(self, chat_id: int, text: str | None, markup=None, document: Document | None = None) -> Message:
        mid = next(self._ids)
        self.shown[chat_id][mid] = Shown(mid, text, markup if isinstance(markup, InlineKeyboardMarkup) else None)
        return Message(message_id=mid, date=datetime.now(UTC), chat=Chat(id=chat_id, type="private"),
                       from_user=BOT_USER, text=text, document=document)

    def _document(self, method) -> Document:
        """The document of a sendDocument: an upload gets a new file id (its bytes are kept, by that id); a file id
        sent again is the same file."""
        if isinstance(method.document, str):
            return Document(file_id=method.document, file_unique_id=method.document)
        file_id = f"UPLOADED-{len(self.uploads) + 1}"
        self.uploads[file_id] = (method.document.filename, method.document.data)
        return Document(file_id=file_id, file_unique_id=file_id, file_name=method.document.filename)

    async def make_request(self, bot: Bot, method: TelegramMethod, timeout: int | None = None) -> Any:
        name = method.__api_method__
        self.calls.append(method)
        chat_id = getattr(method, "chat_id", None)
        if name in SEND and chat_id in self.blocked:
            raise TelegramForbiddenError(method=method, message="Forbidden: bot was blocked by the user")
        if name == "getMe":
            return BOT_USER
        if name == "getFile":
            return File(file_id=method.file_id, file_unique_id=method.file_id, file_path=f"documents/{method.file_id}",
                        file_size=len(self.files[method.file_id]))
        if name == "sendMessage":
            return self._message(chat_id, method.text, method.reply_markup)
        if name == "sendDocument":
            return self._message(chat_id, method.caption, method.reply_markup, self._document(method))
        if name == "sendPhoto":
            return self._message(chat_id, method.caption, method.reply_markup)
        if name == "sendMediaGroup":
            return [self._message(chat_id, None) for _ in method.media]
        if name == "copyMessage":
            return MessageId(message_id=self._message(chat_id, method.caption).message_id)
        if name == "copyMessages":
            return [MessageId(message_id=self._message(chat_id, None).message_id) for _ in method.message_ids]
        if name in ("editMessageText", "editMessageReplyMarkup"):
            shown = self.shown[chat_id].get(method.message_id)
            if shown is not None:
                if name == "editMessageText":
                    shown.text = method.text
                shown.markup = method.reply_markup
            return True
        if name in ("answerCallbackQuery", "setMyCommands", "deleteWebhook", "deleteMessage"):
            return True
        raise AssertionError(f"unexpected Bot API call {name}")


SAMPLES = {  # the first bytes of a file of each kind, for documents sent without content
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    "docx": b"PK\x03\x04\x14\x00\x06\x00", "xlsx": b"PK\x03\x04\x14\x00\x06\x00", "zip": b"PK\x03\x04\x14\x00",
    "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
    "jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF", "png": b"\x89PNG\r\n\x1a\n\x00\x00",
}


class Person:
    def __init__(self, tg_id: int, name: str, language_code: str = "ru", username: str | None = None) -> None:
        self.id, self.name, self.language_code, self.username = tg_id, name, language_code, username

    @property
    def user(self) -> User:
        return User(id=self.id, is_bot=False, first_name=self.name, language_code=self.language_code,
                    username=self.username)

    @property
    def chat(self) -> Chat:
        return Chat(id=self.id, type="private")


class Driver:
    """Feeds updates to the real Dispatcher and lets the outbox deliver what they caused."""

    def __init__(self, app, session: RecordingSession, first_update_id: int = 1) -> None:
        self.app, self.session = app, session
        self._update_ids = itertools.count(first_update_id)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self.mark = 0

    async def feed(self, update: Update) -> None:
        await self.app.dp.feed_update(self.app.bot, update)
        await self.app.worker.drain()

    def _msg(self, who: Person, **fields) -> Message:
        return Message(message_id=next(self._message_ids), date=datetime.now(UTC), chat=who.chat,
                       from_user=who.user, **fields)

    async def send(self, who: Person, text: str | None = None, **fields) -> int:
        msg = self._msg(who, text=text, **fields)
        await self.feed(Update(update_id=next(self._update_ids), message=msg))
        return msg.message_id

    async def send_update(self, update_id: int, who: Person, text: str) -> None:
        await self.feed(Update(update_id=update_id, message=self._msg(who, text=text)))

    async def document(self, who: Person, name: str, mime: str = "application/pdf", size: int = 1000,
                       caption: str | None = None, media_group_id: str | None = None, reply_to: int | None = None,
                       content: bytes | None = None):
        """A document; without ``content`` it starts as a real file of its extension would (see SAMPLES)."""
        n = next(self._message_ids)
        doc = Document(file_id=f"DOC-{who.id}-{n}", file_unique_id=f"U-{who.id}-{n}", file_name=name,
                       mime_type=mime, file_size=len(content) if content is not None else size)
        ext = name.rsplit(".", 1)[-1].lower()
        self.session.files[doc.file_id] = content if content is not None else SAMPLES.get(ext, b"plain text\n")
        return await self.send(who, document=doc, caption=caption, media_group_id=media_group_id,
                               reply_to_message=self._reply(who, reply_to))

    async def start(self, who: Person, payload: str | None = None) -> None:
        """/start as a person does it: the consent text is answered with «Согласен» (the link is followed then)."""
        await self.send(who, "/start" + (f" {payload}" if payload else ""))
        for shown in reversed(list(self.session.shown[who.id].values())):
            for row in (shown.markup.inline_keyboard if shown.markup else []):
                for b in row:
                    if b.callback_data == "pd:1:0":
                        await self.press(who, data=b.callback_data, on=shown)
                        return
            return

    async def photo(self, who: Person, caption: str | None = None, media_group_id: str | None = None) -> int:
        n = next(self._message_ids)
        sizes = [PhotoSize(file_id=f"PH-{who.id}-{n}", file_unique_id=f"PU-{who.id}-{n}", width=800, height=600,
                           file_size=50_000)]
        return await self.send(who, photo=sizes, caption=caption, media_group_id=media_group_id)

    async def contact(self, who: Person, phone: str) -> int:
        return await self.send(who, contact=Contact(phone_number=phone, first_name=who.name, user_id=who.id))

    def _reply(self, who: Person, message_id: int | None) -> Message | None:
        if message_id is None:
            return None
        return Message(message_id=message_id, date=datetime.now(UTC), chat=who.chat, from_user=BOT_USER, text="…")

    async def reply(self, who: Person, to_message_id: int, text: str) -> int:
        return await self.send(who, text, reply_to_message=self._reply(who, to_message_id))

    async def edit(self, who: Person, message_id: int, text: str) -> None:
        msg = Message(message_id=message_id, date=datetime.now(UTC), chat=who.chat, from_user=who.user, text=text,
                      edit_date=int(datetime.now(UTC).timestamp()))
        await self.feed(Update(update_id=next(self._update_ids), edited_message=msg))

    def button(self, who: Person, label: str) -> tuple[Shown, str]:
        """The newest message in the chat with a button whose text contains ``label``."""
        for shown in reversed(list(self.session.shown[who.id].values())):
            for row in (shown.markup.inline_keyboard if shown.markup else []):
                for b in row:
                    if label in b.text and b.callback_data:
                        return shown, b.callback_data
        raise AssertionError(f"{who.name} has no button «{label}»; last texts: {self.texts(who)[-3:]}")

    async def press(self, who: Person, label: str | None = None, *, data: str | None = None,
                    on: Shown | None = None) -> None:
        if data is None:
            on, data = self.button(who, label)
        on = on or next(reversed(self.session.shown[who.id].values()))
        message = Message(message_id=on.message_id, date=datetime.now(UTC), chat=who.chat, from_user=BOT_USER,
                          text=on.text or "…", reply_markup=on.markup)
        cb = CallbackQuery(id=f"{who.id}-{next(self._callback_ids)}", from_user=who.user, chat_instance="ci",
                           message=message, data=data)
        await self.feed(Update(update_id=next(self._update_ids), callback_query=cb))

    # --- what people received ----------------------------------------------------------------------------

    def calls_to(self, who: Person, since: int = 0) -> list[TelegramMethod]:
        return [c for c in self.session.calls[since:] if getattr(c, "chat_id", None) == who.id]

    def texts(self, who: Person, since: int = 0) -> list[str]:
        out = []
        for c in self.calls_to(who, since):
            text = getattr(c, "text", None) or getattr(c, "caption", None)
            if text:
                out.append(text)
        return out

    def labels(self, who: Person) -> list[str]:
        """The buttons of the newest message in the chat, as the person reads them, row after row."""
        shown = next(reversed(self.session.shown[who.id].values()))
        return [b.text for row in shown.markup.inline_keyboard for b in row] if shown.markup else []

    def alerts(self, who: Person, since: int = 0) -> list[str]:
        return [c.text for c in self.session.calls[since:] if c.__api_method__ == "answerCallbackQuery"
                and c.callback_query_id.startswith(f"{who.id}-") and c.text]

    def everything(self, who: Person, since: int = 0) -> str:
        return "\n".join(self.texts(who, since) + self.alerts(who, since))

    def seen_by(self, who: Person, since: int = 0) -> str:
        """Everything this person was shown, whole: each call to their chat (texts, captions, file names, buttons
        and their callback data) and each alert they got, as one text."""
        calls = [c for c in self.session.calls[since:] if getattr(c, "chat_id", None) == who.id
                 or (c.__api_method__ == "answerCallbackQuery" and c.callback_query_id.startswith(f"{who.id}-"))]
        return "\n".join(repr(c.model_dump(exclude_none=True)) for c in calls)

    def methods(self, who: Person, since: int = 0) -> list[str]:
        return [c.__api_method__ for c in self.calls_to(who, since)]

    def now(self) -> int:
        """A mark in the call log: pass it as ``since`` to look only at what came after."""
        return len(self.session.calls)
