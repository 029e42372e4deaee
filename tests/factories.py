"""Test data written straight to the database: users, organizations, listings, events, calls.

`Factories` numbers what it makes (emails, names, credit codes); a test's factories and the shared
world's keep one numbering, so that nothing a test makes collides with the world it shares.
Each method commits what it makes (only a SAVEPOINT, in a rolled-back test).
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from itertools import count

from werkzeug.datastructures import FileStorage

from app.accounts import organizations, services
from app.accounts.models import OrgKind, SiteRole
from app.catalog.models import BatchStatus, Scenario, ScenarioBatch, ScenarioStatus
from app.core.files import store_checked
from app.core.models import local_today, utcnow
from app.core.validators import uscc_check_character
from app.events.models import Event, EventKind, EventSlot, EventStatus, EventTable
from app.extensions import db
from app.listings.moderation import ListingStatus
from app.needs.models import Need
from app.pilots import services as pilots
from app.pilots.models import CallKind, CallStatus, PilotApplication
from app.solutions.models import DeliveryMode, PriceModel, Solution, SolutionAttachment, SolutionCase
from app.solutions.services import ATTACHMENT_KINDS, ATTACHMENTS, MAX_ATTACHMENT_BYTES
from app.taxonomy.models import District, Industry, ScenarioCategory, ScenarioSubcategory, TechDomain

PASSWORD = "correct-horse-battery-9"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def valid_credit_code(serial: int) -> str:
    base = f"9137020{serial:010d}"
    return base + uscc_check_character(base)


def taxonomy_entry(model, code: str):
    return db.session.scalar(db.select(model).where(model.code == code))


def _taxonomy(model, *codes):
    return [taxonomy_entry(model, code) for code in codes]


class Factories:
    def __init__(self, app):
        self.app = app
        self.users = count(1)
        self.orgs = count(1)
        self.scenarios = count(1)

    def continue_after(self, other: Factories) -> None:
        """Number on from where `other` stopped (the shared world's factories)."""
        self.users, other.users = _fork(other.users)
        self.orgs, other.orgs = _fork(other.orgs)
        self.scenarios, other.scenarios = _fork(other.scenarios)

    def user(
        self,
        email: str | None = None,
        name: str = "测试用户",
        role: SiteRole = SiteRole.MEMBER,
        password: str = PASSWORD,
        active: bool = True,
    ):
        user = services.register_user(email or f"user{next(self.users)}@example.com", name, password, site_role=role)
        user.active = active
        db.session.commit()
        return user

    def org(
        self,
        owner=None,
        name: str | None = None,
        kind: OrgKind = OrgKind.ENTERPRISE,
        verified: bool = False,
        credit_code: str | None = None,
    ):
        number = next(self.orgs)
        owner = owner or self.user()
        district = db.session.scalar(db.select(District).where(District.code == "LS"))
        industry = db.session.scalar(db.select(Industry).where(Industry.code == "EQP"))
        org = organizations.create_organization(
            owner,
            credit_code or valid_credit_code(number),
            organizations.OrganizationProfile(
                name=name or f"测试企业{number}",
                kind=kind,
                district_id=district.id,
                industry_id=industry.id,
                founded_year=2018,
                employees=50,
                website="",
                contact_person="张三",
                contact_phone="13800138000",
                description="测试用企业。",
            ),
        )
        if verified:
            org.verified_at = utcnow()
        db.session.commit()
        return org

    def batch(self, name: str = "2022年第一批", year: int = 2022, status: BatchStatus = BatchStatus.PUBLISHED):
        batch = ScenarioBatch(
            name=name, year=year, status=status, published_at=utcnow() if status == BatchStatus.PUBLISHED else None
        )
        db.session.add(batch)
        db.session.commit()
        return batch

    def scenario(
        self,
        title: str = "注塑车间设备预测性维护",
        description: str = "采集注塑机振动与温度数据，提前预警故障。",
        code: str | None = None,
        industry: str = "EQP",
        domains: tuple[str, ...] = ("IM",),
        category: str = "C04",
        subcategory: str = "C04-2",
        district: str | None = "LS",
        keywords: str = "",
        organization_name: str = "",
        batch=None,
        status: ScenarioStatus = ScenarioStatus.PUBLISHED,
    ):
        """A scenario written straight to the database (the import service is tested on its own)."""
        scenario = Scenario(
            code=code or f"QD-2022-{next(self.scenarios):04d}",
            title=title,
            description=description,
            industry=taxonomy_entry(Industry, industry),
            category=taxonomy_entry(ScenarioCategory, category),
            subcategory=taxonomy_entry(ScenarioSubcategory, subcategory),
            district=taxonomy_entry(District, district) if district else None,
            domains=[taxonomy_entry(TechDomain, d) for d in domains],
            keywords=keywords,
            organization_name=organization_name,
            status=status,
            batch=batch,
        )
        db.session.add(scenario)
        db.session.commit()
        return scenario

    def need(self, org, by, status: ListingStatus = ListingStatus.PUBLISHED, domains=("IM",), **values):
        """A need of `org` (published unless told otherwise)."""
        values = {
            "title": "注塑车间设备联网与预测性维护",
            "description": "希望采集注塑机数据，提前预警故障。",
            "industry_id": taxonomy_entry(Industry, "EQP").id,
            "budget_min": 20,
            "budget_max": 50,
            "contact_person": "王经理",
            "contact_phone": "13800138000",
            **values,
        }
        need = Need(organization=org, created_by=by, status=status, domains=_taxonomy(TechDomain, *domains), **values)
        if status in (ListingStatus.PUBLISHED, ListingStatus.IN_TALKS):
            need.published_at = utcnow()
        db.session.add(need)
        db.session.commit()
        return need

    def solution(
        self, org, by, status: ListingStatus = ListingStatus.PUBLISHED, industries=("EQP",), domains=("IM",), **values
    ):
        """A solution of `org` (published unless told otherwise)."""
        values = {
            "title": "设备预测性维护即插即用套件",
            "summary": "边缘采集网关加云端预警模型，一周上线。",
            "description": "振动与温度采集、故障预警、维修工单。",
            "delivery_mode": DeliveryMode.HYBRID,
            "price_model": PriceModel.ONE_OFF,
            "price_min": 8,
            "price_max": 15,
            "plug_and_play": True,
            "prerequisites": "设备可加装传感器",
            "deployment_days": 7,
            "includes": "网关、平台账号、培训",
            **values,
        }
        solution = Solution(
            organization=org,
            created_by=by,
            status=status,
            industries=_taxonomy(Industry, *industries),
            domains=_taxonomy(TechDomain, *domains),
            **values,
        )
        if status in (ListingStatus.PUBLISHED, ListingStatus.IN_TALKS):
            solution.published_at = utcnow()
        db.session.add(solution)
        db.session.commit()
        return solution

    def case(self, solution, **values):
        """A reference case appended to `solution`, bypassing the service (which sends a public
        solution back for review, and is tested on its own)."""
        values = {
            "client": "青岛某注塑企业",
            "work": "为 40 台注塑机加装振动与温度传感器，部署预警模型。",
            "outcome": "非计划停机减少 30%。",
            "year": 2023,
            **values,
        }
        case = SolutionCase(solution=solution, position=len(solution.cases) + 1, **values)
        db.session.add(case)
        db.session.commit()
        return case

    def attachment(self, solution, by, data: bytes = PDF, filename: str = "方案白皮书.pdf"):
        """A file of `solution` in the file store and the database, bypassing the service as `case` does."""
        stored = store_checked(
            FileStorage(io.BytesIO(data), filename), ATTACHMENTS, ATTACHMENT_KINDS, MAX_ATTACHMENT_BYTES
        )
        attachment = SolutionAttachment(
            solution=solution,
            uploaded_by=by,
            original_name=stored.original_name,
            stored_name=stored.name,
            content_type=stored.mimetype,
            size_bytes=stored.size,
        )
        db.session.add(attachment)
        db.session.commit()
        return attachment

    def event(self, by, capacity: int = 10, status: EventStatus = EventStatus.PUBLISHED, **values):
        """A published event open for registration now (unless told otherwise), with a programme of
        four 20-minute slots and two tables."""
        now = utcnow().replace(microsecond=0)
        start = now + timedelta(days=10)
        values = {
            "kind": EventKind.FINANCE,
            "title": "2026 产融对接会",
            "description": "银行、投资机构与企业一对一洽谈。",
            "venue": "青岛国际会议中心",
            "starts_at": start,
            "ends_at": start + timedelta(hours=8),
            "registration_opens_at": now - timedelta(days=1),
            "registration_closes_at": start,
            "capacity": capacity,
            **values,
        }
        event = Event(created_by=by, status=status, **values)
        first = values["starts_at"]
        event.slots = [
            EventSlot(starts_at=first + timedelta(minutes=20 * n), ends_at=first + timedelta(minutes=20 * (n + 1)))
            for n in range(4)
        ]
        event.tables = [EventTable(name=f"洽谈桌{n}", position=n) for n in (1, 2)]
        db.session.add(event)
        db.session.commit()
        return event

    def pilot_call(
        self,
        by,
        status: CallStatus = CallStatus.OPEN,
        kind: CallKind = CallKind.PILOT,
        quota: int = 100,
        deadline: date | None = None,
        criteria=(("创新性", 60), ("实施成效", 40)),
        **values,
    ):
        """A call (open for applications for 30 more days unless told otherwise) covering every new
        mode, with two criteria; its status is set directly (the steps are tested in tests/pilots)."""
        values = {
            "year": 2026,
            "title": "2026 年工业互联网新模式应用试点示范项目申报",
            "description": "面向全市制造企业征集。",
            **values,
        }
        with self.app.test_request_context():
            call = pilots.create_call(
                pilots.CallValues(
                    kind=kind,
                    quota=quota,
                    deadline=deadline or local_today() + timedelta(days=30),
                    modes=pilots.new_modes(),
                    criteria=list(criteria),
                    **values,
                ),
                by,
            )
        call.status = status
        db.session.commit()
        return call

    def pilot_application(self, call, org, by, **values):
        """An application of `org` to `call`, bypassing the service (tested on its own)."""
        values = {
            "project_name": f"{org.name}设备联网与预测性维护",
            "description": "为 40 台注塑机加装传感器，上线预警模型。",
            "investment": 120,
            "expected_results": "非计划停机减少 30%。",
            "achieved_results": "",
            **values,
        }
        application = PilotApplication(call=call, organization=org, submitted_by=by, mode=call.modes[0], **values)
        db.session.add(application)
        db.session.commit()
        return application


def _fork(counter):
    """Two counters going on from `counter`'s next number (itertools.count cannot be copied)."""
    start = next(counter)
    return count(start), count(start)
