"""The meeting scheduler on plain data: the rules hold on random events, `check` finds every kind of
broken rule, and the hand-made cases show the priorities, the repair and the tables."""

import importlib.util
import random
from collections import Counter
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.events.scheduling import (
    Instance,
    Participant,
    Reason,
    Request,
    Rule,
    Schedule,
    Slot,
    Spot,
    Table,
    Violation,
    check,
    check_move,
    optimise,
    schedule,
    upper_bound,
)

START = datetime(2026, 11, 20, 9, 0)
PROPERTIES = settings(max_examples=80, deadline=None, database=None)


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def event(
    available: dict[int, set[int]],
    requests: list[tuple[int, int]],
    *,
    slots: int = 3,
    tables: int = 2,
    mutual: set[int] = frozenset(),
    homes: dict[int, int] | None = None,
    pinned: dict[int, Spot] | None = None,
) -> Instance:
    """Slots 1..`slots`, tables 1..`tables`; request i (from 1) is the i-th pair, accepted i minutes
    after the start."""
    homes = homes or {}
    return Instance(
        participants=tuple(Participant(p, frozenset(s), homes.get(p)) for p, s in available.items()),
        slots=tuple(Slot(s, order=30 * s) for s in range(1, slots + 1)),
        tables=tuple(Table(t, f"{t}号桌") for t in range(1, tables + 1)),
        requests=tuple(Request(i, a, b, at(i), i in mutual) for i, (a, b) in enumerate(requests, start=1)),
        pinned=pinned or {},
    )


@st.composite
def instances(draw, with_pins: bool = True, max_slots: int = 5, max_requests: int = 12) -> Instance:
    slot_ids = draw(st.lists(st.integers(1, 40), min_size=1, max_size=max_slots, unique=True))
    orders = draw(st.permutations(range(len(slot_ids))))
    table_ids = draw(st.lists(st.integers(1, 40), max_size=3, unique=True))
    people = range(1, draw(st.integers(1, 7)) + 1)
    participants = tuple(
        Participant(
            p,
            frozenset(draw(st.sets(st.sampled_from(slot_ids)))),
            draw(st.none() | st.sampled_from(table_ids)) if table_ids else None,
        )
        for p in people
    )
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(people), st.sampled_from(people), st.integers(0, 30), st.booleans()),
            max_size=max_requests,
        )
    )
    requests = tuple(Request(100 + i, a, b, at(minutes), mutual) for i, (a, b, minutes, mutual) in enumerate(pairs))
    plain = Instance(
        participants,
        tuple(Slot(s, order) for s, order in zip(slot_ids, orders, strict=True)),
        tuple(Table(t, f"T{t}") for t in table_ids),
        requests,
    )
    if not with_pins or not table_ids:
        return plain
    pinned: dict[int, Spot] = {}
    for request in requests:
        if draw(st.integers(0, 3)) == 0:
            spot = Spot(draw(st.sampled_from(slot_ids)), draw(st.sampled_from(table_ids)))
            if not check_move(plain, pinned, request.id, spot):
                pinned[request.id] = spot
    return Instance(plain.participants, plain.slots, plain.tables, plain.requests, pinned)


def broken_rules(instance: Instance, placements: dict[int, Spot]) -> set[Rule]:
    """The rules `placements` break, worked out pair by pair, independently of `check`."""
    requests = {r.id: r for r in instance.requests}
    available = {p.id: p.available for p in instance.participants}
    slots, tables = {s.id for s in instance.slots}, {t.id for t in instance.tables}
    broken = set()
    valid = []
    for request_id, spot in placements.items():
        request = requests.get(request_id)
        if request is None:
            broken.add(Rule.NOT_ACCEPTED)
        elif spot.slot not in slots or spot.table not in tables:
            broken.add(Rule.UNKNOWN_SPOT)
        elif request.requester == request.recipient:
            broken.add(Rule.SAME_PARTICIPANT)
        else:
            valid.append((request, spot))
            if spot.slot not in available[request.requester] & available[request.recipient]:
                broken.add(Rule.UNAVAILABLE)
    for i, (one, here) in enumerate(valid):
        for other, there in valid[i + 1 :]:
            if here.slot == there.slot and {one.requester, one.recipient} & {other.requester, other.recipient}:
                broken.add(Rule.PARTICIPANT_BUSY)
            if here == there:
                broken.add(Rule.TABLE_TAKEN)
    return broken


def best_count(instance: Instance) -> int:
    """The most requests any schedule obeying the rules places, by exhaustive search (tiny events)."""
    available = {p.id: p.available for p in instance.participants}
    requests = [r for r in instance.requests if r.requester != r.recipient]
    capacity = len(instance.tables)
    busy: set[tuple[int, int]] = set()
    used: Counter[int] = Counter()

    def search(index: int) -> int:
        if index == len(requests):
            return 0
        best = search(index + 1)
        request = requests[index]
        for slot in available[request.requester] & available[request.recipient]:
            sides = {(request.requester, slot), (request.recipient, slot)}
            if used[slot] < capacity and not sides & busy:
                busy.update(sides)
                used[slot] += 1
                best = max(best, 1 + search(index + 1))
                busy.difference_update(sides)
                used[slot] -= 1
        return best

    return search(0)


@PROPERTIES
@given(instances())
def test_the_schedule_obeys_the_rules(instance):
    result = schedule(instance)
    requests = {r.id: r for r in instance.requests}
    available = {p.id: p.available for p in instance.participants}
    assert set(result.placements) | set(result.unplaced) == set(requests)
    assert not set(result.placements) & set(result.unplaced)
    people_at, tables_at = Counter(), Counter()
    for request_id, spot in result.placements.items():
        request = requests[request_id]
        assert request.requester != request.recipient
        assert spot.slot in available[request.requester] and spot.slot in available[request.recipient]
        assert spot.table in {t.id for t in instance.tables}
        people_at.update([(request.requester, spot.slot), (request.recipient, spot.slot)])
        tables_at[spot.table, spot.slot] += 1
    assert max(people_at.values(), default=1) == 1
    assert max(tables_at.values(), default=1) == 1
    assert all(result.placements[request_id] == spot for request_id, spot in instance.pinned.items())
    assert check(instance, result.placements) == []
    assert len(result.placements) <= upper_bound(instance)


@PROPERTIES
@given(instances())
def test_each_left_out_request_has_its_true_reason(instance):
    result = schedule(instance)
    requests = {r.id: r for r in instance.requests}
    available = {p.id: p.available for p in instance.participants}
    busy = {
        (person, spot.slot)
        for request_id, spot in result.placements.items()
        for person in (requests[request_id].requester, requests[request_id].recipient)
    }
    used = Counter(spot.slot for spot in result.placements.values())
    for request_id, reason in result.unplaced.items():
        request = requests[request_id]
        common = available[request.requester] & available[request.recipient]
        free_for_both = [
            slot for slot in common if (request.requester, slot) not in busy and (request.recipient, slot) not in busy
        ]
        if request.requester == request.recipient:
            assert reason == Reason.SAME_PARTICIPANT
        elif not common:
            assert reason == Reason.NO_COMMON_SLOT
        elif not free_for_both:
            assert reason == Reason.PARTICIPANT_BUSY
        else:
            assert reason == Reason.NO_TABLE_FREE
            assert all(used[slot] == len(instance.tables) for slot in free_for_both)


@PROPERTIES
@given(instances(), st.randoms(use_true_random=False))
def test_the_schedule_does_not_depend_on_the_order_of_the_input(instance, rng):
    def shuffled(items):
        items = list(items)
        rng.shuffle(items)
        return tuple(items)

    reordered = Instance(
        shuffled(instance.participants),
        shuffled(instance.slots),
        shuffled(instance.tables),
        shuffled(instance.requests),
        dict(shuffled(instance.pinned.items())),
    )
    expected, result = schedule(instance), schedule(reordered)
    assert list(result.placements.items()) == list(expected.placements.items())
    assert list(result.unplaced.items()) == list(expected.unplaced.items())


@settings(max_examples=60, deadline=None, database=None)
@given(instances(with_pins=False, max_slots=3, max_requests=7))
def test_no_schedule_places_more_than_the_upper_bound(instance):
    best = best_count(instance)
    assert len(schedule(instance).placements) <= best <= upper_bound(instance)


@PROPERTIES
@given(instances(with_pins=False), st.data())
def test_check_finds_exactly_the_broken_rules(instance, data):
    request_ids = [r.id for r in instance.requests] + [999]
    slot_ids = [s.id for s in instance.slots] + [998]
    table_ids = [t.id for t in instance.tables] + [997]
    placements = data.draw(
        st.dictionaries(
            st.sampled_from(request_ids),
            st.builds(Spot, st.sampled_from(slot_ids), st.sampled_from(table_ids)),
            max_size=8,
        )
    )
    assert {v.rule for v in check(instance, placements)} == broken_rules(instance, placements)


# Two slots, two tables; 1 and 2 are free in both slots, 3 only in slot 1, 4 in neither.
RULES = event({1: {1, 2}, 2: {1, 2}, 3: {1}, 4: set()}, [(1, 2), (1, 3), (2, 3), (3, 3), (1, 4)], slots=2)


@pytest.mark.parametrize(
    ("placements", "expected"),
    [
        ({1: Spot(2, 1), 3: Spot(1, 2)}, []),
        ({42: Spot(1, 1)}, [Violation(Rule.NOT_ACCEPTED, 42)]),
        ({1: Spot(3, 1)}, [Violation(Rule.UNKNOWN_SPOT, 1)]),
        ({1: Spot(1, 9)}, [Violation(Rule.UNKNOWN_SPOT, 1)]),
        ({4: Spot(1, 1)}, [Violation(Rule.SAME_PARTICIPANT, 4, 3)]),
        ({2: Spot(2, 1)}, [Violation(Rule.UNAVAILABLE, 2, 3)]),
        ({5: Spot(1, 1)}, [Violation(Rule.UNAVAILABLE, 5, 4)]),
        ({1: Spot(1, 1), 2: Spot(1, 2)}, [Violation(Rule.PARTICIPANT_BUSY, 2, 1, other=1)]),
        ({1: Spot(1, 1), 3: Spot(1, 2)}, [Violation(Rule.PARTICIPANT_BUSY, 3, 2, other=1)]),
        ({2: Spot(1, 1), 1: Spot(2, 1), 3: Spot(1, 2)}, [Violation(Rule.PARTICIPANT_BUSY, 3, 3, other=2)]),
        (
            {1: Spot(2, 2), 3: Spot(2, 2)},
            [
                Violation(Rule.PARTICIPANT_BUSY, 3, 2, other=1),
                Violation(Rule.UNAVAILABLE, 3, 3),
                Violation(Rule.TABLE_TAKEN, 3, other=1),
            ],
        ),
    ],
)
def test_check_names_each_broken_rule(placements, expected):
    assert check(RULES, placements) == expected


def test_check_tells_which_table_is_taken():
    two_meetings = event({1: {1}, 2: {1}, 3: {1}, 4: {1}}, [(1, 2), (3, 4)], slots=1)
    assert check(two_meetings, {1: Spot(1, 1), 2: Spot(1, 1)}) == [Violation(Rule.TABLE_TAKEN, 2, other=1)]
    assert check(two_meetings, {1: Spot(1, 1), 2: Spot(1, 2)}) == []


def test_a_manual_move_is_checked_against_the_other_placements():
    placed = {1: Spot(2, 1), 3: Spot(1, 1)}
    assert check_move(RULES, placed, 1, Spot(2, 2)) == []
    assert check_move(RULES, placed, 1, Spot(1, 2)) == [Violation(Rule.PARTICIPANT_BUSY, 1, 2, other=3)]
    assert check_move(RULES, placed, 3, Spot(2, 1)) == [
        Violation(Rule.PARTICIPANT_BUSY, 3, 2, other=1),
        Violation(Rule.UNAVAILABLE, 3, 3),
        Violation(Rule.TABLE_TAKEN, 3, other=1),
    ]
    assert check_move(RULES, placed, 2, Spot(1, 2)) == [Violation(Rule.PARTICIPANT_BUSY, 2, 3, other=3)]


def test_mutual_requests_come_first_then_the_earlier_accepted():
    # 1 can meet only in slot 1, and three people want to meet 1.
    contest = {1: {1}, 2: {1, 2}, 3: {1, 2}, 4: {1, 2}}
    earlier_first = schedule(event(contest, [(2, 1), (3, 1), (1, 4)]))
    assert earlier_first.placements == {1: Spot(1, 1)}
    assert earlier_first.unplaced == {2: Reason.PARTICIPANT_BUSY, 3: Reason.PARTICIPANT_BUSY}
    mutual_first = schedule(event(contest, [(2, 1), (3, 1), (1, 4)], mutual={3}))
    assert list(mutual_first.placements) == [3]
    assert list(mutual_first.unplaced) == [1, 2]


def test_the_earlier_request_gets_the_last_table():
    result = schedule(event({1: {1}, 2: {1}, 3: {1}, 4: {1}}, [(3, 4), (1, 2)], slots=1, tables=1))
    assert result.placements == {1: Spot(1, 1)}
    assert result.unplaced == {2: Reason.NO_TABLE_FREE}


def test_a_meeting_in_the_way_moves_to_another_slot():
    # Request 1 can take slot 1 or 2 and slot 1 looks as good as 2 when it is placed; request 2 can
    # only take slot 1, so meeting 1 moves to slot 2; request 3 then goes to slot 3.
    result = schedule(event({1: {1, 2}, 2: {1, 2, 3}, 3: {1}, 4: {2, 3}}, [(1, 2), (1, 3), (2, 4)]))
    assert {request_id: spot.slot for request_id, spot in result.placements.items()} == {2: 1, 1: 2, 3: 3}
    assert result.unplaced == {}


def test_a_meeting_is_dropped_when_two_others_take_its_place_unless_it_is_mutual():
    # Everyone can meet only in slot 1: either 1 meets 2, or 1 meets 3 and 2 meets 4.
    everyone_in_slot_1 = {1: {1}, 2: {1}, 3: {1}, 4: {1}}
    traded = schedule(event(everyone_in_slot_1, [(1, 2), (1, 3), (2, 4)], slots=1))
    assert set(traded.placements) == {2, 3}
    assert traded.unplaced == {1: Reason.PARTICIPANT_BUSY}
    kept = schedule(event(everyone_in_slot_1, [(1, 2), (1, 3), (2, 4)], slots=1, mutual={1}))
    assert set(kept.placements) == {1}
    pinned = schedule(event(everyone_in_slot_1, [(1, 2), (1, 3), (2, 4)], slots=1, pinned={1: Spot(1, 2)}))
    assert pinned.placements == {1: Spot(1, 2)}


def test_pinned_meetings_stay_and_the_others_go_around_them():
    result = schedule(
        event({1: {1, 2}, 2: {1, 2}, 3: {1, 2}}, [(1, 2), (1, 3)], slots=2, tables=1, pinned={2: Spot(1, 1)})
    )
    assert result.placements == {2: Spot(1, 1), 1: Spot(2, 1)}
    # Moving meeting 1 to slot 2 would make room for request 2, but it is pinned.
    stuck = schedule(event({1: {1, 2}, 2: {1, 2}, 3: {1}}, [(1, 2), (1, 3)], slots=2, pinned={1: Spot(1, 2)}))
    assert stuck.placements == {1: Spot(1, 2)}
    assert stuck.unplaced == {2: Reason.PARTICIPANT_BUSY}


def test_participants_keep_their_table():
    # 1 is an investor at table 3 meeting 2, 3 and 4 in turn; 5 has no home table and meets 6 then 7.
    result = schedule(
        event({p: {1, 2, 3} for p in range(1, 8)}, [(2, 1), (3, 1), (1, 4), (5, 6), (7, 5)], tables=4, homes={1: 3})
    )
    assert {result.placements[request_id].table for request_id in (1, 2, 3)} == {3}
    assert result.placements[4].table == result.placements[5].table != 3
    assert result.placements[4].slot != result.placements[5].slot


def test_a_home_table_is_left_to_its_owner_when_it_can_be():
    # 1 and 2 meet before anyone else and would take table 1, which is 3's home table.
    result = schedule(event({1: {1}, 2: {1}, 3: {1}, 4: {1}}, [(1, 2), (3, 4)], slots=1, homes={3: 1}))
    assert result.placements == {1: Spot(1, 2), 2: Spot(1, 1)}
    # 3 meets only in slot 2: in slot 1 its table stays free all the same.
    later = schedule(event({1: {1}, 2: {1}, 3: {2}, 4: {2}}, [(1, 2), (3, 4)], slots=2, homes={3: 1}))
    assert later.placements == {1: Spot(1, 2), 2: Spot(2, 1)}


def test_reasons_for_requests_that_cannot_take_place():
    result = schedule(event({1: {1}, 2: {2}, 3: {1}}, [(1, 2), (3, 3), (1, 3)], tables=1))
    assert result.unplaced == {1: Reason.NO_COMMON_SLOT, 2: Reason.SAME_PARTICIPANT}


@pytest.mark.parametrize(
    ("available", "requests", "tables", "bound"),
    [
        # capacity: one slot, one table
        ({p: {1} for p in range(1, 7)}, [(1, 2), (3, 4), (5, 6)], 1, 1),
        # one popular participant available in two slots
        ({1: {1, 2}, **{p: {1, 2, 3} for p in range(2, 7)}}, [(p, 1) for p in range(2, 7)], 5, 2),
        # two who are never free together, and a request to oneself
        ({1: {1}, 2: {2}, 3: {1, 2}}, [(1, 2), (3, 3)], 5, 0),
        # a triangle in one slot: at most one meeting, since two would share someone
        ({1: {1}, 2: {1}, 3: {1}}, [(1, 2), (2, 3), (1, 3)], 5, 1),
        # the same in two slots: each could meet twice, but three people make one meeting a slot
        ({1: {1, 2}, 2: {1, 2}, 3: {1, 2}}, [(1, 2), (2, 3), (1, 3)], 5, 2),
    ],
)
def test_upper_bound_on_small_events(available, requests, tables, bound):
    instance = event(available, requests, tables=tables)
    assert upper_bound(instance) == bound == best_count(instance)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"participants": (Participant(1, frozenset()), Participant(2, frozenset()), Participant(2, frozenset()))},
            "two participants",
        ),
        ({"tables": (Table(1, "A"), Table(1, "B"))}, "two tables"),
        ({"participants": (Participant(1, frozenset({9})), Participant(2, frozenset()))}, "participant 1 names"),
        (
            {"participants": (Participant(1, frozenset()), Participant(2, frozenset(), home_table=9))},
            "participant 2 names",
        ),
        ({"requests": (Request(1, 1, 5, START),)}, "request 1 names"),
        ({"pinned": {7: Spot(1, 1)}}, "pinned request 7"),
        ({"pinned": {1: Spot(9, 1)}}, "pinned request 1"),
    ],
)
def test_an_instance_refers_only_to_its_own_things(change, message):
    base = event({1: {1}, 2: {1}}, [(1, 2)])
    fields = {name: getattr(base, name) for name in ("participants", "slots", "tables", "requests", "pinned")}
    Instance(**fields)
    with pytest.raises(ValueError, match=message):
        Instance(**{**fields, **change})


@pytest.mark.skipif(importlib.util.find_spec("ortools") is not None, reason="OR-Tools is installed")
def test_optimise_needs_ortools():
    assert optimise(RULES, time_limit_s=1) is None


def test_optimise_places_the_most():
    pytest.importorskip("ortools")
    rng = random.Random(6)
    available = {p: set(rng.sample(range(1, 4), rng.randint(1, 3))) for p in range(1, 7)}
    pairs = [(a, b) for a in range(1, 7) for b in range(a + 1, 7) if rng.random() < 0.5]
    instance = event(available, pairs, slots=3, tables=2)
    result = optimise(instance, time_limit_s=10)
    assert isinstance(result, Schedule)
    assert check(instance, result.placements) == []
    assert len(result.placements) == best_count(instance) >= len(schedule(instance).placements)
