"""The demo incubation: firms in every track and stage, certifications counted once in the ledger
and by the plan's indicators, and figures for the demo enterprise's login."""

from collections import Counter

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.incubation import services
from app.incubation.models import AnnualFigures, Enrolment, Stage
from app.stats.indicators import current_plan, statuses
from app.stats.models import Enablement
from seeds.demo import seed_demo
from seeds.incubation_demo import ENTERPRISE_LOGIN, seed_incubation
from seeds.ledger_demo import seed_ledger


def test_demo_incubation(app):
    seed_demo()
    seed_ledger(rows=20)
    assert seed_incubation() == 20
    db.session.commit()
    stages = Counter((e.track.code, e.stage) for e in db.session.scalars(select(Enrolment)))
    for code in ("eaglet", "gazelle"):
        assert {stage for (track, stage) in stages if track == code} == {
            Stage.APPLIED,
            Stage.REVIEW,
            Stage.CANDIDATE,
            Stage.INCUBATING,
            Stage.CERTIFIED,
            Stage.GRADUATED,
            Stage.REJECTED,
        }
    certified = stages[("eaglet", Stage.CERTIFIED)] + stages[("eaglet", Stage.GRADUATED)]
    values = {s.indicator.code: s.value for s in statuses(current_plan())}
    assert values["eaglets"] == certified == 3 and values["gazelles"] == 3
    rows = db.session.scalar(
        select(func.count(Enablement.id)).where(Enablement.source_type == "incubation", Enablement.demo.is_(True))
    )
    assert rows == 6
    certified_firms = db.session.scalars(
        select(Enrolment).where(Enrolment.stage.in_((Stage.CERTIFIED, Stage.GRADUATED)))
    ).all()
    assert len(certified_firms) == 6
    assert all(services.evaluation(e.organization, e.track).met for e in certified_firms)
    enterprise = db.session.scalars(select(User).where(User.email == ENTERPRISE_LOGIN)).one().organization
    assert [f.year for f in services.figures_of(enterprise)] == sorted(f.year for f in services.figures_of(enterprise))
    assert len(services.figures_of(enterprise)) == 3 and not services.enrolments_of(enterprise)
    before = db.session.scalar(select(func.count(AnnualFigures.id)))
    assert seed_incubation() == 0
    assert db.session.scalar(select(func.count(AnnualFigures.id))) == before


def test_seed_programs_keep_preserves_admins_thresholds(app):
    gazelle = services.track_by_code("gazelle")
    gazelle.criteria = [{**c, "wan_yuan": 800} if c["type"] == "revenue_min" else c for c in gazelle.criteria]
    gazelle.name_en = ""  # as after the migration that added the English texts
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed", "programs", "--keep"])
    assert result.exit_code == 0 and "0 added" in result.output
    db.session.expire_all()
    assert services.track_by_code("gazelle").criteria[1] == {"type": "revenue_min", "wan_yuan": 800}
    assert services.track_by_code("gazelle").name_en == "Gazelle firms"  # no admin edits it: always loaded
    runner.invoke(args=["seed", "programs"])
    db.session.expire_all()
    assert services.track_by_code("gazelle").criteria[1] == {"type": "revenue_min", "wan_yuan": 500}
