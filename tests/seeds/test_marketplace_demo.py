"""The demo marketplace: published needs and solutions drawn from the demo scenario list."""

from app.accounts.models import User
from app.extensions import db
from app.listings.moderation import ListingStatus
from app.needs.models import Need
from app.search import search
from app.solutions.models import Solution
from seeds.demo import seed_demo
from seeds.ledger_demo import seed_ledger
from seeds.marketplace_demo import DEMO_SUFFIX, seed_marketplace


def test_demo_needs_and_solutions_are_published_searchable_and_labelled(app, make_batch, make_scenario):
    batch = make_batch("2022年第一批")
    for _ in range(12):
        make_scenario(batch=batch)
    seed_demo()
    seed_ledger(rows=20)
    solutions, needs = seed_marketplace()
    db.session.commit()
    assert (solutions, needs) == (12, 12)  # as many as there are scenarios to draw from
    logins = {"enterprise1@demo.gongfu": Need, "provider1@demo.gongfu": Solution}
    for email, model in logins.items():
        posted = db.session.scalars(
            db.select(model).join(User, model.created_by_id == User.id).where(User.email == email)
        ).all()
        assert len(posted) == 2 and all(item.status == ListingStatus.PUBLISHED for item in posted)
    all_solutions = db.session.scalars(
        db.select(Solution).join(User, Solution.created_by_id == User.id).where(User.email.not_in(logins))
    ).all()
    assert all(
        s.status == ListingStatus.PUBLISHED
        and s.organization.name.endswith(DEMO_SUFFIX)
        and "演示数据" in s.description
        and s.scenarios
        for s in all_solutions
    )
    assert all(s.plug_and_play and s.deployment_days and s.includes for s in all_solutions)  # the first 100
    assert all(1 <= len(s.cases) <= 2 and s.cases[0].client.endswith(DEMO_SUFFIX) for s in all_solutions)
    assert all(
        n.expires_at and n.organization.name.endswith(DEMO_SUFFIX)
        for n in db.session.scalars(
            db.select(Need).join(User, Need.created_by_id == User.id).where(User.email.not_in(logins))
        )
    )
    assert search("solution", "").total == 14 and search("need", "").total == 14
    assert seed_marketplace() == (0, 0)
