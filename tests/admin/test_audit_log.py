"""The audit log reads in the admin's language: actions and record types by their labels, each change
as field, old value → new value with codes by name, and the raw JSON behind a details toggle; its
filters and pages keep working."""

import re

import pytest

from app.accounts.models import SiteRole
from app.core.audit import audit
from app.core.settings import NEED_LIFETIME_DAYS
from app.extensions import db
from app.incubation.models import Track
from app.listings.moderation import ListingStatus
from tests.exports import CJK


def entries(body: str) -> list[str]:
    """The HTML of each entry on the page, newest first."""
    return body.split('data-test="audit-entry"')[1:]


def entry(body: str, action: str) -> str:
    """The newest entry of this action label."""
    return next(html for html in entries(body) if f'data-test="audit-action">{action}<' in html)


def texts(html: str, test_id: str) -> list[str]:
    return re.findall(rf'data-test="{test_id}">(.*?)</span>', html)


def changes(html: str) -> dict[str, str]:
    """Field label → what its value cell says, tags dropped."""
    found = re.search(r'data-test="audit-changes">(.*?)</dl>', html, re.S)
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", found.group(1), re.S) if found else []
    return {field: " ".join(re.sub(r"<[^>]+>", " ", value).split()) for field, value in pairs}


@pytest.fixture
def admin(client, make_user, login):
    user = make_user("auditor@example.com", role=SiteRole.ADMIN)
    login(user)
    return user


@pytest.fixture
def logged(client, admin, make_user, make_org, make_need, make_pilot_call):
    """A need approved through the moderation queue and a pilot call's notice started."""
    owner = make_user()
    need = make_need(make_org(owner=owner), owner, ListingStatus.SUBMITTED, title="设备联网改造")
    assert client.post_form(f"/admin/moderation/needs/{need.id}/approve").status_code == 302
    call = make_pilot_call(admin)
    audit(admin, "pilot_call.notice", call, None, {"title": call.title, "status": "notice"})
    db.session.commit()
    return need, call


def test_actions_record_types_and_values_read_as_labels_in_chinese(client, logged):
    need, call = logged
    body = client.get("/admin/audit").get_data(as_text=True)
    notice, approval = entry(body, "开始入选公示"), entry(body, "通过需求")
    assert f"试点示范申报批次 #{call.id}</a>" in notice and changes(notice)["状态"] == "公示中"
    assert f"需求 #{need.id}</a>" in approval
    assert changes(approval)["状态"] == "待审核 → 变更为 已发布"
    assert "pilot_call.notice" not in body and ">PilotCall" not in body


def test_the_raw_json_is_kept_behind_a_details_toggle(client, logged):
    approval = entry(client.get("/admin/audit").get_data(as_text=True), "通过需求")
    details = re.search(
        r'<details class="small" data-test="audit-raw">\s*<summary>(.*?)</summary>(.*?)</details>', approval, re.S
    )
    assert "详情" in details.group(1)
    assert '"status": "submitted"' in details.group(2) and '"status": "published"' in details.group(2)
    assert '"status"' not in approval.replace(details.group(0), "")


def test_in_english_no_label_stays_chinese(client, logged):
    client.set_cookie("lang", "en")
    body = client.get("/admin/audit").get_data(as_text=True)
    for html in entries(body):
        link = re.search(r'<a class="ms-1" href="[^"]*">(.*?)</a>', html).group(1)
        fields = changes(html)
        labels = [*texts(html, "audit-action"), link, *fields.keys(), fields["Status"]]  # titles are user text
        assert not [label for label in labels if CJK.search(label)]
    assert "Details" in body


def test_codes_are_shown_by_name_and_an_entry_without_a_record_by_its_fields(client, admin, make_org):
    track = db.session.scalars(db.select(Track)).first()
    track.name_en = "Gazelle (test)"
    org = make_org()
    audit(
        admin, "incubation.enrol", org, None, {"track": track.code, "enrolment": 7, "publish_at": "2026-11-09T19:49:00"}
    )
    audit(admin, "settings.update", None, {NEED_LIFETIME_DAYS: 180}, {NEED_LIFETIME_DAYS: 90})
    db.session.commit()
    setting, enrolment = entries(client.get("/admin/audit").get_data(as_text=True))[:2]
    assert changes(enrolment)["孵化计划"] == track.name and changes(enrolment)["孵化记录编号"] == "7"
    assert re.fullmatch(r"2026-11-(09|10) \d\d:49", changes(enrolment)["定时发布时间"])  # a moment, in local time
    assert changes(setting) == {"需求公开天数": "180 → 变更为 90"} and "#" not in setting.split("</a>")[0]
    client.set_cookie("lang", "en")
    enrolment = entries(client.get("/admin/audit").get_data(as_text=True))[1]
    assert "Gazelle (test)" in changes(enrolment).values()


def test_filters_and_pages(client, admin, make_user, make_org):
    other = make_user("other-admin@example.com", role=SiteRole.ADMIN)
    org = make_org()
    for number in range(23):
        audit(admin, "organization.verify", org, {"verified": False}, {"verified": True, "note": f"第{number}次"})
    audit(other, "user.role", admin, {"site_role": "member"}, {"site_role": "admin"})
    db.session.commit()
    first = client.get(f"/admin/audit?target_type=Organization&target_id={org.id}").get_data(as_text=True)
    second = client.get(f"/admin/audit?target_type=Organization&target_id={org.id}&page=2").get_data(as_text=True)
    assert len(entries(first)) + len(entries(second)) == 23 and len(entries(second)) > 0
    assert "修改角色" not in first + second
    by_actor = entries(client.get("/admin/audit?actor=other-admin").get_data(as_text=True))
    assert len(by_actor) == 1 and changes(by_actor[0])["角色"] == "普通用户 → 变更为 平台管理员"


def test_an_organizations_history_names_its_actions(client, admin, make_org):
    org = make_org()
    audit(admin, "organization.verify", org, {"verified": False}, {"verified": True, "note": "执照已核验"})
    db.session.commit()
    body = client.get(f"/admin/organizations/{org.id}").get_data(as_text=True)
    assert "认证企业：<span data-user-text>执照已核验</span>" in body and "organization.verify" not in body
