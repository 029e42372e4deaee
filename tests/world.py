"""The shared world: a bit of everything, owned by known people, for the tests that try each
role against each page and action (tests/test_permissions.py and others).

Built once per test module (inside a SAVEPOINT that each test's own rolls back to), so tests get
ids and load the objects they need in their own session.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from werkzeug.datastructures import FileStorage

from app.accounts import organizations
from app.accounts.models import OrgKind, SiteRole
from app.articles import services as articles_service
from app.articles.models import ArticleCategory
from app.catalog.models import BatchStatus
from app.core.files import store_checked
from app.events.agenda import run_scheduler
from app.events.models import EventStatus, MeetingRequest, ParticipantRole
from app.events.services import Entry, decide_request, register, send_request
from app.extensions import db
from app.incubation import services as incubation
from app.incubation.models import AnnualFigures
from app.inquiries import services as inquiries
from app.listings.moderation import ListingStatus
from app.mail.models import MailMessage
from app.notifications.models import Notification
from app.pilots import services as pilots
from app.pilots.models import PilotAssignment, PilotAttachment
from app.search.models import SavedSearch
from app.solutions.models import Solution
from app.stats.ledger import record_enablement
from app.stats.models import Indicator
from app.taxonomy.models import Industry
from tests.factories import PDF, Factories

ROLES = ("anonymous", "other_member", "member", "owner", "expert", "admin")


@dataclass
class World:
    users: dict[str, int | None]  # role → user id
    ids: dict[str, object]
    files: Path
    factories: Factories = field(repr=False)


def build_world(app, make: Factories, files: Path) -> World:
    """Two organizations, an owner with a member and a pending invitation, an expert, an admin."""
    owner = make.user("owner@example.com")
    org = make.org(owner=owner, kind=OrgKind.BOTH)
    member = make.user("member@example.com")
    other_member = make.user("other@example.com")
    make.org(owner=other_member)
    with app.test_request_context():
        invitation = organizations.invite_member(org, "member@example.com", by=owner)
        mail = db.session.scalars(db.select(MailMessage)).one()
        token = re.search(r"/orgs/invitations/(\S+)", mail.body).group(1)
        organizations.accept_invitation(token, member)
        pending = organizations.invite_member(org, "newcomer@example.com", by=owner)
    pending_mail = db.session.scalars(db.select(MailMessage).order_by(MailMessage.id.desc())).first()
    pending_token = re.search(r"/orgs/invitations/(\S+)", pending_mail.body).group(1)
    db.session.commit()
    assert invitation.accepted_at is not None
    users = {
        "other_member": other_member,
        "member": member,
        "owner": owner,
        "expert": make.user("expert@example.com", role=SiteRole.EXPERT),
        "admin": make.user("admin@example.com", role=SiteRole.ADMIN),
    }
    ids: dict[str, object] = {
        "org": org.id,
        "membership": member.membership.id,
        "invitation": pending.id,
        "token": pending_token,
        "member_id": member.id,
        "mail": mail.id,
        "industry": db.session.scalars(db.select(Industry)).first().id,
    }
    batch = make.batch("2022年第一批")
    ids.update(
        batch=batch.id,
        draft_batch=make.batch("2024年第一批", 2024, BatchStatus.DRAFT).id,
        scenario=make.scenario(batch=batch).code,
    )
    enablement = record_enablement(
        firm=org,
        kind="diagnosis",
        source_type="manual",
        source_id="world",
        occurred_on=date(2024, 5, 18),
        evidence="诊断报告 2024-01",
    ).row
    indicators = {i.code: i.id for i in db.session.scalars(db.select(Indicator))}
    db.session.commit()
    ids.update(
        enablement=enablement.id,
        indicator=indicators["enablements"],
        reported_indicator=indicators["base_stations_5g"],
        plan=db.session.scalar(db.select(Indicator.plan_id).where(Indicator.id == indicators["enablements"])),
        need=make.need(org, owner).id,
        draft_need=make.need(org, owner, status=ListingStatus.DRAFT).id,
        solution=make.solution(org, owner).id,
        draft_solution=make.solution(org, owner, status=ListingStatus.DRAFT).id,
    )
    solution, draft_solution = (
        db.session.get(Solution, ids["solution"]),
        db.session.get(Solution, ids["draft_solution"]),
    )
    ids.update(
        case=make.case(solution).id,
        attachment=make.attachment(solution, owner).id,
        draft_attachment=make.attachment(draft_solution, owner).id,
    )
    with app.test_request_context():
        inquiry = inquiries.inquire(solution, other_member, "想了解部署周期和费用。")
        message = inquiries.post_message(
            inquiry, other_member, "附上我们的产线图。", FileStorage(io.BytesIO(PDF), "产线图.pdf")
        )
    db.session.commit()
    saved_search = SavedSearch(user_id=owner.id, doc_type="need", name="预测性维护", q="预测性维护")
    db.session.add(saved_search)
    db.session.commit()
    ids.update(
        inquiry=inquiry.id,
        inquiry_file=message.attachments[0].id,
        notification=db.session.scalar(db.select(Notification.id).where(Notification.user_id == owner.id)),
        saved_search=saved_search.id,
    )
    event = make.event(users["admin"])
    with app.test_request_context():
        registration = register(event, owner, Entry(ParticipantRole.DEMAND, "", "", "", [], [], []))
    db.session.commit()
    guest = make.user("guest@example.com")
    make.org(owner=guest, name="第三方企业")
    with app.test_request_context():
        guest_registration = register(event, guest, Entry(ParticipantRole.SUPPLY, "", "", "", [], [], []))
        meeting_request = send_request(event, guest, registration, "想聊聊设备联网。")
        decide_request(meeting_request, owner, accept=True)
        run_scheduler(event, users["admin"])
    db.session.commit()
    ids.update(
        event=event.id,
        draft_event=make.event(users["admin"], status=EventStatus.DRAFT).id,
        registration=registration.id,
        guest_registration=guest_registration.id,
        meeting_request=meeting_request.id,
        meeting=db.session.get(MeetingRequest, meeting_request.id).meeting.id,
    )
    pilot_call = make.pilot_call(users["admin"])
    application = make.pilot_application(pilot_call, org, owner)
    stored = store_checked(
        FileStorage(io.BytesIO(PDF), "申报书.pdf"), pilots.FILES, pilots.FILE_KINDS, pilots.MAX_FILE_BYTES
    )
    attachment = PilotAttachment(
        application=application,
        original_name=stored.original_name,
        stored_name=stored.name,
        content_type=stored.mimetype,
        size_bytes=stored.size,
    )
    db.session.add_all([attachment, PilotAssignment(application=application, expert=users["expert"])])
    db.session.commit()
    ids.update(pilot_call=pilot_call.id, pilot_application=application.id, pilot_attachment=attachment.id)
    figures = AnnualFigures(
        organization=org,
        year=2024,
        revenue=Decimal("800"),
        net_profit=Decimal("60"),
        rd_spending=Decimal("50"),
        employees=40,
        rd_staff=10,
        invention_patents=1,
        other_ip=2,
        financing=Decimal("0"),
        entered_by=owner,
    )
    db.session.add(figures)
    enrolment = incubation.apply(org, incubation.track_by_code("eaglet"), owner)
    milestone = incubation.add_milestone(enrolment, "完成研发费用专账", date(2026, 12, 31), users["admin"])
    db.session.commit()
    ids.update(
        track="gazelle", figures=figures.id, figures_year=figures.year, enrolment=enrolment.id, milestone=milestone.id
    )
    notice = articles_service.create_article(
        articles_service.ArticleValues(
            ArticleCategory.NOTICE,
            "关于开展工业互联网试点示范申报的通知",
            "面向全市制造企业。",
            "请于 5 月 18 日前报送。",
            None,
            [FileStorage(io.BytesIO(PDF), "申报指南.pdf")],
        ),
        users["admin"],
    )
    articles_service.publish(notice, users["admin"])
    draft_article = articles_service.create_article(
        articles_service.ArticleValues(ArticleCategory.POLICY, "政策草稿", "", "正文", None), users["admin"]
    )
    db.session.commit()
    ids.update(article=notice.id, article_attachment=notice.attachments[0].id, draft_article=draft_article.id)
    return World(
        users={"anonymous": None, **{role: user.id for role, user in users.items()}},
        ids=ids,
        files=files,
        factories=make,
    )
