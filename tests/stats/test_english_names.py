"""English names of the plan, its indicators (with their units) and the enablement kinds: on the
statistics pages, in the report workbook, on the admin forms, and filled in by the seeds."""

import io
import json
import re

import pytest
from openpyxl import load_workbook

from app.accounts.models import SiteRole
from app.extensions import db
from app.stats.models import EnablementKind, Indicator, Plan
from app.taxonomy.models import District
from tests.conftest import ROOT
from tests.stats.conftest import district

CJK = re.compile(r"[\u4e00-\u9fff]")
SEEDED = json.loads((ROOT / "seeds" / "plan_targets.json").read_text(encoding="utf-8"))


def indicator(code: str) -> Indicator:
    return db.session.scalar(db.select(Indicator).where(Indicator.code == code))


def kind(code: str) -> EnablementKind:
    return db.session.scalar(db.select(EnablementKind).where(EnablementKind.code == code))


@pytest.fixture
def admin(make_user, login):
    user = make_user("english-names-admin@example.com", role=SiteRole.ADMIN)
    login(user)
    return user


def test_every_seeded_indicator_has_an_english_name_and_unit(app):
    for item in SEEDED["indicators"]:
        found = indicator(item["code"])
        assert found.name_en and not CJK.search(found.name_en), item["code"]
        assert found.unit_en and not CJK.search(found.unit_en), item["code"]
    assert SEEDED["plan"]["en"] and all(
        not CJK.search(k.name_en) for k in db.session.scalars(db.select(EnablementKind))
    )


def test_the_public_figures_in_english_name_indicators_units_districts_and_kinds(client, ledger):
    client.set_cookie("lang", "en")
    body = client.get("/stats/public").get_data(as_text=True)
    scenarios = indicator("scenarios_published")
    assert scenarios.name_en in body and scenarios.name not in body
    assert f"{scenarios.unit_en}" in body and "个" not in body
    assert district("LS").name_en in body and district("LS").name not in body
    plan = db.session.scalar(db.select(Plan))
    assert plan.name_en in body and plan.name not in body


def test_the_admin_dashboard_in_english_names_the_kinds(client, admin, ledger):
    client.set_cookie("lang", "en")
    body = client.get("/stats/").get_data(as_text=True)
    assert kind("diagnosis").name_en in body or kind("deal").name_en in body
    assert kind("deal").name not in body and district("JM").name not in body


def test_the_chinese_page_is_unchanged(client, ledger):
    body = client.get("/stats/public").get_data(as_text=True)
    scenarios = indicator("scenarios_published")
    assert scenarios.name in body and scenarios.name_en not in body
    assert district("LS").name in body and district("LS").name_en not in body


def test_an_indicator_without_an_english_name_shows_its_chinese_one(client, ledger):
    scenarios = indicator("scenarios_published")
    scenarios.name_en = scenarios.unit_en = ""
    db.session.commit()
    client.set_cookie("lang", "en")
    body = client.get("/stats/public").get_data(as_text=True)
    assert scenarios.name in body


def test_the_report_workbook_in_english(client, admin, ledger):
    client.set_cookie("lang", "en")
    book = load_workbook(io.BytesIO(client.get("/stats/report.xlsx").data))
    sheets = {sheet.title: list(sheet.iter_rows(min_row=2, values_only=True)) for sheet in book}
    enablements = indicator("enablements")
    rows = {row[0]: row for rows in sheets.values() for row in rows}
    assert rows[enablements.name_en][2] == enablements.unit_en
    assert rows[district("LS").name_en][1] == 4
    assert not any(
        isinstance(cell, str) and CJK.search(cell)
        for rows in sheets.values()
        for row in rows
        for cell in row
        if cell not in ("企业A", "服务商P", "服务商Q")
    )


def test_an_admin_edits_the_english_name_and_unit_on_the_indicator_form(client, admin):
    item = indicator("pilot_projects")
    response = client.post_form(
        f"/stats/indicators/{item.id}",
        {
            "name": item.name,
            "name_en": "Pilot projects of new modes",
            "unit": item.unit,
            "unit_en": "pilots",
            "target": "300",
            "note": item.note,
        },
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert (item.name_en, item.unit_en) == ("Pilot projects of new modes", "pilots")
    client.set_cookie("lang", "en")
    assert "Pilot projects of new modes" in client.get("/stats/public").get_data(as_text=True)


def test_a_too_long_english_name_is_refused_in_chinese(client, admin):
    item = indicator("pilot_projects")
    before = item.name_en
    response = client.post_form(
        f"/stats/indicators/{item.id}",
        {"name": item.name, "name_en": "x" * 201, "unit": item.unit, "unit_en": "", "target": "300", "note": ""},
    )
    assert response.status_code == 200 and "不超过 200 个字符。" in response.get_data(as_text=True)
    db.session.refresh(item)
    assert item.name_en == before


def test_an_admin_names_the_plan_in_english(client, admin):
    plan = db.session.scalar(db.select(Plan))
    response = client.post_form(
        f"/stats/plans/{plan.id}/edit",
        {
            "plan-name": plan.name,
            "plan-name_en": "Three-year plan",
            "plan-starts_on": plan.starts_on.isoformat(),
            "plan-ends_on": plan.ends_on.isoformat(),
        },
    )
    assert response.status_code == 302
    db.session.refresh(plan)
    assert plan.name_en == "Three-year plan"


def test_seeding_with_keep_fills_empty_english_names_and_keeps_admins_ones(app):
    emptied, edited = indicator("gazelles"), indicator("eaglets")
    emptied.name_en = emptied.unit_en = ""
    edited.name_en, edited.name = "Eaglets (admin's wording)", "雏鹰企业（管理员改）"
    kind("training").name_en = ""
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["seed", "plan", "--keep"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    seeded = {item["code"]: item for item in SEEDED["indicators"]}
    assert (indicator("gazelles").name_en, indicator("gazelles").unit_en) == (
        seeded["gazelles"]["en"],
        seeded["gazelles"]["unit_en"],
    )
    assert (indicator("eaglets").name_en, indicator("eaglets").name) == (
        "Eaglets (admin's wording)",
        "雏鹰企业（管理员改）",
    )
    assert kind("training").name_en


def test_seeding_taxonomy_with_keep_names_fills_empty_english_names(app):
    shinan = db.session.scalar(db.select(District).where(District.code == "SN"))
    shinan.name_en, shinan.name = "", "市南（改）"
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["seed", "taxonomy", "--keep-names"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert shinan.name_en == "Shinan District" and shinan.name == "市南（改）"
