"""A fake Telegram Bot API server (aiohttp) for end-to-end tests of the real `python -m bot` process.

It serves getUpdates (long polling), the send methods, file upload (multipart) and download, and records
every call. The test plays the people: it queues their updates and reads what the bot sent them. It can also
misbehave as Telegram does: 429 over the limits or in a storm, 403 for a user who blocked the bot."""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web

BOT = {"id": 42, "is_bot": True, "first_name": "Dealgram", "username": "dealgram_bot"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    uploads: dict[str, bytes] = field(default_factory=dict)


SENDS = {"sendMessage", "sendDocument", "sendPhoto", "sendMediaGroup", "copyMessage", "copyMessages",
         "forwardMessage", "forwardMessages"}


class FakeBotApi:
    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.updates: list[dict] = []
        self.files: dict[str, bytes] = {}
        self.shown: dict[int, dict[int, dict]] = {}  # chat -> message id -> message as the chat shows it
        self._new_update = asyncio.Condition()
        self._ids = itertools.count(50_000)
        self._update_ids = itertools.count(1)
        self.runner: web.AppRunner | None = None
        self.port = 0
        self.webhook: tuple[str, str] | None = None  # (url, secret) once the bot called setWebhook
        self.deliveries: list[tuple[int, int]] = []  # (update_id, the bot's HTTP status) in webhook mode
        self.languages: dict[int, str] = {}  # a person's Telegram language (ru unless set)
        # faults, as Telegram gives them
        self.limits = False  # True: more than 30 sends in a second, or two to one chat within a second, get 429
        self.too_many = 0  # the 429s given
        self.storm = 0  # the next this many sends get 429 whatever the pace
        self.storm_retry_after = 1
        self.blocked: set[int] = set()  # chats whose user blocked the bot: 403
        self.drops: dict[str, int] = {}  # method -> its next this many calls: the connection dropped, no answer
        self.forbidden = 0  # the 403s given
        self._window: deque[float] = deque()
        self._chat_last: dict[int, float] = {}
        self.accepted: list[float] = []  # when each send was let through (with the limits on)
        self.refusals: list[tuple[float, int, int]] = []  # (when, chat, sends in the window) for each 429

    # --- the server ----------------------------------------------------------------------------------------

    async def start(self, port: int = 0) -> str:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        # Enforcing the limits, the server times each request as it handles it. A full pass of this process's
        # garbage collector (a test run's or a benchmark's heap is large) would stop it for a while, and requests
        # that wait meanwhile would be handled, and counted, as if they had arrived together: Telegram does not
        # pause like that. So while it enforces the limits, the collector waits.
        self._collector_was_on = self.limits and gc.isenabled()
        if self._collector_was_on:
            gc.collect()
            gc.disable()
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        if self.runner:
            await self.runner.cleanup()
        if getattr(self, "_collector_was_on", False):
            self._collector_was_on = False
            gc.enable()

    async def _params(self, request: web.Request) -> tuple[dict, dict]:
        params: dict[str, Any] = dict(request.query)
        uploads: dict[str, bytes] = {}
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if hasattr(value, "file"):
                    uploads[key] = value.file.read()
                else:
                    params[key] = value
        for key, value in list(params.items()):
            if isinstance(value, str) and value[:1] in "[{":
                try:
                    params[key] = json.loads(value)
                except ValueError:
                    pass
        return params, uploads

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params, uploads = await self._params(request)
        if self.drops.get(method, 0) > 0:  # the network drops the connection mid-request
            self.drops[method] -= 1
            self.calls.append(Call(f"dropped:{method}", params, uploads))
            request.transport.close()
            return web.Response(status=204)
        if method in SENDS and (refused := self._refuse(params)) is not None:
            return refused
        if method != "getUpdates":
            self.calls.append(Call(method, params, uploads))
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": f"Not Found: {method}"},
                                     status=404)
        return web.json_response({"ok": True, "result": await handler(params, uploads)})

    def _refuse(self, params: dict) -> web.Response | None:
        """403 for a user who blocked the bot; 429 in a storm, or over Telegram's limits when they are on."""
        chat = int(params.get("chat_id", 0))
        if chat in self.blocked:
            self.forbidden += 1
            return web.json_response({"ok": False, "error_code": 403,
                                      "description": "Forbidden: bot was blocked by the user"}, status=403)
        if self.storm > 0:
            self.storm -= 1
            return self._too_many(self.storm_retry_after)
        if not self.limits:
            return None
        now = time.monotonic()
        # 30 a second overall and 1 a second per chat, with 5% slack for the loopback's jitter: a sender that
        # keeps exactly to the limits would otherwise be refused whenever a request arrives a millisecond early
        while self._window and now - self._window[0] >= 0.95:
            self._window.popleft()
        if len(self._window) >= 30 or now - self._chat_last.get(chat, -10.0) < 0.95:
            self.refusals.append((now, chat, len(self._window)))
            return self._too_many(1)
        self._window.append(now)
        self.accepted.append(now)
        self._chat_last[chat] = now
        return None

    def _too_many(self, retry_after: int) -> web.Response:
        self.too_many += 1
        return web.json_response({"ok": False, "error_code": 429,
                                  "description": f"Too Many Requests: retry after {retry_after}",
                                  "parameters": {"retry_after": retry_after}}, status=429)

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        data = self.files.get(request.match_info["path"])
        return web.Response(body=data) if data is not None else web.Response(status=404)

    # --- methods -------------------------------------------------------------------------------------------

    async def _m_getUpdates(self, p, _):
        offset = int(p.get("offset") or 0)
        timeout = float(p.get("timeout") or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and timeout:
            async with self._new_update:
                try:
                    await asyncio.wait_for(self._new_update.wait(), min(timeout, 1.0))
                except TimeoutError:
                    pass
        return self.updates[:100]

    async def _m_getMe(self, p, _):
        return BOT

    async def _true(self, p, _):
        return True

    async def _m_setWebhook(self, p, _):
        self.webhook = (p["url"], p.get("secret_token", ""))
        return True

    _m_deleteWebhook = _m_setMyCommands = _m_answerCallbackQuery = _m_deleteMessage = _true

    def _message(self, chat_id, text=None, markup=None, **extra) -> dict:
        mid = next(self._ids)
        msg = {"message_id": mid, "date": int(time.time()), "chat": {"id": int(chat_id), "type": "private"},
               "from": BOT, **({"text": text} if text is not None else {}), **extra}
        if isinstance(markup, dict) and "inline_keyboard" in markup:  # as Telegram: only inline keyboards
            msg["reply_markup"] = markup
        self.shown.setdefault(int(chat_id), {})[mid] = msg
        return msg

    async def _m_sendMessage(self, p, _):
        return self._message(p["chat_id"], p.get("text"), p.get("reply_markup"))

    async def _m_sendDocument(self, p, uploads):
        doc = p.get("document")
        if "document" in uploads or (isinstance(doc, str) and doc.startswith("attach://")):
            data = next(iter(uploads.values()))
            file_id = f"UP-{next(self._ids)}"
            self.files[f"documents/{file_id}"] = data
            doc = file_id
        return self._message(p["chat_id"], None, p.get("reply_markup"), caption=p.get("caption"),
                             document={"file_id": doc, "file_unique_id": f"u{doc}"})

    async def _m_sendPhoto(self, p, uploads):
        photo = p.get("photo")
        if uploads:
            photo = f"UP-{next(self._ids)}"
            self.files[f"photos/{photo}"] = next(iter(uploads.values()))
        return self._message(p["chat_id"], None, p.get("reply_markup"), caption=p.get("caption"),
                             photo=[{"file_id": photo, "file_unique_id": "p", "width": 1, "height": 1}])

    async def _m_sendMediaGroup(self, p, _):
        return [self._message(p["chat_id"]) for _ in p["media"]]

    async def _m_copyMessage(self, p, _):
        return {"message_id": self._message(p["chat_id"], None, p.get("reply_markup"),
                                            caption=p.get("caption"))["message_id"]}

    async def _m_copyMessages(self, p, _):
        return [{"message_id": self._message(p["chat_id"])["message_id"]} for _ in p["message_ids"]]

    async def _m_editMessageReplyMarkup(self, p, _):
        msg = self.shown.get(int(p["chat_id"]), {}).get(int(p["message_id"]))
        if msg is not None:
            msg["reply_markup"] = p.get("reply_markup")
        return msg or True

    async def _m_editMessageText(self, p, _):
        msg = self.shown.get(int(p["chat_id"]), {}).get(int(p["message_id"]))
        if msg is not None:
            msg["text"], msg["reply_markup"] = p.get("text"), p.get("reply_markup")
        return msg or True

    async def _m_getFile(self, p, _):
        return {"file_id": p["file_id"], "file_unique_id": "u", "file_path": f"documents/{p['file_id']}"}

    # --- the people ----------------------------------------------------------------------------------------

    async def push(self, update: dict) -> None:
        update["update_id"] = next(self._update_ids)
        if self.webhook:  # as Telegram does once a webhook is set: POST it, with the secret in a header
            await self.deliver(update)
            return
        self.updates.append(update)
        async with self._new_update:
            self._new_update.notify_all()

    async def deliver(self, update: dict, secret: str | None = None) -> int:
        url, own = self.webhook
        async with ClientSession() as http, http.post(url, json=update, headers={
                "X-Telegram-Bot-Api-Secret-Token": own if secret is None else secret}) as response:
            self.deliveries.append((update["update_id"], response.status))
            return response.status

    def user(self, tg_id: int, name: str) -> dict:
        return {"id": tg_id, "is_bot": False, "first_name": name, "language_code": self.languages.get(tg_id, "ru")}

    async def send(self, tg_id: int, name: str, text: str | None = None, **extra) -> int:
        mid = next(self._ids)
        msg = {"message_id": mid, "date": int(time.time()), "chat": {"id": tg_id, "type": "private"},
               "from": self.user(tg_id, name), **({"text": text} if text is not None else {}), **extra}
        if text and text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        await self.push({"message": msg})
        return mid

    def find_button(self, tg_id: int, label: str) -> tuple[dict, str]:
        for msg in reversed(list(self.shown.get(tg_id, {}).values())):
            for row in (msg.get("reply_markup") or {}).get("inline_keyboard", []):
                for b in row:
                    if label in b["text"] and b.get("callback_data"):
                        return msg, b["callback_data"]
        raise AssertionError(f"no button «{label}» in chat {tg_id}")

    async def press(self, tg_id: int, name: str, label: str) -> None:
        msg, data = self.find_button(tg_id, label)
        await self.push({"callback_query": {"id": str(next(self._ids)), "from": self.user(tg_id, name),
                                            "chat_instance": "ci", "message": msg, "data": data}})

    def sent_to(self, tg_id: int) -> list[Call]:
        return [c for c in self.calls if str(c.params.get("chat_id")) == str(tg_id)]

    def texts(self, tg_id: int) -> list[str]:
        return [c.params.get("text") or c.params.get("caption") or "" for c in self.sent_to(tg_id)]

    def mark(self) -> int:
        return len(self.calls)

    #: how long a reply may take: generous, for a bot still starting (migrations) on a loaded CI machine
    PATIENCE = 45.0

    async def wait_for(self, tg_id: int, needle: str, after: int = 0, timeout: float = PATIENCE) -> Call:
        """The first call to this chat after ``after`` whose text has ``needle``, waiting for the bot to send it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for call in [c for c in self.calls[after:] if str(c.params.get("chat_id")) == str(tg_id)]:
                text = call.params.get("text") or call.params.get("caption") or ""
                if needle in text:
                    return call
            await asyncio.sleep(0.05)
        raise AssertionError(f"chat {tg_id} never got «{needle}»; it got: {self.texts(tg_id)[-5:]}")

    async def wait_method(self, tg_id: int, method: str, after: int = 0, timeout: float = PATIENCE) -> Call:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for call in self.calls[after:]:
                if call.method == method and str(call.params.get("chat_id")) == str(tg_id):
                    return call
            await asyncio.sleep(0.05)
        raise AssertionError(f"chat {tg_id} never got {method}")
