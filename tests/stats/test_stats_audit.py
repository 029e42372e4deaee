"""The statistics services audit the admins' steps themselves: a reversal, a manual enablement and
a reported figure each leave their AuditEntry, and a refused reversal says why in Chinese."""

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale

from app.accounts.models import SiteRole
from app.core.audit import AuditEntry
from app.extensions import db
from app.stats import indicators, ledger
from app.stats.models import Enablement, Indicator


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def manual(firm, admin, token="form-1"):
    return ledger.record_manual(
        firm=firm,
        kind="diagnosis",
        token=token,
        occurred_on=date(2026, 5, 18),
        provider=None,
        programme="",
        by=admin,
        note="",
        evidence="诊断报告",
    )


def test_a_manual_enablement_is_audited_once(app, make_org, make_user):
    firm, admin = make_org(name="青岛海纳模具有限公司"), make_user(role=SiteRole.ADMIN)
    first = manual(firm, admin)
    again = manual(firm, admin)
    assert first.created and not again.created and again.row.id == first.row.id
    [entry] = entries("enablement.record")
    assert (entry.actor_id, entry.target_id) == (admin.id, first.row.id)
    assert entry.after == {"firm": "青岛海纳模具有限公司", "kind": "diagnosis", "occurred_on": "2026-05-18"}


def test_a_reversal_by_an_admin_is_audited(app, make_org, make_user):
    admin = make_user(role=SiteRole.ADMIN)
    row = manual(make_org(), admin).row
    reversal = ledger.reverse(row, by=admin, reason=" 合同作废 ")
    [entry] = entries("enablement.reverse")
    assert (entry.actor_id, entry.target_id) == (admin.id, reversal.id)
    assert entry.after == {"reverses": row.id, "reason": "合同作废"}


def test_a_second_reversal_is_refused_in_chinese(app, make_org, make_user):
    admin = make_user(role=SiteRole.ADMIN)
    row = manual(make_org(), admin).row
    reversal = ledger.reverse(row, by=admin, reason="误登")
    for target in (row, reversal):
        with (
            force_locale("zh"),
            pytest.raises(ledger.LedgerError, match="这条记录不能冲销：它本身是冲销记录，或已被冲销。"),
        ):
            ledger.reverse(target, by=admin, reason="再来一次")
    assert len(entries("enablement.reverse")) == 1


def test_a_reported_figure_is_audited(app, make_user):
    admin = make_user(role=SiteRole.ADMIN)
    indicator = db.session.scalar(db.select(Indicator).where(Indicator.code == "base_stations_5g"))
    value = indicators.report_value(indicator, Decimal("21500"), date(2024, 6, 30), " 市通信管理局 ", admin)
    [entry] = entries("indicator.report")
    assert (entry.actor_id, entry.target_id) == (admin.id, indicator.id)
    assert entry.after == {"value": str(value.value), "as_of": "2024-06-30", "source": "市通信管理局"}


@pytest.fixture
def admin(make_user, login):
    user = make_user("stats-audit-admin@example.com", role=SiteRole.ADMIN)
    login(user)
    return user


def test_the_views_announce_a_reversal_and_its_refusal(client, admin, make_org):
    row = manual(make_org(), admin).row
    db.session.commit()
    client.post_form(f"/stats/ledger/{row.id}/reverse", {"reason": "合同作废"})
    assert flashes(client)[-1] == ("success", "已冲销：赋能企业家次减少 1。")
    response = client.post_form(f"/stats/ledger/{row.id}/reverse", {"reason": "再来一次"})
    assert response.headers["Location"].endswith(f"/stats/ledger/{row.id}")
    assert flashes(client)[-1] == ("danger", "这条记录不能冲销：它本身是冲销记录，或已被冲销。")
    assert db.session.scalar(db.select(db.func.count()).select_from(Enablement)) == 2


def test_a_form_sent_twice_is_a_notice_not_a_second_row(client, admin, make_org):
    from tests.stats.test_views import record_form

    firm = make_org()
    response, data = record_form(client, firm)
    again = client.post_form("/stats/ledger/new", data)
    assert again.headers["Location"] == response.headers["Location"]
    assert flashes(client)[-1] == ("info", "这张表单已经提交过，没有重复登记。")
    assert len(entries("enablement.record")) == 1
