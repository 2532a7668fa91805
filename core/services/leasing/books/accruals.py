"""The books' scheduled day: instalments accrued with their fakturas, late interest posted, dunning letters, insurance
reminders, the salespeople's commissions, every run once per day."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from core.db.kernel.uow import UnitOfWork
from core.domain.kernel import feed as said
from core.domain.kernel.notices import (
    LeaseCommissionSettled,
    LeaseDunningRun,
    LeaseDunningSent,
    LeaseInsuranceEnding,
    LeaseRateGap,
)
from core.domain.kernel.roles import Role
from core.domain.leasing import books
from core.domain.leasing.books import ChargeKind
from core.services.kernel.config import CoreConfig
from core.services.leasing.books.closing import _close_if_settled
from core.services.leasing.books.interest import _month_end_before, levels, paused, post_interest
from core.services.leasing.books.ledger import ZERO, _allocate_many, invoice_new, money_text, today

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunResult:
    charges: int = 0
    invoices: int = 0
    interest: int = 0
    dunnings: int = 0
    closed: int = 0
    reminders: int = 0
    commissions: int = 0

    def __bool__(self) -> bool:
        return any((self.charges, self.invoices, self.interest, self.dunnings, self.closed, self.reminders,
                    self.commissions))


async def accrue(uow: UnitOfWork, cfg: CoreConfig) -> RunResult:
    """«Automatyczne naliczanie płatności ratalnych»: once a day, every line of a running contract whose day to be
    charged came since the last run becomes a charge with its faktura and its notice, in a few set-based
    statements: an instalment ``cfg.lease_invoice_days`` before its due date (core.domain.leasing.books.invoice_day),
    any other line on its due date. A contract holding unused money pays from it; one settled by that closes once
    its last instalment's due date has come. A second scheduler or a rerun finds the day's run and adds nothing;
    after days of downtime the one run catches up."""
    async with uow:
        day = today(uow, cfg)
        if not await uow.books.claim_run("accrual", day):
            return RunResult()
        last = await uow.books.last_run("accrual", day)
        added = await uow.books.accrue(last, day, lead_days=cfg.lease_invoice_days)
        # contracts with money unused: it pays what was charged. Their rows are locked first (in the order of
        # their ids), then the invoice series, as a person's action locks them: no deadlock between the two
        holding = await uow.books.unspent_deals(day)
        # and those paid ahead of a due date that came now: their term is over, they may close
        ending = sorted(set(holding) | set(await uow.books.fell_due(last, day)))
        cases = await uow.books.cases_by_id(ending, lock=True)
        await _allocate_many(uow, holding, day)
        closed = 0
        for deal_id in await uow.books.without_lines_left(ending):
            closed += await _close_if_settled(uow, cfg, cases[deal_id], day)
        invoices = await invoice_new(uow, day)
        await uow.books.finish_run("accrual", day, added)
        await uow.commit()
        return RunResult(charges=added, invoices=invoices, closed=closed)


async def dun(uow: UnitOfWork, cfg: CoreConfig) -> int:
    """«Monity»: once a day, each running contract whose oldest unpaid charge is past a level of the admins' table
    gets that level once for that debt: in the bot when the client is in it, otherwise as a letter for the back
    office; its responsible is told. A suspended contract gets none; a paid debt has nothing to dun."""
    async with uow:
        day = today(uow, cfg)
        if not await uow.books.claim_run("dunning", day):
            return 0
        table = await levels(uow)
        office = [u.id for u in await uow.users.with_role(Role.BACK_OFFICE)]
        overdue = await uow.books.overdue(day - timedelta(days=table[0].days))
        done = await uow.books.dunned([(d, c) for d, c, _ in overdue])
        sent, told = 0, []
        for deal_id, charge_id, due in overdue:
            level = books.level_due((day - due).days, table)
            if level is None or (deal_id, charge_id, level.days) in done:
                continue
            # the days the contract stood suspended do not count: the level those left is the one due
            days = books.days_overdue(due, day, await paused(uow, deal_id))
            level = books.level_due(days, table)
            if level is None or (deal_id, charge_id, level.days) in done:
                continue
            case = await uow.leases.case(deal_id)
            client = await uow.clients.get(case.client_id)
            owed = sum((o.left for o in await uow.books.open_charges(deal_id) if o.charge.due < day
                        and o.charge.kind != ChargeKind.REFUND), ZERO)
            by_letter = client.user_id is None
            if not await uow.books.add_dunning(deal_id=deal_id, charge_id=charge_id, days=level.days,
                                               name=level.name, owed=owed, by_letter=by_letter, sent_on=day):
                continue
            row = await uow.books.dunning(deal_id, charge_id, level.days)
            notice = LeaseDunningSent(deal_id=deal_id, level=level.name, days=days, owed=money_text(owed),
                                      currency=case.currency, by_letter=by_letter, subject=case.subject)
            if by_letter:  # the letter (its PDF) to the back office, who sends it
                for whom in office:
                    uow.outbox.notify(whom, LeaseDunningSent(**{**notice.data(), "dunning_id": row.id}))
            else:
                uow.outbox.notify(client.user_id, notice)
            deal = await uow.deals.get(deal_id)
            for whom in {case.sales_id, deal.responsible_id if deal else None} - {None, *office}:
                uow.outbox.notify(whom, notice)  # the responsible told
            uow.feed.tell(deal_id, None, said.Dunning(level=level.name, owed=owed, currency=case.currency,
                                                      by_letter=by_letter))
            sent += 1
            told.append([deal_id, case.subject, level.name, days, int(by_letter)])
        if told:  # the collections team told of the run: who was reminded, at which level
            for person in await uow.users.with_role(Role.COLLECTIONS):
                uow.outbox.notify(person.id, LeaseDunningRun(day=day.isoformat(), sent=told))
        await uow.books.finish_run("dunning", day, sent)
        await uow.commit()
        return sent


async def remind_insurance(uow: UnitOfWork, cfg: CoreConfig) -> int:
    """A policy ending within a reminder's days: the back office (everyone in it) and the client told, once per
    reminder."""
    async with uow:
        day = today(uow, cfg)
        sent = 0
        office = [u.id for u in await uow.users.with_role(Role.BACK_OFFICE)]
        for days in sorted(cfg.lease_insurance_days):
            for policy, case in await uow.books.insurances_ending(day + timedelta(days=days)):
                if policy.ends_on < day or not await uow.books.mark_reminded(policy.id, days):
                    continue
                client = await uow.clients.get(case.client_id)
                notice = LeaseInsuranceEnding(deal_id=case.deal_id, subject=case.subject, policy_no=policy.policy_no,
                                              ends_on=policy.ends_on.isoformat(), days=(policy.ends_on - day).days)
                for whom in {client.user_id, *office} - {None}:
                    uow.outbox.notify(whom, notice)
                sent += 1
        await uow.commit()
        return sent


async def settle_commissions(uow: UnitOfWork, cfg: CoreConfig) -> int:
    """«Rozliczanie cykliczne z dostawcą i handlowcem»: on the first run of a month, every contract handed over up
    to the end of the month before and not yet settled earns its salesperson and its vendor a share of the
    financed amount: the months a skipped run left are caught up, and a handover typed later with a day in a month
    already settled goes into this settlement. Each party is told its total per month of handover. Once per
    contract and party (their unique key), whatever runs twice."""
    async with uow:
        day = today(uow, cfg)
        last = _month_end_before(day)
        if not await uow.books.claim_run("commission", last):
            return 0
        rows, totals = [], {}
        for case in await uow.books.unsettled_launches(last):
            offer = await uow.leases.offer(case.offer_id)
            period = f"{case.handed_over_on.year}-{case.handed_over_on.month:02d}"
            for party, percent, whom in (("sales", cfg.lease_sales_commission, ("user", case.sales_id)),
                                         ("vendor", cfg.lease_vendor_commission, ("client", case.vendor_id))):
                if percent <= 0 or whom[1] is None:
                    continue
                amount = books.commission(offer.financed, percent)
                rows.append({"deal_id": case.deal_id, "party": party, "period": period, "base": offer.financed,
                             "percent": percent, "amount": amount, "settled_on": day})
                total = totals.setdefault((whom, case.currency, period), [0, ZERO])
                total[0] += 1
                total[1] += amount
        added = await uow.books.add_commissions(rows)
        for ((kind, who), currency, period), (count, amount) in sorted(totals.items(), key=lambda x: x[0][2]):
            user_id = who if kind == "user" else (await uow.clients.get(who)).user_id
            if user_id is not None:
                uow.outbox.notify(user_id, LeaseCommissionSettled(period=period, contracts=count,
                                                                  amount=money_text(amount), currency=currency))
        await uow.books.finish_run("commission", last, added)
        await uow.commit()
        return added


async def _tell_rate_gap(uow: UnitOfWork, cfg: CoreConfig, day: str) -> None:
    """The admins told, once a day while the gap lasts (the scan tries the posting again every time)."""
    async with uow:
        if not await uow.books.claim_run("rate_gap", today(uow, cfg)):
            return
        for admin in await uow.users.with_role(Role.ADMIN):
            uow.outbox.notify(admin.id, LeaseRateGap(day=day))
        await uow.commit()


async def run_day(uow_factory, cfg: CoreConfig) -> RunResult:
    """Every scheduled money action of the lessor's day, each in its own transaction and each once: the accrual,
    the month's interest, the dunning, the insurance reminders, the month's commissions. A gap in the rate table
    holds the interest back (rolled back, tried again at the next scan, logged) and nothing else."""
    accrued = await accrue(uow_factory(), cfg)
    try:
        interest = await post_interest(uow_factory(), cfg)
    except books.RateGap as gap:
        log.warning("lease books: no late-interest rate for %s; the posting waits for the table", gap.params["day"])
        await _tell_rate_gap(uow_factory(), cfg, gap.params["day"].isoformat())
        interest = 0
    dunnings = await dun(uow_factory(), cfg)
    reminders = await remind_insurance(uow_factory(), cfg)
    commissions = await settle_commissions(uow_factory(), cfg)
    return RunResult(accrued.charges, accrued.invoices, interest, dunnings, accrued.closed, reminders, commissions)
