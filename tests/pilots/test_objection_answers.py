"""The notice page shows each objection's answer beside it, to whoever objected and to admins only."""

from datetime import timedelta

import pytest

from app.accounts.models import OrgKind, SiteRole
from app.core.models import local_today
from app.extensions import db
from app.pilots import services
from app.pilots.models import CallStatus


@pytest.fixture
def notice(make_user, make_org, make_pilot_call, make_pilot_application):
    people = {
        "admin": make_user("admin@example.com", role=SiteRole.ADMIN),
        "firm": make_user("firm@example.com"),
        "objector": make_user("objector@example.com"),
        "neighbour": make_user("neighbour@example.com"),
    }
    make_org(owner=people["firm"], name="青岛甲智能制造", kind=OrgKind.ENTERPRISE)
    call = make_pilot_call(people["admin"], status=CallStatus.NOTICE)
    call.notice_ends_on = local_today() + timedelta(days=7)
    application = make_pilot_application(call, people["firm"].organization, people["firm"], selected=True)
    answered = services.object_to(application, people["objector"], "项目尚未开工建设。", "13800000000")
    services.answer(answered, people["admin"], "经核实，项目已于三月开工，异议不成立。", withdraw=False)
    services.object_to(application, people["neighbour"], "投资额与实际不符。", "13900000000")
    db.session.commit()
    return people, application


def _page(client, login, user, application):
    client.post_form("/logout")
    if user is not None:
        login(user)
    return client.get(f"/pilots/projects/{application.id}").get_data(as_text=True)


def test_whoever_objected_reads_the_answer_beside_their_objection(client, login, notice):
    people, application = notice
    page = _page(client, login, people["objector"], application)
    (shown,) = page.split('data-test="objection"')[1:]
    assert "项目尚未开工建设。" in shown and "经核实，项目已于三月开工，异议不成立。" in shown
    assert "投资额与实际不符。" not in page

    waiting = _page(client, login, people["neighbour"], application)
    assert "投资额与实际不符。" in waiting and "平台正在核实" in waiting
    assert "项目尚未开工建设。" not in waiting and "异议不成立" not in waiting


@pytest.mark.parametrize("who", [None, "firm"])
def test_other_visitors_and_the_firm_see_no_objection(client, login, notice, who):
    people, application = notice
    page = _page(client, login, people[who] if who else None, application)
    assert 'data-test="objections"' not in page
    assert "项目尚未开工建设。" not in page and "投资额与实际不符。" not in page and "异议不成立" not in page


def test_admins_see_every_objection_with_its_answer(client, login, notice):
    people, application = notice
    page = _page(client, login, people["admin"], application)
    assert page.count('data-test="objection"') == 2
    assert "经核实，项目已于三月开工，异议不成立。" in page and "尚未答复" in page


def test_an_upheld_objection_is_read_on_the_calls_page_by_its_author_only(client, login, notice):
    people, application = notice
    (waiting,) = [o for o in application.objections if o.filed_by_id == people["neighbour"].id]
    services.answer(waiting, people["admin"], "经核实，投资额确有不符，取消入选。", withdraw=True)
    db.session.commit()
    assert client.get(f"/pilots/projects/{application.id}").status_code == 404  # the project is off the list

    def call_page(user):
        client.post_form("/logout")
        if user is not None:
            login(user)
        return client.get(f"/pilots/{application.call_id}").get_data(as_text=True)

    page = call_page(people["neighbour"])
    section = page[page.index('data-test="withdrawn-objections"') :]
    assert "投资额与实际不符。" in section and "经核实，投资额确有不符，取消入选。" in section
    assert application.project_name in section and "异议成立" in section
    for other in (None, people["objector"], people["firm"]):
        shown = call_page(other)
        assert 'data-test="withdrawn-objections"' not in shown and "投资额确有不符" not in shown
