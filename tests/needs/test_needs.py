"""Needs: posting, the moderation lifecycle, what the public and members see, bad input."""

import re
from datetime import date, timedelta

import pytest

from app.accounts.models import OrgKind, SiteRole
from app.core.audit import AuditEntry
from app.extensions import db
from app.listings.moderation import ListingStatus
from app.needs.models import Need
from app.search import search
from app.taxonomy.models import Industry, TechDomain
from tests.conftest import PASSWORD, taxonomy_entry


def page(response) -> str:
    return response.get_data(as_text=True)


def form_data(**changes) -> dict:
    data = {
        "title": "冲压车间质量追溯",
        "description": "希望每个冲压件可追溯到模具与班次。",
        "industry_id": str(taxonomy_entry(Industry, "AUT").id),
        "district_id": "0",
        "domains": [str(taxonomy_entry(TechDomain, "ID").id)],
        "scenarios": "",
        "budget_min": "30",
        "budget_max": "80",
        "contact_person": "刘工",
        "contact_phone": "0532-88661234",
        "contact_email": "liu@example.com",
        "show_person": "y",
        "submit_for_review": "保存并提交审核",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def enterprise(make_user, make_org, login):
    user = make_user("boss@example.com")
    org = make_org(owner=user, name="青岛冲压件有限公司")
    login(user)
    return user, org


def test_an_enterprise_posts_a_need_for_review(client, enterprise):
    response = client.post_form("/needs/new", form_data())
    assert response.status_code == 302
    need = db.session.scalars(db.select(Need)).one()
    assert need.status == ListingStatus.SUBMITTED and need.submitted_at is not None
    assert [d.code for d in need.domains] == ["ID"] and need.budget_min == 30 and need.contact_phone == "0532-88661234"
    assert "平台审核通过后公开" in page(client.get(response.headers["Location"]))
    assert search("need", "冲压").total == 0  # not public before review


def test_a_draft_is_kept_private(client, enterprise, make_user, login):
    client.post_form("/needs/new", form_data(submit_for_review=None, save="保存草稿"))
    need = db.session.scalars(db.select(Need)).one()
    assert need.status == ListingStatus.DRAFT
    other = client.application.test_client()
    assert other.get(f"/needs/{need.id}").status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "请填写需求标题"),
        ({"budget_min": "90", "budget_max": "10"}, "预算上限不能低于下限"),
        ({"budget_min": "", "budget_max": ""}, "请填写预算范围，或勾选“预算面议”"),
        ({"deadline_on": (date.today() - timedelta(days=1)).isoformat()}, "截止日期不能早于今天"),
        ({"domains": []}, "请至少选择一个技术领域"),
        ({"contact_phone": "12345"}, "请填写有效的手机或固定电话号码"),
        ({"scenarios": "QD-2099-0001"}, "找不到已发布的场景：QD-2099-0001"),
    ],
)
def test_bad_input_re_renders_with_a_message_and_writes_nothing(client, enterprise, changes, message):
    response = client.post_form("/needs/new", form_data(**changes))
    assert response.status_code == 200 and message in page(response)
    assert db.session.scalars(db.select(Need)).all() == []


def test_a_negotiable_budget_needs_no_range(client, enterprise):
    assert (
        client.post_form("/needs/new", form_data(budget_min="", budget_max="", budget_negotiable="y")).status_code
        == 302
    )
    assert db.session.scalars(db.select(Need)).one().budget_negotiable


def test_related_scenarios_are_picked_by_code(client, enterprise, make_batch, make_scenario):
    scenario = make_scenario(batch=make_batch("2022年第一批"))
    assert client.post_form("/needs/new", form_data(scenarios=scenario.code)).status_code == 302
    assert db.session.scalars(db.select(Need)).one().scenarios == [scenario]


def test_a_provider_cannot_post_needs(client, make_user, make_org, login):
    user = make_user()
    make_org(owner=user, kind=OrgKind.PROVIDER)
    login(user)
    assert client.get("/needs/new").status_code == 403
    assert client.post_form("/needs/new", form_data()).status_code == 403


def test_approval_publishes_and_indexes_the_need(client, app, enterprise, make_user, login):
    client.post_form("/needs/new", form_data())
    need = db.session.scalars(db.select(Need)).one()
    admin_client = app.test_client()
    admin = make_user("admin@example.com", role=SiteRole.ADMIN)
    admin_client.post_form("/login", {"email": admin.email, "password": PASSWORD})
    queue = page(admin_client.get("/admin/moderation/needs"))
    assert "冲压车间质量追溯" in queue
    assert admin_client.post_form(f"/admin/moderation/needs/{need.id}/approve").status_code == 302
    db.session.refresh(need)
    assert need.status == ListingStatus.PUBLISHED and need.expires_at is not None
    assert (need.expires_at - need.published_at).days == 180
    assert search("need", "冲压").ids == [need.id]
    assert db.session.scalar(db.select(AuditEntry.action).where(AuditEntry.target_type == "Need")) == "needs.approve"
    listed = page(app.test_client().get("/needs/?q=质量追溯"))
    assert "冲压车间<mark>质量追溯</mark>" in listed and "共 1 条" in listed


def test_a_rejected_need_shows_the_reason_and_can_be_resubmitted(client, app, enterprise, make_user):
    client.post_form("/needs/new", form_data())
    need = db.session.scalars(db.select(Need)).one()
    admin_client = app.test_client()
    admin = make_user("admin@example.com", role=SiteRole.ADMIN)
    admin_client.post_form("/login", {"email": admin.email, "password": PASSWORD})
    assert admin_client.post_form(f"/admin/moderation/needs/{need.id}/reject", {"reason": ""}).status_code == 302
    db.session.refresh(need)
    assert need.status == ListingStatus.SUBMITTED  # a rejection needs a reason
    admin_client.post_form(f"/admin/moderation/needs/{need.id}/reject", {"reason": "请补充预算依据"})
    body = page(client.get(f"/needs/{need.id}"))
    assert "平台退回：请补充预算依据" in body
    assert client.post_form(f"/needs/{need.id}/submit").status_code == 302
    db.session.refresh(need)
    assert need.status == ListingStatus.SUBMITTED and need.rejection_reason == ""


def test_editing_the_substance_of_a_published_need_sends_it_back(client, enterprise, make_need):
    _, org = enterprise
    need = make_need(org, org.owner)
    assert search("need", "注塑").ids == [need.id]
    client.post_form(
        f"/needs/{need.id}/edit",
        form_data(
            title=need.title,
            description=need.description,
            industry_id=str(need.industry_id),
            domains=[str(d.id) for d in need.domains],
            budget_min="20",
            budget_max="50",
            contact_person="新联系人",
        ),
    )
    db.session.refresh(need)
    assert need.status == ListingStatus.PUBLISHED and need.contact_person == "新联系人"  # not substance
    response = client.post_form(
        f"/needs/{need.id}/edit",
        form_data(
            title="注塑车间设备联网与预测性维护（二期）",
            description=need.description,
            industry_id=str(need.industry_id),
            domains=[str(d.id) for d in need.domains],
            budget_min="20",
            budget_max="50",
        ),
    )
    assert "重新审核" in page(client.get(response.headers["Location"]))
    db.session.refresh(need)
    assert need.status == ListingStatus.SUBMITTED
    assert search("need", "注塑").total == 0


def test_a_closed_need_is_not_edited(client, enterprise, make_need):
    _, org = enterprise
    need = make_need(org, org.owner)
    client.post_form(f"/needs/{need.id}/close")
    db.session.refresh(need)
    assert need.status == ListingStatus.CLOSED and need.closed_at is not None
    response = client.post_form(f"/needs/{need.id}/edit", form_data(title="改个标题"))
    assert response.status_code == 302
    db.session.refresh(need)
    assert need.title != "改个标题"
    assert app_404(client, need)


def app_404(client, need) -> bool:
    return client.application.test_client().get(f"/needs/{need.id}").status_code == 404


def test_another_organization_cannot_touch_a_need(client, make_user, make_org, make_need, login):
    owner = make_user()
    need = make_need(make_org(owner=owner), owner)
    intruder = make_user()
    make_org(owner=intruder)
    login(intruder)
    for url in (f"/needs/{need.id}/edit", f"/needs/{need.id}/close"):
        response = client.post_form(url, form_data(title="篡改"))
        assert response.status_code == 403
    db.session.refresh(need)
    assert need.title != "篡改" and need.status == ListingStatus.PUBLISHED


def test_contacts_are_hidden_from_the_public(client, make_user, make_org, make_need, login):
    owner = make_user()
    need = make_need(make_org(owner=owner), owner, show_phone=False, contact_phone="13912345678")
    public = page(client.get(f"/needs/{need.id}"))
    assert "王经理" not in public and "13912345678" not in public and "登录并加入企业" in public
    member = make_user()
    make_org(owner=member)
    login(member)
    body = page(client.get(f"/needs/{need.id}"))
    assert "王经理" in body and "13912345678" not in body
    assert re.search(r"预算</dt><dd>20–50 万元", body)


def test_the_atlas_counts_open_needs_and_published_solutions_and_shows_the_gaps(
    client, make_user, make_org, make_need, make_solution, make_batch, make_scenario
):
    from app.catalog.atlas import atlas_counts

    make_scenario(batch=make_batch("2022年第一批"))
    owner = make_user()
    org = make_org(owner=owner, kind=OrgKind.BOTH)
    make_need(org, owner, domains=("IM", "DM"))
    make_need(org, owner, domains=("DM",), status=ListingStatus.DRAFT)  # not open
    make_solution(org, owner, industries=("EQP", "APL"), domains=("IM",))
    atlas = atlas_counts()
    eqp, apl = taxonomy_entry(Industry, "EQP"), taxonomy_entry(Industry, "APL")
    im, dm = taxonomy_entry(TechDomain, "IM"), taxonomy_entry(TechDomain, "DM")
    needs, solutions = atlas.measures["needs"], atlas.measures["solutions"]
    assert (needs.cell(eqp, im), needs.cell(eqp, dm), needs.total) == (1, 1, 1)
    assert (solutions.cell(eqp, im), solutions.cell(apl, im), solutions.column_total(im), solutions.total) == (
        1,
        1,
        1,
        1,
    )
    assert atlas.gaps("needs", "solutions") == [(eqp, dm, 1, 0)]
    body = page(client.get("/atlas"))
    assert "/needs/?industry=EQP&amp;domain=DM" in body


def test_needs_expire_after_their_period_and_owners_are_told_a_week_before(app, make_user, make_org, make_need):
    from datetime import datetime

    from app.mail.models import MailMessage
    from app.needs.services import expire_due, on_published, remind_expiring

    owner = make_user("owner-x@example.com")
    need = make_need(make_org(owner=owner), owner)
    with app.test_request_context():
        on_published(need)
        db.session.commit()
        published = need.expires_at - timedelta(days=180)
        assert remind_expiring(published + timedelta(days=170)) == 0  # ten days left
        assert remind_expiring(published + timedelta(days=174)) == 1
        assert remind_expiring(published + timedelta(days=175)) == 0  # once a period
        db.session.commit()
    mail = db.session.scalars(db.select(MailMessage)).one()
    assert mail.recipient == "owner-x@example.com" and "即将到期" in mail.subject and f"/needs/{need.id}" in mail.body
    assert expire_due(published + timedelta(days=179)) == 0
    assert expire_due(published + timedelta(days=180, seconds=1)) == 1
    db.session.commit()
    assert need.status == ListingStatus.EXPIRED and search("need", "注塑").total == 0
    assert isinstance(need.expires_at, datetime)


def test_the_owner_renews_an_expired_need(client, enterprise, make_need):
    _, org = enterprise
    need = make_need(org, org.owner, status=ListingStatus.EXPIRED)
    assert search("need", "注塑").total == 0
    response = client.post_form(f"/needs/{need.id}/renew")
    assert "需求已续期，180 天内保持公开" in page(client.get(response.headers["Location"]))
    db.session.refresh(need)
    assert need.status == ListingStatus.PUBLISHED and need.expiry_reminded_at is None
    assert (need.expires_at.date() - date.today()).days == 180
    assert search("need", "注塑").ids == [need.id]
    draft = make_need(org, org.owner, status=ListingStatus.DRAFT, title="草稿需求")
    client.post_form(f"/needs/{draft.id}/renew")
    db.session.refresh(draft)
    assert draft.status == ListingStatus.DRAFT and draft.expires_at is None


def test_the_expire_command(app, make_user, make_org, make_need):
    owner = make_user()
    need = make_need(make_org(owner=owner), owner, expires_at=datetime_ago(1))
    result = app.test_cli_runner().invoke(args=["needs", "expire"])
    assert result.exit_code == 0 and "0 need(s) reminded, 1 expired." in result.output
    db.session.refresh(need)
    assert need.status == ListingStatus.EXPIRED


def datetime_ago(days: int):
    from app.core.models import utcnow

    return utcnow() - timedelta(days=days)


def test_admins_set_how_long_needs_stay_public(client, app, enterprise, make_user, login):
    client.post_form("/needs/new", form_data())
    need = db.session.scalars(db.select(Need)).one()
    admin_client = app.test_client()
    admin = make_user("admin@example.com", role=SiteRole.ADMIN)
    admin_client.post_form("/login", {"email": admin.email, "password": PASSWORD})
    assert 'value="180"' in page(admin_client.get("/admin/settings"))
    refused = admin_client.post_form("/admin/settings", {"days": "10"})
    assert refused.status_code == 200 and "30 到 730" in page(refused)
    assert admin_client.post_form("/admin/settings", {"days": "90"}).status_code == 302
    assert 'value="90"' in page(admin_client.get("/admin/settings"))
    admin_client.post_form(f"/admin/moderation/needs/{need.id}/approve")
    db.session.refresh(need)
    assert (need.expires_at - need.published_at).days == 90
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "settings.update")).one()
    assert entry.before == {"NEED_LIFETIME_DAYS": 180} and entry.after == {"NEED_LIFETIME_DAYS": 90}
