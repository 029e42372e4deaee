"""Competition judging: the organiser chooses each competition's judges; an expert of an entrant's
organization is never offered, never chosen and never scores its entry; results are published
only once registration and judging are over."""

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from app.accounts.models import Membership, OrgKind, SiteRole
from app.core.audit import AuditEntry
from app.core.models import utcnow
from app.events import competition, services
from app.events.models import Event, EventKind, ParticipantRole
from app.extensions import db
from app.reviews import services as reviews
from app.reviews.models import ReviewRound, RoundStatus, Score
from tests.conftest import PDF


@pytest.fixture
def people(app, make_user, make_org):
    """Two firms; three experts: one free, one who joined the first firm, one who founded a firm."""
    out = {"admin": make_user("admin@example.com", role=SiteRole.ADMIN)}
    for name in ("first", "second"):
        out[name] = make_user(f"{name}@example.com")
        make_org(owner=out[name], name=f"青岛{name}科技", kind=OrgKind.BOTH)
    out["free"] = make_user("free@example.com", name="专家甲", role=SiteRole.EXPERT)
    out["insider"] = make_user("insider@example.com", name="专家乙", role=SiteRole.EXPERT)
    db.session.add(Membership(organization=out["first"].organization, user=out["insider"]))
    out["founder"] = make_user("founder@example.com", name="专家丙", role=SiteRole.EXPERT)
    make_org(owner=out["founder"], name="青岛专家丙咨询", kind=OrgKind.PROVIDER)
    db.session.commit()
    return out


def _enter(app, event, user, title):
    """The user's organization registers and enters the competition."""
    with app.test_request_context():
        registration = services.register(event, user, services.Entry(ParticipantRole.SUPPLY, "", "", "", [], [], []))
        entry = competition.submit(registration, title, "介绍", [])
    db.session.commit()
    return entry


@pytest.fixture
def contest(app, people, make_event):
    """A competition open for registration, with criteria and entries of the first firm and of the
    founder's firm."""
    event = make_event(people["admin"], kind=EventKind.COMPETITION, title="工业APP创新大赛")
    with app.test_request_context():
        reviews.set_criteria(competition.judging(event), [("创新性", 60), ("落地性", 40)])
    db.session.commit()
    entries = {name: _enter(app, event, people[name], f"{name} 的作品") for name in ("first", "founder")}
    return event, entries


def _as(client, login, user):
    client.post_form("/logout")
    login(user)


def _marks(event):
    return {f"c{c.id}": 7 for c in competition.judging(event).criteria}


def _scores():
    return db.session.scalar(select(func.count(Score.id)))


def _judge_ids(event):
    db.session.expire_all()
    return {judge.id for judge in db.session.get(Event, event.id).judges}


def test_an_expert_of_an_entrant_is_neither_offered_nor_chosen_as_judge(app, client, login, people, contest):
    event, _entries = contest
    login(people["admin"])
    page = client.get(f"/admin/events/{event.id}/judging").get_data(as_text=True)
    assert f'<option value="{people["free"].id}"' in page
    for name in ("insider", "founder"):
        assert f'<option value="{people[name].id}"' not in page
        refused = client.post_form(
            f"/admin/events/{event.id}/judges", {"expert": people[name].id}, follow_redirects=True
        )
        assert "需要回避" in refused.get_data(as_text=True)
        with app.test_request_context(), pytest.raises(services.EventError, match="需要回避"):
            competition.add_judge(event, people[name])
    assert _judge_ids(event) == set()

    client.post_form(f"/admin/events/{event.id}/judges", {"expert": people["free"].id})
    assert _judge_ids(event) == {people["free"].id}
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "judging.add_judge")).after == {
        "judge": people["free"].id
    }
    page = client.get(f"/admin/events/{event.id}/judging").get_data(as_text=True)
    assert f'<option value="{people["free"].id}"' not in page  # already a judge


def test_only_the_chosen_judges_open_the_judging_page_and_score(app, client, login, people, contest, make_user):
    event, entries = contest
    login(people["admin"])
    client.post_form(f"/admin/events/{event.id}/judges", {"expert": people["free"].id})
    unchosen_expert = make_user("other-expert@example.com", role=SiteRole.EXPERT)
    for user in (people["second"], unchosen_expert):
        _as(client, login, user)
        assert client.get(f"/events/{event.id}/judging").status_code == 403
        response = client.post_form(f"/events/{event.id}/judging", {"entry": entries["first"].id, **_marks(event)})
        assert response.status_code == 403
    with app.test_request_context(), pytest.raises(services.EventError):
        competition.score(
            event, unchosen_expert, entries["first"].id, {c.id: 7 for c in competition.judging(event).criteria}
        )
    assert _scores() == 0

    _as(client, login, people["free"])
    assert client.get(f"/events/{event.id}/judging").status_code == 200
    client.post_form(f"/events/{event.id}/judging", {"entry": entries["first"].id, **_marks(event)})
    assert db.session.scalars(select(Score.judge_id).distinct()).all() == [people["free"].id]
    assert "评审打分" in client.get(f"/events/{event.id}").get_data(as_text=True)
    _as(client, login, unchosen_expert)
    assert "评审打分" not in client.get(f"/events/{event.id}").get_data(as_text=True)


@pytest.mark.parametrize("how", ["joins", "founds"])
def test_a_judge_never_scores_an_entry_of_their_own_organization(app, client, login, people, contest, make_org, how):
    """A judge chosen while free who then joins an entrant, or founds a firm that enters."""
    event, entries = contest
    judge = people["free"]
    with app.test_request_context():
        competition.add_judge(event, judge)
    db.session.commit()
    if how == "joins":
        db.session.add(Membership(organization=people["second"].organization, user=judge))
        db.session.commit()
        own = _enter(app, event, people["second"], "second 的作品")
    else:
        make_org(owner=judge, name="青岛专家甲咨询")
        own = _enter(app, event, judge, "专家甲的作品")

    login(judge)
    page = client.get(f"/events/{event.id}/judging").get_data(as_text=True)
    assert own.title not in page and entries["first"].title in page
    refused = client.post_form(f"/events/{event.id}/judging", {"entry": own.id, **_marks(event)}, follow_redirects=True)
    assert "需要回避" in refused.get_data(as_text=True)
    assert _scores() == 0
    values = {c.id: 7 for c in competition.judging(event).criteria}
    with app.test_request_context(), pytest.raises(services.EventError, match="需要回避"):
        competition.score(event, judge, own.id, values)
    with app.test_request_context():
        competition.score(event, judge, entries["first"].id, values)
    assert _scores() == len(values)


def test_entry_files_are_for_the_entrant_the_chosen_judges_and_admins(app, client, login, people, contest, make_user):
    event, entries = contest
    with app.test_request_context():
        registration = entries["first"].registration
        competition.submit(registration, "first 的作品", "介绍", [FileStorage(io.BytesIO(PDF), "方案.pdf")])
        competition.add_judge(event, people["free"])
    db.session.commit()
    file_id = entries["first"].files[0].id
    login(make_user("other-expert@example.com", role=SiteRole.EXPERT))
    assert client.get(f"/events/entries/files/{file_id}").status_code == 403
    _as(client, login, people["free"])
    assert client.get(f"/events/entries/files/{file_id}").data == PDF


def test_removing_a_judge_takes_confirmation_drops_their_scores_and_is_audited(app, client, login, people, contest):
    event, entries = contest
    login(people["admin"])
    client.post_form(f"/admin/events/{event.id}/judges", {"expert": people["free"].id})
    with app.test_request_context():
        competition.score(
            event, people["free"], entries["first"].id, {c.id: 7 for c in competition.judging(event).criteria}
        )
    db.session.commit()
    page = client.get(f"/admin/events/{event.id}/judging").get_data(as_text=True)
    form = re.search(rf'<form[^>]*action="/admin/events/{event.id}/judges/{people["free"].id}/remove"[^>]*>', page)
    assert form is not None and "data-confirm=" in form.group(0)

    client.post(f"/admin/events/{event.id}/judges/{people['free'].id}/remove")  # no CSRF token
    assert _judge_ids(event) == {people["free"].id}
    client.post_form(f"/admin/events/{event.id}/judges/{people['free'].id}/remove")
    assert _judge_ids(event) == set()
    assert _scores() == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "judging.remove_judge"))
    assert entry is not None and entry.after == {"judge": people["free"].id, "scores_dropped": 2}


def _close(event):
    review = db.session.scalar(select(ReviewRound).where(ReviewRound.scope == f"event:{event.id}"))
    reviews.close(review)
    db.session.commit()


def _status(event):
    db.session.expire_all()
    return db.session.scalar(select(ReviewRound.status).where(ReviewRound.scope == f"event:{event.id}"))


def test_results_are_published_only_after_registration_and_judging_closed(client, login, people, contest):
    event, _entries = contest
    login(people["admin"])
    url = f"/admin/events/{event.id}/judging/publish"

    open_judging = client.post_form(url, follow_redirects=True).get_data(as_text=True)
    assert "请先结束评审" in open_judging and _status(event) == RoundStatus.OPEN

    _close(event)  # registration is still open
    refused = client.post_form(url, follow_redirects=True).get_data(as_text=True)
    assert "报名截止" in refused and _status(event) == RoundStatus.CLOSED
    assert 'data-test="results"' not in client.get(f"/events/{event.id}").get_data(as_text=True)

    stored = db.session.get(Event, event.id)
    stored.registration_closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    done = client.post_form(url, follow_redirects=True).get_data(as_text=True)
    assert "比赛结果已公布" in done and _status(event) == RoundStatus.PUBLISHED
