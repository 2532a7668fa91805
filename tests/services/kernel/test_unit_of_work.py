"""The unit of work's repositories are its typed attributes, and a lookup that finds nothing is NotFound."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import get_args, get_origin, get_type_hints

import pytest

from core.db.kernel import models as m
from core.db.kernel.repositories import DirectoryRepo, Repo
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import NotFound, found


async def test_each_repository_is_the_type_its_attribute_declares(uow):
    hints = {name: hint for name, hint in get_type_hints(UnitOfWork).items()
             if issubclass(get_origin(hint) or hint, Repo)}
    assert len(hints) > 40 and {"deals", "leases", "books", "companies"} <= hints.keys()
    with pytest.raises(RuntimeError):
        _ = uow().deals  # not open
    async with uow() as u:
        for name, hint in hints.items():
            repo = getattr(u, name)
            assert type(repo) is (get_origin(hint) or hint), name
            assert getattr(u, name) is repo  # made once per transaction
        assert u.companies.model is m.Company and get_args(get_type_hints(UnitOfWork)["companies"]) == (m.Company,)
        assert isinstance(u.access_groups, DirectoryRepo) and u.access_groups.model is m.AccessGroup


async def test_get_or_raise_gives_the_row_or_not_found(uow):
    async with uow() as u:
        company = u.add(m.Company(name="Альфа"))
        await u.commit()
    async with uow() as u:
        assert (await u.companies.get_or_raise(company.id)).name == "Альфа"
        with pytest.raises(NotFound) as exc:
            await u.companies.get_or_raise(company.id + 1)
        assert exc.value.key == "not_found"
        with pytest.raises(NotFound):
            await u.deals.get_or_raise(1)


def test_found():
    assert found(0) == 0 and found("") == ""  # only None is nothing
    with pytest.raises(NotFound) as exc:
        found(None, "user_not_found")
    assert exc.value.key == "user_not_found"


async def test_rows_are_stamped_by_the_units_clock(uow, clock):
    """A row added without its times gets the unit's now (created_at, updated_at); times given are kept; a row
    whose column changed gets updated_at anew, one only touched (the same value set again) keeps it."""
    async with uow() as u:
        person = u.add(m.User(tg_id=501, name="Анна"))
        u.add(m.DocTemplate(kind="quote", body="<p>1</p>"))
        given = datetime(2020, 5, 1, tzinfo=UTC)
        u.add(m.DocTemplate(kind="invoice", body="<p>2</p>", updated_at=given))
        await u.commit()
    t0 = clock.now()
    async with uow() as u:
        quote, invoice = await u.session.get(m.DocTemplate, "quote"), await u.session.get(m.DocTemplate, "invoice")
        assert (quote.updated_at, invoice.updated_at) == (t0, given)
        assert (await u.session.get(m.User, person.id)).created_at == t0
    clock.advance(hours=2)
    async with uow() as u:
        quote, invoice = await u.session.get(m.DocTemplate, "quote"), await u.session.get(m.DocTemplate, "invoice")
        quote.body = "<p>1, again</p>"
        invoice.body = invoice.body  # no net change
        await u.commit()
    async with uow() as u:
        quote, invoice = await u.session.get(m.DocTemplate, "quote"), await u.session.get(m.DocTemplate, "invoice")
        assert (quote.updated_at, invoice.updated_at) == (t0 + timedelta(hours=2), given)
