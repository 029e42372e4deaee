"""The plan's solution indicators count what is public now."""

from app.extensions import db
from app.listings.moderation import ListingStatus
from app.stats import indicators
from app.stats.models import Indicator


def _value(code: str) -> int:
    indicator = db.session.scalar(db.select(Indicator).where(Indicator.code == code))
    return int(indicators.status(indicator).value)


def test_plug_and_play_and_industries_count_public_solutions_only(app, make_user, make_org, make_solution):
    owner = make_user("provider@example.com")
    org = make_org(owner=owner)
    assert (_value("plug_and_play"), _value("solution_industries")) == (0, 0)
    make_solution(org, owner, industries=("EQP",), plug_and_play=True)
    make_solution(
        org,
        owner,
        industries=("EQP", "FOOD"),
        plug_and_play=False,
        title="食品追溯平台",
        status=ListingStatus.PUBLISHED,
    )
    make_solution(org, owner, industries=("TEX",), plug_and_play=True, title="纺织排产草稿", status=ListingStatus.DRAFT)
    make_solution(org, owner, industries=("SHIP",), plug_and_play=True, title="已下架方案", status=ListingStatus.CLOSED)
    assert _value("plug_and_play") == 1
    assert _value("solution_industries") == 2
