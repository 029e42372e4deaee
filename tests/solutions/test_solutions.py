"""Solutions: publishing, plug-and-play rules, the comparison, search facets, permissions."""

import pytest

from app.accounts.models import OrgKind
from app.extensions import db
from app.listings.moderation import ListingStatus
from app.search import search
from app.solutions.models import PriceModel, Solution
from app.taxonomy.models import Industry, TechDomain
from tests.conftest import taxonomy_entry


def page(response) -> str:
    return response.get_data(as_text=True)


def form_data(**changes) -> dict:
    data = {
        "title": "能耗在线监测即插即用模块",
        "summary": "电表加网关，三天上线能耗看板。",
        "description": "分项计量、能耗看板、异常告警。",
        "industries": [str(taxonomy_entry(Industry, "FOOD").id)],
        "domains": [str(taxonomy_entry(TechDomain, "DM").id)],
        "scenarios": "",
        "delivery_mode": "cloud",
        "price_model": "subscription",
        "price_min": "2",
        "price_max": "5",
        "plug_and_play": "y",
        "prerequisites": "配电柜可加装电表",
        "deployment_days": "3",
        "includes": "智能电表、网关、看板账号",
        "submit_for_review": "保存并提交审核",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def provider(make_user, make_org, login):
    user = make_user("provider@example.com")
    org = make_org(owner=user, name="青岛能效科技有限公司", kind=OrgKind.PROVIDER)
    login(user)
    return user, org


def test_a_provider_submits_a_plug_and_play_solution(client, provider):
    assert client.post_form("/solutions/new", form_data()).status_code == 302
    solution = db.session.scalars(db.select(Solution)).one()
    assert solution.status == ListingStatus.SUBMITTED and solution.plug_and_play
    assert (solution.deployment_days, solution.price_model, [i.code for i in solution.industries]) == (
        3,
        PriceModel.SUBSCRIPTION,
        ["FOOD"],
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"prerequisites": "", "deployment_days": ""}, "“即插即用”方案须填写：前提条件、部署周期（天）"),
        ({"price_min": "9", "price_max": "3"}, "价格上限不能低于下限"),
        ({"price_min": "", "price_max": ""}, "请填写价格范围，或选择“面议”"),
        ({"industries": []}, "请至少选择一个适用行业"),
        ({"summary": ""}, "请用一句话介绍方案"),
    ],
)
def test_bad_input_is_refused_with_a_message(client, provider, changes, message):
    response = client.post_form("/solutions/new", form_data(**changes))
    assert response.status_code == 200 and message in page(response)
    assert db.session.scalars(db.select(Solution)).all() == []


def test_a_negotiable_price_and_a_plain_solution(client, provider):
    data = form_data(
        price_model="negotiable",
        price_min="",
        price_max="",
        plug_and_play=None,
        prerequisites="",
        deployment_days="",
        includes="",
    )
    assert client.post_form("/solutions/new", data).status_code == 302
    solution = db.session.scalars(db.select(Solution)).one()
    assert not solution.plug_and_play and solution.price_min is None and solution.deployment_days is None


def test_an_enterprise_cannot_publish_solutions(client, make_user, make_org, login):
    user = make_user()
    make_org(owner=user, kind=OrgKind.ENTERPRISE)
    login(user)
    assert client.post_form("/solutions/new", form_data()).status_code == 403


def test_search_facets_and_the_comparison(client, make_user, make_org, make_solution):
    owner = make_user()
    org = make_org(owner=owner, kind=OrgKind.PROVIDER)
    kit = make_solution(org, owner)
    other_kit = make_solution(org, owner, title="注塑机预测性维护模块", deployment_days=10)
    service = make_solution(
        org,
        owner,
        title="预测性维护咨询",
        plug_and_play=False,
        prerequisites="",
        includes="",
        deployment_days=None,
        price_model=PriceModel.NEGOTIABLE,
        price_min=None,
        price_max=None,
    )
    make_solution(org, owner, title="预测性维护草稿", status=ListingStatus.DRAFT)
    result = search("solution", "预测性维护")
    assert set(result.ids) == {kit.id, other_kit.id, service.id}
    assert result.facets["plug_and_play"] == {"yes": 2, "no": 1}
    assert search("solution", "预测性维护", {"plug_and_play": ["yes"]}).total == 2
    listed = page(client.get("/solutions/?q=预测性维护&plug_and_play=yes"))
    assert "共 2 条" in listed and "即插即用" in listed
    compared = page(client.get(f"/solutions/compare?id={kit.id}&id={other_kit.id}&id={service.id}"))
    assert "7 天" in compared and "10 天" in compared and "预测性维护咨询" not in compared
    assert "请至少勾选两个" in page(client.get(f"/solutions/compare?id={kit.id}"))


def test_another_organization_cannot_edit_a_solution(client, make_user, make_org, make_solution, login):
    owner = make_user()
    solution = make_solution(make_org(owner=owner, kind=OrgKind.PROVIDER), owner)
    intruder = make_user()
    make_org(owner=intruder, kind=OrgKind.PROVIDER)
    login(intruder)
    assert client.post_form(f"/solutions/{solution.id}/edit", form_data(title="篡改")).status_code == 403
    db.session.refresh(solution)
    assert solution.title != "篡改"


def test_fixing_a_typo_outside_the_substance_keeps_it_published(client, provider, make_solution):
    user, org = provider
    solution = make_solution(org, user, delivery_mode="cloud")
    data = form_data(
        title=solution.title,
        summary=solution.summary,
        description=solution.description,
        industries=[str(i.id) for i in solution.industries],
        domains=[str(d.id) for d in solution.domains],
        price_model="one_off",
        price_min="8",
        price_max="15",
        prerequisites=solution.prerequisites,
        deployment_days="7",
        includes=solution.includes,
        delivery_mode="hybrid",
    )
    client.post_form(f"/solutions/{solution.id}/edit", data)
    db.session.refresh(solution)
    assert solution.status == ListingStatus.PUBLISHED and solution.delivery_mode.value == "hybrid"
    client.post_form(f"/solutions/{solution.id}/edit", {**data, "price_max": "20"})
    db.session.refresh(solution)
    assert solution.status == ListingStatus.SUBMITTED
