"""Every name a person picks from is offered once: the one check every directory, deal status, cadence and survey
template goes through, on add and on rename."""

from __future__ import annotations

import pytest

from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.names import check_unique

TAKEN = [(1, "Сбор документов"), (2, "Договор")]


@pytest.mark.parametrize("name", ["Сбор документов", "сбор  документов", " СБОР ДОКУМЕНТОВ "])
def test_a_name_taken_is_refused_whatever_its_case_and_spacing(name):
    with pytest.raises(InvalidInput) as caught:
        check_unique(name, TAKEN)
    assert caught.value.key == "duplicate_name" and caught.value.params == {"name": name}


def test_a_new_name_and_a_rename_to_its_own_name_pass():
    check_unique("Сбор документов 2", TAKEN)
    check_unique("сбор документов", TAKEN, own_id=1)  # renamed to itself, another case
    with pytest.raises(InvalidInput):
        check_unique("Договор", TAKEN, own_id=1)  # renamed onto another one
