"""Text that admins write in Markdown, shown as HTML that cannot carry a script.

Markdown is rendered by markdown-it-py with raw HTML off (a `<script>` in the text stays text), and
the HTML it produces then goes through nh3 (the Rust ammonia sanitizer) with a short list of tags and
attributes: no `style`, no event handlers, links only to http, https and mailto. Templates show
`render_markdown(text)`, never the text itself marked safe.
"""

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "blockquote", "code", "pre",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def render_markdown(text: str) -> Markup:
    html = _markdown.render(text or "")
    return Markup(
        nh3.clean(
            html,
            tags=TAGS,
            attributes=ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
    )


def plain_text(text: str) -> str:
    """The words of a Markdown text without its markup, for the search index and feeds' summaries."""
    return html.unescape(nh3.clean(_markdown.render(text or ""), tags=set())).strip()
