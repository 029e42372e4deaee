"""Opening a thread while one is live is refused by the service as a notice, and the views announce
their steps through run_step with the same messages and categories."""

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.inquiries import services
from app.inquiries.models import Inquiry
from tests.inquiries.test_inquiries import _inquire, _switch, pair  # noqa: F401 (pair is a fixture)


def flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def test_a_second_thread_is_refused_as_a_notice(app, client, login, pair):  # noqa: F811
    inquiry = _inquire(client, login, pair)
    assert flashes(client)[-1] == ("success", "已发送，对方会收到站内消息和邮件提醒。")
    with force_locale("zh"), pytest.raises(services.InquiryError, match="贵单位已有一个进行中的对接") as refused:
        services.no_active_thread(pair["enterprise_org"], solution=pair["solution"])
    assert refused.value.category == "info"
    for method in (client.get, client.post_form):
        response = method(f"/inquiries/solution/{pair['solution'].id}/new")
        assert response.headers["Location"].endswith(f"/inquiries/{inquiry.id}")
        assert flashes(client)[-1] == ("info", "贵单位已有一个进行中的对接，请在这里继续沟通。")
    assert services.no_active_thread(pair["provider_org"], need=pair["need"]) is True
    assert app.extensions["sqlalchemy"].session.scalar(select(func.count(Inquiry.id))) == 1


def test_a_deal_confirmed_by_one_side_waits_for_the_other(client, login, pair):  # noqa: F811
    inquiry = _inquire(client, login, pair)
    _switch(client, login, pair["provider"])
    client.post_form(f"/inquiries/{inquiry.id}/accept")
    client.post_form(f"/inquiries/{inquiry.id}/deal", {"amount": "20"})
    assert flashes(client)[-1] == ("success", "已确认签约，等待对方确认。")
    _switch(client, login, pair["enterprise"])
    client.post_form(f"/inquiries/{inquiry.id}/deal", {"amount": "20"})
    assert flashes(client)[-1] == ("success", "双方均已确认，签约完成，已计入赋能统计。")
