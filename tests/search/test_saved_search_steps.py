"""Saving and deleting a search run as steps: a refused save is a caution, a deletion goes through
the service."""

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.extensions import db
from app.search import saved as saved_searches
from app.search.models import SavedSearch
from app.search.pages import SearchQuery


def flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def test_a_refused_save_is_a_caution(app, make_user):
    with (
        app.test_request_context(),
        force_locale("zh"),
        pytest.raises(saved_searches.SavedSearchError, match="请先输入关键词") as refused,
    ):
        saved_searches.save(make_user(), "need", SearchQuery.parse({}, (), ("relevance", "newest")), "")
    assert refused.value.category == "warning"


def test_saving_twice_flashes_the_caution_and_keeps_one(client, login, make_user):
    login(make_user())
    client.post_form("/saved-searches/new", {"doc_type": "solution", "query": "q=数字孪生"})
    assert flashes(client)[-1] == ("success", "已保存搜索。有新的匹配结果时，会通过站内消息和邮件提醒您。")
    client.post_form("/saved-searches/new", {"doc_type": "solution", "query": "q=数字孪生"})
    assert flashes(client)[-1] == ("warning", "您已经保存过这个搜索。")
    assert db.session.scalar(select(func.count(SavedSearch.id))) == 1


def test_the_service_deletes_a_saved_search(client, login, make_user):
    login(make_user())
    client.post_form("/saved-searches/new", {"doc_type": "need", "query": "q=设备联网"})
    saved = db.session.scalars(select(SavedSearch)).one()
    saved_searches.delete(saved)
    assert db.session.scalar(select(func.count(SavedSearch.id))) == 0
