"""A Polish lessor's case through the services (seed 002), on a real database: a client registered with its
identifiers checked, the case opened with its offer, recalculated into a new version, sent to the client in the bot
and accepted (the case becomes an application); consents, securities, G2I's fetch from the VAT white list (a fake
of the real API: found, not found, down, slow, garbage, each kept with the case); the filing, refused without the
consents or with facts missing, then scored: approved, to an analyst, or refused by a hard stop. Who is nobody to
a case sees nothing of it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from core.db.kernel import models as m
from core.domain.kernel.errors import Conflict, Forbidden, IllegalTransition, InvalidInput
from core.domain.kernel.roles import Role
from core.domain.leasing.case import (
    Actor,
    ClientKind,
    ConditionsOpen,
    Consent,
    ConsentsMissing,
    LeaseLocked,
    LeaseStatus,
    Security,
)
from core.domain.leasing.scoring import Fact, ScoringDataMissing, Verdict
from core.services.kernel import users
from core.services.leasing import origination as leasing
from core.services.leasing.registries import HttpVatWhitelist, RegistryDown, RegistryGarbage
from tests.factories import ADMIN_TG, person
from tests.fake_whitelist import FakeWhitelist, subject

NIP, IBAN = "8567346215", "PL61 1090 1014 0000 0712 1981 2874"
TERMS = "1 500 000; 20%; 48; 8,5; 1%"


async def lessor(uow, cfg) -> dict:
    admin = await person(uow, cfg, ADMIN_TG, "Admin")
    w = {"admin": admin}
    for key, tg, name, role in (("sales", 5001, "Sprzedawca Ola", Role.SALES), ("sales2", 5002, "Sprzedawca Jan",
                                                                                    Role.SALES),
                                ("risk", 5003, "Analityk Ewa", Role.RISK), ("bo", 5004, "Back Office Piotr",
                                                                              Role.BACK_OFFICE)):
        p = await person(uow, cfg, tg, name)
        w[key] = await users.set_role(uow(), admin.id, p.id, role)
    w["client"] = await person(uow, cfg, 5100, "Prezes Alfy", language_code="pl")  # the documents to it in Polish
    return w


async def opened(uow, cfg, w) -> m.LeaseCase:
    client = await leasing.register_client(uow(), w["sales"].id, ClientKind.COMPANY,
                                           f"Alfa sp. z o.o.; {NIP}; 192598184; 0000123456; {IBAN}")
    return await leasing.open_case(uow(), w["sales"].id, client.id, "Koparka Volvo EC220E", TERMS, cfg)


async def test_a_client_registered_with_its_identifiers_checked(uow, cfg):
    w = await lessor(uow, cfg)
    client = await leasing.register_client(uow(), w["sales"].id, ClientKind.COMPANY,
                                           f"Alfa sp. z o.o.; PL {NIP[:3]}-{NIP[3:6]}-{NIP[6:8]}-{NIP[8:]}; "
                                           f"192598184; KRS 123456; {IBAN}")
    assert (client.kind, client.nip, client.regon, client.krs, client.iban) == \
        ("company", NIP, "192598184", "0000123456", "PL61109010140000071219812874")
    person_client = await leasing.register_client(uow(), w["sales"].id, ClientKind.PERSON, "Jan Kowalski; 44051401359")
    assert (person_client.pesel, person_client.nip) == ("44051401359", None)
    for kind, text, key in [(ClientKind.COMPANY, f"Beta; {NIP[:-1]}6; 192598184; 0000123456", "bad_nip"),
                            (ClientKind.COMPANY, "Beta; 5260250274; 192598185; 0000123456", "bad_regon"),
                            (ClientKind.SOLE_TRADER, "Jan; 5260250274; 44051401358", "bad_pesel"),
                            (ClientKind.PERSON, "Jan; 44051401359; PL00 1090", "bad_iban"),
                            (ClientKind.COMPANY, "Beta; 5260250274", "lease_client_company")]:
        with pytest.raises(InvalidInput) as caught:
            await leasing.register_client(uow(), w["sales"].id, kind, text)
        assert caught.value.key == key
    with pytest.raises(Conflict) as caught:  # one card per NIP
        await leasing.register_client(uow(), w["sales2"].id, ClientKind.COMPANY,
                                      f"Alfa bis; {NIP}; 192598184; 0000123456")
    assert caught.value.key == "nip_taken"
    with pytest.raises(Forbidden):  # a client does not register clients
        await leasing.register_client(uow(), w["client"].id, ClientKind.PERSON, "Jan; 44051401359")


async def test_the_offer_its_versions_and_the_clients_acceptance(uow, factory, cfg):
    w = await lessor(uow, cfg)
    case = await opened(uow, cfg, w)
    view = await leasing.view(uow(), w["sales"].id, case.deal_id)
    assert (view.case.status, view.deal.pipeline, view.offer.version, view.offer.instalment) == \
        ("offer", "leasing", 1, Decimal("29314.49"))  # numpy-financial: 29,314.488…
    assert view.offer.financed == Decimal("1200000.00") and view.offer.residual == Decimal("15000.00")
    for nobody in (w["sales2"], w["client"], w["bo"]):  # another salesperson, a client not linked, the back office
        with pytest.raises(Forbidden):
            await leasing.view(uow(), nobody.id, case.deal_id)
    with pytest.raises(Conflict) as caught:  # the client is not in the bot yet
        await leasing.send_offer(uow(), w["sales"].id, case.deal_id)
    assert caught.value.key == "lease_client_not_in_bot"
    await leasing.link_client(uow(), w["sales"].id, case.deal_id, str(w["client"].tg_id))
    v2 = await leasing.recalculate(uow(), w["sales"].id, case.deal_id, "1 500 000; 30%; 36; 8,5; 1%")
    assert (v2.version, v2.financed) == (2, Decimal("1050000.00"))
    await leasing.send_offer(uow(), w["sales"].id, case.deal_id)
    with pytest.raises(Forbidden):  # the salesperson does not accept for the client
        await leasing.accept_offer(uow(), w["sales"].id, v2.id)
    with pytest.raises(Conflict):  # version 1 was never sent, and v2 superseded it
        await leasing.accept_offer(uow(), w["client"].id, view.offer.id)
    accepted = await leasing.accept_offer(uow(), w["client"].id, v2.id)
    assert (accepted.status, accepted.offer_id) == ("draft", v2.id)
    async with factory() as s:
        offers = {o.version: o.status for o in await s.scalars(select(m.LeaseOffer))}
        notices = [(o.user_id, o.kind) for o in await s.scalars(select(m.Outbox).order_by(m.Outbox.id))]
        deal = await s.get(m.Deal, case.deal_id)
        status = await s.get(m.DealStatus, deal.status_id)
    assert offers == {1: "superseded", 2: "accepted"}
    assert (w["client"].id, "lease_offer") in notices and (w["sales"].id, "lease_moved") in notices
    assert (status.pipeline, status.code) == ("leasing", "draft")  # the deal moves with the case


async def test_the_filing_runs_the_scoring_automaton(uow, factory, cfg):
    w = await lessor(uow, cfg)
    case = await opened(uow, cfg, w)
    await leasing.link_client(uow(), w["sales"].id, case.deal_id, str(w["client"].tg_id))
    offer = (await leasing.view(uow(), w["sales"].id, case.deal_id)).offer
    await leasing.send_offer(uow(), w["sales"].id, case.deal_id)
    await leasing.accept_offer(uow(), w["client"].id, offer.id)
    with pytest.raises(ConsentsMissing) as caught:
        await leasing.submit(uow(), w["sales"].id, case.deal_id)
    assert caught.value.key == "lease_consents"
    assert caught.value.params == {"missing": ("bureaus", "data", "electronic")}
    for consent in (Consent.DATA, Consent.BUREAUS, Consent.ELECTRONIC):
        await leasing.give_consent(uow(), w["client"].id, case.deal_id, consent)
    await leasing.set_security(uow(), w["sales"].id, case.deal_id, Security.SURETY, "44051401359")
    with pytest.raises(InvalidInput):
        await leasing.set_security(uow(), w["sales"].id, case.deal_id, Security.SURETY, "44051401358")
    with pytest.raises(ScoringDataMissing) as caught:  # nothing fetched from the white list yet
        await leasing.submit(uow(), w["sales"].id, case.deal_id)
    assert (caught.value.key, caught.value.params) == (
        "scoring_registry_missing", {"facts": (Fact.CLIENT_YEARS, Fact.VAT_ACTIVE, Fact.ACCOUNT_LISTED)})
    fake = FakeWhitelist()
    fake.subjects[NIP] = subject(NIP)
    async with fake.serving() as url:
        await leasing.fetch_registry(uow(), HttpVatWhitelist(url), w["sales"].id, case.deal_id)
    outcome = await leasing.submit(uow(), w["sales"].id, case.deal_id)
    # advance 20 % (+20), 48 months (+10), 11 years (+20), a surety (+10): 60 ≥ 40
    assert (outcome.score, outcome.verdict) == (60, Verdict.APPROVE)
    view = await leasing.view(uow(), w["sales"].id, case.deal_id)
    assert (view.case.status, view.case.score, view.case.verdict) == ("approved", 60, "approve")
    with pytest.raises(LeaseLocked):  # after the decision the terms stay
        await leasing.recalculate(uow(), w["sales"].id, case.deal_id, TERMS)
    async with factory() as s:
        moves = [(a.from_status, a.to_status, a.actor_id) for a in await s.scalars(
            select(m.AuditLog).where(m.AuditLog.entity == "lease", m.AuditLog.action == "move")
            .order_by(m.AuditLog.id))]
        fetch = await s.scalar(select(m.RegistryFetch))
    assert moves == [("offer", "draft", w["client"].id), ("draft", "risk_check", w["sales"].id),
                     ("risk_check", "approved", None)]
    assert fetch.ok and fetch.payload["result"]["subject"]["statusVat"] == "Czynny" and fake.requests[0][0] == NIP


async def test_an_account_off_the_white_list_is_a_hard_stop_and_a_middling_score_goes_to_the_analysts(uow, factory,
                                                                                                        cfg):
    w = await lessor(uow, cfg)
    fake = FakeWhitelist()
    cases = []
    for n, (nip, accounts, terms) in enumerate([("5260250274", (), TERMS),
                                                ("7251801126", ("61109010140000071219812874",),
                                                 "1 500 000; 15%; 60; 8,5; 1%")]):
        client = await leasing.register_client(uow(), w["sales"].id, ClientKind.COMPANY,
                                               f"Firma {n}; {nip}; 192598184; 0000123456; {IBAN}")
        case = await leasing.open_case(uow(), w["sales"].id, client.id, "Ciągnik", terms, cfg)
        fake.subjects[nip] = subject(nip, accounts=accounts)
        client_user = await person(uow, cfg, 5200 + n, f"Klient {n}")
        await leasing.link_client(uow(), w["sales"].id, case.deal_id, str(client_user.tg_id))
        offer = (await leasing.view(uow(), w["sales"].id, case.deal_id)).offer
        await leasing.send_offer(uow(), w["sales"].id, case.deal_id)
        await leasing.accept_offer(uow(), client_user.id, offer.id)
        for consent in (Consent.DATA, Consent.BUREAUS, Consent.ELECTRONIC):
            await leasing.give_consent(uow(), w["sales"].id, case.deal_id, consent)
        async with fake.serving() as url:
            await leasing.fetch_registry(uow(), HttpVatWhitelist(url), w["sales"].id, case.deal_id)
        cases.append(case)
    stopped = await leasing.submit(uow(), w["sales"].id, cases[0].deal_id)
    assert stopped.verdict == Verdict.REFUSE and [r.text() for r in stopped.stops] == ["account_listed = 0: stop"]
    middling = await leasing.submit(uow(), w["sales"].id, cases[1].deal_id)
    assert (middling.score, middling.verdict) == (20, Verdict.ANALYST)  # 15 % down, 60 months, 11 years
    # the analysts see every case from its filing on: the one the scoring refused by itself and the one for them
    assert sorted(c.deal_id for c in await leasing.mine(uow(), w["risk"].id)) == sorted(c.deal_id for c in cases)
    view = await leasing.view(uow(), w["risk"].id, cases[1].deal_id)  # the analyst sees what is in the queue
    assert view.case.status == "analysis"
    async with factory() as s:
        told = [o.user_id for o in await s.scalars(select(m.Outbox).where(m.Outbox.kind == "lease_moved"))]
    assert w["risk"].id in told


async def test_a_registry_down_slow_or_answering_garbage_is_said_and_kept(uow, factory, cfg):
    w = await lessor(uow, cfg)
    case = await opened(uow, cfg, w)
    fake = FakeWhitelist()
    async with fake.serving() as url:
        registry = HttpVatWhitelist(url, timeout=0.5)
        for mode, error in (("down", RegistryDown), ("slow", RegistryDown), ("garbage", RegistryGarbage)):
            fake.mode[NIP] = mode
            with pytest.raises(error):
                await leasing.fetch_registry(uow(), registry, w["sales"].id, case.deal_id)
        fake.mode.clear()
        with pytest.raises(Conflict) as caught:  # the list does not have this NIP
            await leasing.fetch_registry(uow(), registry, w["sales"].id, case.deal_id)
        assert caught.value.key == "registry_not_found"
    async with factory() as s:
        kept = [(f.ok, f.error) for f in await s.scalars(select(m.RegistryFetch).order_by(m.RegistryFetch.id))]
    assert kept == [(False, "registry_down"), (False, "registry_down"), (False, "registry_garbage"), (True, None)]


async def filed_to_analysis(uow, cfg, w, nip: str = NIP) -> m.LeaseCase:
    """A case filed with a middling score: 15 % down over 60 months, no security (20 points: to the analysts)."""
    client = await leasing.register_client(uow(), w["sales"].id, ClientKind.COMPANY,
                                           f"Firma {nip}; {nip}; 192598184; 0000123456; {IBAN}")
    case = await leasing.open_case(uow(), w["sales"].id, client.id, "Ciągnik", "1 500 000; 15%; 60; 8,5; 1%", cfg)
    await leasing.link_client(uow(), w["sales"].id, case.deal_id, str(w["client"].tg_id))
    await leasing.send_offer(uow(), w["sales"].id, case.deal_id)
    await leasing.accept_offer(uow(), w["client"].id, (await leasing.view(uow(), w["sales"].id, case.deal_id)).offer.id)
    for consent in (Consent.DATA, Consent.BUREAUS, Consent.ELECTRONIC):
        await leasing.give_consent(uow(), w["client"].id, case.deal_id, consent)
    fake = FakeWhitelist()
    fake.subjects[nip] = subject(nip)
    async with fake.serving() as url:
        await leasing.fetch_registry(uow(), HttpVatWhitelist(url), w["sales"].id, case.deal_id)
    assert (await leasing.submit(uow(), w["sales"].id, case.deal_id)).verdict == Verdict.ANALYST
    return case


async def test_the_analyst_the_corrections_the_motion_a_conditional_decision_and_the_signing(uow, factory, cfg):
    w = await lessor(uow, cfg)
    case = await filed_to_analysis(uow, cfg, w)
    deal = case.deal_id
    with pytest.raises(InvalidInput) as caught:  # back to sales needs the reason
        await leasing.risk_move(uow(), w["risk"].id, deal, LeaseStatus.CORRECTIONS, " ")
    assert caught.value.key == "lease_reason_required"
    with pytest.raises(Forbidden):  # only an analyst assesses
        await leasing.risk_move(uow(), w["sales"].id, deal, LeaseStatus.CORRECTIONS, "Brak sprawozdań")
    await leasing.risk_move(uow(), w["risk"].id, deal, LeaseStatus.CORRECTIONS, "Podnieść wpłatę do 20 %")
    v2 = await leasing.recalculate(uow(), w["sales"].id, deal, "1 500 000; 20%; 60; 8,5; 1%")
    await leasing.send_offer(uow(), w["sales"].id, deal)
    await leasing.accept_offer(uow(), w["client"].id, v2.id)
    assert (await leasing.submit(uow(), w["sales"].id, deal)).score == 40  # 20 % down now: approved, 40 ≥ 40
    # a second case, kept at the analyst's, goes through the motion and a conditional decision
    w["client"] = await person(uow, cfg, 5101, "Prezes Bety")
    case = await filed_to_analysis(uow, cfg, w, nip="5260250274")
    deal = case.deal_id
    with pytest.raises(IllegalTransition):  # the decision follows a motion
        await leasing.risk_move(uow(), w["risk"].id, deal, LeaseStatus.APPROVED, "Dobrze")
    await leasing.risk_move(uow(), w["risk"].id, deal, LeaseStatus.MOTION, "Wnioskuję o decyzję warunkową")
    with pytest.raises(InvalidInput) as caught:
        await leasing.risk_move(uow(), w["risk"].id, deal, LeaseStatus.CONDITIONAL, "Krótka historia")
    assert caught.value.key == "lease_conditions_format"
    await leasing.risk_move(uow(), w["risk"].id, deal, LeaseStatus.CONDITIONAL,
                            "Krótka historia firmy | poręczenie prezesa; cesja polisy AC")
    with pytest.raises(IllegalTransition):  # decided: a second decision is not a move
        await leasing.risk_move(uow(), w["risk"].id, deal, LeaseStatus.REFUSED, "Jednak nie")
    view = await leasing.view(uow(), w["sales"].id, deal)
    assert (view.case.status, view.case.decision_reason, view.case.motion) == \
        ("conditional", "Krótka historia firmy", "Wnioskuję o decyzję warunkową")
    assert [c.text for c in view.conditions] == ["poręczenie prezesa", "cesja polisy AC"]
    with pytest.raises(ConditionsOpen):
        await leasing.to_signing(uow(), w["sales"].id, deal)
    for condition in view.conditions:
        await leasing.meet_condition(uow(), w["sales"].id, condition.id)
    signed = await leasing.to_signing(uow(), w["sales"].id, deal)
    assert signed.status == "signing"
    assert (await leasing.view(uow(), w["bo"].id, deal)).actors == {Actor.BACK_OFFICE}  # the back office's now
    async with factory() as s:
        told = [(o.user_id, o.payload.get("status")) for o in await s.scalars(
            select(m.Outbox).where(m.Outbox.kind == "lease_moved").order_by(m.Outbox.id))]
    assert (w["client"].id, "conditional") in told and (w["sales"].id, "conditional") in told


async def test_a_case_cancelled_moves_no_more(uow, cfg):
    w = await lessor(uow, cfg)
    case = await opened(uow, cfg, w)
    with pytest.raises(Forbidden):
        await leasing.cancel(uow(), w["sales2"].id, case.deal_id)
    cancelled = await leasing.cancel(uow(), w["sales"].id, case.deal_id, "Klient kupił za gotówkę")
    assert cancelled.status == "cancelled"
    with pytest.raises(LeaseLocked):
        await leasing.recalculate(uow(), w["sales"].id, case.deal_id, TERMS)
    with pytest.raises(IllegalTransition):
        await leasing.cancel(uow(), w["sales"].id, case.deal_id)


async def test_the_offer_as_a_pdf_with_its_schedule(uow, cfg):
    import io

    from pypdf import PdfReader

    w = await lessor(uow, cfg)
    case = await opened(uow, cfg, w)
    document, version = await leasing.offer_document(uow(), w["sales"].id, case.deal_id)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(document.content)).pages).replace("\xa0", " ")
    assert (document.file_name, version) == (f"Oferta_{case.deal_id}-1.pdf", 1)
    assert f"Oferta leasingu nr {case.deal_id}-1" in text and "Koparka Volvo EC220E" in text
    assert "NIP 8567346215, REGON 192598184, KRS 0000123456" in text
    assert "1 200 000,00" in text and "29 314,49" in text and "48 mies., raty równe, płatne z dołu" in text
    assert "\n48 " in text or " 48 " in text  # the schedule's last line
    again, _ = await leasing.offer_document(uow(), w["sales"].id, case.deal_id)
    assert again.id == document.id  # made once per version
    with pytest.raises(Forbidden):
        await leasing.offer_document(uow(), w["sales2"].id, case.deal_id)


def doc(name: str) -> dict:
    return {"kind": "document", "file_id": f"FILE-{name}", "file_name": f"{name}.pdf", "mime_type": "application/pdf",
            "size": 1000}


async def test_the_signing_and_the_back_offices_check_to_the_payment(uow, factory, cfg):
    w = await lessor(uow, cfg)
    case = await opened(uow, cfg, w)
    deal = case.deal_id
    await leasing.link_client(uow(), w["sales"].id, deal, str(w["client"].tg_id))
    offer = await leasing.send_offer(uow(), w["sales"].id, deal)
    await leasing.accept_offer(uow(), w["client"].id, offer.id)
    for consent in (Consent.DATA, Consent.BUREAUS, Consent.ELECTRONIC):
        await leasing.give_consent(uow(), w["client"].id, deal, consent)
    await leasing.set_security(uow(), w["sales"].id, deal, Security.PROMISSORY_NOTE)
    fake = FakeWhitelist()
    fake.subjects[NIP] = subject(NIP)
    async with fake.serving() as url:
        await leasing.fetch_registry(uow(), HttpVatWhitelist(url), w["sales"].id, deal)
    assert (await leasing.submit(uow(), w["sales"].id, deal)).verdict == Verdict.APPROVE
    await leasing.to_signing(uow(), w["sales"].id, deal)
    view = await leasing.view(uow(), w["sales"].id, deal)
    assert view.file_kinds == ("id_card", "financial_statements", "krs_extract", "tax_certificate",
                               "promissory_note", "note_declaration", "contract_signed")
    for kind in view.file_kinds[:-1]:
        await leasing.send_file(uow(), w["client"].id if kind == "id_card" else w["sales"].id, deal, kind, doc(kind))
    with pytest.raises(InvalidInput):  # not a kind this case takes
        await leasing.send_file(uow(), w["sales"].id, deal, "income_proof", doc("x"))
    with pytest.raises(Conflict) as caught:
        await leasing.to_verification(uow(), w["sales"].id, deal)
    assert caught.value.key == "lease_no_contract"
    contract, number = await leasing.contract_document(uow(), w["sales"].id, deal)
    assert (number, contract.file_name) == (f"{deal}", f"Umowa_{deal}.pdf")
    assert contract.content.startswith(b"%PDF")
    async with factory() as s:  # the client told the contract is ready to read and accept
        ready = (await s.scalars(select(m.Outbox).where(m.Outbox.kind == "lease_contract_ready"))).all()
    assert [(n.user_id, n.payload["number"]) for n in ready] == [(w["client"].id, f"{deal}")]
    with pytest.raises(Conflict) as caught:
        await leasing.to_verification(uow(), w["sales"].id, deal)
    assert caught.value.key == "lease_no_scan"
    await leasing.send_file(uow(), w["sales"].id, deal, "contract_signed", doc("umowa-podpisana"))
    await leasing.to_verification(uow(), w["sales"].id, deal)
    with pytest.raises(LeaseLocked):  # the set is being checked
        await leasing.send_file(uow(), w["sales"].id, deal, "krs_extract", doc("krs2"))
    assert await leasing.check_set(uow(), w["bo"].id, deal) == []
    files = {f.kind: f for f in (await leasing.view(uow(), w["bo"].id, deal)).files}
    with pytest.raises(Forbidden):
        await leasing.review_file(uow(), w["sales"].id, files["krs_extract"].id, True)
    with pytest.raises(Conflict) as caught:  # nothing accepted yet
        await leasing.to_payment(uow(), w["bo"].id, deal)
    assert caught.value.key == "lease_set_incomplete"
    await leasing.review_file(uow(), w["bo"].id, files["id_card"].id, True)
    await leasing.review_file(uow(), w["bo"].id, files["krs_extract"].id, False, "Odpis starszy niż 3 miesiące")
    view = await leasing.view(uow(), w["sales"].id, deal)
    assert view.case.status == "signing"  # back to sales with what was wrong
    await leasing.send_file(uow(), w["sales"].id, deal, "krs_extract", doc("krs-nowy"))
    await leasing.to_verification(uow(), w["sales"].id, deal)
    for f in (await leasing.view(uow(), w["bo"].id, deal)).files:
        if f.status == "sent":
            await leasing.review_file(uow(), w["bo"].id, f.id, True)
    done = await leasing.to_payment(uow(), w["bo"].id, deal)
    assert done.status == "to_payment"
    async with factory() as s:
        moves = [a.to_status for a in await s.scalars(select(m.AuditLog).where(
            m.AuditLog.entity == "lease", m.AuditLog.action == "move").order_by(m.AuditLog.id))]
        rejected = await s.scalar(select(m.AuditLog).where(m.AuditLog.to_status == "signing",
                                                           m.AuditLog.from_status == "verification"))
    assert moves[-5:] == ["signing", "verification", "signing", "verification", "to_payment"]
    assert rejected.comment == "krs_extract: Odpis starszy niż 3 miesiące"


async def test_the_admins_table_is_the_one_that_scores(uow, cfg):
    w = await lessor(uow, cfg)
    await leasing.set_scoring(uow(), w["admin"].id, "months > 36: -100\napprove 40; refuse 0")
    with pytest.raises(Forbidden):
        await leasing.set_scoring(uow(), w["sales"].id, "months > 36: -100\napprove 40; refuse 0")
    assert await leasing.scoring_text(uow(), w["admin"].id) == "months > 36: -100\napprove 40; refuse 0"
    case = await opened(uow, cfg, w)  # 48 months: −100, refused by the score
    await leasing.link_client(uow(), w["sales"].id, case.deal_id, str(w["client"].tg_id))
    offer = await leasing.send_offer(uow(), w["sales"].id, case.deal_id)
    await leasing.accept_offer(uow(), w["client"].id, offer.id)
    for consent in (Consent.DATA, Consent.BUREAUS, Consent.ELECTRONIC):
        await leasing.give_consent(uow(), w["client"].id, case.deal_id, consent)
    outcome = await leasing.submit(uow(), w["sales"].id, case.deal_id)  # no G2I needed: no rule asks for it
    assert (outcome.score, outcome.verdict) == (-100, Verdict.REFUSE)


async def test_the_verification_payment_confirms_the_client_only_from_their_own_account(uow, cfg):
    w = await lessor(uow, cfg)
    case = await opened(uow, cfg, w)
    await leasing.link_client(uow(), w["sales"].id, case.deal_id, str(w["client"].tg_id))
    offer = await leasing.send_offer(uow(), w["sales"].id, case.deal_id)
    await leasing.accept_offer(uow(), w["client"].id, offer.id)
    failed = await leasing.verification_payment(uow(), w["sales"].id, case.deal_id,  # another payer: recorded
                                                "Alfa sp. z o.o.; DE89 3704 0044 0532 0130 00; 1,00")
    assert (failed.result, failed.reasons, failed.payer_iban) == ("failed", "account", "DE89370400440532013000")
    with pytest.raises(InvalidInput):
        await leasing.verification_payment(uow(), w["sales"].id, case.deal_id, f"{IBAN}; zero")
    with pytest.raises(Forbidden):  # the client does not confirm themselves
        await leasing.verification_payment(uow(), w["client"].id, case.deal_id, f"{IBAN}; 1,00")
    verified = await leasing.verification_payment(uow(), w["sales"].id, case.deal_id, f"Alfa sp. z o.o.; {IBAN}; 1,00")
    assert (verified.result, verified.amount) == ("passed", Decimal("1.00"))
    await leasing.set_scoring(uow(), w["admin"].id, "verified = 1: +50\napprove 40; refuse 0")
    for consent in (Consent.DATA, Consent.BUREAUS, Consent.ELECTRONIC):
        await leasing.give_consent(uow(), w["client"].id, case.deal_id, consent)
    assert (await leasing.submit(uow(), w["sales"].id, case.deal_id)).verdict == Verdict.APPROVE


async def test_the_vendor_of_the_object(uow, cfg):
    import io

    from pypdf import PdfReader

    w = await lessor(uow, cfg)
    case = await opened(uow, cfg, w)
    with pytest.raises(InvalidInput):
        await leasing.set_vendor(uow(), w["sales"].id, case.deal_id, "Volvo Maszyny; 5260250275")  # a bad NIP
    with pytest.raises(InvalidInput) as caught:
        await leasing.set_vendor(uow(), w["sales"].id, case.deal_id, f"Alfa; {NIP}")  # the client itself
    assert caught.value.key == "lease_vendor_is_client"
    vendor = await leasing.set_vendor(uow(), w["sales"].id, case.deal_id, "Volvo Maszyny Budowlane; 5260250274")
    assert (vendor.vendor, vendor.nip) == (True, "5260250274")
    view = await leasing.view(uow(), w["sales"].id, case.deal_id)
    assert view.vendor.name == "Volvo Maszyny Budowlane"
    again = await leasing.set_vendor(uow(), w["sales"].id, case.deal_id, "Volvo; 526-025-02-74")  # found by NIP
    assert again.id == vendor.id
    document, _ = await leasing.offer_document(uow(), w["sales"].id, case.deal_id)
    text = PdfReader(io.BytesIO(document.content)).pages[0].extract_text()
    assert "Sprzedawca: Volvo Maszyny Budowlane, NIP 5260250274" in text


async def test_an_offer_past_its_validity_is_not_accepted(uow, cfg, clock):
    from datetime import timedelta

    w = await lessor(uow, cfg)
    case = await opened(uow, cfg, w)
    await leasing.link_client(uow(), w["sales"].id, case.deal_id, str(w["client"].tg_id))
    offer = await leasing.send_offer(uow(), w["sales"].id, case.deal_id)
    clock.advance(timedelta(days=leasing.OFFER_VALID_DAYS + 1))
    with pytest.raises(Conflict) as caught:
        await leasing.accept_offer(uow(), w["client"].id, offer.id)
    assert caught.value.key == "lease_offer_expired"
    v2 = await leasing.recalculate(uow(), w["sales"].id, case.deal_id, TERMS)  # a new version, valid from today
    await leasing.send_offer(uow(), w["sales"].id, case.deal_id)
    assert (await leasing.accept_offer(uow(), w["client"].id, v2.id)).offer_id == v2.id
