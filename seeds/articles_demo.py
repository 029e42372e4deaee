"""Demo articles: policy documents, notices (one pinned, with a PDF) and news of the office's work,
published over the last two months by the demo admin, each saying it is demo data. Running it again
adds nothing."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.accounts.models import User
from app.articles import services
from app.articles.models import Article, ArticleCategory
from app.core.models import utcnow
from app.extensions import db

DEMO_NOTE = "（演示数据）"
ADMIN_EMAIL = "admin@demo.gongfu"

# (category, title, summary, body, days ago, pinned, attachment)
ARTICLES = [
    (
        ArticleCategory.NOTICE,
        "关于开展 2026 年工业互联网新模式应用试点示范项目申报工作的通知",
        "面向全市制造企业征集工业互联网新模式应用试点示范项目，申报截止时间见正文。",
        "各区市工业和信息化主管部门、各有关企业：\n\n"
        "为加快工业互联网新模式推广应用，现组织开展试点示范项目申报工作。\n\n"
        "## 申报条件\n\n- 在本市注册、具有独立法人资格的制造企业；\n- 项目已建成并取得明显成效。\n\n"
        "## 申报方式\n\n请登录本平台“培育计划 · 试点示范项目”在线申报，并上传申报书。\n\n"
        "附件：申报指南（PDF）",
        3,
        True,
        "申报指南.pdf",
    ),
    (
        ArticleCategory.NOTICE,
        "关于举办工业互联网供需对接活动的通知",
        "邀请需求企业和服务商参加线下供需对接活动。",
        "活动将设置一对一洽谈桌，企业可在平台“对接活动”栏目报名并预约洽谈。",
        12,
        False,
        None,
    ),
    (
        ArticleCategory.POLICY,
        "工业互联网创新发展三年行动计划（2025—2027 年）",
        "明确全市工业互联网发展的目标、重点任务和保障措施。",
        "## 总体目标\n\n到 2027 年，培育一批具有行业影响力的工业互联网平台，"
        "推动规模以上工业企业数字化转型全覆盖。\n\n"
        "## 重点任务\n\n1. 建设工业互联网平台体系；\n2. 推广新模式新业态；\n3. 完善公共服务体系。",
        20,
        False,
        None,
    ),
    (
        ArticleCategory.POLICY,
        "关于支持中小企业数字化转型的若干措施",
        "对中小企业上云用平台、购买数字化服务给予支持。",
        "对通过本平台签约数字化改造服务的中小企业，按合同金额的一定比例给予补助，具体以申报通知为准。",
        35,
        False,
        None,
    ),
    (
        ArticleCategory.POLICY,
        "工业互联网标识解析推广应用实施方案",
        "推动标识解析在重点行业的规模化应用。",
        "鼓励企业接入标识解析二级节点，开展产品追溯、供应链管理等应用。",
        50,
        False,
        None,
    ),
    (
        ArticleCategory.NEWS,
        "市工业互联网推进办公室赴重点企业调研数字化转型",
        "调研组走访了模具、家电和食品加工企业。",
        "调研组深入车间了解设备联网、数据采集和平台应用情况，听取企业意见建议。",
        5,
        False,
        None,
    ),
    (
        ArticleCategory.NEWS,
        "首批工业互联网场景清单发布",
        "场景清单覆盖多个行业和技术领域，企业可在平台检索。",
        "场景清单可在平台“场景清单”栏目按行业、技术领域和区市检索。",
        28,
        False,
        None,
    ),
]

#: A one-page PDF saying what it is.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 760 Td (Demo data: application guide) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_articles(now: datetime | None = None) -> int:
    """Publish the demo articles that are not there yet; returns how many were added."""
    admin = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
    if admin is None:
        return 0
    now = now or utcnow()
    existing = set(db.session.scalars(select(Article.title)))
    added = 0
    for category, title, summary, body, days_ago, pinned, attachment in ARTICLES:
        if title in existing:
            continue
        uploads = [FileStorage(io.BytesIO(DEMO_PDF), attachment)] if attachment else []
        article = services.create_article(
            services.ArticleValues(
                category,
                title,
                f"{summary}{DEMO_NOTE}",
                f"**{DEMO_NOTE}** 本文为演示内容，不是真实的政策或通知。\n\n{body}",
                (now - timedelta(days=days_ago)).replace(second=0, microsecond=0),
                uploads,
            ),
            admin,
        )
        services.publish(article, admin, now)
        if pinned:
            services.set_pinned(article, True, admin)
        added += 1
    return added
