"""The kanban as a Telegram Mini App, served by the bot's own aiohttp server.

Every API request carries Telegram's initData (header ``Authorization: tma <initData>``); its signature is
checked with the bot token (aiogram.utils.web_app) and its age with ``WEBAPP_AUTH_TTL``; the Telegram user it
names must be staff, and sees only the deals their role allows (the same core services as the chat). A drag
changes the status through ``workspace.move``: the same rules, a refusal answered with the reason in the
user's language. Files are streamed through the server: the page never sees a Telegram file URL (it holds the
token)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from aiogram import Bot
from aiogram.utils.web_app import WebAppInitData, safe_parse_webapp_init_data
from aiohttp import web

from bot.i18n import Translator
from core.clock import Clock
from core.db import models as m
from core.db.uow import UnitOfWork
from core.domain.deals import Pipeline
from core.domain.errors import DomainError, Forbidden
from core.domain.roles import STAFF
from core.services import deal_list, workspace
from core.services.deal_list import Filter, Row

log = logging.getLogger(__name__)
PAGE = Path(__file__).parent / "webapp_static" / "index.html"
USER = web.RequestKey("user", m.User)


def _row(t: Translator, r: Row) -> dict:
    return {"id": r.id, "name": r.name, "manager": r.manager, "client": r.client, "source": r.source,
            "status_id": r.status_id,
            "next_reminder": t.dt(r.next_reminder) if r.next_reminder else None, "budget": t.money(r.budget)}


def create_webapp(token: str, bot: Bot, uow: Callable[[], UnitOfWork], clock: Clock, *, auth_ttl: int = 86400,
                  default_locale: str = "ru") -> web.Application:
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
        if user is None or user.role not in STAFF:
            raise web.HTTPForbidden(text="staff only")
        return user

    @web.middleware
    async def auth(request: web.Request, handler):
        if request.path.startswith("/app/api/"):
            request[USER] = await authenticate(request)
        return await handler(request)

    async def page(_: web.Request) -> web.FileResponse:
        return web.FileResponse(PAGE, headers={"Cache-Control": "no-cache"})

    def refused(user: m.User, exc: DomainError, status: int = 409) -> web.Response:
        return web.json_response({"error": translator(user).error(exc)}, status=status)

    async def board(request: web.Request) -> web.Response:
        user = request[USER]
        t = translator(user)
        pipeline = request.query.get("pipeline", Pipeline.LAW)
        if pipeline not in set(Pipeline):
            return web.json_response({"error": t("errors.invalid_input")}, status=400)
        mine = request.query.get("mine", "1") == "1"
        try:
            columns = await deal_list.board(uow(), user.id, pipeline, Filter(mine=mine))
        except Forbidden as exc:
            return refused(user, exc, 403)
        return web.json_response({
            "pipeline": pipeline, "mine": mine, "title": t("webapp.title"), "labels": {
                "no_tasks": t("webapp.no_tasks"), "mine": t("webapp.mine"), "all": t("webapp.all"),
                "payments": t("webapp.payments"), "orders": t("webapp.orders"), "contacts": t("webapp.contacts"),
                "feed": t("webapp.feed"), "budget": t("webapp.budget"), "close": t("webapp.close"),
                "pipelines": {p.value: t(f"pipeline.{p.value}") for p in Pipeline}},
            "columns": [{"id": c.status.id, "name": c.status.name, "color": c.status.color, "final": c.status.final,
                         "count": c.count, "cards": [_row(t, r) for r in c.cards]} for c in columns]})

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
        return web.json_response({"ok": True, "id": deal.id, "status_id": deal.status_id})

    async def deal(request: web.Request) -> web.Response:
        user = request[USER]
        t = translator(user)
        try:
            p = await deal_list.view(uow(), user.id, int(request.match_info["deal_id"]))
        except DomainError as exc:
            return refused(user, exc, 404)
        d = p.deal
        return web.json_response({
            "id": d.id, "name": d.name, "status": p.status.name, "kind": t(f"deal_kind.{d.kind}") if d.kind else "—",
            "client": p.client.name if p.client else "—", "responsible": p.responsible.name if p.responsible else "—",
            "source": p.source.name if p.source else "—",
            "budget": t.money(d.budget),
            "next_reminder": {"title": p.next_reminder.title, "due": t.dt(p.next_reminder.due_at)}
            if p.next_reminder else None,
            "payments": [{"id": x.id, "amount": t.money(x.amount), "due_on": x.due_on.strftime("%d.%m.%Y"),
                          "received": x.received_at is not None} for x in p.payments],
            "orders": [{"number": o.number, "date": o.ordered_on.strftime("%d.%m.%Y"), "amount": t.money(o.amount),
                        "status": t(f"order_status.{o.status}")} for o in p.orders],
            "contacts": [{"id": c.id, "name": c.name, "phones": [ph.phone for ph in c.phones],
                          "main": c.id == d.contact_id} for c in p.contacts],
            "feed": [{"id": f.id, "kind": f.kind, "text": f.text, "at": t.dt(f.created_at),
                      "image": f"/app/api/files/{f.id}" if f.file_kind == "photo" else None,
                      "file": f.file_name if f.file_kind == "document" else None} for f in p.feed]})

    async def file(request: web.Request) -> web.StreamResponse:
        user = request[USER]
        try:
            item = await deal_list.feed_file(uow(), user.id, int(request.match_info["item_id"]))
        except DomainError as exc:
            return refused(user, exc, 404)
        data = await bot.download(item.file_id)  # through the bot: the page never sees the file's URL
        body = data.read() if data else b""
        kind = "image/png" if body.startswith(b"\x89PNG") else "image/jpeg"
        return web.Response(body=body, content_type=kind, headers={"Cache-Control": "private, max-age=3600"})

    app = web.Application(middlewares=[auth])
    app.router.add_get("/app/", page)
    app.router.add_get("/app/api/board", board)
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
