"""A file added to a published solution waits for an admin on its own: the solution stays public,
the file is shown and served only to its organization and the admins until approved, and a
rejected file is deleted with its stored copy."""

from pathlib import Path

import pytest

from app.accounts.models import OrgKind, SiteRole
from app.core.audit import AuditEntry
from app.extensions import db
from app.listings.moderation import ListingStatus
from app.solutions.models import SolutionAttachment
from app.solutions.services import ATTACHMENTS
from tests.conftest import PDF
from tests.solutions.test_attachments import attachments_of, page, reload, signed_in, stored_files, upload


@pytest.fixture
def provider(make_user, make_org, login):
    user = make_user("provider@example.com")
    org = make_org(owner=user, name="青岛能效科技有限公司", kind=OrgKind.PROVIDER)
    login(user)
    return user, org


@pytest.fixture
def folder(app) -> Path:
    return Path(app.config["STORED_FILES_DIR"]) / ATTACHMENTS


@pytest.fixture
def admin(app, make_user):
    return signed_in(app, make_user("office@example.com", role=SiteRole.ADMIN))


@pytest.fixture
def rival(app, make_user, make_org):
    user = make_user("rival@example.com")
    make_org(owner=user, kind=OrgKind.PROVIDER)
    return signed_in(app, user)


def uploaded_to_published(client, provider, make_solution) -> tuple[int, SolutionAttachment]:
    solution = make_solution(provider[1], provider[0])
    response = upload(client, solution.id, PDF, "新版白皮书.pdf")
    assert response.status_code == 302
    [attachment] = attachments_of(solution.id)
    return solution.id, attachment


def file_url(solution_id: int, attachment: SolutionAttachment) -> str:
    return f"/solutions/{solution_id}/attachments/{attachment.id}"


def audit_actions(solution_id: int) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.target_type == "Solution", AuditEntry.target_id == solution_id)
        )
    )


def test_uploading_to_a_published_solution_keeps_it_public(app, client, provider, make_solution):
    solution_id, attachment = uploaded_to_published(client, provider, make_solution)
    assert reload(solution_id).status == ListingStatus.PUBLISHED
    assert attachment.pending is True
    assert "附件已上传，平台审核通过后公开" in page(client.get(f"/solutions/{solution_id}"))
    public = app.test_client().get(f"/solutions/{solution_id}")
    assert public.status_code == 200 and reload(solution_id).title in page(public)


def test_a_pending_file_is_neither_listed_nor_served_to_others(app, client, provider, make_solution, rival, admin):
    solution_id, attachment = uploaded_to_published(client, provider, make_solution)
    url = file_url(solution_id, attachment)
    for visitor in (app.test_client(), rival):
        assert "新版白皮书.pdf" not in page(visitor.get(f"/solutions/{solution_id}"))
        assert visitor.get(url).status_code == 404

    owner_view = page(client.get(f"/solutions/{solution_id}"))
    assert "新版白皮书.pdf" in owner_view and 'data-test="attachment-pending"' in owner_view
    assert "待审核" in owner_view
    download = client.get(url)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Cache-Control"] == "private, no-store"
    assert admin.get(url).data == PDF


def test_the_admin_approves_the_file_and_the_public_downloads_it(app, client, provider, make_solution, admin):
    solution_id, attachment = uploaded_to_published(client, provider, make_solution)
    queue = page(admin.get("/admin/moderation/attachments"))
    assert "新版白皮书.pdf" in queue and reload(solution_id).title in queue

    response = admin.post_form(f"/admin/moderation/attachments/{attachment.id}/approve")
    assert response.status_code == 302
    assert attachments_of(solution_id)[0].pending is False
    [entry] = audit_actions(solution_id)
    assert entry.action == "solutions.attachment_approve" and entry.after["attachment"] == "新版白皮书.pdf"

    anonymous = app.test_client()
    assert "新版白皮书.pdf" in page(anonymous.get(f"/solutions/{solution_id}"))
    download = anonymous.get(file_url(solution_id, attachment))
    assert download.status_code == 200 and download.data == PDF
    assert "no-store" not in download.headers.get("Cache-Control", "")
    assert 'data-test="attachment-queue"' not in page(admin.get("/admin/moderation/attachments"))
    assert 'data-test="attachment-pending"' not in page(client.get(f"/solutions/{solution_id}"))


def test_the_admin_rejects_the_file_and_it_is_deleted(app, client, provider, make_solution, admin, folder):
    solution_id, attachment = uploaded_to_published(client, provider, make_solution)
    assert stored_files(folder) == [attachment.stored_name]
    url = file_url(solution_id, attachment)

    refused = admin.post_form(f"/admin/moderation/attachments/{attachment.id}/reject", {"reason": ""})
    assert refused.status_code == 302 and attachments_of(solution_id) != []

    response = admin.post_form(f"/admin/moderation/attachments/{attachment.id}/reject", {"reason": "含有报价单"})
    assert response.status_code == 302
    assert attachments_of(solution_id) == [] and stored_files(folder) == []
    [entry] = audit_actions(solution_id)
    assert entry.action == "solutions.attachment_reject" and entry.after["reason"] == "含有报价单"
    assert reload(solution_id).status == ListingStatus.PUBLISHED
    assert app.test_client().get(url).status_code == 404
    assert client.get(url).status_code == 404


def test_only_admins_decide_on_a_pending_file(client, provider, make_solution, rival):
    solution_id, attachment = uploaded_to_published(client, provider, make_solution)
    assert client.post_form(f"/admin/moderation/attachments/{attachment.id}/approve").status_code == 403
    assert rival.post_form(f"/admin/moderation/attachments/{attachment.id}/reject", {"reason": "x"}).status_code == 403
    assert attachments_of(solution_id)[0].pending is True


def test_a_draft_or_a_solution_under_review_takes_files_as_before(client, provider, make_solution, admin):
    for status in (ListingStatus.DRAFT, ListingStatus.SUBMITTED):
        solution = make_solution(provider[1], provider[0], status=status)
        assert upload(client, solution.id, PDF, f"{status.value}.pdf").status_code == 302
        [attachment] = attachments_of(solution.id)
        assert attachment.pending is False and reload(solution.id).status == status
        assert f"{status.value}.pdf" not in page(admin.get("/admin/moderation/attachments"))
