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
