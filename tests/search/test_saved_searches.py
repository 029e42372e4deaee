"""Saving a list page's search and being told about new matches."""

from sqlalchemy import func, select

from app.accounts.models import OrgKind
from app.extensions import db
from app.listings.moderation import ListingStatus
from app.mail.models import MailMessage
from app.notifications.models import Notification, Topic
from app.search.models import SavedSearch
from app.search.saved import MAX_PER_USER


def _alerts(app) -> str:
    return app.test_cli_runner().invoke(args=["search", "alerts"]).output


def test_a_saved_search_tells_about_new_matches_once(app, client, login, make_user, make_org, make_need):
    provider = make_user("provider@example.com")
    make_org(owner=provider, kind=OrgKind.PROVIDER)
    enterprise = make_user("enterprise@example.com")
    firm = make_org(owner=enterprise)
    make_need(firm, enterprise, title="老需求：注塑机预测性维护")
    login(provider)
    page = client.get("/needs/?q=预测性维护&domain=IM").get_data(as_text=True)
    assert 'data-test="save-search"' in page
    response = client.post_form(
        "/saved-searches/new", {"doc_type": "need", "query": "q=预测性维护&domain=IM", "name": "预测性维护需求"}
    )
    assert response.headers["Location"].endswith("/needs/?q=%E9%A2%84%E6%B5%8B%E6%80%A7%E7%BB%B4%E6%8A%A4&domain=IM")
    saved = db.session.scalars(select(SavedSearch)).one()
    assert (saved.q, saved.filters, saved.name) == ("预测性维护", {"domain": ["IM"]}, "预测性维护需求")

    assert "0 saved search(es)" in _alerts(app)  # the old need is not news
    make_need(firm, enterprise, title="新需求：空压机预测性维护", domains=("IM",))
    make_need(firm, enterprise, title="新需求：财务共享中心", description="财务系统上云。")
    make_need(firm, enterprise, title="草稿：预测性维护", status=ListingStatus.DRAFT)
    assert "1 saved search(es)" in _alerts(app)
    note = db.session.scalars(select(Notification).where(Notification.topic == Topic.SAVED_SEARCH)).one()
    assert note.user_id == provider.id and "1 条新需求" in note.title and "domain=IM" in note.link
    mail = db.session.scalars(select(MailMessage).where(MailMessage.recipient == "provider@example.com")).one()
    assert "预测性维护需求" in mail.subject
    assert "0 saved search(es)" in _alerts(app)

    listing = client.get("/saved-searches/").get_data(as_text=True)
    assert "预测性维护需求" in listing and "关键词：预测性维护" in listing


def test_saving_refuses_what_it_should(app, client, login, make_user):
    user = make_user()
    login(user)
    empty = client.post_form("/saved-searches/new", {"doc_type": "need", "query": "sort=newest"}, follow_redirects=True)
    assert "请先输入关键词或选择筛选条件" in empty.get_data(as_text=True)
    assert client.post_form("/saved-searches/new", {"doc_type": "nope", "query": "q=x"}).status_code == 400
    client.post_form("/saved-searches/new", {"doc_type": "solution", "query": "q=数字孪生"})
    twice = client.post_form(
        "/saved-searches/new", {"doc_type": "solution", "query": "q=数字孪生"}, follow_redirects=True
    )
    assert "已经保存过" in twice.get_data(as_text=True)
    for number in range(MAX_PER_USER - 1):
        client.post_form("/saved-searches/new", {"doc_type": "solution", "query": f"q=词{number}"})
    full = client.post_form(
        "/saved-searches/new", {"doc_type": "solution", "query": "q=再来一个"}, follow_redirects=True
    )
    assert "最多保存" in full.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SavedSearch.id))) == MAX_PER_USER


def test_only_the_owner_deletes_a_saved_search(client, login, make_user):
    owner, other = make_user(), make_user()
    login(owner)
    client.post_form("/saved-searches/new", {"doc_type": "need", "query": "q=设备联网"})
    saved_id = db.session.scalar(select(SavedSearch.id))
    client.post_form("/logout")
    login(other)
    assert client.post_form(f"/saved-searches/{saved_id}/delete").status_code == 404
    client.post_form("/logout")
    login(owner)
    assert client.post_form(f"/saved-searches/{saved_id}/delete").status_code == 302
    assert db.session.scalar(select(func.count(SavedSearch.id))) == 0
