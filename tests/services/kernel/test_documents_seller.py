"""An unconfigured seller: a visible placeholder in the document's own language, and the admins are told."""

from __future__ import annotations

from core.domain.campaigns import DocKind
from core.services.kernel import documents


async def test_an_unset_seller_is_a_placeholder_in_the_documents_language(uow):
    async with uow() as u:
        lease = await documents._seller(u, DocKind.LEASE_OFFER)
        quote = await documents._seller(u, DocKind.QUOTE)
    assert lease[0] == "[FINANSUJĄCY NIE USTAWIONY: dane wpisuje administrator — Słowniki → Dokumenty]"
    assert quote[0] == "[ПРОДАВЕЦ НЕ УКАЗАН: реквизиты задаёт администратор — Справочники → Документы]"
    for kind in DocKind:  # every built-in document has a language with a placeholder
        async with uow() as u:
            name, _ = await documents._seller(u, kind)
        russian = any("а" <= c <= "я" for c in name.lower())
        assert name.startswith("[") and russian == (kind in documents.LANGUAGE)  # Polish for the lease documents


async def test_a_document_is_written_in_its_recipients_language(uow, cfg):
    """A client in the bot reads its documents in its own language (the template, the words, an unset seller);
    a client not in the bot, in the document's own language."""
    from datetime import UTC, datetime

    from core.db.kernel import models as m
    from tests.factories import person

    reader = await person(uow, cfg, 7001, "Jan", language_code="en")
    async with uow() as u:
        english = u.add(m.Client(name="Alfa", user_id=reader.id, created_at=datetime(2027, 1, 1, tzinfo=UTC)))
        nobody = u.add(m.Client(name="Beta", created_at=datetime(2027, 1, 1, tzinfo=UTC)))
        await u.flush()
        assert await documents.recipient_language(u, DocKind.LEASE_OFFER, english) == "en"
        assert await documents.recipient_language(u, DocKind.QUOTE, english) == "en"
        assert await documents.recipient_language(u, DocKind.LEASE_OFFER, nobody) == "pl"
        assert await documents.recipient_language(u, DocKind.QUOTE, None) == "ru"
        assert "Lease offer no. {{ number }}" in await documents.template(u, DocKind.LEASE_OFFER, "en")
        name, _ = await documents._seller(u, DocKind.LEASE_OFFER, "en")
    assert name == "[LESSOR NOT SET: an administrator enters the details — Directories → Documents]"  # the lessor
