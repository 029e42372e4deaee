"""Articles made through the office's own service, and the files attached to them."""

import io
import zipfile
from datetime import timedelta

import pytest
from werkzeug.datastructures import FileStorage

from app.accounts.models import SiteRole
from app.articles import services
from app.articles.models import ArticleCategory
from app.core.models import utcnow
from app.extensions import db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


@pytest.fixture
def admin(make_user):
    return make_user("office@example.com", name="推进办", role=SiteRole.ADMIN)


@pytest.fixture
def make_article(app, admin):
    """An article written by the office; `publish`: published now (or at `publish_at`, naive UTC)."""

    def make(
        title="关于开展 2026 年工业互联网试点示范项目申报工作的通知",
        category=ArticleCategory.NOTICE,
        summary="面向全市制造企业征集试点示范项目。",
        body="请各区市工业和信息化主管部门组织企业申报。",
        publish=True,
        publish_at=None,
        pinned=False,
        uploads=(),
    ):
        with app.test_request_context():
            article = services.create_article(
                services.ArticleValues(category, title, summary, body, publish_at, list(uploads)), admin
            )
            if publish:
                services.publish(article, admin)
            if pinned:
                services.set_pinned(article, True, admin)
            db.session.commit()
        return article

    return make


def later(hours: int = 1):
    return utcnow() + timedelta(hours=hours)


def earlier(hours: int = 1):
    return utcnow() - timedelta(hours=hours)
