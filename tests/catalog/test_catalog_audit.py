"""The scenario batches and the taxonomy are changed by services that audit each step (batches
created, imported into, published, withdrawn; entries added, edited, moved, switched on and off),
and a batch in the wrong state refuses a step with a message."""

import io
import re

import pytest
from sqlalchemy import func, select

from app.accounts.models import SiteRole
from app.catalog import batches
from app.catalog.importing import apply_import, parse_scenarios
from app.catalog.models import BatchStatus, Scenario, ScenarioBatch
from app.core.audit import AuditEntry
from app.core.domain_error import DomainError
from app.extensions import db
from app.taxonomy.models import Industry
from tests.catalog.test_import import csv_file, row


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def admin(make_user):
    return make_user("catalog-admin@example.com", role=SiteRole.ADMIN)


def test_an_import_into_a_batch_is_audited_by_its_service(app, admin):
    batch = batches.create_batch("2024年第一批", 2024, by=admin)
    counts = apply_import(parse_scenarios(csv_file([row(), row(code="QD-2022-0002")]), "a.csv"), batch, by=admin)
    db.session.commit()
    (entry,) = _entries("scenario_batch.import")
    assert (entry.actor_id, entry.target_type, entry.target_id) == (admin.id, "ScenarioBatch", batch.id)
    assert entry.after == counts and counts["added"] == 2


def test_a_batch_in_the_wrong_state_refuses_with_a_message(app, admin, make_batch):
    published = make_batch("2024年第一批", 2024, BatchStatus.PUBLISHED)
    with pytest.raises(DomainError, match="只有草稿批次可以发布"):
        batches.publish_batch(published, by=admin)
    with pytest.raises(DomainError, match="只能向草稿批次导入"):
        batches.importable(published)
    draft = make_batch("2024年第二批", 2024, BatchStatus.DRAFT)
    with pytest.raises(DomainError, match="只有已发布的批次可以撤回"):
        batches.withdraw_batch(draft, by=admin)
    assert batches.importable(draft) is draft


def test_each_step_of_a_batch_through_the_pages_is_audited(client, login, admin):
    login(admin)
    client.post_form("/admin/scenarios/", {"name": "2024年第一批", "year": "2024", "notes": ""})
    batch = db.session.scalars(select(ScenarioBatch)).one()
    data = {"file": (io.BytesIO(csv_file([row()])), "list.csv")}
    preview = _text(
        client.post_form(f"/admin/scenarios/batches/{batch.id}/import", data, content_type="multipart/form-data")
    )
    token = re.search(r'name="token" value="([^"]+)"', preview).group(1)
    applied = _text(
        client.post_form(f"/admin/scenarios/batches/{batch.id}/import/apply", {"token": token}, follow_redirects=True)
    )
    assert "已导入：新增 1 个，变更 0 个，未变 0 个。" in applied
    published = _text(client.post_form(f"/admin/scenarios/batches/{batch.id}/publish", follow_redirects=True))
    assert "“2024年第一批”已发布，1 个场景已公开。" in published
    withdrawn = _text(client.post_form(f"/admin/scenarios/batches/{batch.id}/withdraw", follow_redirects=True))
    assert "“2024年第一批”已撤回，1 个场景不再公开。" in withdrawn
    for step in ("create", "import", "publish", "withdraw"):
        (entry,) = _entries(f"scenario_batch.{step}")
        assert (entry.actor_id, entry.target_id) == (admin.id, batch.id)


def test_publishing_twice_or_importing_into_a_published_batch_is_refused(client, login, admin, make_batch):
    batch = make_batch("2024年第一批", 2024, BatchStatus.PUBLISHED)
    login(admin)
    again = client.post_form(f"/admin/scenarios/batches/{batch.id}/publish", follow_redirects=True)
    assert again.status_code == 200 and "只有草稿批次可以发布。" in _text(again) and "alert-danger" in _text(again)
    data = {"file": (io.BytesIO(csv_file([row()])), "list.csv")}
    response = client.post_form(f"/admin/scenarios/batches/{batch.id}/import", data, content_type="multipart/form-data")
    assert response.headers["Location"].endswith(f"/admin/scenarios/batches/{batch.id}")
    assert "只能向草稿批次导入。" in _text(client.get(response.headers["Location"]))
    assert db.session.scalar(select(func.count(Scenario.id))) == 0
    assert _entries("scenario_batch.publish") == []


def test_taxonomy_changes_through_the_pages_are_audited(client, login, admin):
    login(admin)
    entry = db.session.scalar(select(Industry).where(Industry.code == "EQP"))
    edited = client.post_form(
        f"/admin/taxonomy/industries/{entry.id}/edit",
        {"name": "高端装备", "name_en": "High-end equipment"},
        follow_redirects=True,
    )
    assert "已保存“高端装备”。" in _text(edited)
    client.post_form(f"/admin/taxonomy/industries/{entry.id}/move", {"direction": "down"})
    off = client.post_form(f"/admin/taxonomy/industries/{entry.id}/active", {"active": "0"}, follow_redirects=True)
    assert "已停用“高端装备”" in _text(off)
    for action in ("taxonomy.update", "taxonomy.move", "taxonomy.deactivate"):
        (audited,) = _entries(action)
        assert (audited.actor_id, audited.target_id) == (admin.id, entry.id)
    db.session.expire_all()
    assert not db.session.get(Industry, entry.id).is_active
