"""Attachments: checked by content, at most five of at most 10 MB, kept outside static/, served
only to those who may see the solution, removed with their file."""

import io
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.accounts.models import OrgKind
from app.extensions import db
from app.listings.moderation import ListingStatus
from app.solutions.models import Solution, SolutionAttachment
from app.solutions.services import ATTACHMENTS, MAX_ATTACHMENT_BYTES
from tests.conftest import PASSWORD, PDF

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


def page(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def owner(make_user, make_org, login):
    user = make_user("provider@example.com")
    org = make_org(owner=user, name="青岛能效科技有限公司", kind=OrgKind.PROVIDER)
    login(user)
    return user, org


@pytest.fixture
def folder(app) -> Path:
    return Path(app.config["STORED_FILES_DIR"]) / ATTACHMENTS


def stored_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def upload(client, solution_id: int, data: bytes, filename: str, content_type: str = "application/pdf"):
    """The form encoded here, in memory: werkzeug's test client spools bodies over 500 KB to a
    temporary file it never closes."""
    boundary, body = encode_multipart(
        {"csrf_token": client.csrf_token(), "file": FileStorage(io.BytesIO(data), filename, content_type=content_type)}
    )
    return client.post(
        f"/solutions/{solution_id}/attachments/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def reload(solution_id: int) -> Solution:
    db.session.expire_all()
    return db.session.get(Solution, solution_id)


def attachments_of(solution_id: int) -> list[SolutionAttachment]:
    return reload(solution_id).attachments


def signed_in(app, user):
    client = app.test_client()
    assert client.post_form("/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    return client


@pytest.mark.parametrize(
    ("data", "filename", "mimetype", "label"),
    [
        (PDF, "方案白皮书.pdf", "application/pdf", "PDF"),
        (PNG, "系统架构图.PNG", "image/png", "PNG"),
        (JPEG, "现场照片.jpeg", "image/jpeg", "JPEG"),
    ],
)
def test_the_owner_uploads_a_pdf_png_or_jpeg(client, owner, make_solution, folder, data, filename, mimetype, label):
    solution = make_solution(owner[1], owner[0], status=ListingStatus.DRAFT)
    form = page(client.get(f"/solutions/{solution.id}/attachments/new"))
    assert 'enctype="multipart/form-data"' in form and 'name="csrf_token"' in form

    response = upload(client, solution.id, data, filename, content_type="application/octet-stream")
    assert response.status_code == 302 and response.headers["Location"].endswith("#attachments")
    [attachment] = attachments_of(solution.id)
    assert (attachment.original_name, attachment.content_type, attachment.size_bytes, attachment.uploaded_by_id) == (
        filename,
        mimetype,
        len(data),
        owner[0].id,
    )
    assert stored_files(folder) == [attachment.stored_name] and attachment.stored_name != filename
    assert (folder / attachment.stored_name).read_bytes() == data
    assert not (Path(client.application.static_folder) / attachment.stored_name).exists()
    assert reload(solution.id).status == ListingStatus.DRAFT

    html = page(client.get(f"/solutions/{solution.id}"))
    assert "附件已上传。" in html and filename in html and f">{label}</span>" in html and f"{len(data)} B" in html


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (WINDOWS_PROGRAM, "方案介绍.pdf"),
        (LINUX_PROGRAM, "架构图.png"),
        (WINDOWS_PROGRAM, "照片.jpg"),
        (b"<html><script>alert(1)</script></html>", "页面.pdf"),
        (b"PK\x03\x04zip", "资料.pdf"),
    ],
)
def test_a_disguised_program_is_refused_and_nothing_is_written(client, owner, make_solution, folder, data, filename):
    solution = make_solution(owner[1], owner[0])
    response = upload(client, solution.id, data, filename)
    assert response.status_code == 200
    assert f"“{filename}”的内容不是 PDF、PNG、JPEG 文件，不能上传" in page(response)
    assert attachments_of(solution.id) == [] and stored_files(folder) == []
    assert reload(solution.id).status == ListingStatus.PUBLISHED


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (PDF, "白皮书.png", "“白皮书.png”的内容是 PDF，文件名后缀应为 .pdf"),
        (PNG, "架构图.exe", "“架构图.exe”的内容是 PNG，文件名后缀应为 .png"),
        (b"", "空文件.pdf", "文件是空的，请重新选择。"),
    ],
)
def test_a_name_that_disagrees_with_the_content_or_an_empty_file_is_refused(
    client, owner, make_solution, folder, data, filename, message
):
    solution = make_solution(owner[1], owner[0])
    response = upload(client, solution.id, data, filename)
    assert response.status_code == 200 and message in page(response)
    assert attachments_of(solution.id) == [] and stored_files(folder) == []


def test_no_file_chosen(client, owner, make_solution, folder):
    solution = make_solution(owner[1], owner[0])
    response = client.post_form(f"/solutions/{solution.id}/attachments/new", {})
    assert response.status_code == 200 and "请选择要上传的文件。" in page(response)
    assert attachments_of(solution.id) == []


def test_a_file_over_10_mb_is_refused(client, owner, make_solution, folder):
    solution = make_solution(owner[1], owner[0], status=ListingStatus.DRAFT)
    response = upload(client, solution.id, PDF + b"0" * (MAX_ATTACHMENT_BYTES + 1 - len(PDF)), "大文件.pdf")
    assert response.status_code == 200 and "单个附件不能超过 10 MB。" in page(response)
    assert attachments_of(solution.id) == [] and stored_files(folder) == []
    exactly = upload(client, solution.id, PDF + b"0" * (MAX_ATTACHMENT_BYTES - len(PDF)), "刚好 10 MB.pdf")
    assert exactly.status_code == 302 and attachments_of(solution.id)[0].size_bytes == MAX_ATTACHMENT_BYTES
    assert "10 MB" in page(client.get(f"/solutions/{solution.id}"))


def test_the_sixth_file_is_refused(client, owner, make_solution, make_attachment, folder):
    solution = make_solution(owner[1], owner[0], status=ListingStatus.DRAFT)
    for number in range(4):
        make_attachment(solution, owner[0], filename=f"资料{number}.pdf")
    assert upload(client, solution.id, PNG, "第五个.png").status_code == 302
    assert 'data-test="attachments-full"' in page(client.get(f"/solutions/{solution.id}/attachments/new"))
    assert "上传附件</a>" not in page(client.get(f"/solutions/{solution.id}"))

    response = upload(client, solution.id, PNG, "第六个.png")
    assert response.status_code == 200 and "每个方案最多 5 个附件" in page(response)
    assert len(attachments_of(solution.id)) == 5 and len(stored_files(folder)) == 5


def test_uploading_to_a_published_solution_holds_only_the_file_for_review(client, owner, make_solution):
    solution = make_solution(owner[1], owner[0])
    assert "新上传的附件经平台审核通过后才对外公开" in page(client.get(f"/solutions/{solution.id}/attachments/new"))
    upload(client, solution.id, PDF, "白皮书.pdf")
    assert reload(solution.id).status == ListingStatus.PUBLISHED
    [attachment] = attachments_of(solution.id)
    assert attachment.pending is True
    html = page(client.get(f"/solutions/{solution.id}"))
    assert "附件已上传，平台审核通过后公开" in html and "方案已转入重新审核" not in html


def test_the_owner_downloads_a_draft_solutions_file_uncached(client, owner, make_solution, make_attachment):
    solution = make_solution(owner[1], owner[0], status=ListingStatus.DRAFT)
    attachment = make_attachment(solution, owner[0], data=PDF, filename="报价说明.pdf")
    response = client.get(f"/solutions/{solution.id}/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E8%AF%B4%E6%98%8E.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"


def test_only_those_who_may_see_a_draft_download_its_files(app, world, make_user):
    users, ids = world
    url = f"/solutions/{ids['draft_solution']}/attachments/{ids['draft_attachment']}"
    assert app.test_client().get(url).status_code == 404
    assert signed_in(app, users["other_member"]).get(url).status_code == 404
    assert signed_in(app, users["admin"]).get(url).data == PDF


def test_the_public_downloads_a_published_solutions_files(app, world):
    _users, ids = world
    response = app.test_client().get(f"/solutions/{ids['solution']}/attachments/{ids['attachment']}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" not in response.headers.get("Cache-Control", "")
    html = page(app.test_client().get(f"/solutions/{ids['solution']}"))
    assert f"/solutions/{ids['solution']}/attachments/{ids['attachment']}" in html and "方案白皮书.pdf" in html
    assert "/delete" not in html and "上传附件" not in html


def test_a_file_is_reached_only_through_its_own_solution(app, world):
    """A published solution's address does not open a draft's file by its id."""
    users, ids = world
    url = f"/solutions/{ids['solution']}/attachments/{ids['draft_attachment']}"
    assert app.test_client().get(url).status_code == 404
    assert signed_in(app, users["other_member"]).get(url).status_code == 404


def test_the_owner_deletes_a_file_and_it_is_gone_from_the_disk(client, owner, make_solution, make_attachment, folder):
    solution = make_solution(owner[1], owner[0])
    kept = make_attachment(solution, owner[0], filename="保留.pdf")
    deleted = make_attachment(solution, owner[0], data=PNG, filename="删除.png")
    deleted_id, deleted_name, kept_name = deleted.id, deleted.stored_name, kept.stored_name
    html = page(client.get(f"/solutions/{solution.id}"))
    assert 'data-confirm="确定删除附件“删除.png”吗？"' in html

    response = client.post_form(f"/solutions/{solution.id}/attachments/{deleted_id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("#attachments")
    assert [a.original_name for a in attachments_of(solution.id)] == ["保留.pdf"]
    assert stored_files(folder) == [kept_name] and deleted_name != kept_name
    assert reload(solution.id).status == ListingStatus.PUBLISHED  # deleting needs no review
    assert client.get(f"/solutions/{solution.id}/attachments/{deleted_id}").status_code == 404


def test_another_organization_cannot_upload_or_delete(
    app, owner, make_user, make_org, make_solution, make_attachment, folder
):
    solution = make_solution(owner[1], owner[0])
    attachment = make_attachment(solution, owner[0])
    rival = make_user("rival@example.com")
    make_org(owner=rival, kind=OrgKind.PROVIDER)
    client = signed_in(app, rival)
    assert client.get(f"/solutions/{solution.id}/attachments/new").status_code == 403
    assert upload(client, solution.id, PDF, "冒充.pdf").status_code == 403
    assert client.post_form(f"/solutions/{solution.id}/attachments/{attachment.id}/delete").status_code == 403
    assert [a.id for a in attachments_of(solution.id)] == [attachment.id]
    assert len(stored_files(folder)) == 1


def test_a_closed_solutions_files_are_frozen(client, owner, make_solution, make_attachment, folder):
    solution = make_solution(owner[1], owner[0], status=ListingStatus.CLOSED)
    attachment = make_attachment(solution, owner[0])
    assert upload(client, solution.id, PDF, "新.pdf").status_code == 302
    assert client.post_form(f"/solutions/{solution.id}/attachments/{attachment.id}/delete").status_code == 302
    assert [a.id for a in attachments_of(solution.id)] == [attachment.id] and len(stored_files(folder)) == 1
    assert client.get(f"/solutions/{solution.id}/attachments/{attachment.id}").status_code == 200


def test_a_missing_file_is_not_found(client, owner, make_solution, make_attachment, folder):
    solution = make_solution(owner[1], owner[0])
    attachment = make_attachment(solution, owner[0])
    (folder / attachment.stored_name).unlink()
    assert client.get(f"/solutions/{solution.id}/attachments/{attachment.id}").status_code == 404
