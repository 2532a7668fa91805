"""A lead's feed as facts, and where a client's message goes (core.domain.leads.feed)."""

from __future__ import annotations

import pytest

from core.domain.leads.feed import (
    Answered,
    ClientWrote,
    DuplicateArrived,
    load,
    open_request,
    writes_to,
)
from core.domain.leads.lifecycle import LeadStatus

NEW, CALLING, DUP, JUNK, CONTRACT = (LeadStatus.NEW, LeadStatus.CALLING, LeadStatus.DUPLICATE, LeadStatus.REFUSED,
                                     LeadStatus.CONTRACT)


@pytest.mark.parametrize(("requests", "originals", "lead"), [
    ([], {}, None),  # never left one
    ([(3, CALLING, None), (1, NEW, None)], {}, 3),  # the newest open one
    ([(3, CONTRACT, None), (1, NEW, None)], {}, 1),  # a closed newer one is passed over
    ([(2, DUP, 1)], {1: CALLING}, 1),  # a duplicate stands for its original: work happens there (seed 004)
    ([(2, DUP, 1)], {1: JUNK}, None),  # whose original is closed: nothing open
    ([(5, DUP, 9), (4, NEW, None)], {9: CONTRACT}, 4),
    ([(3, JUNK, None), (1, CONTRACT, None)], {}, None),  # all closed
])
def test_a_clients_message_goes_to_her_newest_open_request(requests, originals, lead):
    assert open_request(requests, originals) == lead


@pytest.mark.parametrize(("responsible", "works", "admins", "to"), [
    (7, True, [1, 2], [7]),  # the responsible
    (7, False, [2, 1, 2], [1, 2]),  # who may no longer work leads: every admin, once each
    (None, False, [1], [1]),  # nobody holds it
    (None, False, [], []),
])
def test_who_a_clients_message_goes_to(responsible, works, admins, to):
    assert writes_to(responsible, works, admins) == to


@pytest.mark.parametrize("fact", [
    DuplicateArrived(lead_id=2, source="Сайт"),
    ClientWrote(chat_id=5, message_id=9, content="photo", name="Sarah Jones"),
    Answered(to_user_id=3, chat_id=7, message_id=11, content="text", reply_to=4),
])
def test_a_fact_is_read_back_as_it_was_kept(fact):
    assert load(fact.kind, fact.data()) == fact


def test_a_line_written_before_the_facts_is_its_sentence():
    assert load("duplicate", None) is None  # «Дубль: лид №2 (Сайт)», shown as written
    assert load("note", {"x": 1}) is None
    assert load("something_else", {}) is None
