"""An article's Markdown body is shown through the sanitizer: no script, event handler,
`javascript:` link or style reaches the page, whatever the office types."""

from html.parser import HTMLParser

import pytest

from app.core.rich_text import plain_text, render_markdown


class Elements(HTMLParser):
    """The elements of a piece of HTML as a browser's parser sees them: (tag, attributes)."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))


ATTACKS = {
    "script": "<script>alert('x')</script>",
    "event handler": '<img src="x.png" onerror="alert(1)"> <a href="https://example.com" onclick="alert(2)">链接</a>',
    "javascript link": '[点我](javascript:alert(1)) <a href="javascript:alert(2)">这里</a> [再点](JaVaScRiPt:alert(3))',
    "style injection": '<style>body{display:none}</style><p style="position:fixed;top:0">覆盖</p>',
    "data link": "[下载](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "iframe": '<iframe src="https://evil.example"></iframe>',
}


@pytest.mark.parametrize("text", ATTACKS.values(), ids=ATTACKS.keys())
def test_nothing_active_survives(text):
    elements = Elements(str(render_markdown(text))).found
    assert elements  # the text is there, as text or harmless markup
    for tag, attributes in elements:
        assert tag not in ("script", "style", "iframe", "img", "object", "embed")
        assert not [name for name in attributes if name.startswith("on") or name == "style"]
        if "href" in attributes:
            assert attributes["href"].split(":", 1)[0].lower() in ("http", "https", "mailto")


def test_markdown_is_rendered_and_links_kept_safe():
    html = str(
        render_markdown("## 申报要求\n\n- **截止**：5 月 18 日\n\n[通知原文](https://gxj.example.gov.cn/a.html)")
    )
    assert "<h2>申报要求</h2>" in html
    assert "<strong>截止</strong>" in html
    assert 'href="https://gxj.example.gov.cn/a.html"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_plain_text_drops_markup():
    assert plain_text("## 标题\n\n**加粗** & <b>原样</b>") == "标题\n加粗 & <b>原样</b>"


def test_the_article_page_shows_the_body_sanitized(client, make_article):
    article = make_article(body="正文 <script>alert('x')</script> [坏链接](javascript:alert(1)) **重点**")
    page = client.get(f"/news/{article.id}").get_data(as_text=True)
    body = page.split('data-test="article-body">', 1)[1].split("</div>", 1)[0]
    assert "<strong>重点</strong>" in body
    assert "&lt;script&gt;" in body  # shown as the text it was
    elements = Elements(body).found
    assert [tag for tag, _ in elements] == ["p", "strong"]  # no script, and the bad link is no link
