"""Placing an event's accepted meeting requests into its time slots and at its tables.

Plain data in, plain data out: the events services build an `Instance` from the database and store
the `Schedule` that comes back. The rules, which `check` enforces on the scheduler's output and on an
organiser's manual moves alike:

- only accepted requests are placed, each in one slot of the event and at one of its tables;
- nobody is in two meetings in the same slot, and both sides are available in it;
- a table holds one meeting per slot.

Meetings are edges between participants and slots their colours; with availabilities this is list
edge colouring, which is NP-complete. Hence `schedule`, a greedy placement in priority order with a
bounded repair, instant at an event's size; `optimise`, which asks OR-Tools' CP-SAT for more within a
time limit when OR-Tools is installed; and `upper_bound`, which says how far from the best either can
be. Both keep the pinned placements as they are and return them among the placements. Figures:
`bench/scheduling_bench.py` and docs/benchmarks.md.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

#: A request that cannot be placed directly may move a meeting out of its way, which may move
#: another out of its own, and so on: at most this many moves.
REPAIR_DEPTH = 20


@dataclass(frozen=True)
class Participant:
    id: int
    #: ids of the slots the participant can meet in
    available: frozenset[int]
    #: the table the participant stays at when it can (an investor's, a sponsor's), if any
    home_table: int | None = None


@dataclass(frozen=True)
class Slot:
    id: int
    #: its place in the event's time line (e.g. its start in minutes): earlier slots sort first
    order: int


@dataclass(frozen=True)
class Table:
    id: int
    name: str


@dataclass(frozen=True)
class Request:
    """An accepted meeting request. Mutual requests (both sides asked) come first, then the earlier
    accepted; the id breaks ties."""

    id: int
    requester: int
    recipient: int
    accepted_at: datetime
    mutual: bool = False

    @property
    def priority(self) -> tuple[bool, datetime, int]:
        return (not self.mutual, self.accepted_at, self.id)


@dataclass(frozen=True)
class Spot:
    slot: int
    table: int


@dataclass(frozen=True)
class Instance:
    """An event to schedule. `pinned` maps request ids to spots an organiser chose by hand: the
    scheduler keeps them as they are and places the other requests around them."""

    participants: tuple[Participant, ...]
    slots: tuple[Slot, ...]
    tables: tuple[Table, ...]
    requests: tuple[Request, ...]
    pinned: Mapping[int, Spot] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind, items in (
            ("participant", self.participants),
            ("slot", self.slots),
            ("table", self.tables),
            ("request", self.requests),
        ):
            if len({item.id for item in items}) != len(items):
                raise ValueError(f"two {kind}s have the same id")
        slots, tables = {s.id for s in self.slots}, {t.id for t in self.tables}
        people = {p.id for p in self.participants}
        requests = {r.id for r in self.requests}
        for person in self.participants:
            if not person.available <= slots or person.home_table not in tables | {None}:
                raise ValueError(f"participant {person.id} names a slot or table of another event")
        for request in self.requests:
            if request.requester not in people or request.recipient not in people:
                raise ValueError(f"request {request.id} names someone who is not a participant")
        for request_id, spot in self.pinned.items():
            if request_id not in requests or spot.slot not in slots or spot.table not in tables:
                raise ValueError(f"pinned request {request_id} is not accepted or its spot is not of this event")


class Reason(StrEnum):
    """Why a request was left out; the value is the key the pages translate."""

    #: the requester and the recipient are the same participant
    SAME_PARTICIPANT = "same_participant"
    #: the two are never available in the same slot
    NO_COMMON_SLOT = "no_common_slot"
    #: in every slot both are available in, one of them already has a meeting
    PARTICIPANT_BUSY = "participant_busy"
    #: both are free in some slot, but every table is taken then
    NO_TABLE_FREE = "no_table_free"


@dataclass(frozen=True)
class Schedule:
    #: request id → where it takes place, in time order
    placements: dict[int, Spot]
    #: request id → why it could not be placed, most important request first
    unplaced: dict[int, Reason]


class Rule(StrEnum):
    #: the request is not one of the instance's accepted requests
    NOT_ACCEPTED = "not_accepted"
    #: the slot or the table is not one of the event's
    UNKNOWN_SPOT = "unknown_spot"
    #: a participant would meet itself
    SAME_PARTICIPANT = "same_participant"
    #: `participant` is not available in the slot
    UNAVAILABLE = "unavailable"
    #: `participant` already meets in this slot (in request `other`)
    PARTICIPANT_BUSY = "participant_busy"
    #: the table already holds request `other` in this slot
    TABLE_TAKEN = "table_taken"


@dataclass(frozen=True)
class Violation:
    rule: Rule
    request: int
    participant: int | None = None
    other: int | None = None


def check(instance: Instance, placements: Mapping[int, Spot]) -> list[Violation]:
    """Every broken rule in `placements`. A clash is reported on the later of the two placements in
    the mapping's order, naming the earlier one as `other`."""
    requests = {r.id: r for r in instance.requests}
    people = {p.id: p for p in instance.participants}
    slots, tables = {s.id for s in instance.slots}, {t.id for t in instance.tables}
    person_at: dict[tuple[int, int], int] = {}
    table_at: dict[tuple[int, int], int] = {}
    found = []
    for request_id, spot in placements.items():
        request = requests.get(request_id)
        if request is None:
            found.append(Violation(Rule.NOT_ACCEPTED, request_id))
            continue
        if spot.slot not in slots or spot.table not in tables:
            found.append(Violation(Rule.UNKNOWN_SPOT, request_id))
            continue
        if request.requester == request.recipient:
            found.append(Violation(Rule.SAME_PARTICIPANT, request_id, request.requester))
            continue
        for person in (request.requester, request.recipient):
            if spot.slot not in people[person].available:
                found.append(Violation(Rule.UNAVAILABLE, request_id, person))
            other = person_at.setdefault((person, spot.slot), request_id)
            if other != request_id:
                found.append(Violation(Rule.PARTICIPANT_BUSY, request_id, person, other))
        other = table_at.setdefault((spot.table, spot.slot), request_id)
        if other != request_id:
            found.append(Violation(Rule.TABLE_TAKEN, request_id, other=other))
    return found


def check_move(instance: Instance, placements: Mapping[int, Spot], request: int, spot: Spot) -> list[Violation]:
    """What forbids placing `request` at `spot` (moving it there if it is placed) while the other
    placements stay where they are."""
    moved = {request_id: where for request_id, where in placements.items() if request_id != request}
    moved[request] = spot
    return [v for v in check(instance, moved) if v.request == request]


def schedule(instance: Instance) -> Schedule:
    """Places the requests in priority order, each in the open slot that costs the other waiting
    requests the fewest options; a request with no open slot may move placed meetings along a chain
    of slots to make room. Then, to place more, a meeting may be dropped when that lets two waiting
    requests take place instead, but never a mutual one, nor a pinned one (`_Board.trade`). Tables
    are chosen last (`_seat`). Deterministic: the same instance gives the same schedule, in whatever
    order its tuples list things."""
    facts = _Facts(instance)
    board = _Board(facts, instance.pinned)
    board.fill()
    board.trade(frozenset(r.id for r in instance.requests if r.mutual))
    return _result(facts, board, instance.pinned)


def optimise(instance: Instance, time_limit_s: float = 30.0, start: Schedule | None = None) -> Schedule | None:
    """As many placements as OR-Tools' CP-SAT finds within `time_limit_s`, searching from `start`
    (by default `schedule(instance)`); pinned placements are kept. The solver maximises the number
    placed and nothing else, so it may leave out an earlier request to place two later ones. None when
    OR-Tools is not installed or the solver found nothing in time."""
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return None
    facts = _Facts(instance)
    board = _Board(facts, instance.pinned)
    start = start or schedule(instance)
    model = cp_model.CpModel()
    chosen = {
        (request_id, slot): model.new_bool_var(f"r{request_id}s{slot}")
        for request_id in facts.usable
        for slot in board.open_slots(request_id)
    }
    per_request, per_person, per_slot = defaultdict(list), defaultdict(list), defaultdict(list)
    for (request_id, slot), variable in chosen.items():
        per_request[request_id].append(variable)
        per_slot[slot].append(variable)
        for person in facts.ends[request_id]:
            per_person[person, slot].append(variable)
    for variables in (*per_request.values(), *per_person.values()):
        model.add_at_most_one(variables)
    for slot, variables in per_slot.items():
        model.add(sum(variables) <= board.free[slot])
    model.maximize(sum(chosen.values()))
    for (request_id, slot), variable in chosen.items():
        placed = start.placements.get(request_id)
        model.add_hint(variable, int(placed is not None and placed.slot == slot))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    for (request_id, slot), variable in chosen.items():
        if solver.boolean_value(variable):
            board.put(request_id, slot)
    return _result(facts, board, instance.pinned)


def upper_bound(instance: Instance) -> int:
    """No schedule that obeys the rules places more requests than this.

    Only requests between two participants with a slot in common can be placed (their number is a
    first bound). Then the least of two bounds:

    - participants: someone can meet at most once in each slot they share with a partner, so at most
      `cap(p)` = the number of such slots times. The most meetings that respect every `cap(p)`, when
      a meeting may count by halves (a fractional b-matching, which is at least the integral one),
      is half the maximum flow in the bipartite double cover: source → p (capacity `cap(p)`) →
      q' (capacity 1, both ways for each request p–q) → sink (capacity `cap(q)`). Computed by Dinic's
      algorithm; it catches the popular participant asked by more people than they have slots.
    - slots: in each slot at most one meeting per table, one per request that can take place then,
      and one per two participants who have such a request.
    """
    facts = _Facts(instance)
    usable = [r for r in instance.requests if r.requester != r.recipient and facts.common[r.id]]
    shared: dict[int, set[int]] = defaultdict(set)
    slot_requests: dict[int, int] = defaultdict(int)
    slot_people: dict[int, set[int]] = defaultdict(set)
    for request in usable:
        for slot in facts.common[request.id]:
            slot_requests[slot] += 1
            slot_people[slot].update((request.requester, request.recipient))
        for person in (request.requester, request.recipient):
            shared[person].update(facts.common[request.id])
    by_slots = sum(min(len(facts.tables), slot_requests[slot], len(slot_people[slot]) // 2) for slot in facts.slots)
    return min(len(usable), _fractional_matching(usable, {p: len(s) for p, s in shared.items()}), by_slots)


class _Facts:
    """What the scheduler looks up about an instance: slots in time order, tables by id, who meets
    whom, and the slots both sides of each request are available in."""

    def __init__(self, instance: Instance) -> None:
        self.slots = [s.id for s in sorted(instance.slots, key=lambda s: (s.order, s.id))]
        self.position = {slot: index for index, slot in enumerate(self.slots)}
        self.tables = sorted(t.id for t in instance.tables)
        self.home = {p.id: p.home_table for p in instance.participants}
        available = {p.id: p.available for p in instance.participants}
        requests = sorted(instance.requests, key=lambda r: r.priority)
        self.rank = {r.id: rank for rank, r in enumerate(requests)}
        self.ends = {r.id: (r.requester, r.recipient) for r in requests}
        self.common = {
            r.id: tuple(s for s in self.slots if s in available[r.requester] and s in available[r.recipient])
            for r in requests
        }
        #: the requests the scheduler places, in priority order
        self.usable = [
            r.id for r in requests if r.id not in instance.pinned and r.requester != r.recipient and self.common[r.id]
        ]
        #: participant → (request, the other side, the request's slots) for each request it places
        self.requests_of: dict[int, list[tuple[int, int, frozenset[int]]]] = defaultdict(list)
        for request_id in self.usable:
            first, second = self.ends[request_id]
            slots = frozenset(self.common[request_id])
            self.requests_of[first].append((request_id, second, slots))
            self.requests_of[second].append((request_id, first, slots))


class _Board:
    """Who meets in which slot and how many tables each slot has left, with an undo log so that a
    repair that fails leaves the board as it was."""

    def __init__(self, facts: _Facts, pinned: Mapping[int, Spot]) -> None:
        self.facts = facts
        self.slot_of: dict[int, int] = {}
        self.busy: dict[int, dict[int, int]] = defaultdict(dict)
        self.in_slot: dict[int, dict[int, None]] = {slot: {} for slot in facts.slots}
        self.free = {slot: len(facts.tables) for slot in facts.slots}
        self.fixed = frozenset(pinned)
        self.log: list[tuple[bool, int, int]] = []
        self.dead: set[int] = set()
        for request_id, spot in pinned.items():
            self.put(request_id, spot.slot)

    def put(self, request_id: int, slot: int) -> None:
        self.slot_of[request_id] = slot
        for person in self.facts.ends[request_id]:
            self.busy[person][slot] = request_id
        self.in_slot[slot][request_id] = None
        self.free[slot] -= 1
        self.log.append((True, request_id, slot))

    def take(self, request_id: int) -> None:
        slot = self.slot_of.pop(request_id)
        for person in self.facts.ends[request_id]:
            del self.busy[person][slot]
        del self.in_slot[slot][request_id]
        self.free[slot] += 1
        self.log.append((False, request_id, slot))

    def undo(self, mark: int) -> None:
        while len(self.log) > mark:
            placed, request_id, slot = self.log.pop()
            if placed:
                self.take(request_id)
            else:
                self.put(request_id, slot)
            self.log.pop()

    def open_slots(self, request_id: int) -> list[int]:
        first, second = self.facts.ends[request_id]
        return [
            slot
            for slot in self.facts.common[request_id]
            if self.free[slot] > 0 and slot not in self.busy[first] and slot not in self.busy[second]
        ]

    def fill(self) -> None:
        """Place the waiting requests in priority order, twice (moves may have opened room for one
        that failed)."""
        for _ in range(2):
            for request_id in self.facts.usable:
                if request_id not in self.slot_of and self._augment(request_id, None, REPAIR_DEPTH):
                    self.dead.clear()

    def trade(self, protected: frozenset[int]) -> None:
        """Place more by dropping meetings: a waiting request takes the slot of a meeting that is the
        only thing in its way when the dropped meeting's other side can then have a meeting of its
        own, so that there is one more in all. Pinned and `protected` meetings are never dropped;
        of the others, the latest in priority goes first."""
        kept = self.fixed | protected
        for request_id in self.facts.usable:
            if not any(free > 0 for free in self.free.values()):
                return
            if request_id in self.slot_of:
                continue
            ends = self.facts.ends[request_id]
            in_the_way = []
            for slot in self.facts.common[request_id]:
                blockers = {self.busy[person][slot] for person in ends if slot in self.busy[person]}
                if len(blockers) == 1 and not blockers & kept:
                    in_the_way.append((-self.facts.rank[min(blockers)], slot, min(blockers)))
            for _, slot, other in sorted(in_the_way):
                mark = len(self.log)
                self.take(other)
                self.put(request_id, slot)
                if any(
                    self._augment(waiting, None, REPAIR_DEPTH)
                    for person in self.facts.ends[other]
                    if person not in ends
                    for waiting, _, _ in self.facts.requests_of[person]
                    if waiting not in self.slot_of and waiting != other
                ):
                    self.dead.clear()
                    break
                self.undo(mark)

    def _augment(self, request_id: int, leaving: int | None, depth: int) -> bool:
        """Place a request that is off the board in a slot other than `leaving`: in the open slot
        that costs the other waiting requests least, or else in one where a single meeting is in its
        way (a participant's, or the last table's), which then moves on in the same way, `depth`
        moves at most. Pinned meetings never move, nor the `dead` ones: those this search has seen
        already, or an earlier search that failed (the board has not changed since), so that a search
        visits each meeting once."""
        open_slots = [slot for slot in self.open_slots(request_id) if slot != leaving]
        if open_slots:
            self.put(request_id, min(open_slots, key=lambda slot: self._cost(request_id, slot)))
            return True
        if depth == 0 or not any(free > 0 for free in self.free.values()):
            return False
        first, second = (self.busy[person] for person in self.facts.ends[request_id])
        for slot in self.facts.common[request_id]:
            blockers = {other for other in (first.get(slot), second.get(slot)) if other is not None}
            if slot == leaving or len(blockers) > 1:
                continue
            for other in blockers or list(self.in_slot[slot]):
                if other in self.dead or other in self.fixed:
                    continue
                self.dead.add(other)
                mark = len(self.log)
                self.take(other)
                self.put(request_id, slot)
                if self._augment(other, slot, depth - 1):
                    return True
                self.undo(mark)
        return False

    def _cost(self, request_id: int, slot: int) -> tuple[int, int, int]:
        """How bad a slot is for a request: the other waiting requests of its two sides that could
        take place in it, then the fewer tables left, then the later."""
        waiting = sum(
            1
            for person in self.facts.ends[request_id]
            for other, partner, slots in self.facts.requests_of[person]
            if slot in slots and other != request_id and other not in self.slot_of and slot not in self.busy[partner]
        )
        return (waiting, -self.free[slot], self.facts.position[slot])


def _result(facts: _Facts, board: _Board, pinned: Mapping[int, Spot]) -> Schedule:
    placements = _seat(facts, board, pinned)
    unplaced = {
        request_id: _reason(facts, board, request_id) for request_id in facts.ends if request_id not in placements
    }
    return Schedule(placements, unplaced)


def _seat(facts: _Facts, board: _Board, pinned: Mapping[int, Spot]) -> dict[int, Spot]:
    """Tables for the placed meetings, slot by slot (`_seat_slot`), in time order."""
    meetings: Counter[int] = Counter(person for request_id in board.slot_of for person in facts.ends[request_id])
    homes = {table for table in facts.home.values() if table is not None}
    last: dict[int, int] = {}
    placements = {}
    for slot in facts.slots:
        seated = _seat_slot(facts, board.in_slot[slot], pinned, meetings, homes, last)
        for request_id, table in sorted(seated.items(), key=lambda item: item[1]):
            placements[request_id] = Spot(slot, table)
            for person in facts.ends[request_id]:
                last[person] = table
    return placements


def _seat_slot(
    facts: _Facts,
    requests: Iterable[int],
    pinned: Mapping[int, Spot],
    meetings: Mapping[int, int],
    homes: set[int],
    last: Mapping[int, int],
) -> dict[int, int]:
    """Tables for one slot's meetings: pinned meetings keep theirs; then, in priority order, a
    meeting takes a side's home table if it is free, then, in a second round, the table a side sat at
    last, asking first the side with more meetings in the schedule, so that the busiest stay put and
    their visitors move; the rest take the free tables that are nobody's home first."""
    seated = {request_id: pinned[request_id].table for request_id in requests if request_id in pinned}
    waiting = sorted((request_id for request_id in requests if request_id not in seated), key=facts.rank.__getitem__)
    taken = set(seated.values())
    for wanted in (facts.home, last):
        for request_id in (request_id for request_id in waiting if request_id not in seated):
            sides = sorted(facts.ends[request_id], key=lambda person: -meetings[person])
            table = next(
                (wanted[person] for person in sides if wanted.get(person) is not None and wanted[person] not in taken),
                None,
            )
            if table is not None:
                seated[request_id] = table
                taken.add(table)
    spare = iter(sorted((table for table in facts.tables if table not in taken), key=lambda table: table in homes))
    for request_id in waiting:
        if request_id not in seated:
            seated[request_id] = next(spare)
    return seated


def _reason(facts: _Facts, board: _Board, request_id: int) -> Reason:
    first, second = facts.ends[request_id]
    if first == second:
        return Reason.SAME_PARTICIPANT
    if not facts.common[request_id]:
        return Reason.NO_COMMON_SLOT
    if all(slot in board.busy[first] or slot in board.busy[second] for slot in facts.common[request_id]):
        return Reason.PARTICIPANT_BUSY
    return Reason.NO_TABLE_FREE


def _fractional_matching(requests: list[Request], cap: Mapping[int, int]) -> int:
    """The bound of `upper_bound` on participants: half the maximum flow in the double cover."""
    index = {person: i for i, person in enumerate(sorted(cap))}
    source, sink = 2 * len(index), 2 * len(index) + 1
    arcs = [(source, index[p], c) for p, c in cap.items()] + [(len(index) + index[p], sink, c) for p, c in cap.items()]
    for request in requests:
        left, right = index[request.requester], index[request.recipient]
        arcs += [(left, len(index) + right, 1), (right, len(index) + left, 1)]
    return _max_flow(sink + 1, arcs, source, sink) // 2


def _max_flow(size: int, arcs: list[tuple[int, int, int]], source: int, sink: int) -> int:
    """Dinic's algorithm, iterative (augmenting paths can be longer than Python's recursion limit)."""
    head: list[list[int]] = [[] for _ in range(size)]
    target: list[int] = []
    capacity: list[int] = []
    for tail, to, amount in arcs:
        head[tail].append(len(target))
        target.append(to)
        capacity.append(amount)
        head[to].append(len(target))
        target.append(tail)
        capacity.append(0)
    flow = 0
    while True:
        level = [-1] * size
        level[source] = 0
        queue = [source]
        for node in queue:
            for arc in head[node]:
                if capacity[arc] and level[target[arc]] < 0:
                    level[target[arc]] = level[node] + 1
                    queue.append(target[arc])
        if level[sink] < 0:
            return flow
        cursor = [0] * size
        while True:
            path: list[int] = []
            node = source
            while node != sink:
                arcs_out = head[node]
                while cursor[node] < len(arcs_out):
                    arc = arcs_out[cursor[node]]
                    if capacity[arc] and level[target[arc]] == level[node] + 1:
                        break
                    cursor[node] += 1
                else:
                    if not path:
                        break
                    level[node] = -1
                    node = target[path.pop() ^ 1]
                    cursor[node] += 1
                    continue
                path.append(arc)
                node = target[arc]
            if node != sink:
                break
            push = min(capacity[arc] for arc in path)
            for arc in path:
                capacity[arc] -= push
                capacity[arc ^ 1] += push
            flow += push
