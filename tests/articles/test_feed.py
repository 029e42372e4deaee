"""Each category's Atom feed (and one of all articles) is valid Atom: parsed by an XML parser, in
the Atom namespace with the elements RFC 4287 requires, and read by feedparser as Atom 1.0."""

import xml.etree.ElementTree as ET

import feedparser
import pytest

from app.articles.models import ArticleCategory
from tests.articles.conftest import earlier

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def articles(make_article):
    return {
        "notice": make_article("关于征集工业互联网场景的通知", body="请于 **5 月 18 日** 前报送。<script>x</script>"),
        "policy": make_article("工业互联网创新发展行动计划", category=ArticleCategory.POLICY, publish_at=earlier(24)),
        "draft": make_article("草稿", category=ArticleCategory.POLICY, publish=False),
    }


@pytest.mark.parametrize("category", ["all", "policy", "notice", "news"])
def test_every_feed_is_valid_atom(client, articles, category):
    response = client.get(f"/news/feed/{category}.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None and root.find(f"{ATOM}{name}").text
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    assert root.find(f"{ATOM}link[@rel='self']").get("href").endswith(f"/news/feed/{category}.atom")
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text
        alternate = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        assert alternate and alternate[0].get("href")
        assert entry.find(f"{ATOM}content").get("type") == "html"

    parsed = feedparser.parse(response.data)
    assert parsed.version == "atom10" and not parsed.bozo


def test_a_category_feed_holds_its_public_articles(client, articles):
    notice = feedparser.parse(client.get("/news/feed/notice.atom").data)
    assert [e.title for e in notice.entries] == ["关于征集工业互联网场景的通知"]
    entry = notice.entries[0]
    assert entry.link.endswith(f"/news/{articles['notice'].id}")
    assert "<strong>5 月 18 日</strong>" in entry.content[0].value
    assert "<script" not in entry.content[0].value

    everything = feedparser.parse(client.get("/news/feed/all.atom").data)
    assert [e.title for e in everything.entries] == ["关于征集工业互联网场景的通知", "工业互联网创新发展行动计划"]
    assert client.get("/news/feed/other.atom").status_code == 404
