"""Yearly figures through HTTP: reporting, refusals that write nothing, editing one's own year,
an admin's audited correction, who sees them, and the admins told when a track's verdict flips."""

from datetime import date
from decimal import Decimal

import pytest

from app.core.audit import AuditEntry
from app.extensions import db
from app.incubation.models import AnnualFigures
from app.notifications.models import Notification, Topic
from tests.incubation.conftest import figures_form, report

LAST_YEAR = date.today().year - 1


def rows(org) -> list[AnnualFigures]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(AnnualFigures).where(AnnualFigures.organization_id == org.id)))


def text(response) -> str:
    return response.get_data(as_text=True)


def test_a_member_reports_a_year_and_sees_it(client, login, firm):
    org, member = firm
    login(member)
    response = report(client, LAST_YEAR, revenue="612.5")
    assert response.status_code == 302
    [row] = rows(org)
    assert row.revenue == Decimal("612.50") and row.entered_by_id == member.id and row.entered_at is not None
    page = text(client.get("/incubation/figures"))
    assert "612.5" in page and 'id="figures-data"' in page and f'data-test="figures-{LAST_YEAR}"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"year": str(date.today().year + 1)}, "不能填报未来年份"),
        ({"revenue": "-1"}, "金额不能为负数"),
        ({"employees": "-3"}, "人数和件数不能为负数"),
        ({"rd_staff": "61"}, "研发人员（61 人）不能多于从业人员（60 人）"),
        ({"revenue": "12.345"}, "最多保留两位小数"),
        ({"revenue": "abc"}, "不是有效的小数"),
    ],
)
def test_bad_figures_are_refused_with_a_message_and_nothing_written(client, login, firm, changes, message):
    org, member = firm
    login(member)
    response = client.post_form("/incubation/figures", {**figures_form(LAST_YEAR), **changes})
    assert response.status_code == 200 and message in text(response)
    assert rows(org) == []


def test_a_year_reported_twice_is_refused(client, login, firm):
    org, member = firm
    login(member)
    report(client, LAST_YEAR)
    response = report(client, LAST_YEAR, revenue="999")
    assert f"{LAST_YEAR} 年的数据已经填报过" in text(response)
    assert [row.revenue for row in rows(org)] == [Decimal("600")]


def test_a_member_edits_a_reported_year_but_not_its_year(client, login, firm):
    org, member = firm
    login(member)
    report(client, LAST_YEAR)
    url = f"/incubation/figures/{LAST_YEAR}"
    assert client.post_form(url, figures_form(LAST_YEAR, revenue="650")).status_code == 302
    response = client.post_form(url, figures_form(LAST_YEAR - 1, revenue="700"))
    assert "年度不能修改" in text(response)
    [row] = rows(org)
    assert (row.year, row.revenue, row.updated_by_id) == (LAST_YEAR, Decimal("650"), member.id)


def test_another_organization_cannot_reach_a_firms_figures(client, login, firm, make_user, make_org):
    org, member = firm
    login(member)
    report(client, LAST_YEAR)
    client.post_form("/logout")
    outsider = make_user("outsider@example.com")
    make_org(owner=outsider)
    login(outsider)
    assert client.get(f"/incubation/figures/{LAST_YEAR}").status_code == 404
    assert client.post_form(f"/incubation/figures/{LAST_YEAR}", figures_form(LAST_YEAR, revenue="1")).status_code == 404
    assert "612" not in text(client.get("/incubation/figures"))
    assert [row.revenue for row in rows(org)] == [Decimal("600")]


def test_the_organization_page_shows_figures_to_members_and_admins_only(
    app, client, login, firm, admin, make_user, make_org
):
    org, member = firm
    login(member)
    report(client, LAST_YEAR)
    assert 'data-test="org-figures"' in text(client.get(f"/orgs/{org.id}"))
    client.post_form("/logout")
    assert 'data-test="org-figures"' not in text(client.get(f"/orgs/{org.id}"))
    outsider = make_user("outsider@example.com")
    make_org(owner=outsider)
    login(outsider)
    page = text(client.get(f"/orgs/{org.id}"))
    assert 'data-test="org-figures"' not in page and "figures-data" not in page
    client.post_form("/logout")
    login(admin)
    page = text(client.get(f"/orgs/{org.id}"))
    assert 'data-test="org-figures"' in page and "/admin/incubation/figures/" in page


def test_an_admin_corrects_a_figure_with_a_reason_and_it_is_audited(client, login, firm, admin):
    org, member = firm
    login(member)
    report(client, LAST_YEAR)
    [row] = rows(org)
    client.post_form("/logout")
    login(admin)
    url = f"/admin/incubation/figures/{row.id}/correct"
    response = client.post_form(url, figures_form(LAST_YEAR, revenue="620", reason=""))
    assert "请填写更正原因" in text(response)
    assert rows(org)[0].revenue == Decimal("600")
    assert (
        client.post_form(url, figures_form(LAST_YEAR, revenue="620", reason="审计报告为 620 万元")).status_code == 302
    )
    assert rows(org)[0].revenue == Decimal("620") and rows(org)[0].updated_by_id == admin.id
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "incubation.correct")).one()
    assert entry.actor_id == admin.id and entry.target_id == org.id
    assert entry.before["revenue"] == "600.00" and entry.after["revenue"] == "620"
    assert entry.after["reason"] == "审计报告为 620 万元"


def test_admins_are_told_when_new_figures_meet_a_track_or_no_longer_do(client, login, firm, admin):
    """Founded 2018: gazelle (within 10 years) can be met, eaglet (within 5) cannot."""
    org, member = firm
    login(member)

    def told() -> list[str]:
        return list(
            db.session.scalars(
                db.select(Notification.title)
                .where(Notification.user_id == admin.id, Notification.topic == Topic.INCUBATION)
                .order_by(Notification.id)
            )
        )

    first = LAST_YEAR - 2
    report(client, first, revenue="300")
    report(client, first + 1, revenue="400")
    assert told() == []
    report(client, LAST_YEAR, revenue="600")  # 600 ≥ 500, and 300 → 600 is 41% a year
    assert told() == ["“青岛瞪羚科技有限公司”的最新数据已符合瞪羚企业认定条件"]
    client.post_form(f"/incubation/figures/{first + 1}", figures_form(first + 1, revenue="420"))
    assert len(told()) == 1  # still met: nothing new
    client.post_form(f"/incubation/figures/{LAST_YEAR}", figures_form(LAST_YEAR, revenue="450"))
    assert told()[-1] == "“青岛瞪羚科技有限公司”的最新数据不再符合瞪羚企业认定条件"
    link = db.session.scalars(db.select(Notification.link).where(Notification.user_id == admin.id)).first()
    assert link == f"/admin/incubation/gazelle/enrol?org={org.id}"
