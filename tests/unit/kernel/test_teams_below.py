from core.domain.kernel.access import teams_below


def test_the_teams_below_follow_every_level_and_stop_at_a_cycle():
    parents = {1: None, 2: 1, 3: 2, 4: None, 5: 3, 6: 5, 7: 8, 8: 7}
    assert teams_below([1], parents) == {1, 2, 3, 5, 6}
    assert teams_below([3, 4], parents) == {3, 4, 5, 6}
    assert teams_below([7], parents) == {7, 8}
    assert teams_below([], parents) == frozenset()
