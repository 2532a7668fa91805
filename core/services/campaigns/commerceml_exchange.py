"""Counterparties and orders to 1C as CommerceML 2 (the file 1C's trade configurations exchange with sites), and
counterparties from such a file: a preview first (new ones, known ones by INN and KPP, the ones that cannot be
taken with their number in the file and why), then, on confirmation, the new ones added and the known ones
completed (only the requisites still empty here: what people typed is never overwritten)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import DuplicateRow, UnitOfWork
from core.domain.campaigns import commerceml as cml
from core.domain.campaigns.counterparties import check_email, check_inn, check_kpp, check_ogrn
from core.domain.campaigns.quotes import lines_of
from core.domain.kernel.errors import DomainError, InvalidInput
from core.domain.kernel.inputs import clean_text
from core.services.campaigns.campaign import head

MAX_ROWS = 5000
#: the requisites a known counterparty gets from the file when it has none here
FILLED = ("kpp", "ogrn", "address", "email")


def _counterparty(c: m.Client) -> cml.Counterparty:
    return cml.Counterparty(name=c.name, inn=c.inn, kpp=c.kpp, ogrn=c.ogrn, address=c.address, email=c.email,
                            id=cml.object_id("client", c.id))


async def export(uow: UnitOfWork, actor_id: int) -> bytes:
    """The counterparties (seed 001's «Контрагенты») and the customers' orders with their lines and payments."""
    async with uow:
        await head(uow, actor_id)
        clients = await uow.exchange.counterparties(MAX_ROWS)
        orders = []
        for order, client in await uow.exchange.orders(MAX_ROWS):
            paid = sum(await uow.order_money.paid(order.id), Decimal("0.00"))
            buyer = _counterparty(client) if client else cml.Counterparty(name="—", id=cml.object_id("client", 0))
            lines = tuple(cml.OrderLine(x.item, x.quantity, x.unit, x.price, x.net, x.tax, x.vat)
                          for x in lines_of(order.lines))
            orders.append(cml.Order(id=cml.object_id("order", order.id), number=order.number, on=order.ordered_on,
                                    amount=order.amount, status=order.status, buyer=buyer, lines=lines, paid=paid))
        uow.audit.record(entity="exchange", entity_id=0, actor_id=actor_id, action="commerceml_export",
                         comment=f"{len(clients)} counterparties, {len(orders)} orders")
        await uow.commit()
        return cml.build([_counterparty(c) for c in clients], orders, uow.clock.now())


@dataclass
class CmlPreview:
    add: list[dict] = field(default_factory=list)  # JSON-ready: n, name, inn, kpp, ogrn, address, email
    known: list[dict] = field(default_factory=list)  # the same, and client_id: completed where empty
    bad: list[tuple[int, str, dict]] = field(default_factory=list)  # n in the file, error key, params


def _valid(c: cml.Counterparty) -> dict:
    if not c.inn:
        raise InvalidInput("cml_no_inn", name=(c.name or "—")[:80])
    return {"name": clean_text(c.name, max_len=256), "inn": check_inn(c.inn),
            "kpp": check_kpp(c.kpp) if c.kpp else None, "ogrn": check_ogrn(c.ogrn) if c.ogrn else None,
            "address": clean_text(c.address, max_len=1000) if c.address else None,
            "email": check_email(c.email) if c.email else None}


async def preview(uow: UnitOfWork, actor_id: int, data: bytes) -> CmlPreview:
    parsed = cml.read(data)
    if not parsed.counterparties:
        raise InvalidInput("cml_no_counterparties")
    if len(parsed.counterparties) > MAX_ROWS:
        raise InvalidInput("import_too_many", max_rows=MAX_ROWS)
    result, rows, seen = CmlPreview(), [], set()
    for n, c in parsed.counterparties:
        try:
            row = {"n": n, **_valid(c)}
        except DomainError as exc:
            result.bad.append((n, exc.key, exc.params))
            continue
        if (row["inn"], row["kpp"]) in seen:  # a buyer of several documents, or listed and a buyer
            continue
        seen.add((row["inn"], row["kpp"]))
        rows.append(row)
    async with uow:
        await head(uow, actor_id)
        known = await uow.counterparties.by_requisites([(r["inn"], r["kpp"]) for r in rows])
        for row in rows:
            client_id = known.get((row["inn"], row["kpp"]))
            if client_id is not None:
                result.known.append(row | {"client_id": client_id})
            elif row["kpp"] is None and len(branches := await uow.counterparties.branches(row["inn"])) > 1:
                result.bad.append((row["n"], "kpp_needed", {"inn": row["inn"], "name": branches[0].name}))
            else:
                result.add.append(row)
    return result


@dataclass
class CmlResult:
    added: int = 0
    completed: int = 0  # known ones that got a requisite they lacked
    repeated: int = 0  # in the directory already (added since the preview): nothing twice
    failed: list[tuple[int, str, dict]] = field(default_factory=list)  # n in the file, why


async def confirm(uow_factory: Callable[[], UnitOfWork], actor_id: int, rows: list[dict]) -> CmlResult:
    """The previewed counterparties in, each in its own transaction: a new one added, a known one (``client_id``)
    completed where it is empty; one added meanwhile by someone else is refused, never made twice (the INN and
    KPP are unique)."""
    result = CmlResult()
    for row in rows:
        uow = uow_factory()
        try:
            async with uow:
                await head(uow, actor_id)
                client = await uow.clients.get(row["client_id"]) if row.get("client_id") else None
                if client is not None and client.inn != row["inn"]:  # its INN changed since the preview
                    raise InvalidInput("cml_changed", name=client.name)
                if client is None and any((b.kpp or None) == row["kpp"]
                                          for b in await uow.counterparties.branches(row["inn"])):
                    result.repeated += 1  # added meanwhile (this preview confirmed twice, another import)
                    continue
                if client is None:
                    client = uow.add(m.Client(name=row["name"], **{k: row[k] for k in ("inn", *FILLED)}))
                    await uow.flush()
                    uow.audit.record(entity="client", entity_id=client.id, actor_id=actor_id, action="commerceml",
                                     comment=f"{row['inn']}/{row['kpp'] or '—'}")
                    result.added += 1
                else:
                    empty = [k for k in FILLED if row[k] and not getattr(client, k)]
                    if not empty:
                        continue
                    for k in empty:
                        setattr(client, k, row[k])
                    uow.audit.record(entity="client", entity_id=client.id, actor_id=actor_id, action="commerceml",
                                     comment=", ".join(empty))
                    result.completed += 1
                await uow.commit()
        except DuplicateRow:
            result.failed.append((row["n"], "inn_kpp_taken", {"inn": row["inn"], "kpp": row["kpp"] or "—",
                                                               "name": row["name"]}))
        except DomainError as exc:
            result.failed.append((row["n"], exc.key, exc.params))
    return result
