"""An article's page carries the same Open Graph card as the other detail pages (tests/core/test_sharing.py)."""

from tests.core.test_sharing import PUBLIC_BASE_URL, Head


def test_an_article_page_carries_an_open_graph_card(app, client, make_article, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PUBLIC_BASE_URL)
    article = make_article(title="关于开展数字化转型诊断的通知", summary="免费为中小企业提供诊断服务。")

    response = client.get(f"/news/{article.id}")

    assert response.status_code == 200
    meta = Head(response.get_data(as_text=True)).meta
    assert meta["og:title"] == "关于开展数字化转型诊断的通知"
    assert "免费为中小企业提供诊断服务。" in meta["og:description"]
    assert meta["og:url"] == f"{PUBLIC_BASE_URL}/news/{article.id}"
