"""A Polish lessor's contract launched (seed 002, «Uruchomienie», the back office): the payment for the object to
the vendor (the vendor told; the initial and administrative fees charged with their fakturas, once), the object's
registration and insurance, the contract's late-interest rate, and the handover, which recalculates the schedule
from its day and sets the contract running. The books it starts are core.services.leasing.books'."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel import feed as said
from core.domain.kernel.errors import Amount, Conflict, InvalidInput
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.notices import LeaseVendorPaid
from core.domain.leasing import books
from core.domain.leasing import calc as lease_calc
from core.domain.leasing import case as rules
from core.domain.leasing.books import ChargeKind
from core.domain.leasing.calc import Method, Timing
from core.domain.leasing.case import LeaseStatus
from core.domain.leasing.vocabulary import STATUTORY_WORDS
from core.services.kernel.config import CoreConfig
from core.services.leasing import case as lease
from core.services.leasing.books import (
    ZERO,
    accepted_offer,
    allocate,
    bookkeeper,
    charge_once,
    invoice_new,
    money_text,
    today,
)


def check_vendor_payable(case: m.LeaseCase) -> None:
    """The vendor can be paid now: the contract at its launch, not paid before, its vendor named (the chat asks
    this before it opens the form, the service again when the amount comes)."""
    if case.status != LeaseStatus.TO_PAYMENT:
        raise Conflict("lease_not_at_launch")
    if case.vendor_paid_on is not None:
        raise Conflict("lease_vendor_paid", day=case.vendor_paid_on,
                       amount=Amount(case.vendor_paid_amount, case.currency))
    if case.vendor_id is None:
        raise Conflict("lease_no_vendor")


def launch_missing(case: m.LeaseCase, insurance: m.LeaseInsurance | None) -> str | None:
    """What the handover still waits for, the first of it («vendor_payment», «insurance»), or None: the chat asks
    this before it asks the handover's day, the service again when the day comes."""
    for what, ok in (("vendor_payment", case.vendor_paid_on is not None), ("insurance", insurance is not None)):
        if not ok:
            return what
    return None


class VendorPaid(NamedTuple):
    case: m.LeaseCase
    vendor_told: bool  # the vendor is in the bot and was told (else the back office tells them another way)


async def pay_vendor(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int, text: str) -> VendorPaid:
    """«Płatność za przedmiot»: the payment to the vendor recorded («kwota[; referencja]»), the vendor told (when in
    the bot), and the initial and administrative fees charged with their fakturas, once."""
    async with uow:
        _, case, _, _ = await bookkeeper(uow, actor_id, deal_id, *rules.LAUNCHERS)
        check_vendor_payable(case)
        amount_text, _, ref = (text or "").partition(";")
        amount, paid_on, currency = books.parse_receipt(amount_text, today(uow, cfg))
        books.check_currency(currency, case.currency)
        day = today(uow, cfg)
        case.vendor_paid_on, case.vendor_paid_amount = paid_on, amount
        case.vendor_payment_ref = clean_text(ref, max_len=64) if ref.strip() else None
        offer = accepted_offer(await uow.leases.offer(case.offer_id) if case.offer_id else None)
        if offer.advance > 0:
            await charge_once(uow, case, ChargeKind.INITIAL_FEE, "initial_fee", offer.advance, offer.vat, day,
                              actor_id=actor_id)
        if offer.fee > 0:
            await charge_once(uow, case, ChargeKind.ADMIN_FEE, "admin_fee", offer.fee, offer.vat, day,
                              actor_id=actor_id)
        await invoice_new(uow, day, case.deal_id)
        await allocate(uow, case, day)
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="vendor_paid",
                         comment=f"{money_text(amount)} {case.currency}")
        uow.feed.tell(deal_id, actor_id, said.VendorPaid(amount=amount, currency=case.currency))
        vendor = await uow.clients.get(case.vendor_id)
        notice = LeaseVendorPaid(deal_id=deal_id, subject=case.subject, amount=money_text(amount),
                                 currency=case.currency, paid_on=paid_on.isoformat())
        for whom in {vendor.user_id, case.sales_id} - {None, actor_id}:
            uow.outbox.notify(whom, notice)
        await uow.commit()
        return VendorPaid(case, vendor.user_id is not None)


async def set_registration(uow: UnitOfWork, actor_id: int, deal_id: int, text: str) -> m.LeaseCase:
    """«Rejestracja przedmiotu»: the object's registration number."""
    async with uow:
        _, case, _, _ = await bookkeeper(uow, actor_id, deal_id, *rules.LAUNCHERS)
        if case.status not in rules.RUNNING or case.status == LeaseStatus.CLOSED:
            raise Conflict("lease_not_running")
        case.registration = clean_text(text, max_len=32).upper()
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="registration",
                         comment=case.registration)
        uow.feed.tell(deal_id, actor_id, said.Registration(number=case.registration))
        await uow.commit()
        return case




async def set_late_rate(uow: UnitOfWork, actor_id: int, deal_id: int, text: str) -> m.LeaseCase:
    """The contract's late-interest rate (% a year, from the contract), or back to the statutory table."""
    async with uow:
        _, case, _, _ = await bookkeeper(uow, actor_id, deal_id, *rules.LAUNCHERS)
        if case.status not in rules.RUNNING or case.status == LeaseStatus.CLOSED:
            raise Conflict("lease_not_running")
        raw = (text or "").strip().casefold().rstrip("%").strip()
        if raw in STATUTORY_WORDS:
            case.late_rate = None
        else:
            try:
                rate = Decimal(raw.replace(",", "."))
            except ArithmeticError:
                raise InvalidInput("lease_rate_format") from None
            if not ZERO <= rate <= books.MAX_RATE or rate != rate.quantize(Decimal("0.01")):
                raise InvalidInput("lease_rate_format")
            case.late_rate = rate
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="late_rate",
                         comment=str(case.late_rate) if case.late_rate is not None else "statutory")
        await uow.commit()
        return case


MAX_POLICY_YEARS = 5


async def set_insurance(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int, text: str
                        ) -> m.LeaseInsurance:
    """«Ubezpieczenie przedmiotu»: «ubezpieczyciel; nr polisy; od; do» (a renewal is a new policy)."""
    async with uow:
        _, case, _, _ = await bookkeeper(uow, actor_id, deal_id, *rules.LAUNCHERS)
        if case.status not in rules.RUNNING or case.status == LeaseStatus.CLOSED:
            raise Conflict("lease_not_running")
        parts = [x.strip() for x in (text or "").split(";")]
        if len(parts) != 4:
            raise InvalidInput("lease_insurance_format")
        insurer, policy = clean_text(parts[0], max_len=128), clean_text(parts[1], max_len=64)
        starts, ends = books.parse_day(parts[2]), books.parse_day(parts[3])
        if ends <= starts or ends <= today(uow, cfg) or (ends - starts).days > 366 * MAX_POLICY_YEARS:
            raise InvalidInput("lease_insurance_dates")
        row = uow.add(m.LeaseInsurance(deal_id=deal_id, insurer=insurer, policy_no=policy, starts_on=starts,
                                       ends_on=ends, set_by=actor_id))
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="insurance",
                         comment=f"{insurer} {policy} {starts}–{ends}")
        uow.feed.tell(deal_id, actor_id, said.Insurance(insurer=insurer, policy=policy, starts=starts, ends=ends))
        await uow.commit()
        return row


def _schedule_rows(case: m.LeaseCase, offer: m.LeaseOffer, version: int, start: date) -> list[m.LeaseScheduleLine]:
    terms = lease_calc.Terms(offer.financed, offer.rate, offer.months, start, offer.residual, Timing(offer.timing),
                             Method(offer.method))
    rows = []
    for line in lease_calc.schedule(terms):
        vat = books.vat_of(line.payment, offer.vat)
        rows.append(m.LeaseScheduleLine(deal_id=case.deal_id, version=version, key=f"i{line.n}",
                                        kind=ChargeKind.INSTALMENT.value, n=line.n, due=line.due, net=line.payment,
                                        vat=vat, gross=line.payment + vat, interest=line.interest,
                                        principal=line.principal))
    if offer.residual > 0:
        last = rows[-1]
        vat = books.vat_of(offer.residual, offer.vat)
        rows.append(m.LeaseScheduleLine(deal_id=case.deal_id, version=version, key="r", kind=ChargeKind.RESIDUAL.value,
                                        n=last.n + 1, due=last.due, net=offer.residual, vat=vat,
                                        gross=offer.residual + vat, interest=ZERO, principal=offer.residual))
    return rows


async def hand_over(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int, text: str | None = None
                    ) -> m.LeaseCase:
    """«Wydanie przedmiotu i rekalkulacja harmonogramu»: the object handed over (today, or the day typed, not in the
    future): the schedule recalculated from that day as the contract's first version in force (the offer's dates
    stay in the offer), the contract running, what already fell due charged."""
    async with uow:
        _, case, _, actors = await bookkeeper(uow, actor_id, deal_id, *rules.LAUNCHERS)
        day = today(uow, cfg)
        handed = books.parse_day_or_today(text, day)
        rules.check_transition(LeaseStatus(case.status), LeaseStatus.ACTIVE, actors)
        missing = launch_missing(case, await uow.books.insurance(deal_id))
        if missing:  # what is still to do, the first of it named
            raise Conflict(f"lease_launch_{missing}")
        if handed > day or handed < case.vendor_paid_on:
            raise InvalidInput("lease_handover_day", paid=case.vendor_paid_on,
                               today=day)
        offer = accepted_offer(await uow.leases.offer(case.offer_id) if case.offer_id else None)
        # version 1: the schedule as the offer and the contract printed it (from the offer's start), kept;
        # version 2: the same terms recalculated from the handover, the one in force
        for version, reason, start in ((1, "offer", offer.start), (2, "handover", handed)):
            uow.add(m.LeaseSchedule(deal_id=deal_id, version=version, reason=reason, start=start, made_by=actor_id,
                                    made_at=uow.clock.now()))
            for row in _schedule_rows(case, offer, version, start):
                uow.add(row)
        case.handed_over_on, case.schedule_version = handed, 2
        await lease.move(uow, case, LeaseStatus.ACTIVE, actors, actor_id)
        await uow.flush()
        await uow.books.accrue(None, day, deal_id, lead_days=cfg.lease_invoice_days)
        await invoice_new(uow, day, deal_id)
        await allocate(uow, case, day)
        await uow.commit()
        return case
