"""Recommendations: the expected orderings, the reasons, who sees them, and the pages.

The corpus is written so that each ordering has a reason: the whole match (text and taxonomy) before
the text-only match before the taxonomy-only match, a provider's record tipping two identical
solutions, and the items that must never appear (one's own, unpublished, unrelated)."""

from datetime import date, timedelta

import pytest

from app.accounts.models import OrgKind, SiteRole
from app.extensions import db
from app.inquiries import services as inquiries
from app.inquiries.models import FollowUpAnswer
from app.listings.moderation import ListingStatus
from app.matching.records import provider_records
from app.matching.services import needs_for_provider, solutions_for_need, solutions_for_scenario
from app.stats.ledger import record_enablement, reverse
from app.taxonomy.models import Industry, ScenarioSubcategory
from tests.conftest import taxonomy_entry

NEED_TEXT = {
    "title": "注塑机预测性维护",
    "description": "我司有40台注塑机，希望采集振动与温度数据，提前预警故障，减少非计划停机。",
}
MATCHING_TEXT = {
    "title": "注塑机预测性维护解决方案",
    "summary": "采集注塑机振动与温度数据，提前预警故障。",
    "description": "振动温度传感器、边缘网关、故障预警模型与维修工单，减少注塑机非计划停机。",
    "includes": "传感器、网关、平台账号",
}
WAREHOUSE_TEXT = {
    "title": "立体仓库与AGV调度系统",
    "summary": "原料与成品自动出入库。",
    "description": "自动导引车搬运、库位管理、出入库看板。",
    "includes": "调度软件、实施服务",
}
COLD_CHAIN_TEXT = {
    "title": "食品冷链温控监测",
    "summary": "冷库与冷藏车温湿度在线监测。",
    "description": "温湿度标签、冷库看板、超温短信告警。",
    "includes": "标签、看板",
}


def subcategories(*codes):
    return [taxonomy_entry(ScenarioSubcategory, code) for code in codes]


def titles_and_reasons(recommendations) -> list[tuple[str, str]]:
    return [(r.item.organization.name, r.explanation) for r in recommendations]


def give_deals(provider, firm, count: int, first_source: int = 1) -> list:
    rows = [
        record_enablement(
            firm=firm,
            kind="deal",
            source_type="test",
            source_id=first_source + n,
            occurred_on=date(2025, 3, 1 + n),
            provider=provider,
        ).row
        for n in range(count)
    ]
    db.session.commit()
    return rows


@pytest.fixture
def market(make_user, make_org, make_need, make_solution):
    """An enterprise (that also provides) with its need about 注塑机预测性维护, and providers' solutions."""
    boss = make_user("boss@example.com")
    firm = make_org(owner=boss, name="青岛注塑机械有限公司", kind=OrgKind.BOTH)
    need = make_need(firm, boss, domains=("IM",), subcategories=subcategories("C04-2"), **NEED_TEXT)

    def provider(name, verified=False):
        user = make_user()
        return make_org(owner=user, name=name, kind=OrgKind.PROVIDER, verified=verified), user

    orgs = {}
    for key, name, verified in [
        ("whole", "整体匹配科技", False),
        ("twin", "认证签约科技", True),
        ("text", "文本匹配科技", False),
        ("taxonomy", "分类匹配科技", False),
        ("unrelated", "冷链科技", False),
        ("draft", "草稿科技", False),
    ]:
        orgs[key] = provider(name, verified)
    whole = dict(industries=("EQP",), domains=("IM",), subcategories=subcategories("C04-2"), **MATCHING_TEXT)
    solutions = {
        "whole": make_solution(*orgs["whole"], **whole),
        "twin": make_solution(*orgs["twin"], **whole),
        "text": make_solution(*orgs["text"], industries=("APL",), domains=("DM",), **MATCHING_TEXT),
        "taxonomy": make_solution(*orgs["taxonomy"], industries=("EQP",), domains=("IM",), **WAREHOUSE_TEXT),
        "unrelated": make_solution(*orgs["unrelated"], industries=("FOOD",), domains=("DM",), **COLD_CHAIN_TEXT),
        "draft": make_solution(*orgs["draft"], status=ListingStatus.DRAFT, **whole),
        "submitted": make_solution(*orgs["draft"], status=ListingStatus.SUBMITTED, **whole),
        "closed": make_solution(*orgs["draft"], status=ListingStatus.CLOSED, **whole),
        "own": make_solution(firm, boss, **whole),
    }
    rows = give_deals(orgs["twin"][0], firm, 4)
    reverse(rows[-1], by=None, reason="重复录入")
    db.session.commit()
    return {
        "need": need,
        "firm": firm,
        "boss": boss,
        "orgs": {k: org for k, (org, _) in orgs.items()},
        "users": {k: user for k, (_, user) in orgs.items()},
        "solutions": solutions,
    }


def test_solutions_for_a_need_in_the_expected_order_with_their_reasons(app, market):
    with app.test_request_context():
        found = solutions_for_need(market["need"])
    assert titles_and_reasons(found) == [
        ("认证签约科技", "同属装备制造 · 覆盖预测性维护 · 涉及智能化制造 · 描述相近 · 3个签约案例 · 已认证服务商"),
        ("整体匹配科技", "同属装备制造 · 覆盖预测性维护 · 涉及智能化制造 · 描述相近"),
        ("文本匹配科技", "描述相近"),
        ("分类匹配科技", "同属装备制造 · 涉及智能化制造"),
    ]
    scores = [r.score for r in found]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)


def test_the_record_tips_the_balance_but_never_carries_an_unrelated_solution(app, market):
    orgs = market["orgs"]
    records = provider_records([orgs["twin"].id, orgs["whole"].id])
    twin, whole = records[orgs["twin"].id], records[orgs["whole"].id]
    assert (twin.verified, twin.deals) == (True, 3)  # four deals, one reversed
    assert (whole.verified, whole.deals) == (False, 0)
    orgs["unrelated"].verified_at = orgs["twin"].verified_at
    give_deals(orgs["unrelated"], market["firm"], 6, first_source=100)
    with app.test_request_context():
        found = {r.item.id: r.score for r in solutions_for_need(market["need"])}
    solutions = market["solutions"]
    assert found[solutions["twin"].id] - found[solutions["whole"].id] == pytest.approx(twin.score)
    assert provider_records([orgs["unrelated"].id])[orgs["unrelated"].id].deals == 6
    assert solutions["unrelated"].id not in found


def test_a_need_without_matches_and_the_limit(app, market, make_need):
    lonely = make_need(
        market["firm"],
        market["boss"],
        title="纺织印染废水回用",
        description="印染废水处理与回用。",
        industry_id=taxonomy_entry(Industry, "TEX").id,
        domains=("SE",),
    )
    with app.test_request_context():
        assert solutions_for_need(lonely) == []
        assert len(solutions_for_need(market["need"], limit=2)) == 2


def test_english_pages_show_english_taxonomy_names(app, market):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        reasons = solutions_for_need(market["need"])[0].explanation
    assert "Equipment manufacturing" in reasons and "Predictive maintenance" in reasons and "装备制造" not in reasons


@pytest.fixture
def provider(make_user, make_org, make_solution):
    """A provider (that also posts needs) with a published solution about 注塑机预测性维护."""
    user = make_user("seller@example.com")
    org = make_org(owner=user, name="青岛预测维护科技", kind=OrgKind.BOTH)
    make_solution(
        org, user, industries=("EQP",), domains=("IM",), subcategories=subcategories("C04-2"), **MATCHING_TEXT
    )
    make_solution(org, user, status=ListingStatus.DRAFT, industries=("FOOD",), domains=("DM",), **COLD_CHAIN_TEXT)
    return org, user


@pytest.fixture
def open_needs(provider, make_user, make_org, make_need):
    def enterprise(name):
        user = make_user()
        return make_org(owner=user, name=name), user

    im = {"domains": ("IM",)}
    needs = {
        "whole": make_need(*enterprise("整体匹配机械"), subcategories=subcategories("C04-2"), **im, **NEED_TEXT),
        "text": make_need(
            *enterprise("文本匹配家电"), industry_id=taxonomy_entry(Industry, "APL").id, domains=("DM",), **NEED_TEXT
        ),
        "taxonomy": make_need(
            *enterprise("分类匹配机械"), title="立体仓库改造", description="原料库改为自动化立体仓库。", **im
        ),
        "unrelated": make_need(
            *enterprise("冷链食品"),
            industry_id=taxonomy_entry(Industry, "FOOD").id,
            domains=("DM",),
            title="冷库温控监测",
            description="冷库温湿度在线监测与告警。",
        ),
        "own": make_need(*provider, subcategories=subcategories("C04-2"), **im, **NEED_TEXT),
    }
    for status in (ListingStatus.IN_TALKS, ListingStatus.EXPIRED, ListingStatus.CLOSED, ListingStatus.DRAFT):
        needs[status.value] = make_need(
            *enterprise(f"{status.value}机械"), status=status, subcategories=subcategories("C04-2"), **im, **NEED_TEXT
        )
    return needs


def test_needs_for_a_provider_in_the_expected_order(app, provider, open_needs):
    with app.test_request_context():
        found = needs_for_provider(provider[0])
    assert titles_and_reasons(found) == [
        ("整体匹配机械", "同属装备制造 · 覆盖预测性维护 · 涉及智能化制造 · 描述相近"),
        ("文本匹配家电", "描述相近"),
        ("分类匹配机械", "同属装备制造 · 涉及智能化制造"),
    ]


def test_a_provider_is_matched_by_the_industries_most_of_its_solutions_serve(
    app, make_user, make_org, make_need, make_solution
):
    user = make_user()
    org = make_org(owner=user, kind=OrgKind.PROVIDER)
    for n, industry in enumerate(("EQP", "EQP", "SHIP", "RAIL", "AUT", "APL", "RAW")):
        make_solution(
            org, user, industries=(industry,), domains=("DM",), **{**COLD_CHAIN_TEXT, "title": f"温控方案{n}"}
        )
    firm = make_org(name="造船厂")
    ship = make_need(
        firm,
        firm.owner,
        industry_id=taxonomy_entry(Industry, "SHIP").id,
        domains=("SE",),
        title="船体分段焊接排产",
        description="分段焊接计划排产。",
    )
    rail = make_need(
        firm,
        firm.owner,
        industry_id=taxonomy_entry(Industry, "RAIL").id,
        domains=("SE",),
        title="转向架焊接排产",
        description="转向架焊接计划排产。",
    )
    with app.test_request_context():
        found = [r.item.id for r in needs_for_provider(org)]
    # EQP (two solutions), then the first four of the others in display order: not SHIP, the last
    assert rail.id in found and ship.id not in found


def test_a_provider_without_published_solutions_gets_no_needs(app, make_user, make_org, open_needs):
    newcomer = make_org(kind=OrgKind.PROVIDER)
    with app.test_request_context():
        assert needs_for_provider(newcomer) == []


@pytest.fixture
def scenario_market(make_user, make_org, make_batch, make_scenario, make_solution):
    scenario = make_scenario(
        batch=make_batch(),
        title="注塑车间设备预测性维护",
        description="采集注塑机振动与温度数据，提前预警故障。",
        industry="EQP",
        domains=("IM",),
        category="C04",
        subcategory="C04-2",
    )

    def provider(name):
        user = make_user()
        return make_org(owner=user, name=name, kind=OrgKind.PROVIDER), user

    text = {"title": "设备管理方案", "summary": "设备台账与点检。", "description": "设备台账、点检与维修记录。"}
    solutions = {
        "linked": make_solution(
            *provider("关联场景科技"), industries=("APL",), domains=("DM",), scenarios=[scenario], **COLD_CHAIN_TEXT
        ),
        "subcategory": make_solution(
            *provider("同类场景科技"),
            industries=("RAW",),
            domains=("DM",),
            subcategories=subcategories("C04-2"),
            **text,
        ),
        "industry_domain": make_solution(
            *provider("同业同域科技"), industries=("EQP",), domains=("IM", "DM"), **MATCHING_TEXT
        ),
        "industry_only": make_solution(
            *provider("行业相同科技"), industries=("EQP",), domains=("DM",), **MATCHING_TEXT
        ),
        "domain_only": make_solution(*provider("领域相同科技"), industries=("RAW",), domains=("IM",), **MATCHING_TEXT),
        "draft": make_solution(*provider("草稿科技"), status=ListingStatus.DRAFT, scenarios=[scenario], **text),
    }
    return scenario, solutions


def test_solutions_for_a_scenario_linked_first_then_sub_category_then_industry_and_domain(app, scenario_market):
    scenario, _ = scenario_market
    with app.test_request_context():
        found = solutions_for_scenario(scenario)
    assert titles_and_reasons(found) == [
        ("关联场景科技", "针对场景“注塑车间设备预测性维护”"),
        ("同类场景科技", "覆盖预测性维护"),
        ("同业同域科技", "同属装备制造 · 涉及智能化制造 · 描述相近"),
    ]


# --- pages -------------------------------------------------------------------------------------


def section(html: str, marker: str) -> str:
    start = html.find(f'data-test="{marker}"')
    return html[start : html.index("</section>", start)] if start >= 0 else ""


def test_the_need_owner_and_admins_see_the_recommended_solutions(client, login, market, make_user):
    url = f"/needs/{market['need'].id}"
    login(market["boss"])
    html = section(client.get(url).get_data(as_text=True), "recommended-solutions")
    assert "推荐方案" in html and "注塑机预测性维护解决方案" in html
    assert "3个签约案例 · 已认证服务商" in html and "立体仓库与AGV调度系统" in html
    assert (
        html.index("认证签约科技")
        < html.index("整体匹配科技")
        < html.index("文本匹配科技")
        < html.index("分类匹配科技")
    )
    assert "冷链科技" not in html and "草稿科技" not in html
    client.post_form("/logout")
    login(make_user(role=SiteRole.ADMIN))
    assert "认证签约科技" in section(client.get(url).get_data(as_text=True), "recommended-solutions")


def test_the_kept_recommendations_follow_changes_and_the_language(client, login, market):
    url = f"/needs/{market['need'].id}"
    login(market["boss"])
    assert "3个签约案例" in section(client.get(url).get_data(as_text=True), "recommended-solutions")
    market["solutions"]["twin"].title = "改名后的预测性维护方案"
    db.session.commit()
    html = section(client.get(url).get_data(as_text=True), "recommended-solutions")
    assert "改名后的预测性维护方案" in html
    client.set_cookie("lang", "en")
    english = section(client.get(url).get_data(as_text=True), "recommended-solutions")
    assert "改名后的预测性维护方案" in english and "个签约案例" not in english


def test_the_public_and_providers_do_not_see_a_needs_recommendations(client, login, market):
    url = f"/needs/{market['need'].id}"
    anonymous = client.get(url)
    assert anonymous.status_code == 200 and 'data-test="recommended-solutions"' not in anonymous.get_data(as_text=True)
    login(market["users"]["twin"])
    html = client.get(url).get_data(as_text=True)
    assert "注塑机预测性维护" in html and 'data-test="recommended-solutions"' not in html and "推荐方案" not in html


def test_a_need_without_matches_shows_an_empty_state(client, login, market, make_need):
    lonely = make_need(
        market["firm"],
        market["boss"],
        title="纺织印染废水回用",
        description="印染废水处理与回用。",
        industry_id=taxonomy_entry(Industry, "TEX").id,
        domains=("SE",),
    )
    login(market["boss"])
    html = section(client.get(f"/needs/{lonely.id}").get_data(as_text=True), "recommended-solutions")
    assert "暂时没有匹配的解决方案" in html


def test_the_recommended_needs_page(client, login, provider, open_needs):
    login(provider[1])
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert 'data-test="recommended-needs-link"' in dashboard
    html = client.get("/matching/needs").get_data(as_text=True)
    assert "为您推荐的需求" in html
    assert html.index("整体匹配机械") < html.index("文本匹配家电") < html.index("分类匹配机械")
    assert "同属装备制造 · 覆盖预测性维护 · 涉及智能化制造 · 描述相近" in html
    assert "冷链食品" not in html and "in_talks机械" not in html


def test_a_provider_without_solutions_sees_an_empty_state(client, login, make_user, make_org):
    user = make_user()
    make_org(owner=user, kind=OrgKind.PROVIDER)
    login(user)
    html = client.get("/matching/needs").get_data(as_text=True)
    assert "暂时没有与贵单位方案匹配的企业需求" in html and "/solutions/mine" in html


def test_the_recommended_needs_page_is_for_provider_members(client, login, make_user, make_org):
    response = client.get("/matching/needs")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    user = make_user()
    make_org(owner=user, kind=OrgKind.ENTERPRISE)
    login(user)
    assert client.get("/matching/needs").status_code == 403
    assert 'data-test="recommended-needs-link"' not in client.get("/dashboard").get_data(as_text=True)


def test_the_scenario_page_lists_solutions_for_everyone(client, scenario_market):
    scenario, _ = scenario_market
    html = section(client.get(f"/scenarios/{scenario.code}").get_data(as_text=True), "scenario-solutions")
    assert "相关解决方案" in html
    assert html.index("关联场景科技") < html.index("同类场景科技") < html.index("同业同域科技")
    assert "行业相同科技" not in html and "领域相同科技" not in html and "草稿科技" not in html


def test_a_scenario_without_solutions_shows_an_empty_state(client, make_batch, make_scenario):
    scenario = make_scenario(batch=make_batch())
    html = section(client.get(f"/scenarios/{scenario.code}").get_data(as_text=True), "scenario-solutions")
    assert "暂无针对这一场景的解决方案" in html


def test_good_follow_ups_count_in_the_record(app, make_user, make_org, make_solution):
    seller = make_user()
    provider = make_org(owner=seller, kind=OrgKind.PROVIDER)
    buyer = make_user()
    make_org(owner=buyer)
    solution = make_solution(provider, seller)
    with app.test_request_context():
        inquiry = inquiries.inquire(solution, buyer, "想了解。")
        inquiries.accept(inquiry, seller)
        inquiries.confirm_deal(inquiry, buyer)
        inquiries.confirm_deal(inquiry, seller)
        inquiry.deal_at -= timedelta(days=190)
        inquiries.ask_follow_ups()
        assert provider_records([provider.id])[provider.id].good_follow_ups == 0
        inquiries.answer_follow_up(inquiry, seller, FollowUpAnswer.RENEWED)  # the provider's own word counts not
        inquiries.answer_follow_up(inquiry, buyer, FollowUpAnswer.DELIVERED)
        record = provider_records([provider.id])[provider.id]
        assert (record.deals, record.good_follow_ups) == (1, 1)
        assert "1家企业回访称已交付或续约" in record.reasons()
