import json

from app.accounts.models import Organization, SiteRole
from app.catalog.services import load_taxonomy
from app.core.audit import AuditEntry
from app.extensions import db
from app.taxonomy.models import District, Industry, ScenarioCategory, ScenarioSubcategory, TechDomain
from tests.conftest import ROOT

SEED = json.loads((ROOT / "seeds" / "taxonomy.json").read_text(encoding="utf-8"))


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


def by_code(model, code):
    return db.session.scalar(db.select(model).where(model.code == code))


def test_seed_holds_the_atlas_of_the_plan(app):
    assert (count(Industry), count(TechDomain), count(ScenarioCategory), count(ScenarioSubcategory)) == (8, 9, 12, 63)
    assert count(District) == len(SEED["districts"])
    new_modes = db.session.scalars(db.select(TechDomain.name).where(TechDomain.new_mode.is_(True))).all()
    assert set(new_modes) == {"数字化管理", "平台化设计", "智能化制造", "网络化协同", "个性化定制", "服务化延伸"}
    assert by_code(ScenarioSubcategory, "C04-2").category.code == "C04"


def test_loading_twice_changes_nothing(app):
    changed = load_taxonomy(SEED)
    db.session.commit()
    assert set(changed.values()) == {0}
    assert count(ScenarioSubcategory) == 63


def test_loading_updates_by_code_unless_names_are_kept(app):
    entry = by_code(Industry, "EQP")
    entry.name = "高端装备"
    db.session.commit()
    assert load_taxonomy(SEED, update_existing=False)["industries"] == 0
    assert by_code(Industry, "EQP").name == "高端装备"
    assert load_taxonomy(SEED)["industries"] == 1
    assert by_code(Industry, "EQP").name == "装备制造"


def admin_client(client, make_user, login):
    login(make_user(role=SiteRole.ADMIN))
    return client


def test_admin_adds_an_entry_at_the_end(client, make_user, login):
    admin_client(client, make_user, login)
    response = client.post_form(
        "/admin/taxonomy/industries/new", {"code": "BIO", "name": "生物医药", "name_en": "Biomedicine"}
    )
    assert response.status_code == 302
    entry = by_code(Industry, "BIO")
    assert entry.name == "生物医药" and entry.position == 9
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "taxonomy.add")).target_id == entry.id


def test_a_duplicate_or_malformed_code_is_refused(client, make_user, login):
    admin_client(client, make_user, login)
    response = client.post_form("/admin/taxonomy/industries/new", {"code": "EQP", "name": "重复"})
    assert "该代码已存在" in response.get_data(as_text=True)
    response = client.post_form("/admin/taxonomy/industries/new", {"code": "两个字", "name": "坏代码"})
    assert "代码只能包含字母、数字" in response.get_data(as_text=True)
    assert count(Industry) == 8


def test_renaming_keeps_the_code_and_is_audited(client, make_user, login):
    admin_client(client, make_user, login)
    entry = by_code(TechDomain, "5G")
    response = client.post_form(
        f"/admin/taxonomy/domains/{entry.id}/edit",
        {"code": "FIVEG", "name": "5G+工业互联网", "name_en": "5G", "new_mode": "y"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    entry = db.session.get(TechDomain, entry.id)
    assert (entry.code, entry.name, entry.new_mode) == ("5G", "5G+工业互联网", True)
    audit = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "taxonomy.update"))
    assert audit.before["name"] == "5G融合应用" and audit.after["name"] == "5G+工业互联网"


def test_reordering_moves_an_entry_among_its_siblings(client, make_user, login):
    admin_client(client, make_user, login)
    second = by_code(ScenarioSubcategory, "C04-2")
    client.post_form(f"/admin/taxonomy/subcategories/{second.id}/move", {"direction": "up"})
    db.session.expire_all()
    codes = db.session.scalars(
        db.select(ScenarioSubcategory.code)
        .where(ScenarioSubcategory.category_id == second.category_id)
        .order_by(ScenarioSubcategory.position)
    ).all()
    assert codes[:2] == ["C04-2", "C04-1"]
    first = by_code(Industry, "RAW")
    client.post_form(f"/admin/taxonomy/industries/{first.id}/move", {"direction": "up"})
    db.session.expire_all()
    assert db.session.get(Industry, first.id).position == 1


def test_a_deactivated_entry_stays_on_records_but_not_in_new_choices(client, make_user, make_org, login):
    org = make_org()
    district = org.district
    admin_client(client, make_user, login)
    client.post_form(f"/admin/taxonomy/districts/{district.id}/active", {"active": "0"})
    db.session.expire_all()
    assert db.session.get(District, district.id).is_active is False
    assert db.session.get(Organization, org.id).district_id == district.id
    assert district.name in client.get(f"/orgs/{org.id}").get_data(as_text=True)
    client.post_form("/logout")
    newcomer = make_user()
    login(newcomer)
    assert district.name not in client.get("/orgs/new").get_data(as_text=True)
    client.post_form("/logout")
    login(org.owner)
    edit_page = client.get(f"/orgs/{org.id}/edit").get_data(as_text=True)
    assert f"{district.name}（已停用）" in edit_page


def test_scenario_factory_links_the_taxonomy(make_scenario, make_batch):
    scenario = make_scenario(domains=("IM", "5G"), batch=make_batch())
    assert scenario.subcategory.category == scenario.category
    assert [d.code for d in scenario.domains] == ["IM", "5G"]
    assert scenario.is_public and scenario.batch.name == "2022年第一批"
