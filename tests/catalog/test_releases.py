"""Releases of the scenario list: a batch page shows each changed field's old and new value, and
any two releases can be compared at /scenarios/batches/compare."""

import json
import re
from datetime import datetime

import pytest
from flask_migrate import upgrade
from lxml import html as lxml_html
from sqlalchemy import select, text

from app import create_app
from app.accounts.models import SiteRole
from app.catalog import batches
from app.catalog.importing import apply_import, parse_scenarios
from app.catalog.models import BatchStatus, Scenario, ScenarioBatch, ScenarioRevision
from app.catalog.services import load_taxonomy
from app.extensions import db
from app.taxonomy.models import Industry, ScenarioCategory, ScenarioSubcategory
from tests.catalog.test_import import csv_file, row
from tests.conftest import ROOT, taxonomy_entry

LONG = "采集注塑机振动与温度数据，按设备状态安排检修计划，减少非计划停机时间。" * 3


def release(name: str, rows: list, publish: bool = True):
    batch = batches.create_batch(name, int(name[:4]))
    apply_import(parse_scenarios(csv_file(rows), "list.csv"), batch)
    if publish:
        batches.publish_batch(batch)
    db.session.commit()
    return batch


def texts(page: str, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in lxml_html.fromstring(page).xpath(xpath)]


def test_batch_page_shows_old_and_new_value_of_each_changed_field(client):
    release("2022年第一批", [row(), row(code="QD-2022-0002", title="质量追溯")])
    second = release(
        "2023年第一批",
        [
            row(title="注塑车间设备预测性维护（二期）", category="C02", subcategory="C02-5"),
            row(code="QD-2022-0002", title="质量追溯"),
        ],
    )
    page = client.get(f"/scenarios/batches/{second.id}").get_data(as_text=True)
    changes = texts(page, "//*[@data-test='batch-changes']//div[@class='field-change']")
    old_category, new_category = (taxonomy_entry(ScenarioCategory, code).name for code in ("C04", "C02"))
    assert len(changes) == 3  # title, category, sub-category; the unchanged scenario is not listed
    title, category = changes[0], changes[1]
    assert title.startswith("场景名称") and "原 注塑车间设备预测性维护" in title
    assert "新 注塑车间设备预测性维护加入：（二期）" in title  # the part put in is marked, not by colour alone
    assert category == f"场景大类 原 删去：{old_category} 新 加入：{new_category}"  # names, not codes
    inserted = texts(page, "//*[@data-test='batch-changes']//ins")
    assert "加入：（二期）" in inserted and f"加入：{new_category}" in inserted
    assert "QD-2022-0002" not in " ".join(texts(page, "//*[@data-test='batch-changes']"))


def test_a_long_text_shows_only_the_changed_part_with_context(client):
    release("2022年第一批", [row(description=LONG)])
    changed = LONG.replace("减少非计划停机时间", "把非计划停机减半", 1)
    second = release("2023年第一批", [row(description=changed)])
    page = client.get(f"/scenarios/batches/{second.id}").get_data(as_text=True)
    old = texts(page, "//*[@class='field-change-old']")[0]
    new = texts(page, "//*[@class='field-change-new']")[0]
    assert "…" in old and "…" in new and len(new) < len(changed)
    deleted = [t.removeprefix("删去：") for t in texts(page, "//del")]
    inserted = [t.removeprefix("加入：") for t in texts(page, "//ins")]
    assert deleted and all(t in "减少非计划停机时间" for t in deleted)
    assert inserted and all(t in "把非计划停机减半" for t in inserted)


def test_field_names_and_taxonomy_follow_the_language(client):
    release("2022年第一批", [row()])
    second = release("2023年第一批", [row(category="C02", subcategory="C02-5")])
    client.set_cookie("lang", "en")
    page = client.get(f"/scenarios/batches/{second.id}").get_data(as_text=True)
    category = taxonomy_entry(ScenarioCategory, "C02")
    assert category.name_en and category.name_en in page and category.name not in page


def test_a_revision_without_recorded_old_values_says_so(client):
    release("2022年第一批", [row()])
    second = release("2023年第一批", [row(title="新名称")])
    db.session.execute(db.update(ScenarioRevision).where(ScenarioRevision.batch_id == second.id).values(previous=None))
    db.session.commit()
    page = client.get(f"/scenarios/batches/{second.id}").get_data(as_text=True)
    assert "本批次未记录原内容" in page and "新名称" in page


@pytest.fixture
def three_releases(app):
    """2022: A and B. 2023: A renamed, C added. Then 2022 is withdrawn (B, which it last published,
    leaves the list) and 2024 adds D."""
    first = release("2022年第一批", [row(code="A"), row(code="B", title="质量追溯")])
    second = release("2023年第一批", [row(code="A", title="改名后的场景"), row(code="C", title="能耗监测")])
    batches.withdraw_batch(first)
    db.session.commit()
    third = release("2024年第一批", [row(code="D", title="仓储物流")])
    return first, second, third


def compared(page: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in lxml_html.fromstring(page).xpath("//*[@data-test='compare-results']/li"):
        found.setdefault(item.get("data-change"), []).append(
            item.xpath(".//span[@class='font-monospace text-muted']")[0].text
        )
    return found


def test_compare_lists_added_removed_and_changed_scenarios(client, three_releases):
    first, _second, third = three_releases
    response = client.get(f"/scenarios/batches/compare?from={first.id}&to={third.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert compared(page) == {"added": ["C", "D"], "removed": ["B"], "changed": ["A"]}
    assert "改名后的场景" in " ".join(texts(page, "//*[@class='field-change-new']"))
    # the order of the two ids does not matter: the older release is the old side
    reverse = client.get(f"/scenarios/batches/compare?from={third.id}&to={first.id}").get_data(as_text=True)
    assert compared(reverse) == compared(page)
    only_added = client.get(f"/scenarios/batches/compare?from={first.id}&to={third.id}&change=added")
    assert compared(only_added.get_data(as_text=True)) == {"added": ["C", "D"]}


def test_compare_offers_every_release_in_select_boxes(client, three_releases):
    page = client.get("/scenarios/batches/compare").get_data(as_text=True)
    names = [b.name for b in three_releases]
    assert texts(page, "//select[@name='from']/option") == [names[0] + "（已撤回）", names[1], names[2]]
    assert texts(page, "//select[@name='to']/option[@selected]") == [names[2]]


def test_compare_is_paginated(client, make_user):
    rows = [row(code=f"QD-{n:03d}") for n in range(25)]
    first = release("2022年第一批", rows[:1])
    second = release("2023年第一批", rows)
    url = f"/scenarios/batches/compare?from={first.id}&to={second.id}"
    assert len(compared(client.get(url).get_data(as_text=True))["added"]) == 20
    assert compared(client.get(url + "&page=2").get_data(as_text=True)) == {
        "added": [f"QD-{n:03d}" for n in range(21, 25)]
    }


def test_identical_releases_show_an_empty_state(client):
    first = release("2022年第一批", [row()])
    second = release("2023年第一批", [row()])
    page = client.get(f"/scenarios/batches/compare?from={first.id}&to={second.id}").get_data(as_text=True)
    assert "两个批次发布的场景清单完全相同" in page and compared(page) == {}


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("from={a}&to=999999", 404, "找不到所选的发布批次"),
        ("from=abc&to={a}", 404, "找不到所选的发布批次"),
        ("from={a}&to={a}", 400, "请选择两个不同的批次"),
    ],
)
def test_compare_refuses_unknown_or_equal_ids_with_a_message(client, query, status, message):
    first = release("2022年第一批", [row()])
    release("2023年第一批", [row(title="新名称")])
    response = client.get("/scenarios/batches/compare?" + query.format(a=first.id))
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert compared(response.get_data(as_text=True)) == {}


def test_a_draft_is_compared_by_admins_only(client, login, make_user):
    first = release("2022年第一批", [row()])
    draft = release("2023年第一批", [row(title="草稿里的新名称")], publish=False)
    assert draft.status == BatchStatus.DRAFT
    url = f"/scenarios/batches/compare?from={first.id}&to={draft.id}"
    for user in (None, make_user(role=SiteRole.MEMBER)):
        if user is not None:
            login(user)
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 404 and "草稿里的新名称" not in page and draft.name not in page
        assert "草稿里的新名称" not in client.get("/scenarios/batches/compare").get_data(as_text=True)
        client.post_form("/logout")
    login(make_user(role=SiteRole.ADMIN))
    page = client.get(url).get_data(as_text=True)
    assert compared(page) == {"changed": ["QD-2022-0001"]} and "草稿里的新名称" in page


def test_the_admin_batch_page_leads_to_a_drafts_comparison(client, login, make_user):
    first = release("2022年第一批", [row()])
    draft = release("2023年第一批", [row(title="草稿里的新名称")], publish=False)
    login(make_user(role=SiteRole.ADMIN))
    page = client.get(f"/admin/scenarios/batches/{draft.id}").get_data(as_text=True)
    link = re.search(r'href="([^"]+)" data-test="compare-link"', page).group(1).replace("&amp;", "&")
    form = client.get(link).get_data(as_text=True)
    assert re.search(rf'<option value="{draft.id}" selected', form)  # the draft is chosen; the admin picks the other
    compared_page = client.get(f"{link}&from={first.id}")
    assert compared_page.status_code == 200 and "草稿里的新名称" in compared_page.get_data(as_text=True)


def test_the_migration_takes_old_values_from_the_previous_release(tmp_path):
    """Revisions written before old values were kept get, when changed, the snapshot of the scenario's
    revision in the release before theirs (and none without one)."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'releases.db'}"})
    with app.app_context():
        upgrade(revision="c3e7a1f09b42")
        load_taxonomy(json.loads((ROOT / "seeds" / "taxonomy.json").read_text(encoding="utf-8")))
        scenario, other = (make_scenario_row(code) for code in ("QD-1", "QD-2"))
        first, second = (
            ScenarioBatch(name=name, year=year, status=BatchStatus.PUBLISHED, published_at=datetime(year, 6, 1))
            for name, year in (("2022年第一批", 2022), ("2023年第一批", 2023))
        )
        db.session.add_all([first, second])
        db.session.commit()
        old, new = {"title": "旧名称"}, {"title": "新名称"}
        rows = [
            (first.id, scenario.id, "added", old),
            (second.id, scenario.id, "changed", new),
            (second.id, other.id, "changed", new),  # nothing released before: no old values to take
        ]
        for batch_id, scenario_id, change, snapshot in rows:
            db.session.execute(
                text(
                    "INSERT INTO scenario_revisions"
                    " (batch_id, scenario_id, change, snapshot, changed_fields, created_at)"
                    " VALUES (:b, :s, :c, :snap, :fields, CURRENT_TIMESTAMP)"
                ),
                {"b": batch_id, "s": scenario_id, "c": change, "snap": json.dumps(snapshot), "fields": '["title"]'},
            )
        db.session.commit()
        upgrade(revision="e4d2b7a91c05")
        previous = db.session.execute(
            text("SELECT batch_id, scenario_id, previous FROM scenario_revisions ORDER BY id")
        ).all()
        assert [(b, s, json.loads(p) if p else None) for b, s, p in previous] == [
            (first.id, scenario.id, None),
            (second.id, scenario.id, old),
            (second.id, other.id, None),
        ]
        db.session.remove()
        db.engine.dispose()


def make_scenario_row(code: str) -> Scenario:
    scenario = Scenario(
        code=code,
        title="注塑车间设备预测性维护",
        description="采集振动数据。",
        industry=db.session.scalar(select(Industry).where(Industry.code == "EQP")),
        category=db.session.scalar(select(ScenarioCategory).where(ScenarioCategory.code == "C04")),
        subcategory=db.session.scalar(select(ScenarioSubcategory).where(ScenarioSubcategory.code == "C04-2")),
    )
    db.session.add(scenario)
    db.session.commit()
    return scenario
