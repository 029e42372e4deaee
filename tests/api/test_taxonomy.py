"""GET /api/v1/taxonomy: every entry in position order, with deactivated ones marked."""

import json

from app.extensions import db
from app.taxonomy.models import Industry, ScenarioSubcategory, TechDomain
from tests.conftest import ROOT

SEED = json.loads((ROOT / "seeds" / "taxonomy.json").read_text(encoding="utf-8"))
ENTRY_KEYS = {"code", "name", "name_en", "active"}


def taxonomy(client) -> dict:
    response = client.get("/api/v1/taxonomy")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    return response.get_json()


def test_taxonomy_lists_every_entry_in_order(client):
    body = taxonomy(client)
    assert set(body) == {"industries", "tech_domains", "categories", "districts", "batches"}
    assert [e["code"] for e in body["industries"]] == [e["code"] for e in SEED["industries"]]
    assert [e["code"] for e in body["tech_domains"]] == [e["code"] for e in SEED["tech_domains"]]
    assert [e["code"] for e in body["categories"]] == [e["code"] for e in SEED["categories"]]
    assert [e["code"] for e in body["districts"]] == [e["code"] for e in SEED["districts"]]
    assert (len(body["industries"]), len(body["tech_domains"]), len(body["categories"])) == (8, 9, 12)
    assert sum(len(c["subcategories"]) for c in body["categories"]) == 63
    for seeded, category in zip(SEED["categories"], body["categories"], strict=True):
        assert [s["code"] for s in category["subcategories"]] == [s["code"] for s in seeded["subcategories"]]


def test_entry_shapes(client):
    body = taxonomy(client)
    assert body["industries"][0] == {
        "code": "RAW",
        "name": "原材料",
        "active": True,
        "name_en": "Raw materials (chemicals, rubber, steel)",
    }
    for kind in ("industries", "districts"):
        assert all(set(e) == ENTRY_KEYS for e in body[kind])
    assert all(set(e) == ENTRY_KEYS | {"new_mode"} for e in body["tech_domains"])
    assert sum(e["new_mode"] for e in body["tech_domains"]) == 6  # 六化
    for category in body["categories"]:
        assert set(category) == ENTRY_KEYS | {"subcategories"}
        assert all(set(s) == ENTRY_KEYS for s in category["subcategories"])


def test_deactivated_entries_stay_listed_as_inactive(client):
    db.session.scalar(db.select(Industry).where(Industry.code == "TEX")).is_active = False
    db.session.scalar(db.select(ScenarioSubcategory).where(ScenarioSubcategory.code == "C04-2")).is_active = False
    db.session.commit()
    body = taxonomy(client)
    assert {e["code"]: e["active"] for e in body["industries"]}["TEX"] is False
    sub = {s["code"]: s for c in body["categories"] for s in c["subcategories"]}
    assert sub["C04-2"]["active"] is False and sub["C04-1"]["active"] is True


def test_order_follows_positions(client):
    domain = db.session.scalar(db.select(TechDomain).where(TechDomain.code == "DM"))
    domain.position = 99
    db.session.commit()
    assert taxonomy(client)["tech_domains"][-1]["code"] == "DM"


def test_batches_are_the_released_ones(client, catalogue):
    batches = taxonomy(client)["batches"]
    assert batches == [
        {"id": catalogue["batches"]["first"], "name": "2022年第一批", "year": 2022, "status": "published"},
        {"id": catalogue["batches"]["second"], "name": "2023年第一批", "year": 2023, "status": "published"},
    ]
