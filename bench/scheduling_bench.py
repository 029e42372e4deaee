"""Meeting scheduling (`app.events.scheduling`) at the size of a large industry-finance matchmaking meeting.

Usage: .venv/bin/python bench/scheduling_bench.py [--participants 500] [--requests 3000] [--slots 16]
                                                  [--tables 120] [--seed 2026] [--runs 5] [--optimise SECONDS]

The event (seeded, pure data, no database):
  - a fifth of the participants are hosts (investors, large firms) with a home table each;
  - each participant is available in a random 60-100% of the slots: k slots, k uniform in
    [ceil(0.6 × slots), slots], which ones at random;
  - distinct accepted requests (no pair twice, in either direction): the requester is anyone, the
    recipient a host half of the time and anyone else otherwise, so hosts are asked more often than
    they have slots; 10% are mutual; accepted at random times over two weeks.

Measured twice: with `--tables`, and with a table for every two participants, where only the people
limit the schedule (with 120 tables, 16 × 120 = 1,920 meetings at most: the tables are what binds).
For each: `schedule` (p50 and slowest of `--runs` runs after a warm-up; target < 2 s), `upper_bound`,
placed / bound (target ≥ 95%), the reasons for what is left out, how well people keep their table,
and `check` on the result (must be empty). `--optimise` also runs the CP-SAT step when OR-Tools is
installed.
"""

import argparse
import hashlib
import importlib.util
import math
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.events.scheduling import (  # noqa: E402
    Instance,
    Participant,
    Request,
    Schedule,
    Slot,
    Table,
    check,
    optimise,
    schedule,
    upper_bound,
)

HOST_SHARE = 0.2
TO_HOST = 0.5
MUTUAL = 0.1
LEAST_AVAILABLE = 0.6


def make_event(participants: int, requests: int, slots: int, tables: int, seed: int) -> Instance:
    rng = random.Random(seed)
    hosts = int(participants * HOST_SHARE)
    people = tuple(
        Participant(
            p,
            frozenset(rng.sample(range(slots), rng.randint(math.ceil(LEAST_AVAILABLE * slots), slots))),
            home_table=p if p < min(hosts, tables) else None,
        )
        for p in range(participants)
    )
    pairs: set[frozenset[int]] = set()
    accepted = []
    start = datetime(2026, 11, 1, 9, 0)
    while len(accepted) < requests:
        requester = rng.randrange(participants)
        recipient = rng.randrange(hosts) if rng.random() < TO_HOST else rng.randrange(participants)
        if requester == recipient or frozenset((requester, recipient)) in pairs:
            continue
        pairs.add(frozenset((requester, recipient)))
        accepted.append(
            Request(
                len(accepted),
                requester,
                recipient,
                start + timedelta(minutes=rng.randrange(14 * 24 * 60)),
                rng.random() < MUTUAL,
            )
        )
    return Instance(
        people,
        tuple(Slot(s, order=30 * s) for s in range(slots)),
        tuple(Table(t, f"{t + 1}号桌") for t in range(tables)),
        tuple(accepted),
    )


def timed(fn, runs: int) -> tuple[object, list[float]]:
    result = fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return result, samples


def seating(instance: Instance, result: Schedule) -> tuple[float, float]:
    """The share of hosts' meetings at their home table, and of the times someone's next meeting
    is at the same table as their previous one."""
    requests = {r.id: r for r in instance.requests}
    homes = {p.id: p.home_table for p in instance.participants if p.home_table is not None}
    order = {s.id: s.order for s in instance.slots}
    tables_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for request_id, spot in result.placements.items():
        for person in (requests[request_id].requester, requests[request_id].recipient):
            tables_of[person].append((order[spot.slot], spot.table))
    at_home = [table == homes[person] for person, seats in tables_of.items() if person in homes for _, table in seats]
    stays = [first[1] == second[1] for seats in tables_of.values() for first, second in pairwise(sorted(seats))]
    return sum(at_home) / max(len(at_home), 1), sum(stays) / max(len(stays), 1)


def run(label: str, instance: Instance, args: argparse.Namespace) -> None:
    result, samples = timed(lambda: schedule(instance), args.runs)
    bound, bound_samples = timed(lambda: upper_bound(instance), 1)
    violations = check(instance, result.placements)
    placed = len(result.placements)
    at_home, stays = seating(instance, result)
    print(
        f"\n{label}: {len(instance.participants)} participants, {len(instance.requests):,} requests, "
        f"{len(instance.slots)} slots, {len(instance.tables)} tables"
    )
    print(
        f"  schedule        p50 {statistics.median(samples):6.3f} s   slowest {max(samples):6.3f} s   "
        f"target < 2 s: {'met' if max(samples) < 2 else 'MISSED'}"
    )
    print(
        f"  upper_bound     {bound_samples[0]:6.3f} s   bound {bound:,}   (slots × tables "
        f"{len(instance.slots) * len(instance.tables):,})"
    )
    print(
        f"  placed          {placed:,} / {bound:,} = {placed / bound:.1%}   target ≥ 95%: "
        f"{'met' if placed >= 0.95 * bound else 'MISSED'}"
    )
    print(f"  left out        {dict(Counter(reason.value for reason in result.unplaced.values()))}")
    print(
        f"  tables          hosts' meetings at their home table {at_home:.1%}; "
        f"next meeting at the same table {stays:.1%}"
    )
    print(f"  check           {len(violations)} violations")
    if args.optimise:
        started = time.perf_counter()
        better = optimise(instance, time_limit_s=args.optimise, start=result)
        if better is None:
            print(
                "  optimise        OR-Tools is not installed (or found nothing in time): see the CP-SAT figures "
                "in SEARCH-NOTES.md"
            )
        else:
            print(
                f"  optimise        {len(better.placements):,} placed in {time.perf_counter() - started:.1f} s "
                f"({len(check(instance, better.placements))} violations)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--slots", type=int, default=16)
    parser.add_argument("--tables", type=int, default=120)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--optimise", type=float, default=0, metavar="SECONDS")
    args = parser.parse_args()
    code = hashlib.sha1((ROOT / "app/events/scheduling.py").read_bytes()).hexdigest()[:12]
    print(f"app/events/scheduling.py sha1 {code}; seed {args.seed}")
    for label, tables in (("as given", args.tables), ("a table for every two participants", args.participants // 2)):
        run(label, make_event(args.participants, args.requests, args.slots, tables, args.seed), args)
    if importlib.util.find_spec("ortools") is None:
        print("\nOR-Tools is not installed: `optimise` returns None; for CP-SAT figures see SEARCH-NOTES.md.")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
