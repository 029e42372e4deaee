"""Attachments: PDF and Excel files checked by their content; downloadable by everyone once the
article is public, by the office before; removed by the office, audited."""

import io

from sqlalchemy import select

from app.articles.models import Article, ArticleAttachment
from app.core.audit import AuditEntry
from app.extensions import db
from tests.articles.conftest import PDF, upload, xlsx_bytes


def test_pdf_and_xlsx_are_kept_and_downloaded(client, make_article):
    article = make_article(uploads=[upload(PDF, "指南.pdf"), upload(xlsx_bytes(), "名单.xlsx")])
    pdf, sheet = article.attachments
    response = client.get(f"/news/{article.id}/files/{pdf.id}")
    assert response.status_code == 200 and response.data == PDF and response.mimetype == "application/pdf"
    assert "private" not in response.headers.get("Cache-Control", "")
    response = client.get(f"/news/{article.id}/files/{sheet.id}")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert client.get(f"/news/{article.id + 1}/files/{pdf.id}").status_code == 404


def test_a_draft_attachment_is_the_offices(client, login, make_user, make_article, admin):
    article = make_article(publish=False, uploads=[upload(PDF, "指南.pdf")])
    url = f"/news/{article.id}/files/{article.attachments[0].id}"
    assert client.get(url).status_code == 404
    login(make_user("member@example.com"))
    assert client.get(url).status_code == 404
    client.post_form("/logout")
    login(admin)
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"


def test_files_are_checked_by_content(client, login, admin):
    login(admin)
    for data, name in (
        (b"MZ\x90\x00 a program", "通知.pdf"),  # not a PDF whatever its name
        (b"PK\x03\x04" + b"\x00" * 40, "名单.xlsx"),  # a ZIP signature, but no workbook
        (PDF, "通知.xlsx"),  # a PDF named as a spreadsheet
        (b"\x89PNG\r\n\x1a\n....", "图.png"),  # an image: not for articles
    ):
        response = client.post(
            "/admin/articles/new",
            data={
                "csrf_token": client.csrf_token(),
                "category": "notice",
                "title": "带附件的通知",
                "summary": "",
                "body": "正文",
                "files": [(io.BytesIO(data), name)],
            },
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        assert "不能上传" in response.get_data(as_text=True) or "文件名后缀应为" in response.get_data(as_text=True)
    assert db.session.scalar(select(Article).where(Article.title == "带附件的通知")) is None


def test_the_office_uploads_and_removes_an_attachment(client, login, admin, make_article):
    article = make_article()
    login(admin)
    client.post(
        f"/admin/articles/{article.id}/edit",
        data={
            "csrf_token": client.csrf_token(),
            "category": "notice",
            "title": article.title,
            "summary": article.summary,
            "body": article.body,
            "files": [(io.BytesIO(PDF), "补充说明.pdf")],
        },
        content_type="multipart/form-data",
    )
    db.session.refresh(article)
    assert [a.original_name for a in article.attachments] == ["补充说明.pdf"]
    attachment_id = article.attachments[0].id
    assert client.post_form(f"/admin/articles/{article.id}/files/{attachment_id}/remove").status_code == 302
    db.session.expire_all()
    assert db.session.get(ArticleAttachment, attachment_id) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "article.attachment_remove"))
    assert entry is not None and entry.before == {"attachment": "补充说明.pdf"}
    assert client.get(f"/news/{article.id}/files/{attachment_id}").status_code == 404
