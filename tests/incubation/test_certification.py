"""Certifying a firm that fails the track's criteria takes a written reason, which the audit log
and the board keep; a firm that meets them is certified without one."""

from decimal import Decimal

from app.core.audit import AuditEntry
from app.extensions import db
from app.incubation import services
from app.incubation.models import AnnualFigures, Enrolment, Stage
from app.stats.models import Enablement


def incubating(firm) -> Enrolment:
    org, member = firm
    enrolment = services.apply(org, services.track_by_code("gazelle"), member)
    enrolment.stage = Stage.INCUBATING
    db.session.commit()
    return enrolment


def ledger_rows(enrolment: Enrolment) -> int:
    return db.session.scalar(
        db.select(db.func.count(Enablement.id)).where(
            Enablement.source_type == "incubation", Enablement.source_id == str(enrolment.id)
        )
    )


def certify(client, enrolment: Enrolment, reason: str = ""):
    return client.post_form(
        f"/admin/incubation/enrolments/{enrolment.id}/move",
        {"to": Stage.CERTIFIED.value, "reason": reason, "on": ""},
        follow_redirects=True,
    )


def test_a_firm_failing_the_criteria_is_not_certified_without_a_reason(app, client, login, firm, admin):
    enrolment = incubating(firm)  # the firm reported no figures: the gazelle criteria are not met
    assert not services.evaluation(enrolment.organization, enrolment.track).met
    login(admin)

    page = certify(client, enrolment).get_data(as_text=True)

    assert "不满足本赛道的认定条件" in page
    db.session.expire_all()
    assert enrolment.stage == Stage.INCUBATING and enrolment.certified_on is None
    assert ledger_rows(enrolment) == 0
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "incubation.move")) == 0


def test_the_reason_is_audited_and_shown_on_the_board(app, client, login, firm, admin):
    enrolment = incubating(firm)
    login(admin)
    reason = "专家组评审认为其核心技术突破，破格认定"

    certify(client, enrolment, reason)

    db.session.expire_all()
    assert enrolment.stage == Stage.CERTIFIED and ledger_rows(enrolment) == 1
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "incubation.move")).one()
    assert entry.after["reason"] == reason and entry.after["criteria_met"] is False
    board = client.get("/admin/incubation/gazelle").get_data(as_text=True)
    column = board[board.index('data-test="column-certified"') :]
    assert reason in column[: column.index("</section>")]


def test_a_firm_meeting_the_criteria_is_certified_without_a_reason(app, client, login, firm, admin):
    enrolment = incubating(firm)
    org, member = firm
    for year, revenue in ((2022, 400), (2023, 500), (2024, 700), (2025, 900)):  # 31% a year, from 400 to 900
        db.session.add(
            AnnualFigures(
                organization=org,
                year=year,
                revenue=Decimal(revenue),
                net_profit=Decimal("60"),
                rd_spending=Decimal("50"),
                employees=40,
                rd_staff=10,
                invention_patents=1,
                other_ip=2,
                financing=Decimal("0"),
                entered_by=member,
            )
        )
    db.session.commit()
    assert services.evaluation(org, enrolment.track).met  # founded in 2018, within the gazelles' 10 years

    services.move(enrolment, Stage.CERTIFIED, admin)
    db.session.commit()

    assert enrolment.stage == Stage.CERTIFIED and ledger_rows(enrolment) == 1
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "incubation.move")).one()
    assert entry.after["criteria_met"] is True
