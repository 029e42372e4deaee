"""Highlighted text for search results: the ONE module of `app/` that builds markup by hand.

Every character of the document is HTML-escaped; only the `<mark>` tags written here are not.
Spans come from `app.search.query.match_spans` as character offsets into the original text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from app.search.query import QueryPlan, match_spans

if TYPE_CHECKING:
    from app.search.documents import DocumentType

MARK = Markup("<mark>%s</mark>")
ELLIPSIS = "…"
SNIPPET_WIDTH = 120
_WHITESPACE = re.compile(r"\s")


def highlight(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> Markup:
    """`text[start:end]` escaped, with the spans (clipped to that window) wrapped in <mark>."""
    end = len(text) if end is None else end
    parts: list[Markup] = []
    position = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end or span_start < position:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(MARK % text[span_start:span_end])
        position = span_end
    parts.append(escape(text[position:end]))
    return Markup("").join(parts)


def snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_WIDTH) -> Markup:
    """About `width` characters of `text` around the densest group of spans (or its start),
    whitespace flattened, with an ellipsis where the text was cut."""
    text = _WHITESPACE.sub(" ", text)
    if len(text) <= width:
        return highlight(text, spans)
    start = _window_start(text, spans, width)
    end = min(len(text), start + width)
    body = highlight(text, spans, start, end)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return escape(prefix) + body + escape(suffix)


def _window_start(text: str, spans: list[tuple[int, int]], width: int) -> int:
    if not spans:
        return 0
    lead = width // 6
    best, best_count = 0, -1
    for anchor, _ in spans:
        start = max(0, min(anchor - lead, len(text) - width))
        count = sum(1 for s, e in spans if s >= start and e <= start + width)
        if count > best_count:
            best, best_count = start, count
    return best


def document_highlights(
    doc_type: DocumentType, plan: QueryPlan, stored: dict, segmented: dict | None = None
) -> dict[str, Markup]:
    """A hit's highlight fields from their stored text (and tokens, if kept): whole, or a snippet
    of the field's width."""
    highlights = {}
    for name, width in doc_type.highlight_fields.items():
        text = stored.get(name) or ""
        spans = match_spans(plan, text, None if segmented is None else segmented.get(name, []))
        highlights[name] = highlight(text, spans) if width is None else snippet(text, spans, width)
    return highlights
