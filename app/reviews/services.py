"""The rules of judging. Judges (users with the expert role) score while a round is open and see
only their own scores; the organiser closes it, sees everything and publishes the ranking.

A subject's total is the weighted mean over its judges: each judge's score is the sum of
weight × value / 10 over the criteria (0–100), and the total averages the judges who scored every
criterion. Ties are broken by the heavier criteria first (the mean value on the heaviest, then
the next), then by the subject's own order key (e.g. who entered first). The ranking also says
how far the judges agreed: the spread is the highest judge's total less the lowest (0–100).

A judge never scores a subject of their own organization (`conflicted`): each domain refuses it
when choosing judges and when they score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app.accounts.models import SiteRole, User
from app.core.domain_error import DomainError
from app.core.models import utcnow
from app.extensions import db
from app.reviews.models import Criterion, ReviewRound, RoundStatus, Score

MAX_VALUE = 10


class ReviewError(DomainError):
    """The message is for the user."""


def experts() -> list[User]:
    """Who may be chosen as a judge: the active experts."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.site_role == SiteRole.EXPERT, User.active.is_(True))
            .order_by(User.display_name, User.id)
        )
    )


def conflicted(judge: User, organization_id: int) -> bool:
    """The judge belongs to the organization whose subject is judged."""
    return judge.organization is not None and judge.organization.id == organization_id


def find_round(scope: str) -> ReviewRound | None:
    return db.session.scalar(select(ReviewRound).where(ReviewRound.scope == scope))


def shown_round(scope: str) -> ReviewRound:
    """The scope's round, or a blank open one that is not saved: showing a round writes nothing."""
    return find_round(scope) or ReviewRound(scope=scope, status=RoundStatus.OPEN)


def round_for(scope: str) -> ReviewRound:
    """The scope's round, made (open, without criteria) the first time it is asked for."""
    found = find_round(scope)
    if found is None:
        found = ReviewRound(scope=scope)
        db.session.add(found)
        db.session.flush()
    return found


def set_criteria(review: ReviewRound, criteria: list[tuple[str, int]]) -> list[Criterion]:
    """Replace the criteria (only before anyone scored); returns them."""
    if db.session.scalar(select(Score.id).where(Score.round_id == review.id).limit(1)) is not None:
        raise ReviewError(_("评委已经开始打分，不能再修改评分标准。"))
    if not criteria or sum(weight for _name, weight in criteria) != 100 or any(w <= 0 for _n, w in criteria):
        raise ReviewError(_("请至少设一项评分标准，各项权重为正数，合计 100。"))
    review.criteria = [Criterion(name=name, weight=weight, position=n) for n, (name, weight) in enumerate(criteria)]
    db.session.flush()
    return review.criteria


def score(review: ReviewRound, judge: User, subject_id: int, values: Mapping[int, int]) -> None:
    """A judge's scores of one subject, one per criterion (scoring again replaces them)."""
    if not judge.is_expert:
        raise ReviewError(_("只有评审专家可以打分。"))
    if review.status != RoundStatus.OPEN:
        raise ReviewError(_("评审已经结束。"))
    ids = {c.id for c in review.criteria}
    if not ids or set(values) != ids or any(not 0 <= v <= MAX_VALUE for v in values.values()):
        raise ReviewError(_("请为每一项标准打 0 到 10 分。"))
    db.session.execute(
        delete(Score).where(Score.round_id == review.id, Score.judge_id == judge.id, Score.subject_id == subject_id)
    )
    db.session.add_all(
        Score(round_id=review.id, criterion_id=cid, judge_id=judge.id, subject_id=subject_id, value=v)
        for cid, v in values.items()
    )
    db.session.flush()


def own_scores(review: ReviewRound, judge: User) -> dict[int, dict[int, int]]:
    """subject → criterion → value, of this judge only (what a judge sees while the round is open)."""
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for row in db.session.scalars(select(Score).where(Score.round_id == review.id, Score.judge_id == judge.id)):
        out[row.subject_id][row.criterion_id] = row.value
    return dict(out)


def drop_scores(review: ReviewRound, judge: User) -> int:
    """Remove every score of a judge taken off the round; returns how many."""
    theirs = (Score.round_id == review.id, Score.judge_id == judge.id)
    dropped = db.session.scalar(select(func.count(Score.id)).where(*theirs)) or 0
    db.session.execute(delete(Score).where(*theirs))
    db.session.flush()
    return dropped


def close(review: ReviewRound) -> None:
    if review.status != RoundStatus.OPEN:
        raise ReviewError(_("评审已经结束。"))
    review.status, review.closed_at = RoundStatus.CLOSED, utcnow()
    db.session.flush()


def publish(review: ReviewRound) -> None:
    if review.status != RoundStatus.CLOSED:
        raise ReviewError(_("请先结束评审，再公布结果。"))
    review.status, review.published_at = RoundStatus.PUBLISHED, utcnow()
    db.session.flush()


@dataclass(frozen=True)
class Ranked:
    subject_id: int
    rank: int
    total: float  # 0–100
    judges: int  # how many judges scored every criterion
    spread: float = 0.0  # highest judge's total less the lowest


def ranking(review: ReviewRound, subjects: Iterable[tuple[int, Hashable]]) -> list[Ranked]:
    """Rank (subject id, order key) pairs; subjects no judge fully scored come last, unranked (0)."""
    weights = {c.id: c.weight for c in review.criteria}
    heaviest = [c.id for c in sorted(review.criteria, key=lambda c: (-c.weight, c.position))]
    sheets: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for row in db.session.scalars(select(Score).where(Score.round_id == review.id)):
        sheets[row.subject_id][row.judge_id][row.criterion_id] = row.value
    keys: list[tuple[int, tuple[float, ...] | None, Hashable, list[float]]] = []
    for subject_id, order in subjects:
        complete = [sheet for sheet in sheets.get(subject_id, {}).values() if set(sheet) == set(weights)]
        if not complete:
            keys.append((subject_id, None, order, []))
            continue
        totals = [sum(weights[c] * v / MAX_VALUE for c, v in s.items()) for s in complete]
        means = tuple(-sum(s[c] for s in complete) / len(complete) for c in heaviest)
        keys.append((subject_id, (-round(sum(totals) / len(totals), 6), *means), order, totals))
    scored = sorted((k for k in keys if k[1] is not None), key=lambda k: (k[1], k[2]))
    out = [
        Ranked(subject_id, rank, round(sum(totals) / len(totals), 2), len(totals), round(max(totals) - min(totals), 2))
        for rank, (subject_id, _key, _order, totals) in enumerate(scored, start=1)
    ]
    return out + [Ranked(k[0], 0, 0.0, 0) for k in keys if k[1] is None]
