"""Adding and editing the plan's indicators through the service: codes unique per plan, audited."""

from decimal import Decimal

import pytest
from flask_babel import force_locale

from app.core.audit import AuditEntry
from app.extensions import db
from app.stats import indicators
from app.stats.models import Indicator, IndicatorKind


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def new(plan, by, code="platforms", name=" 工业互联网平台 ", target="15"):
    return indicators.create_indicator(
        plan, code=code, name=name, unit="个", target=Decimal(target), kind=IndicatorKind.REPORTED, note="", by=by
    )


def test_a_new_indicator_goes_last_and_is_audited(app, make_user):
    plan = indicators.current_plan()
    admin = make_user()
    last = max(i.position for i in plan.indicators)
    indicator = new(plan, admin)
    assert (indicator.name, indicator.target, indicator.position) == ("工业互联网平台", Decimal("15.00"), last + 1)
    [entry] = entries("indicator.create")
    assert entry.actor_id == admin.id and entry.target_id == indicator.id
    assert entry.after == {"code": "platforms", "name": "工业互联网平台", "target": "15.00"}


def test_a_code_the_plan_has_is_refused_and_nothing_is_added(app, make_user):
    plan = indicators.current_plan()
    taken = plan.indicators[0].code
    count = db.session.scalar(db.select(db.func.count()).select_from(Indicator))
    with force_locale("zh"), pytest.raises(indicators.IndicatorError, match="这个指标代码已经存在。"):
        new(plan, make_user(), code=taken)
    assert db.session.scalar(db.select(db.func.count()).select_from(Indicator)) == count
    assert entries("indicator.create") == []


def test_an_update_audits_the_fields_that_changed(app, make_user):
    plan = indicators.current_plan()
    admin = make_user()
    indicator = new(plan, admin)
    indicators.update_indicator(indicator, name="平台", unit="个", target=Decimal("20"), note=" 新说明 ", by=admin)
    assert (indicator.name, indicator.target, indicator.note) == ("平台", Decimal("20.00"), "新说明")
    [entry] = entries("indicator.update")
    assert entry.before == {"name": "工业互联网平台", "target": "15.00", "note": ""}
    assert entry.after == {"name": "平台", "target": "20.00", "note": "新说明"}


def test_an_update_that_changes_nothing_is_not_audited(app, make_user):
    plan = indicators.current_plan()
    admin = make_user()
    indicator = new(plan, admin)
    indicators.update_indicator(indicator, name="工业互联网平台", unit="个", target=Decimal("15.00"), note="", by=admin)
    assert entries("indicator.update") == []
