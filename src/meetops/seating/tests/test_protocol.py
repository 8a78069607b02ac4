"""The protocol order of the rostrum and the audience, as pure functions."""

from __future__ import annotations

import pytest

from meetops.seating import protocol


@pytest.mark.parametrize(
    ("n", "left_to_right"),
    [
        (0, []),
        (1, [1]),
        (2, [1, 2]),
        (3, [3, 1, 2]),
        (4, [3, 1, 2, 4]),
        (5, [5, 3, 1, 2, 4]),
        (6, [5, 3, 1, 2, 4, 6]),
        (7, [7, 5, 3, 1, 2, 4, 6]),
        (8, [7, 5, 3, 1, 2, 4, 6, 8]),
    ],
)
def test_rostrum_order_as_the_audience_sees_it(n, left_to_right):
    assert protocol.rostrum_order(n) == left_to_right


def test_odd_count_puts_rank_one_in_the_exact_centre_and_rank_two_on_the_audiences_right():
    order = protocol.rostrum_order(9)
    assert order.index(1) == 4  # the middle of nine
    assert order.index(2) == order.index(1) + 1
    assert order.index(3) == order.index(1) - 1


def test_even_count_shares_the_centre_rank_one_on_the_audiences_left():
    order = protocol.rostrum_order(6)
    assert (order.index(1), order.index(2)) == (2, 3)  # the two middle seats of six


def test_people_are_centred_in_a_wider_row():
    seats = ["s1", "s2", "s3", "s4", "s5", "s6", "s7"]
    placed = dict(protocol.place_centred(["A", "B", "C"], seats))
    assert placed == {"A": "s4", "B": "s5", "C": "s3"}


@pytest.mark.parametrize(
    ("text", "wish"),
    [
        ("靠过道", "aisle"),
        ("轮椅", "aisle"),
        ("前排", "front"),
        ("Back row", "back"),
        ("", ""),
        ("靠窗", ""),
    ],
)
def test_seat_preferences_from_the_import(text, wish):
    assert protocol.preference_of(text) == wish


def test_audience_fill_preferences_first_observers_at_the_back():
    seats = [
        protocol.AudienceSeat(key=r * 10 + c, row=r, col=c, by_aisle=c == 1)
        for r in (1, 2, 3)
        for c in (1, 2, 3)
    ]
    people = ["a", "b", "aisle-person", "obs1", "obs2"]
    placed, unseated = protocol.fill_audience(
        people,
        seats,
        preference=lambda p: "aisle" if p == "aisle-person" else "",
        at_back=lambda p: p.startswith("obs"),
    )
    where = {p: s.key for p, s in placed}
    assert where["aisle-person"] == 11
    assert (where["a"], where["b"]) == (12, 13)
    assert (where["obs1"], where["obs2"]) == (32, 33)
    assert unseated == []


def test_audience_fill_reports_who_does_not_fit():
    seats = [protocol.AudienceSeat(key=1, row=1, col=1, by_aisle=True)]
    placed, unseated = protocol.fill_audience(
        ["a", "b"], seats, preference=lambda p: "", at_back=lambda p: False
    )
    assert [p for p, _s in placed] == ["a"]
    assert unseated == ["b"]
