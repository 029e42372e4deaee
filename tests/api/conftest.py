"""API fixtures: a small published catalogue in the real database and search index."""

from datetime import datetime

import pytest

from app.catalog.models import BatchStatus, ScenarioStatus
from app.extensions import db


@pytest.fixture
def catalogue(app, make_batch, make_scenario):
    """Two released batches and a draft one; four published scenarios and a draft."""
    first = make_batch("2022年第一批", 2022)
    second = make_batch("2023年第一批", 2023)
    draft_batch = make_batch("2024年第一批", 2024, BatchStatus.DRAFT)
    first.published_at = datetime(2022, 3, 1, 9, 0)
    second.published_at = datetime(2023, 4, 1, 9, 0)
    db.session.commit()
    scenarios = {
        "pdm": make_scenario(
            code="QD-2022-0001",
            title="注塑车间设备预测性维护",
            keywords="预测性维护、设备联网",
            organization_name="青岛海智科技有限公司",
            batch=first,
        ),
        "twin": make_scenario(
            code="QD-2022-0002",
            title="基于数字孪生的产线仿真优化",
            description="构建总装产线的数字孪生模型，仿真验证节拍与工艺参数。",
            industry="AUT",
            domains=("PD", "IM"),
            category="C01",
            subcategory="C01-1",
            district="SN",
            batch=first,
        ),
        "mes": make_scenario(
            code="QD-2023-0003",
            title="家电总装MES上线",
            description="部署MES，实现生产工单与质量数据的透明化管理。",
            industry="APL",
            domains=("DM",),
            district="LC",
            batch=second,
        ),
        "energy": make_scenario(
            code="QD-2023-0004",
            title="纺织印染能耗监测",
            description="对印染车间水、电、气能耗监测，并核算碳排放。",
            industry="TEX",
            domains=("DM",),
            category="C05",
            subcategory="C05-1",
            district=None,
            batch=second,
        ),
        "draft": make_scenario(
            code="QD-2024-0005",
            title="预测性维护草稿",
            description="尚未发布的预测性维护场景。",
            status=ScenarioStatus.DRAFT,
            batch=draft_batch,
        ),
    }
    return {
        "batches": {"first": first.id, "second": second.id, "draft": draft_batch.id},
        "codes": {name: s.code for name, s in scenarios.items()},
    }


@pytest.fixture
def public_records(make_user, make_org, make_need, make_solution, make_event):
    """Two public needs (one in talks), a draft, a pending and a closed one; two public solutions,
    a draft; a published and a cancelled event and a draft. The private fields carry markers
    (PRIVATE-…) that no public answer may contain."""
    from app.events.models import EventKind, EventStatus
    from app.listings.moderation import ListingStatus
    from app.solutions.models import PriceModel

    owner = make_user("owner-records@example.com")
    org = make_org(owner=owner, name="青岛开放数据测试有限公司")
    contacts = {
        "contact_person": "PRIVATE-person",
        "contact_phone": "PRIVATE-phone",
        "contact_email": "private-needs@example.com",
    }
    needs = {
        "pdm": make_need(org, owner, title="注塑机预测性维护", **contacts),
        "talks": make_need(
            org, owner, title='=HYPERLINK("http://evil")仓储数字化', status=ListingStatus.IN_TALKS, **contacts
        ),
        "draft": make_need(org, owner, title="草稿需求DRAFT", status=ListingStatus.DRAFT, **contacts),
        "pending": make_need(org, owner, title="待审需求PENDING", status=ListingStatus.SUBMITTED, **contacts),
        "closed": make_need(org, owner, title="已关闭需求CLOSED", status=ListingStatus.CLOSED, **contacts),
    }
    solutions = {
        "kit": make_solution(org, owner, title="预测性维护套件"),
        "mes": make_solution(
            org, owner, title="+MES轻量化", plug_and_play=False, price_model=PriceModel.SUBSCRIPTION, domains=("DM",)
        ),
        "draft": make_solution(org, owner, title="草稿方案DRAFT", status=ListingStatus.DRAFT),
    }
    events = {
        "finance": make_event(owner, title="产融对接会"),
        "forum": make_event(owner, title="@SUM(1)数字孪生论坛", kind=EventKind.FORUM, status=EventStatus.CANCELLED),
        "draft": make_event(owner, title="草稿活动DRAFT", status=EventStatus.DRAFT),
    }
    return {
        "needs": {k: v.id for k, v in needs.items()},
        "solutions": {k: v.id for k, v in solutions.items()},
        "events": {k: v.id for k, v in events.items()},
    }


@pytest.fixture
def public_articles(make_user):
    """A published notice and a published policy; a draft, a withdrawn one and one scheduled for
    tomorrow, which no public answer may show."""
    from datetime import timedelta

    from app.accounts.models import SiteRole
    from app.articles.models import Article, ArticleCategory, ArticleStatus
    from app.core.models import utcnow

    admin = make_user("office-records@example.com", role=SiteRole.ADMIN)
    now = utcnow()

    def article(title, status, category=ArticleCategory.NOTICE, publish_at=now - timedelta(hours=1)):
        return Article(
            category=category,
            title=title,
            summary="面向全市制造企业。",
            body="请各区市组织申报。",
            status=status,
            publish_at=publish_at,
            created_by_id=admin.id,
        )

    articles = {
        "notice": article("试点示范项目申报通知", ArticleStatus.PUBLISHED),
        "policy": article("-工业互联网发展若干政策", ArticleStatus.PUBLISHED, ArticleCategory.POLICY),
        "draft": article("草稿资讯DRAFT", ArticleStatus.DRAFT, publish_at=None),
        "withdrawn": article("撤回资讯WITHDRAWN", ArticleStatus.WITHDRAWN),
        "scheduled": article("定时资讯SCHEDULED", ArticleStatus.SCHEDULED, publish_at=now + timedelta(days=1)),
    }
    db.session.add_all(articles.values())
    db.session.commit()
    return {name: a.id for name, a in articles.items()}
