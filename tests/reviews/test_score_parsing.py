"""A judge's posted scores, read once for competitions and pilot calls alike: one field `c<id>` per
criterion, a whole number from 0 to 10; anything else leaves the criterion unscored, which
`services.score` refuses with nothing saved."""

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.accounts.models import SiteRole
from app.extensions import db
from app.reviews import services
from app.reviews.forms import parse_scores
from app.reviews.models import Score


@pytest.fixture
def criteria(app):
    review = services.round_for("test:parsing")
    services.set_criteria(review, [("创新性", 60), ("落地性", 40)])
    db.session.commit()
    return review.criteria


def _form(criteria, *values, **extra) -> MultiDict:
    fields = {f"c{criterion.id}": value for criterion, value in zip(criteria, values, strict=True)}
    return MultiDict(fields | extra)


def test_each_criterion_gets_its_score(criteria):
    innovation, delivery = criteria
    form = _form(criteria, "0", "10", entry="3", c999999="5")
    assert parse_scores(form, criteria) == {innovation.id: 0, delivery.id: 10}


def test_a_criterion_left_out_or_blank_is_unscored(criteria):
    innovation, _delivery = criteria
    assert parse_scores(MultiDict({f"c{innovation.id}": "7"}), criteria) == {innovation.id: 7}
    assert parse_scores(_form(criteria, "7", ""), criteria) == {innovation.id: 7}
    assert parse_scores(MultiDict(), criteria) == {}


@pytest.mark.parametrize("bad", ["11", "-1", "100"])
def test_a_score_out_of_range_is_unscored(criteria, bad):
    _innovation, delivery = criteria
    assert parse_scores(_form(criteria, bad, "5"), criteria) == {delivery.id: 5}


# the last two: a fullwidth seven and an Arabic-Indic seven
@pytest.mark.parametrize("bad", ["七", "7.5", "7a", " 7", "1e1", "0x7", "\uff17", "\u0667"])
def test_a_score_not_written_in_ascii_digits_is_unscored(criteria, bad):
    _innovation, delivery = criteria
    assert parse_scores(_form(criteria, bad, "5"), criteria) == {delivery.id: 5}


@pytest.mark.parametrize("bad", ["2147483648", "9" * 20, "9" * 400])
def test_a_huge_number_is_unscored(criteria, bad):
    _innovation, delivery = criteria
    assert parse_scores(_form(criteria, bad, "5"), criteria) == {delivery.id: 5}


@pytest.mark.parametrize("values", [("11", "5"), ("", "5"), ("七", "5"), ("9" * 30, "5")])
def test_scoring_with_an_unscored_criterion_is_refused_and_saves_nothing(app, criteria, make_user, values):
    judge = make_user(role=SiteRole.EXPERT)
    review = criteria[0].round
    with app.test_request_context(), pytest.raises(services.ReviewError, match="请为每一项标准打 0 到 10 分"):
        services.score(review, judge, 1, parse_scores(_form(criteria, *values), criteria))
    db.session.rollback()
    assert db.session.scalar(select(func.count(Score.id)).where(Score.round_id == review.id)) == 0


def test_the_parsed_scores_are_what_is_saved(app, criteria, make_user):
    judge = make_user(role=SiteRole.EXPERT)
    review = criteria[0].round
    with app.test_request_context():
        services.score(review, judge, 1, parse_scores(_form(criteria, "8", "3"), criteria))
    db.session.commit()
    assert services.own_scores(review, judge) == {1: {criteria[0].id: 8, criteria[1].id: 3}}
