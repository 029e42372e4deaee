"""What a search box query means, independently of the backend.

A query is split into clauses that must all match (AND). A clause is one word with its synonyms
(OR): "PdM 注塑" gives [pdm | 预测性维护 | 预知维护] AND [注塑]. Synonym terms are found first
(longest first, across spaces), then code-like runs ("qd-2022-0007"), and jieba's precise mode
splits the rest; a few Chinese function words (的, 和, 与 …) are dropped.

A word matches a document that has it as a token. The index holds jieba's words, all their
dictionary sub-words and every domain term of the text (see `app.search.analysis.segment`), so
a dictionary word is a token wherever jieba reads it as a word, and a domain term wherever it
occurs: 数字孪生 never matches 数字 … 孪生 far apart, and 设备 is not found in 建设备用.
A word jieba does not know (a code fragment like "2022-0007", a multi-word synonym,
a new word) also matches its pieces at the same relative character offsets (`Word.pieces`):
a phrase query done right for overlapping tokens.

There is no query syntax (no field:, quotes, AND/OR/NOT): every character is text to find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from app.search.analysis import (
    Synonyms,
    cut,
    in_dictionary,
    is_searchable,
    normalize,
    segment,
    segment_around,
    tokens_around,
)

if TYPE_CHECKING:
    from app.search.documents import DocumentType

MAX_QUERY_LENGTH = 200
MAX_CLAUSES = 12
STOPWORDS = frozenset("的了和与及或等之在是对为把被将从也并而着于以其")  # single characters

_CODE = re.compile(r"[a-z0-9]+(?:[-_./][a-z0-9]+)+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Word:
    """A normalised word and, if the analyzer splits it further, the pieces that cover it as
    (offset in the word, piece)."""

    text: str
    pieces: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Clause:
    """Alternatives of which a document must match at least one: a word and its synonyms."""

    words: tuple[Word, ...]


@dataclass(frozen=True)
class QueryPlan:
    text: str
    clauses: tuple[Clause, ...]

    @property
    def is_empty(self) -> bool:
        return not self.clauses


def parse_query(
    text: str | None, synonyms: Synonyms, max_length: int = MAX_QUERY_LENGTH, max_clauses: int = MAX_CLAUSES
) -> QueryPlan:
    """The clauses of a search box query; a longer text (a listing to find similar ones for) may
    be given higher limits."""
    normalized = normalize((text or "").strip()[:max_length])
    found: list[tuple[int, str]] = []  # (offset in the query, word)
    position = 0
    for start, end in synonyms.scan(normalized):
        found.extend(_words(normalized[position:start], position))
        found.append((start, normalized[start:end]))
        position = end
    found.extend(_words(normalized[position:], position))
    found.sort(key=lambda item: item[0])

    clauses: list[Clause] = []
    seen: set[tuple[str, ...]] = set()
    for _, word in found:
        alternatives = synonyms.group(word)
        key = tuple(sorted(alternatives))
        if key in seen:
            continue
        seen.add(key)
        words = tuple(w for w in (make_word(a) for a in alternatives) if w is not None)
        if words:
            clauses.append(Clause(words))
        if len(clauses) == max_clauses:
            break
    return QueryPlan(normalized, tuple(clauses))


def _words(text: str, offset: int) -> list[tuple[int, str]]:
    words = []
    position = 0
    for match in _CODE.finditer(text):
        words.extend(_cut(text[position : match.start()], offset + position))
        words.append((offset + match.start(), match.group()))
        position = match.end()
    words.extend(_cut(text[position:], offset + position))
    return words


def _cut(text: str, offset: int) -> list[tuple[int, str]]:
    words = []
    position = 0
    for word in cut(text) if text.strip() else []:
        start = text.find(word, position)
        position = start + len(word)
        word = word.strip()
        if word and is_searchable(word) and word not in STOPWORDS:
            words.append((offset + start, word))
    return words


def make_word(text: str) -> Word | None:
    """The word, and unless jieba knows it (or it is one ASCII word), the cheapest cover of
    pieces from its own tokens: as few single characters as possible, then as many (short,
    likely shared) pieces as possible."""
    text = text.strip()
    if not is_searchable(text):
        return None
    if in_dictionary(text) or _ASCII_WORD.fullmatch(text):
        return Word(text)
    tokens = [(start, end, word) for word, start, end in segment(text) if (start, end) != (0, len(text))]
    if not tokens:
        return Word(text)
    starting: dict[int, list[tuple[int, str]]] = {}
    for start, end, word in tokens:
        starting.setdefault(start, []).append((end, word))
    n = len(text)
    # best[i]: (single characters, -pieces, pieces) covering text[i:]
    best: list[tuple[int, int, tuple[tuple[int, str], ...]]] = [(0, 0, ())] * (n + 1)
    for i in range(n - 1, -1, -1):
        options = []
        if not text[i].isalnum():
            options.append(best[i + 1])
        else:
            singles, count, pieces = best[i + 1]
            options.append((singles + 1, count - 1, ((i, text[i]), *pieces)))
        for end, word in starting.get(i, ()):
            singles, count, pieces = best[end]
            options.append((singles, count - 1, ((i, word), *pieces)))
        best[i] = min(options, key=lambda option: (option[0], option[1]))
    pieces = best[0][2]
    if len(pieces) == 1 and pieces[0][1] == text:
        pieces = ()
    return Word(text, pieces)


def match_spans(
    plan: QueryPlan, text: str, segmented: list[tuple[str, int, int]] | None = None
) -> list[tuple[int, int]]:
    """Character spans of `text` that the plan's words match, merged: what to highlight.
    `segmented`: the text's tokens (`segment(normalize(text))`) if they were kept."""
    if plan.is_empty or not text:
        return []
    # Only the stretches of text that hold a word (or a word's first piece) can match.
    needles = {word.pieces[0][1] if word.pieces else word.text for clause in plan.clauses for word in clause.words}
    if segmented is None:
        tokens = segment_around(normalize(text), needles)
    else:
        tokens = tokens_around(normalize(text), needles, segmented)
    at: set[tuple[int, str]] = {(start, word) for word, start, _ in tokens}
    spans = []
    for clause in plan.clauses:
        for word in clause.words:
            for token, start, end in tokens:
                if token == word.text:
                    spans.append((start, end))
                elif word.pieces and token == word.pieces[0][1]:
                    origin = start - word.pieces[0][0]
                    if all((origin + offset, piece) in at for offset, piece in word.pieces[1:]):
                        spans.append((origin, origin + len(word.text)))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class SearchRequest(NamedTuple):
    """A search's arguments as both backends read them (unpacked in this order)."""

    plan: QueryPlan
    sort: str
    page: int
    per_page: int
    #: facet field → the chosen values, each once (fields the type does not have, and empty values, left out)
    chosen: dict[str, list[str]]


def search_request(
    doc_type: DocumentType,
    synonyms: Synonyms,
    query: str | None,
    filters: dict[str, list[str]] | None,
    sort: str,
    page: int,
    per_page: int,
    max_per_page: int,
) -> SearchRequest:
    plan = parse_query(query, synonyms)
    chosen = {
        name: list(dict.fromkeys(str(v) for v in values if v not in (None, "")))
        for name, values in (filters or {}).items()
        if name in doc_type.facet_fields
    }
    return SearchRequest(
        plan=plan,
        sort=effective_sort(doc_type, sort, plan),
        page=max(1, int(page)),
        per_page=max(1, min(int(per_page), max_per_page)),
        chosen={name: values for name, values in chosen.items() if values},
    )


def effective_sort(doc_type: DocumentType, sort: str | None, plan: QueryPlan) -> str:
    """The sort asked for if the type has it; else the type's default for an empty query, or relevance."""
    if sort is not None and sort in doc_type.sorts:
        return sort
    if plan.is_empty and doc_type.default_sort:
        return doc_type.default_sort
    return "relevance"
