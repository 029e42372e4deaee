import csv
import io
import re

from openpyxl import load_workbook

from app.accounts.models import SiteRole
from app.catalog.models import BatchStatus, Scenario, ScenarioBatch, ScenarioStatus
from app.extensions import db
from tests.catalog.test_import import csv_file, row


def test_search_finds_highlights_and_counts_facets(client, make_batch, make_scenario):
    batch = make_batch()
    make_scenario(title="注塑车间设备预测性维护", industry="EQP", batch=batch)
    make_scenario(
        title="啤酒灌装线能耗监测",
        description="监测灌装线电耗。",
        industry="FOOD",
        domains=("DM",),
        category="C05",
        subcategory="C05-1",
        batch=batch,
    )
    make_scenario(title="未发布的预测性维护", status=ScenarioStatus.DRAFT)
    html = client.get("/scenarios/?q=预测性维护").get_data(as_text=True)
    assert "共 1 个场景" in html
    assert "<mark>" in html and "未发布的预测性维护" not in html
    html = client.get("/scenarios/").get_data(as_text=True)
    assert "共 2 个场景" in html
    assert re.search(r"装备制造</span><span class=\"text-muted\">1</span>", html)


def test_filters_live_in_the_query_string(client, make_batch, make_scenario):
    batch = make_batch()
    make_scenario(title="注塑机预测性维护", industry="EQP", batch=batch)
    make_scenario(title="轮胎硫化预测性维护", description="硫化机温度监测。", industry="RAW", batch=batch)
    html = client.get("/scenarios/?q=预测性维护&industry=RAW").get_data(as_text=True)
    assert "轮胎硫化" in html and "注塑机" not in html
    assert 'href="/scenarios/?q=%E9%A2%84%E6%B5%8B%E6%80%A7%E7%BB%B4%E6%8A%A4"' in html  # the chip removes the filter


def test_empty_result_suggests_what_to_try(client):
    html = client.get("/scenarios/?q=不存在的词语组合").get_data(as_text=True)
    assert "没有找到符合条件的场景" in html and "试试更短或更常见的词" in html


def test_bad_parameters_are_ignored_not_errors(client):
    assert client.get("/scenarios/?page=abc&sort=evil&industry=").status_code == 200


def test_scenario_page_shows_history_and_related(client, make_batch, make_scenario):
    batch = make_batch()
    main = make_scenario(title="注塑车间设备预测性维护", batch=batch)
    make_scenario(title="空压机预测性维护", batch=batch)
    html = client.get(f"/scenarios/{main.code}").get_data(as_text=True)
    assert "空压机预测性维护" in html and "2022年第一批" in html


def test_unpublished_scenarios_are_not_shown(client, make_scenario):
    draft = make_scenario(status=ScenarioStatus.DRAFT)
    assert client.get(f"/scenarios/{draft.code}").status_code == 404


def test_exports_neutralise_formula_cells(client, make_batch, make_scenario):
    batch = make_batch()
    make_scenario(title='=HYPERLINK("http://evil.example")', keywords="+cmd、@sum", batch=batch)
    body = client.get("/scenarios/export.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "场景编号" and rows[1][1].startswith("'=")
    sheet = load_workbook(io.BytesIO(client.get("/scenarios/export.xlsx").data)).active
    assert sheet["B2"].value.startswith("'=") and sheet["J2"].value.startswith("'+")


def test_admin_imports_previews_applies_and_publishes(client, make_user, login):
    login(make_user(role=SiteRole.ADMIN))
    response = client.post_form("/admin/scenarios/", {"name": "2024年第一批", "year": "2024", "notes": "首批"})
    batch = db.session.scalar(db.select(ScenarioBatch))
    assert response.headers["Location"].endswith(f"/admin/scenarios/batches/{batch.id}")
    data = {"file": (io.BytesIO(csv_file([row(), row(code="QD-2022-0002", title="焊装车间机器视觉检测")])), "list.csv")}
    preview = client.post_form(
        f"/admin/scenarios/batches/{batch.id}/import", data, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert 'data-test="count-added">2<' in preview
    token = re.search(r'name="token" value="([^"]+)"', preview).group(1)
    assert db.session.scalar(db.select(db.func.count(Scenario.id))) == 0  # a preview writes nothing
    client.post_form(f"/admin/scenarios/batches/{batch.id}/import/apply", {"token": token})
    assert db.session.scalar(db.select(db.func.count(Scenario.id))) == 2
    client.post_form(f"/admin/scenarios/batches/{batch.id}/publish")
    db.session.expire_all()
    assert db.session.get(ScenarioBatch, batch.id).status == BatchStatus.PUBLISHED
    html = client.get("/scenarios/?q=机器视觉").get_data(as_text=True)
    assert "共 1 个场景" in html and "焊装车间<mark>机器视觉" in html


def test_a_bad_file_shows_every_problem_and_offers_no_apply(client, make_user, login, make_batch):
    login(make_user(role=SiteRole.ADMIN))
    batch = make_batch("2024年第一批", 2024, BatchStatus.DRAFT)
    data = {"file": (io.BytesIO(csv_file([row(industry="航天"), row(code="QD-2", title="")])), "list.csv")}
    html = client.post_form(
        f"/admin/scenarios/batches/{batch.id}/import", data, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "未知的行业“航天”" in html and "“场景名称”不能为空" in html
    assert 'name="token"' not in html


def test_an_apply_with_a_forged_token_writes_nothing(client, make_user, login, make_batch):
    login(make_user(role=SiteRole.ADMIN))
    batch = make_batch("2024年第一批", 2024, BatchStatus.DRAFT)
    response = client.post_form(
        f"/admin/scenarios/batches/{batch.id}/import/apply", {"token": "../../etc/passwd"}, follow_redirects=True
    )
    assert "预览已失效" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Scenario.id))) == 0


def test_withdrawing_takes_scenarios_off_the_public_list(client, make_user, login, make_batch, make_scenario):
    batch = make_batch()
    scenario = make_scenario(title="注塑车间设备预测性维护", batch=batch)
    login(make_user(role=SiteRole.ADMIN))
    client.post_form(f"/admin/scenarios/batches/{batch.id}/withdraw")
    assert client.get(f"/scenarios/{scenario.code}").status_code == 404
    assert "共 0 个场景" in client.get("/scenarios/?q=预测性维护").get_data(as_text=True)
    assert "随本批次撤回的场景" in client.get(f"/scenarios/batches/{batch.id}").get_data(as_text=True)
