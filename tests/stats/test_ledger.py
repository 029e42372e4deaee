"""The ledger's rules: a source counts a firm once per kind, corrections are reversal rows, and
no code path updates or deletes a row."""

from datetime import date

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.stats import services
from app.stats.ledger import ImmutableLedger, LedgerError, record_enablement, reverse
from app.stats.models import Enablement
from tests.stats.conftest import district, rows


def record(firm, kind="diagnosis", source="s-1", **extra):
    return record_enablement(
        firm=firm, kind=kind, source_type="test", source_id=source, occurred_on=date(2026, 5, 18), **extra
    )


def test_the_same_source_counts_a_firm_once_per_kind(app, make_org):
    firm, other = make_org(), make_org()
    first = record(firm)
    again = record(firm)
    assert first.created and not again.created and again.row.id == first.row.id
    assert record(firm, kind="training").created  # another kind of the same source
    assert record(other).created  # another firm of the same source
    assert record(firm, source="s-2").created  # another source
    db.session.commit()
    assert len(rows()) == 4
    assert services.firm_times(services.Filters()) == 4


def test_the_database_refuses_a_second_count_of_a_source(app, make_org):
    firm = make_org()
    row = record(firm).row
    db.session.commit()
    db.session.add(
        Enablement(
            firm_id=firm.id, kind_id=row.kind_id, source_type="test", source_id="s-1", occurred_on=date(2026, 5, 19)
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert len(rows()) == 1


def test_a_row_keeps_the_district_and_industry_the_firm_had(app, make_org):
    firm = make_org()
    row = record(firm).row
    firm.district = district("JM")
    db.session.commit()
    assert row.district.code == "LS"
    assert record(firm, source="s-2").row.district.code == "JM"


def test_a_reversal_cancels_its_row_once(app, make_org, make_user):
    firm, admin = make_org(), make_user()
    row = record(firm).row
    reversal = reverse(row, by=admin, reason="重复登记")
    db.session.commit()
    assert reversal.delta == -1 and reversal.reverses_id == row.id and reversal.note == "重复登记"
    assert (reversal.firm_id, reversal.kind_id, reversal.occurred_on, reversal.district_id) == (
        row.firm_id,
        row.kind_id,
        row.occurred_on,
        row.district_id,
    )
    assert services.totals(services.Filters()) == services.Totals(0, 0)
    with pytest.raises(LedgerError):
        reverse(row, by=admin, reason="再次冲销")
    with pytest.raises(LedgerError):
        reverse(reversal, by=admin, reason="冲销冲销记录")
    assert len(rows()) == 2


def test_a_reversal_needs_a_reason(app, make_org, make_user):
    row = record(make_org()).row
    with pytest.raises(LedgerError):
        reverse(row, by=make_user(), reason="  ")


def test_a_firm_does_not_enable_itself(app, make_org):
    firm = make_org()
    with pytest.raises(LedgerError):
        record(firm, provider=firm)


def test_an_unknown_kind_is_refused(app, make_org):
    with pytest.raises(LedgerError):
        record(make_org(), kind="no-such-kind")


def test_no_row_is_ever_updated(app, make_org):
    row = record(make_org()).row
    db.session.commit()
    row.note = "改写历史"
    with pytest.raises(ImmutableLedger):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(ImmutableLedger):
        db.session.execute(update(Enablement).values(delta=-1))
    db.session.rollback()
    assert db.session.scalar(db.select(Enablement.note)) == ""


def test_no_row_is_ever_deleted(app, make_org):
    row = record(make_org()).row
    db.session.commit()
    db.session.delete(row)
    with pytest.raises(ImmutableLedger):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(ImmutableLedger):
        db.session.execute(delete(Enablement))
    db.session.rollback()
    assert len(rows()) == 1
