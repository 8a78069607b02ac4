"""Protocol order (排座): pure functions, no database.

The rostrum (主席台) follows the convention of Chinese official meetings: the
first-ranked person sits in the centre; the second sits on the first's left
hand, which is the audience's right; the third on the first's right hand (the
audience's left); and so on, alternating outwards. With an even number the
first two share the centre, the first on the audience's left of it. Read left
to right from the audience:

    1 person:  1            4 people: 3 1 2 4
    3 people:  3 1 2        5 people: 5 3 1 2 4
    6 people:  5 3 1 2 4 6

The audience is filled from the front, left to right, hosts and speakers
first, then by department and name; observers (列席) from the back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
S = TypeVar("S")

FRONT_WORDS = ("前排", "前面", "front")
BACK_WORDS = ("后排", "後排", "后面", "後面", "back")
AISLE_WORDS = (
    "过道",
    "過道",
    "走道",
    "边",
    "邊",
    "aisle",
    "轮椅",
    "輪椅",
    "无障碍",
    "無障礙",
    "wheelchair",
)


def rostrum_order(n: int) -> list[int]:
    """Ranks (1-based) in seat order, left to right as the audience sees the rostrum."""
    if n <= 0:
        return []
    left = list(range(n if n % 2 else n - 1, 0, -2))  # odd ranks, outermost first
    right = list(range(2, n + 1, 2))
    return left + right


def place_centred(people: Sequence[T], seats: Sequence[S]) -> list[tuple[T, S]]:
    """Put people (in rank order) on the centre of a row of seats (left to right), by protocol order."""
    n = min(len(people), len(seats))
    start = (len(seats) - n) // 2
    window = seats[start : start + n]
    return [(people[rank - 1], seat) for rank, seat in zip(rostrum_order(n), window, strict=True)]


def preference_of(text: str) -> str:
    """A participant's free-text seat preference as "front", "back", "aisle" or ""."""
    lowered = text.strip().lower()
    if not lowered:
        return ""
    if any(word in lowered for word in AISLE_WORDS):
        return "aisle"
    if any(word in lowered for word in FRONT_WORDS):
        return "front"
    if any(word in lowered for word in BACK_WORDS):
        return "back"
    return ""


@dataclass(frozen=True)
class AudienceSeat:
    """A free audience seat in fill order (front to back, left to right)."""

    key: int
    row: int
    col: int
    by_aisle: bool


def fill_audience(
    people: Sequence[T],
    seats: Sequence[AudienceSeat],
    *,
    preference: Callable[[T], str],
    at_back: Callable[[T], bool],
) -> tuple[list[tuple[T, AudienceSeat]], list[T]]:
    """Seat people already in protocol order: preferences first, observers from the back, the rest from the front.

    Returns (person, seat) pairs and the people left without a seat.
    """
    free = list(seats)
    placed: list[tuple[T, AudienceSeat]] = []
    rest: list[T] = []
    for person in people:
        wish = preference(person)
        seat = None
        if wish == "aisle":
            seat = next((s for s in free if s.by_aisle), None)
        elif wish == "front" and free:
            seat = free[0]
        elif wish == "back" and free:
            seat = free[-1]
        if seat is None:
            rest.append(person)
            continue
        free.remove(seat)
        placed.append((person, seat))
    front = [p for p in rest if not at_back(p)]
    back = [p for p in rest if at_back(p)]
    placed.extend(zip(front, free, strict=False))
    free = free[len(front) :]
    # Observers take the last free seats, read left to right.
    tail = free[len(free) - len(back) :] if len(free) > len(back) else free
    placed.extend(zip(back, tail, strict=False))
    seated = {id(p) for p, _seat in placed}
    return placed, [p for p in people if id(p) not in seated]
