"""Fixtures: a migrated database (SQLite file, or PostgreSQL via TEST_DATABASE_URL), the app,
an HTTP client that knows how to send CSRF tokens, and factories for users and organizations."""
import io
import json
import os
import re
import sqlite3
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from flask_migrate import upgrade
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from app import create_app
from app.accounts import organizations, services
from app.accounts.models import OrgKind, SiteRole
from app.catalog.models import (BatchStatus, District, Industry, Scenario, ScenarioBatch, ScenarioCategory,
                                ScenarioStatus, ScenarioSubcategory, TechDomain)
from app.mail.models import MailMessage
from app.catalog.services import load_taxonomy
from app.core.files import store_checked
from app.core.models import local_today, utcnow
from app.core.validators import uscc_check_character
from app.extensions import db, limiter
from app.search.analysis import configure_segmenter
from app.stats.indicators import load_kinds, load_plan
from app.incubation import services as incubation
from app.incubation.models import AnnualFigures
from app.incubation.services import load_tracks
from app.stats.ledger import record_enablement
from app.stats.models import Indicator
from app.core.moderation import ListingStatus
from app.events.models import Event, EventKind, EventSlot, EventStatus, EventTable, MeetingRequest, ParticipantRole
from app.events.agenda import run_scheduler
from app.events.services import Entry, decide_request, register, send_request
from app.inquiries import services as inquiries
from app.needs.models import Need
from app.pilots import services as pilots
from app.pilots.models import CallKind, CallStatus, PilotApplication, PilotAssignment, PilotAttachment
from app.notifications.models import Notification
from app.search.models import SavedSearch
from app.solutions.models import DeliveryMode, PriceModel, Solution, SolutionAttachment, SolutionCase
from app.solutions.services import ATTACHMENT_KINDS, ATTACHMENTS, MAX_ATTACHMENT_BYTES

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery-9"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.getbasetemp() / 'test.db'}"


@event.listens_for(Engine, "connect")
def _fast_sqlite(dbapi_connection, connection_record):
    """The test database is thrown away: SQLite need not wait for the disk on each commit."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


@pytest.fixture(scope="session", autouse=True)
def jieba_cache(tmp_path_factory):
    """jieba's dictionary cache where it survives between runs (pytest keeps this folder)."""
    configure_segmenter(cache_file=tmp_path_factory.getbasetemp().parent / "gongfu-jieba.cache")


@pytest.fixture(scope="session")
def db_url(tmp_path_factory):
    url = database_url(tmp_path_factory)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()
    return url


class Client(FlaskClient):
    """Runs each request in its own app context, as a server would, so that `g` and the
    database session are not shared with the test or with other clients. Bodies are read whole,
    as a server sends them, which closes a file a view sends."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        html = self.get("/").get_data(as_text=True)
        match = CSRF_INPUT.search(html)
        assert match, "no CSRF token on the home page"
        return match.group(1) or match.group(2)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)


def _truncate_all() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(text(f"DELETE FROM {table}"))
    db.session.commit()


@pytest.fixture
def app(db_url, tmp_path):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": db_url, "SEARCH_INDEX_DIR": str(tmp_path / "index"),
                                 "STORED_FILES_DIR": str(tmp_path / "files")})
    app.test_client_class = Client
    with app.app_context():
        _truncate_all()
        load_taxonomy(json.loads((ROOT / "seeds" / "taxonomy.json").read_text(encoding="utf-8")))
        load_kinds(json.loads((ROOT / "seeds" / "enablement_kinds.json").read_text(encoding="utf-8"))["kinds"])
        load_plan(json.loads((ROOT / "seeds" / "plan_targets.json").read_text(encoding="utf-8")))
        load_tracks(json.loads((ROOT / "seeds" / "programs.json").read_text(encoding="utf-8")))
        db.session.commit()
        limiter.reset()
        yield app
        app.extensions["search"].close()
        db.session.remove()
        # Close the pool: PostgreSQL connections left open are reported as unclosed at exit.
        db.engine.dispose()


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 10_000))

    def make(email: str | None = None, name: str = "测试用户", role: SiteRole = SiteRole.MEMBER,
             password: str = PASSWORD, active: bool = True):
        user = services.register_user(email or f"user{next(counter)}@example.com", name, password, site_role=role)
        user.active = active
        db.session.commit()
        return user

    return make


def valid_credit_code(serial: int) -> str:
    base = f"9137020{serial:010d}"
    return base + uscc_check_character(base)


@pytest.fixture
def make_org(app, make_user):
    counter = iter(range(1, 10_000))

    def make(owner=None, name: str | None = None, kind: OrgKind = OrgKind.ENTERPRISE, verified: bool = False,
             credit_code: str | None = None):
        number = next(counter)
        owner = owner or make_user()
        district = db.session.scalar(db.select(District).where(District.code == "LS"))
        industry = db.session.scalar(db.select(Industry).where(Industry.code == "EQP"))
        org = organizations.create_organization(
            owner, credit_code or valid_credit_code(number),
            organizations.OrganizationProfile(
                name=name or f"测试企业{number}", kind=kind, district_id=district.id, industry_id=industry.id,
                founded_year=2018, employees=50, website="", contact_person="张三",
                contact_phone="13800138000", description="测试用企业。"))
        if verified:
            org.verified_at = utcnow()
        db.session.commit()
        return org

    return make


@pytest.fixture
def login(client):
    def do_login(user, password: str = PASSWORD, remember: bool = False):
        response = client.post_form("/login", {"email": user.email, "password": password,
                                              "remember": "y" if remember else ""})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login


@pytest.fixture
def world(app, make_user, make_org, make_batch, make_scenario, make_need, make_solution, make_case,
          make_attachment, make_event, make_pilot_call, make_pilot_application):
    """Two organizations, an owner with a member and a pending invitation, an expert, an admin."""
    owner = make_user("owner@example.com")
    org = make_org(owner=owner, kind=OrgKind.BOTH)
    member = make_user("member@example.com")
    other_member = make_user("other@example.com")
    make_org(owner=other_member)
    with app.test_request_context():
        invitation = organizations.invite_member(org, "member@example.com", by=owner)
        mail = db.session.scalars(db.select(MailMessage)).one()
        token = re.search(r"/orgs/invitations/(\S+)", mail.body).group(1)
        organizations.accept_invitation(token, member)
        pending = organizations.invite_member(org, "newcomer@example.com", by=owner)
    pending_mail = db.session.scalars(db.select(MailMessage).order_by(MailMessage.id.desc())).first()
    pending_token = re.search(r"/orgs/invitations/(\S+)", pending_mail.body).group(1)
    db.session.commit()
    users = {
        "anonymous": None,
        "other_member": other_member,
        "member": member,
        "owner": owner,
        "expert": make_user("expert@example.com", role=SiteRole.EXPERT),
        "admin": make_user("admin@example.com", role=SiteRole.ADMIN),
    }
    ids = {
        "org": org.id,
        "membership": member.membership.id,
        "invitation": pending.id,
        "token": pending_token,
        "member_id": member.id,
        "mail": mail.id,
        "industry": db.session.scalars(db.select(Industry)).first().id,
    }
    batch = make_batch("2022年第一批")
    ids.update(batch=batch.id, draft_batch=make_batch("2024年第一批", 2024, BatchStatus.DRAFT).id,
               scenario=make_scenario(batch=batch).code)
    enablement = record_enablement(firm=org, kind="diagnosis", source_type="manual", source_id="world",
                                   occurred_on=date(2024, 5, 18), evidence="诊断报告 2024-01").row
    indicators = {i.code: i.id for i in db.session.scalars(db.select(Indicator))}
    db.session.commit()
    ids.update(enablement=enablement.id, indicator=indicators["enablements"],
               reported_indicator=indicators["base_stations_5g"],
               need=make_need(org, owner).id, draft_need=make_need(org, owner, status=ListingStatus.DRAFT).id,
               solution=make_solution(org, owner).id,
               draft_solution=make_solution(org, owner, status=ListingStatus.DRAFT).id)
    solution, draft_solution = db.session.get(Solution, ids["solution"]), db.session.get(Solution, ids["draft_solution"])
    ids.update(case=make_case(solution).id, attachment=make_attachment(solution, owner).id,
               draft_attachment=make_attachment(draft_solution, owner).id)
    with app.test_request_context():
        inquiry = inquiries.inquire(db.session.get(Solution, ids["solution"]), other_member, "想了解部署周期和费用。")
        message = inquiries.post_message(inquiry, other_member, "附上我们的产线图。",
                                         FileStorage(io.BytesIO(PDF), "产线图.pdf"))
    db.session.commit()
    saved_search = SavedSearch(user_id=owner.id, doc_type="need", name="预测性维护", q="预测性维护")
    db.session.add(saved_search)
    db.session.commit()
    ids.update(inquiry=inquiry.id, inquiry_file=message.attachments[0].id, notification=db.session.scalar(db.select(Notification.id).where(
        Notification.user_id == owner.id)), saved_search=saved_search.id)
    event = make_event(users["admin"])
    with app.test_request_context():
        registration = register(event, owner, Entry(ParticipantRole.DEMAND, "", "", "", [], [], []))
    db.session.commit()
    guest = make_user("guest@example.com")
    make_org(owner=guest, name="第三方企业")
    with app.test_request_context():
        guest_registration = register(event, guest, Entry(ParticipantRole.SUPPLY, "", "", "", [], [], []))
        meeting_request = send_request(event, guest, registration, "想聊聊设备联网。")
        decide_request(meeting_request, owner, accept=True)
        run_scheduler(event)
    db.session.commit()
    ids.update(event=event.id, draft_event=make_event(users["admin"], status=EventStatus.DRAFT).id,
               registration=registration.id, guest_registration=guest_registration.id,
               meeting_request=meeting_request.id,
               meeting=db.session.get(MeetingRequest, meeting_request.id).meeting.id)
    pilot_call = make_pilot_call(users["admin"])
    application = make_pilot_application(pilot_call, org, owner)
    stored = store_checked(FileStorage(io.BytesIO(PDF), "申报书.pdf"), pilots.FILES, pilots.FILE_KINDS,
                           pilots.MAX_FILE_BYTES)
    attachment = PilotAttachment(application=application, original_name=stored.original_name,
                                 stored_name=stored.name, content_type=stored.mimetype, size_bytes=stored.size)
    db.session.add_all([attachment, PilotAssignment(application=application, expert=users["expert"])])
    db.session.commit()
    ids.update(pilot_call=pilot_call.id, pilot_application=application.id, pilot_attachment=attachment.id)
    figures = AnnualFigures(organization=org, year=2024, revenue=Decimal("800"), net_profit=Decimal("60"),
                            rd_spending=Decimal("50"), employees=40, rd_staff=10, invention_patents=1, other_ip=2,
                            financing=Decimal("0"), entered_by=owner)
    db.session.add(figures)
    enrolment = incubation.apply(org, incubation.track_by_code("eaglet"), owner)
    milestone = incubation.add_milestone(enrolment, "完成研发费用专账", date(2026, 12, 31), users["admin"])
    db.session.commit()
    ids.update(track="gazelle", figures=figures.id, figures_year=figures.year, enrolment=enrolment.id,
               milestone=milestone.id)
    assert invitation.accepted_at is not None
    return users, ids


def taxonomy_entry(model, code: str):
    return db.session.scalar(db.select(model).where(model.code == code))


@pytest.fixture
def make_batch(app):
    def make(name: str = "2022年第一批", year: int = 2022, status: BatchStatus = BatchStatus.PUBLISHED):
        batch = ScenarioBatch(name=name, year=year, status=status,
                              published_at=utcnow() if status == BatchStatus.PUBLISHED else None)
        db.session.add(batch)
        db.session.commit()
        return batch

    return make


@pytest.fixture
def make_scenario(app):
    """A scenario written straight to the database (the import service is tested on its own)."""
    counter = iter(range(1, 100_000))

    def make(title: str = "注塑车间设备预测性维护", description: str = "采集注塑机振动与温度数据，提前预警故障。",
             code: str | None = None, industry: str = "EQP", domains: tuple[str, ...] = ("IM",),
             category: str = "C04", subcategory: str = "C04-2", district: str | None = "LS",
             keywords: str = "", organization_name: str = "", batch=None,
             status: ScenarioStatus = ScenarioStatus.PUBLISHED):
        scenario = Scenario(
            code=code or f"QD-2022-{next(counter):04d}", title=title, description=description,
            industry=taxonomy_entry(Industry, industry), category=taxonomy_entry(ScenarioCategory, category),
            subcategory=taxonomy_entry(ScenarioSubcategory, subcategory),
            district=taxonomy_entry(District, district) if district else None,
            domains=[taxonomy_entry(TechDomain, d) for d in domains], keywords=keywords,
            organization_name=organization_name, status=status, batch=batch,
        )
        db.session.add(scenario)
        db.session.commit()
        return scenario

    return make


def _taxonomy(model, *codes):
    return [taxonomy_entry(model, code) for code in codes]


@pytest.fixture
def make_need(app):
    """A need of `org` (published unless told otherwise), committed."""

    def make(org, by, status: ListingStatus = ListingStatus.PUBLISHED, domains=("IM",), **values):
        values = {"title": "注塑车间设备联网与预测性维护", "description": "希望采集注塑机数据，提前预警故障。",
                  "industry_id": taxonomy_entry(Industry, "EQP").id, "budget_min": 20, "budget_max": 50,
                  "contact_person": "王经理", "contact_phone": "13800138000", **values}
        need = Need(organization=org, created_by=by, status=status, domains=_taxonomy(TechDomain, *domains), **values)
        if status in (ListingStatus.PUBLISHED, ListingStatus.IN_TALKS):
            need.published_at = utcnow()
        db.session.add(need)
        db.session.commit()
        return need

    return make


@pytest.fixture
def make_solution(app):
    """A solution of `org` (published unless told otherwise), committed."""

    def make(org, by, status: ListingStatus = ListingStatus.PUBLISHED, industries=("EQP",), domains=("IM",),
             **values):
        values = {"title": "设备预测性维护即插即用套件", "summary": "边缘采集网关加云端预警模型，一周上线。",
                  "description": "振动与温度采集、故障预警、维修工单。", "delivery_mode": DeliveryMode.HYBRID,
                  "price_model": PriceModel.ONE_OFF, "price_min": 8, "price_max": 15, "plug_and_play": True,
                  "prerequisites": "设备可加装传感器", "deployment_days": 7, "includes": "网关、平台账号、培训",
                  **values}
        solution = Solution(organization=org, created_by=by, status=status,
                            industries=_taxonomy(Industry, *industries), domains=_taxonomy(TechDomain, *domains),
                            **values)
        if status in (ListingStatus.PUBLISHED, ListingStatus.IN_TALKS):
            solution.published_at = utcnow()
        db.session.add(solution)
        db.session.commit()
        return solution

    return make


@pytest.fixture
def make_case(app):
    """A reference case appended to `solution`, written straight to the database (the service,
    which sends a public solution back for review, is tested on its own)."""

    def make(solution, **values):
        values = {"client": "青岛某注塑企业", "work": "为 40 台注塑机加装振动与温度传感器，部署预警模型。",
                  "outcome": "非计划停机减少 30%。", "year": 2023, **values}
        case = SolutionCase(solution=solution, position=len(solution.cases) + 1, **values)
        db.session.add(case)
        db.session.commit()
        return case

    return make


@pytest.fixture
def make_attachment(app):
    """A file of `solution` in the file store and the database, bypassing the service as `make_case` does."""

    def make(solution, by, data: bytes = PDF, filename: str = "方案白皮书.pdf"):
        stored = store_checked(FileStorage(io.BytesIO(data), filename), ATTACHMENTS, ATTACHMENT_KINDS,
                               MAX_ATTACHMENT_BYTES)
        attachment = SolutionAttachment(solution=solution, uploaded_by=by, original_name=stored.original_name,
                                        stored_name=stored.name, content_type=stored.mimetype, size_bytes=stored.size)
        db.session.add(attachment)
        db.session.commit()
        return attachment

    return make


@pytest.fixture
def make_event(app):
    """A published event open for registration now (unless told otherwise), with a programme of
    four 20-minute slots and two tables; committed."""

    def make(by, capacity: int = 10, status: EventStatus = EventStatus.PUBLISHED, **values):
        now = utcnow().replace(microsecond=0)
        start = now + timedelta(days=10)
        values = {"kind": EventKind.FINANCE, "title": "2026 产融对接会", "description": "银行、投资机构与企业一对一洽谈。",
                  "venue": "青岛国际会议中心", "starts_at": start, "ends_at": start + timedelta(hours=8),
                  "registration_opens_at": now - timedelta(days=1), "registration_closes_at": start,
                  "capacity": capacity, **values}
        event = Event(created_by=by, status=status, **values)
        first = values["starts_at"]
        event.slots = [EventSlot(starts_at=first + timedelta(minutes=20 * n), ends_at=first + timedelta(minutes=20 * (n + 1)))
                       for n in range(4)]
        event.tables = [EventTable(name=f"洽谈桌{n}", position=n) for n in (1, 2)]
        db.session.add(event)
        db.session.commit()
        return event

    return make


@pytest.fixture
def make_pilot_call(app):
    """A call (open for applications for 30 more days unless told otherwise) covering every new
    mode, with two criteria; its status is set directly (the steps are tested in tests/pilots)."""

    def make(by, status: CallStatus = CallStatus.OPEN, kind: CallKind = CallKind.PILOT, quota: int = 100,
             deadline: date | None = None, criteria=(("创新性", 60), ("实施成效", 40)), **values):
        values = {"year": 2026, "title": "2026 年工业互联网新模式应用试点示范项目申报", "description": "面向全市制造企业征集。",
                  **values}
        with app.test_request_context():
            call = pilots.create_call(pilots.CallValues(
                kind=kind, quota=quota, deadline=deadline or local_today() + timedelta(days=30),
                modes=pilots.new_modes(), criteria=list(criteria), **values), by)
        call.status = status
        db.session.commit()
        return call

    return make


@pytest.fixture
def make_pilot_application(app):
    """An application of `org` to `call` written straight to the database (the service is tested on its own)."""

    def make(call, org, by, **values):
        values = {"project_name": f"{org.name}设备联网与预测性维护", "description": "为 40 台注塑机加装传感器，上线预警模型。",
                  "investment": 120, "expected_results": "非计划停机减少 30%。", "achieved_results": "", **values}
        application = PilotApplication(call=call, organization=org, submitted_by=by, mode=call.modes[0], **values)
        db.session.add(application)
        db.session.commit()
        return application

    return make
