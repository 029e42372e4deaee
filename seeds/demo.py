"""Demo data: an admin, two experts, two enterprises and two providers, each with a login.

Running it again finds what it made before (by email and credit code) and adds nothing.
"""

from sqlalchemy import select

from app.accounts import organizations, services
from app.accounts.models import Organization, OrgKind, SiteRole, User
from app.core.models import utcnow
from app.core.validators import uscc_check_character
from app.extensions import db
from app.taxonomy.models import District, Industry, TaxonomyMixin

DEMO_PASSWORD = "gongfu-demo-2026"

DEMO_ORGANIZATIONS = [
    # (login email, display name, organization, credit code without check character, kind,
    #  district, industry, contact, phone, verified, description)
    (
        "enterprise1@demo.gongfu",
        "王海涛",
        "青岛海纳精密模具有限公司",
        "91370211MA3C8K2L7",
        OrgKind.ENTERPRISE,
        "XHA",
        "EQP",
        "王海涛",
        "13805321234",
        True,
        "注塑模具与精密结构件制造商，计划推进车间设备联网与预测性维护。",
    ),
    (
        "enterprise2@demo.gongfu",
        "刘晓梅",
        "青岛蓝湾食品股份有限公司",
        "91370282MA3D1N6P2",
        OrgKind.ENTERPRISE,
        "JM",
        "FOOD",
        "刘晓梅",
        "0532-88661234",
        False,
        "海洋食品加工企业，关注质量追溯与能耗监测。",
    ),
    (
        "provider1@demo.gongfu",
        "陈思远",
        "青岛智联工业互联网科技有限公司",
        "91370212MA3E4R8T5",
        OrgKind.PROVIDER,
        "LS",
        "EQP",
        "陈思远",
        "13953225678",
        True,
        "工业互联网平台服务商，提供设备联网、数字孪生和即插即用的边缘采集模块。",
    ),
    (
        "provider2@demo.gongfu",
        "赵明",
        "青岛启元数据服务有限公司",
        "91370203MA3F7W1X9",
        OrgKind.BOTH,
        "SB",
        "APL",
        "赵明",
        "0532-80907788",
        True,
        "面向家电电子行业的质量大数据与标识解析服务商，同时推进自身数字化管理。",
    ),
]


def _user(email: str, name: str, role: SiteRole = SiteRole.MEMBER) -> User:
    user = services.find_user_by_email(email)
    if user is None:
        user = services.register_user(email, name, DEMO_PASSWORD, site_role=role)
    return user


def _by_code(model: type[TaxonomyMixin], code: str):
    return db.session.scalar(select(model).where(model.code == code))


def seed_demo() -> list[tuple[str, str]]:
    admin = _user("admin@demo.gongfu", "平台运营", SiteRole.ADMIN)
    expert = _user("expert@demo.gongfu", "李教授", SiteRole.EXPERT)
    second_expert = _user("expert2@demo.gongfu", "周研究员", SiteRole.EXPERT)
    logins = [
        ("admin 平台管理员", admin.email),
        ("expert 评审专家", expert.email),
        ("expert 评审专家", second_expert.email),
    ]
    for (
        email,
        name,
        org_name,
        code17,
        kind,
        district,
        industry,
        contact,
        phone,
        verified,
        description,
    ) in DEMO_ORGANIZATIONS:
        user = _user(email, name)
        code = code17 + uscc_check_character(code17)
        org = db.session.scalar(select(Organization).where(Organization.credit_code == code))
        if org is None and user.membership is None:
            district_entry, industry_entry = _by_code(District, district), _by_code(Industry, industry)
            org = organizations.create_organization(
                user,
                code,
                organizations.OrganizationProfile(
                    name=org_name,
                    kind=kind,
                    district_id=district_entry.id if district_entry else None,
                    industry_id=industry_entry.id if industry_entry else None,
                    founded_year=2015,
                    employees=120,
                    website="",
                    contact_person=contact,
                    contact_phone=phone,
                    description=description,
                ),
            )
            if verified:
                org.verified_at = utcnow()
                org.verified_by = admin
                org.verification_note = "演示数据"
        label = "provider 服务商" if kind != OrgKind.ENTERPRISE else "enterprise 需求企业"
        logins.append((label, user.email))
    db.session.flush()
    return logins
