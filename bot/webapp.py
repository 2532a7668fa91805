"""The kanban as a Telegram Mini App, served by the bot's own aiohttp server.

Every API request carries Telegram's initData (header ``Authorization: tma <initData>``); its signature is
checked with the bot token (aiogram.utils.web_app) and its age with ``WEBAPP_AUTH_TTL``; the Telegram user it
names must be staff, and sees only the deals their role allows (the same core services as the chat). A drag
changes the status through ``workspace.move``: the same rules, a refusal answered with the reason in the
user's language. Files are streamed through the server: the page never sees a Telegram file URL (it holds the
token)."""

from __future__ import annotations

import json
import logging
import mimetypes
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from aiogram import Bot
from aiogram.utils.web_app import WebAppInitData, safe_parse_webapp_init_data
from aiohttp import web

from bot.i18n import LOCALES_DIR, Translator, catalogue
from bot.views.kernel.names import status_of
from bot.views.kernel.tasks import task_title
from bot.views.leasing import lease as lease_view
from core.clock import Clock
from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.deals.workspace import Pipeline
from core.domain.kernel.errors import DomainError, Forbidden
from core.domain.kernel.roles import STAFF, holds
from core.domain.leasing.calc import Method, Timing
from core.services.deals import listing as deal_list
from core.services.deals import workspace
from core.services.deals.listing import Filter, Row
from core.services.kernel import deployment, directories
from core.services.kernel.directories import Directory
from core.services.leasing import origination as leasing

log = logging.getLogger(__name__)
PAGE = Path(__file__).parent / "webapp_static" / "index.html"
CALC_PAGE = Path(__file__).parent / "webapp_static" / "calc.html"
#: the API everyone in the bot may use (the leasing calculator, seed 002); the rest is the staff's
OPEN_API = "/app/api/lease/"
USER = web.RequestKey("user", m.User)


def _row(t: Translator, r: Row, now: datetime) -> dict:
    return {"id": r.id, "name": r.name, "manager": r.manager, "client": r.client, "source": r.source,
            "status_id": r.status_id, "next_reminder": t.dt(r.next_reminder) if r.next_reminder else None,
            "overdue": r.next_reminder is not None and r.next_reminder <= now, "budget": t.money(r.budget)}


LABELS = ("no_tasks", "mine", "all", "payments", "orders", "contacts", "feed", "budget", "close", "more", "sum",
          "empty_column", "empty_board", "search", "filter_no_tasks", "filter_overdue", "any_manager", "any_source",
          "final", "status", "kind", "client", "source", "responsible", "reminder", "change_status", "none", "author",
          "open_file", "close_image", "hint", "empty_mine", "show_all", "reset_filters", "overdue", "hint_close")
#: what the page says before (or without) the server's answer: a failed or refused start, loading; in every language,
#: written into the page when it is served, so the page picks the person's own from Telegram's language code
OWN_TEXTS = ("loading", "failed", "expired", "refused", "retry", "not_moved")
OWN_MARK = '{"own": "texts"}'


def _page_with_own_texts(default_locale: str) -> str:
    texts = {p.stem: {key: catalogue(p.stem)[f"webapp.page_{key}"] for key in OWN_TEXTS}
             for p in sorted(LOCALES_DIR.glob("*.toml"))}
    default = default_locale if default_locale in texts else "ru"
    own = json.dumps({"default": default, "texts": texts}, ensure_ascii=False).replace("</", "<\\/")
    html = PAGE.read_text(encoding="utf-8")
    if OWN_MARK not in html:
        raise RuntimeError(f"{PAGE} lost the place for its own texts ({OWN_MARK})")
    return html.replace(OWN_MARK, own)


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def create_webapp(token: str, bot: Bot, uow: Callable[[], UnitOfWork], clock: Clock, *, auth_ttl: int = 86400,
                  default_locale: str = "ru", currency: str = "PLN", max_months: int = 240) -> web.Application:
    def translator(user: m.User) -> Translator:
        return Translator(user.locale or default_locale, user.timezone)

    async def authenticate(request: web.Request) -> m.User:
        header = request.headers.get("Authorization", "")
        if not header.startswith("tma "):
            raise web.HTTPUnauthorized(text="initData required")
        try:
            data: WebAppInitData = safe_parse_webapp_init_data(token, header[4:])
        except ValueError:
            log.warning("webapp: a request with a forged or broken initData refused")
            raise web.HTTPUnauthorized(text="invalid initData") from None
        if data.user is None or (clock.now() - data.auth_date).total_seconds() > auth_ttl:
            raise web.HTTPUnauthorized(text="initData expired")
        async with uow() as u:
            user = await u.users.by_tg(data.user.id)
        if user is None or (not holds(user, *STAFF) and not request.path.startswith(OPEN_API)):
            raise web.HTTPForbidden(text="staff only")
        return user

    @web.middleware
    async def auth(request: web.Request, handler):
        if request.path.startswith("/app/api/"):
            request[USER] = await authenticate(request)
        return await handler(request)

    board_page = _page_with_own_texts(default_locale)

    async def page(_: web.Request) -> web.Response:
        return web.Response(text=board_page, content_type="text/html", headers={"Cache-Control": "no-cache"})

    def refused(user: m.User, exc: DomainError, status: int = 409) -> web.Response:
        return web.json_response({"error": translator(user).error(exc)}, status=status)

    def board_filter(request: web.Request, pipeline: str, status_id: int | None = None) -> Filter:
        """The board's filter from the page's query: mine or all, a search, a manager, a source (the list's)."""
        q = request.query
        query = (q.get("q") or "").strip()[:64] or None
        return Filter(mine=q.get("mine", "1") == "1", status_id=status_id, manager_id=_number(q.get("manager")),
                      query=query, pipeline=pipeline, source_id=_number(q.get("source")))

    async def board(request: web.Request) -> web.Response:
        user = request[USER]
        t = translator(user)
        pipeline = request.query.get("pipeline") or await deployment.lead_pipeline(uow())
        if pipeline not in set(Pipeline):
            return web.json_response({"error": t("errors.invalid_input")}, status=400)
        f = board_filter(request, pipeline)
        try:
            columns = await deal_list.board(uow(), user.id, pipeline, f)
            people = await workspace.colleagues(uow(), user.id)
            sources = await directories.listing(uow(), Directory.SOURCES, active_only=False)
        except Forbidden as exc:
            return refused(user, exc, 403)
        now = clock.now()
        return web.json_response({
            "pipeline": pipeline, "mine": f.mine, "title": t("webapp.title"),
            "labels": {key: t(f"webapp.{key}") for key in LABELS}
            | {"pipelines": {p.value: t(f"pipeline.{p.value}") for p in Pipeline}},
            "managers": [{"id": u.id, "name": u.name} for u in people],
            "sources": [{"id": x.id, "name": x.name} for x in sources],
            "columns": [{"id": c.status.id, "name": status_of(t, c.status), "color": c.status.color,
                         "final": c.status.final,
                         "count": c.count, "sum": t.money(c.total), "more": c.count - len(c.cards),
                         "cards": [_row(t, r, now) for r in c.cards]} for c in columns]})

    async def column(request: web.Request) -> web.Response:
        """The next cards of one column (after the first ``BOARD_CARDS``), with the board's filter."""
        user = request[USER]
        t = translator(user)
        pipeline = request.query.get("pipeline") or await deployment.lead_pipeline(uow())
        status_id, page_no = _number(request.query.get("status")), _number(request.query.get("page")) or 0
        if pipeline not in set(Pipeline) or status_id is None or page_no < 0:
            return web.json_response({"error": t("errors.invalid_input")}, status=400)
        try:
            rows, total = await deal_list.page(uow(), user.id, board_filter(request, pipeline, status_id), page_no,
                                               deal_list.BOARD_CARDS)
        except Forbidden as exc:
            return refused(user, exc, 403)
        now = clock.now()
        return web.json_response({"cards": [_row(t, r, now) for r in rows],
                                  "more": max(total - (page_no + 1) * deal_list.BOARD_CARDS, 0)})

    async def move(request: web.Request) -> web.Response:
        user = request[USER]
        try:
            body = await request.json()
            deal_id, status_id = int(request.match_info["deal_id"]), int(body["status_id"])
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": translator(user)("errors.invalid_input")}, status=400)
        try:
            deal = await workspace.move(uow(), user.id, deal_id, status_id)
        except DomainError as exc:
            return refused(user, exc)
        answer = {"ok": True, "id": deal.id, "status_id": deal.status_id}
        pipeline = request.query.get("pipeline")
        if pipeline in set(Pipeline):  # the board's counts and sums after the move, with the board's own filter
            t = translator(user)
            try:
                columns = await deal_list.board(uow(), user.id, pipeline, board_filter(request, pipeline), cards=0)
            except Forbidden as exc:
                return refused(user, exc, 403)
            answer["columns"] = [{"id": c.status.id, "count": c.count, "sum": t.money(c.total)} for c in columns]
        return web.json_response(answer)

    async def deal(request: web.Request) -> web.Response:
        user = request[USER]
        t = translator(user)
        try:
            p = await deal_list.view(uow(), user.id, int(request.match_info["deal_id"]))
        except DomainError as exc:
            return refused(user, exc, 404)
        d = p.deal
        return web.json_response({
            "id": d.id, "name": d.name, "status": status_of(t, p.status), "status_id": p.status.id,
            "statuses": [{"id": x.id, "name": x.name, "final": x.final} for x in p.statuses
                         if p.may_close or not x.final],  # a final one closes the deal: a permission of its own
            "may_close": p.may_close,
            "final": p.status.final, "kind": t(f"deal_kind.{d.kind}") if d.kind else "—",
            "client": p.client.name if p.client else "—", "responsible": p.responsible.name if p.responsible else "—",
            "source": p.source.name if p.source else "—",
            "budget": t.money(d.budget),
            "next_reminder": {"title": task_title(t, p.next_reminder), "due": t.dt(p.next_reminder.due_at),
                              "overdue": p.next_reminder.due_at <= clock.now()} if p.next_reminder else None,
            "payments": [{"id": x.id, "amount": t.money(x.amount), "due_on": t.day(x.due_on),
                          "received": x.received_at is not None} for x in p.payments],
            "orders": [{"number": o.number, "date": t.day(o.ordered_on), "amount": t.money(o.amount),
                        "status": t(f"order_status.{o.status}")} for o in p.orders],
            "contacts": [{"id": c.id, "name": c.name, "phones": [t.phone(ph.phone) for ph in c.phones],
                          "main": c.id == d.contact_id} for c in p.contacts],
            "feed": [{"id": f.id, "kind": f.kind, "text": f.text, "at": t.dt(f.created_at),
                      "line": t(f"ws.feed_{f.kind}", text=f.text or ""),  # as the chat's feed says it
                      "author": p.authors.get(f.author_id, "—"),
                      "image": f"/app/api/files/{f.id}" if f.file_kind == "photo" else None,
                      "file": f.file_name if f.file_kind == "document" else None,
                      "url": f"/app/api/files/{f.id}" if f.file_kind == "document" else None} for f in p.feed]})

    async def file(request: web.Request) -> web.StreamResponse:
        user = request[USER]
        try:
            item = await deal_list.feed_file(uow(), user.id, int(request.match_info["item_id"]))
        except DomainError as exc:
            return refused(user, exc, 404)
        data = await bot.download(item.file_id)  # through the bot: the page never sees the file's URL
        body = data.read() if data else b""
        headers = {"Cache-Control": "private, max-age=3600"}
        if item.file_kind == "document":
            kind = mimetypes.guess_type(item.file_name or "")[0] or "application/octet-stream"
            headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(item.file_name or 'file')}"
        else:
            kind = "image/png" if body.startswith(b"\x89PNG") else "image/jpeg"
        return web.Response(body=body, content_type=kind, headers=headers)

    async def calc_page(_: web.Request) -> web.FileResponse:
        return web.FileResponse(CALC_PAGE, headers={"Cache-Control": "no-cache"})

    async def schedule(request: web.Request) -> web.Response:
        """The leasing calculator (seed 002) for the Mini App: the chat's own calculation, in the person's language
        and the calculator's currency; bad terms answered with the reason, 400."""
        user, q = request[USER], request.query
        t = translator(user)
        try:
            method, timing = Method(q.get("method", "annuity")), Timing(q.get("timing", "arrears"))
            result = leasing.calculate(clock, user.timezone, q.get("terms", ""), method, timing, max_months=max_months)
        except ValueError:
            return web.json_response({"error": t("errors.invalid_input")}, status=400)
        except DomainError as exc:
            return web.json_response({"error": t.error(exc)}, status=400)
        text, _ = lease_view.screen(t, result, currency, 0)
        return web.json_response({
            "summary": [line for line in text.split("\n")[1:9] if line],
            "header": [t(f"calc.col_{c}") for c in lease_view.HEADER],
            "lines": [[x.n, t.day(x.due), t.money(x.payment, currency), t.money(x.interest, currency),
                       t.money(x.principal, currency), t.money(x.balance, currency)] for x in result.lines]})

    app = web.Application(middlewares=[auth])
    app.router.add_get("/app/", page)
    app.router.add_get("/app/calc", calc_page)
    app.router.add_get("/app/api/lease/schedule", schedule)
    app.router.add_get("/app/api/board", board)
    app.router.add_get("/app/api/column", column)
    app.router.add_get(r"/app/api/deals/{deal_id:\d+}", deal)
    app.router.add_post(r"/app/api/deals/{deal_id:\d+}/move", move)
    app.router.add_get(r"/app/api/files/{item_id:\d+}", file)
    return app


async def serve(app: web.Application, host: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("mini app served on %s:%s/app/", host, port)
    return runner
