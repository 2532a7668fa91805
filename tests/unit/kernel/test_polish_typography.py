"""Polish business style in every Polish text: the reader is addressed with the polite capitalised forms («Twoja»,
«Twój», «Ciebie», «Tobą»), and a quoted name stands in Polish quotes („…”), never in «…»."""

from __future__ import annotations

import re

from bot.i18n import catalogue

LOWER_YOU = re.compile(r"(?<![\w{])(?:twój|twoj\w*|twoi\w*|ciebie|tobą|tobie|cię)(?![\w}])")
GUILLEMETS = re.compile(r"«[^«»]*»")


def test_the_reader_is_addressed_with_capitals():
    lower = {key: text for key, text in catalogue("pl").items() if LOWER_YOU.search(text)}
    assert lower == {}


def test_quoted_names_stand_in_polish_quotes():
    guillemets = {key: text for key, text in catalogue("pl").items() if GUILLEMETS.search(text)}
    assert guillemets == {}
    assert catalogue("pl")["notify.deal_assigned"] == "💼 Transakcja „{name}” (nr {id}) jest teraz Twoja."
