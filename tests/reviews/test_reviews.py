"""Judging: weighted criteria, judges who see only their own scores, a ranking with tie-breaks."""

import pytest

from app.accounts.models import SiteRole
from app.extensions import db
from app.reviews import services
from app.reviews.models import RoundStatus


@pytest.fixture
def judges(make_user):
    return [make_user(f"judge{n}@example.com", role=SiteRole.EXPERT) for n in (1, 2)]


def test_criteria_must_weigh_one_hundred(app):
    review = services.round_for("test:1")
    with pytest.raises(services.ReviewError):
        services.set_criteria(review, [("创新性", 60), ("落地性", 30)])
    services.set_criteria(review, [("创新性", 60), ("落地性", 40)])
    assert [(c.name, c.weight) for c in review.criteria] == [("创新性", 60), ("落地性", 40)]


def test_ranking_weights_judges_and_breaks_ties(app, judges, make_user):
    review = services.round_for("test:2")
    services.set_criteria(review, [("创新性", 60), ("落地性", 40)])
    innovation, delivery = (c.id for c in review.criteria)
    first, second = judges
    # Subject 1: 60×8/10 + 40×5/10 = 68 and 60×6/10 + 40×5/10 = 56 → 62.
    services.score(review, first, 1, {innovation: 8, delivery: 5})
    services.score(review, second, 1, {innovation: 6, delivery: 5})
    # Subject 2: 62 too, but less on the heavier criterion (5 < 7): second.
    services.score(review, first, 2, {innovation: 5, delivery: 8})
    services.score(review, second, 2, {innovation: 5, delivery: 8})
    # Subjects 3 and 4: the same scores; 4 entered first, so it ranks first.
    for subject in (3, 4):
        services.score(review, first, subject, {innovation: 2, delivery: 2})
    with pytest.raises(services.ReviewError):
        services.score(review, make_user(), 5, {innovation: 9, delivery: 9})  # not an expert
    with pytest.raises(services.ReviewError):
        services.score(review, first, 5, {innovation: 11, delivery: 9})
    with pytest.raises(services.ReviewError):
        services.score(review, first, 5, {innovation: 9})
    assert services.own_scores(review, second) == {1: {innovation: 6, delivery: 5}, 2: {innovation: 5, delivery: 8}}

    ranked = services.ranking(review, [(1, 10), (2, 20), (3, 40), (4, 30), (6, 50)])
    assert [(r.subject_id, r.rank, r.total) for r in ranked] == [
        (1, 1, 62.0),
        (2, 2, 62.0),
        (4, 3, 20.0),
        (3, 4, 20.0),
        (6, 0, 0.0),
    ]
    # Judges' totals 68 and 56 (spread 12); the same 62 twice (0); one judge alone (0); nobody.
    assert [(r.judges, r.spread) for r in ranked] == [(2, 12.0), (2, 0.0), (1, 0.0), (1, 0.0), (0, 0.0)]

    services.close(review)
    with pytest.raises(services.ReviewError):
        services.score(review, first, 6, {innovation: 9, delivery: 9})
    services.publish(review)
    db.session.commit()
    assert review.status == RoundStatus.PUBLISHED
