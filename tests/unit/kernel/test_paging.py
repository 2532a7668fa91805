"""The one pager's arithmetic: how many pages a list has, and which page a number asked for stands for."""

from __future__ import annotations

import pytest

from core.domain.kernel.paging import clamp, page_count


@pytest.mark.parametrize(("total", "size", "pages"), [(0, 10, 1), (1, 10, 1), (10, 10, 1), (11, 10, 2), (25, 5, 5)])
def test_page_count(total, size, pages):
    assert page_count(total, size) == pages


@pytest.mark.parametrize(("page", "total", "size", "shown"), [
    (0, 0, 10, 0), (-1, 30, 10, 0), (2, 30, 10, 2), (3, 30, 10, 2), (9, 11, 10, 1), (5, 0, 10, 0)])
def test_a_page_past_either_end_is_the_nearest_page(page, total, size, shown):
    assert clamp(page, total, size) == shown
