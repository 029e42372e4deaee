"""A member with a bit of everything (organization, need, solution, a message, an event
registration, a ledger row), and another member with the same, for the export and deletion tests."""

import secrets
from dataclasses import dataclass
from datetime import date

import pytest

from app.accounts.models import OrgKind, SiteRole
from app.events.models import ParticipantRole, Registration, RegistrationStatus
from app.extensions import db
from app.inquiries import services as inquiries
from app.stats.ledger import record_enablement

NAME = "欧阳明远"
EMAIL = "ouyang@example.com"


@dataclass
class People:
    member: object
    other: object
    admin: object
    org: object
    need: object
    solution: object
    inquiry: object


@pytest.fixture
def people(app, make_user, make_org, make_need, make_solution, make_event) -> People:
    member = make_user(EMAIL, name=NAME)
    org = make_org(owner=member, kind=OrgKind.BOTH, verified=True)
    org.contact_person = NAME
    other = make_user("other-side@example.com", name="林其他")
    other_org = make_org(owner=other, verified=True)
    admin = make_user("privacy-admin@example.com", name="管理员", role=SiteRole.ADMIN)
    need = make_need(org, member, title='=HYPERLINK("http://evil")需求', contact_person=NAME, contact_email=EMAIL)
    solution = make_solution(org, member, title="我的设备联网方案")
    make_need(other_org, other, title="别人的需求", contact_person="林其他")
    with app.test_request_context():  # the notifications link to the thread
        inquiry = inquiries.inquire(solution, other, "您好，想了解这个方案。")
        inquiries.post_message(inquiry, member, "我是欧阳，欢迎来电。")
    event = make_event(admin)
    for by, organization in ((member, org), (other, other_org)):
        db.session.add(
            Registration(
                event=event,
                organization=organization,
                registered_by_id=by.id,
                role=ParticipantRole.DEMAND,
                status=RegistrationStatus.CONFIRMED,
                profile=f"{organization.name}的简介",
                ticket_code=secrets.token_hex(4),
            )
        )
    record_enablement(
        firm=org,
        kind="deal",
        source_type="test",
        source_id="privacy-1",
        occurred_on=date(2026, 3, 1),
        recorded_by=member,
    )
    db.session.commit()
    return People(member, other, admin, org, need, solution, inquiry)
