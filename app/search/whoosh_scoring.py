"""Scoring a query plan on a Whoosh index in bulk.

Whoosh scores a query one document at a time through a tree of matchers. The engine needs every
match (exact totals, facet counts), and at 100,000 scenarios a common word such as 平台 (in a
third of them) took half a second that way, nearly all of it Python calls per document and per
matcher. Here each term's postings are read a block at a time and given the score Whoosh's
BM25F would give them (the tests compare the two), and the plan's clauses are combined with dict
and set operations: a word scores its best alternative (the word or a synonym), summed over the
fields; every clause must match, and their scores add up.

A word matched through its pieces (a phrase over overlapping tokens, see `app.search.query`)
is left to Whoosh's span matcher: it needs positions, and such words are rare.

The block reader uses Whoosh's W3 codec internals (pinned: whoosh-reloaded 2.7.5); any other
matcher or column type goes through the public, slower interface.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, repeat

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import NumericColumn
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import Query, Term
from whoosh.query.spans import SpanNear2
from whoosh.reading import IndexReader
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from app.search.query import Clause, QueryPlan, Word

#: Score weights: a match through a synonym, and through the pieces of a word (not the word itself).
SYNONYM_WEIGHT = 0.8
PIECES_WEIGHT = 0.5

Scores = dict[int, float]


@dataclass
class FieldLengths:
    """The length bytes of one field, per leaf reader (one byte a document, Whoosh's own
    logarithmic encoding), read once per searcher."""

    per_leaf: dict[str, list[bytes | None]] = field(default_factory=dict)

    def get(self, reader: IndexReader, fieldname: str) -> list[bytes | None]:
        cached = self.per_leaf.get(fieldname)
        if cached is None:
            cached = self.per_leaf[fieldname] = [_length_bytes(leaf, fieldname) for leaf, _ in reader.leaf_readers()]
        return cached


def _length_bytes(leaf: IndexReader, fieldname: str) -> bytes | None:
    """None when the segment has no lengths for the field (Whoosh then takes 1)."""
    column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return None
    if isinstance(column, NumericColumn.Reader) and column._fixedlen == 1:
        data = column._dbfile.get(column._basepos, column._count)
    else:
        data = bytes(column.load())
    return data.ljust(leaf.doc_count_all(), b"\0")


def _w3_blocks(matcher: W3LeafMatcher) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """(ids, weights) of each block, decoded the way `W3LeafMatcher` decodes them."""
    postfile = matcher._postfile
    while True:
        data = postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
        if matcher._compression:
            data = zlib.decompress(data)
        ids, weights = pickle.loads(data)[:2]
        if not matcher._byteids:
            ids = list(accumulate(ids))
        if weights is None:
            weights = repeat(1.0, matcher._blocklength)
        elif isinstance(weights, float):
            weights = repeat(weights, matcher._blocklength)
        yield ids, weights
        if matcher._lastblock:
            return
        matcher._goto(matcher._nextoffset)


def _matcher_items(matcher) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield ids, weights


def _postings(leaf: IndexReader, fieldname: str, btext: bytes) -> tuple[Iterator, frozenset[int]]:
    """The blocks of a term's postings in one segment, and the segment's deleted documents
    (which the blocks still hold)."""
    matcher = leaf.postings(fieldname, btext)
    deleted: frozenset[int] = frozenset()
    if isinstance(matcher, FilterMatcher):
        matcher, deleted = matcher.child, leaf.deleted_docs_set
    blocks = _w3_blocks(matcher) if isinstance(matcher, W3LeafMatcher) else _matcher_items(matcher)
    return blocks, deleted


class PlanScorer:
    """Scores plans on one searcher, which must use Whoosh's default BM25F weighting."""

    def __init__(self, searcher: Searcher, lengths: FieldLengths):
        weighting = searcher.weighting
        if not isinstance(weighting, BM25F) or weighting._field_B:
            raise ValueError("bulk scoring reproduces BM25F with one B for all fields")
        self.searcher = searcher
        self.reader = searcher.reader()
        self.lengths = lengths
        self.k1 = weighting.K1
        self.b = weighting.B
        self._norms: dict[str, list[float]] = {}

    def score(self, plan: QueryPlan, fields: dict[str, float]) -> Scores:
        """Every matching document's score; an empty plan matches nothing here."""
        total: Scores | None = None
        for clause in plan.clauses:
            clause_scores = self.clause_scores(clause, fields)
            if total is None:
                total = clause_scores
            else:
                total = {
                    docnum: score + clause_scores[docnum] for docnum, score in total.items() if docnum in clause_scores
                }
            if not total:
                return {}
        return total or {}

    def score_any(self, plan: QueryPlan, fields: dict[str, float]) -> Scores:
        """Every document that matches at least one clause, scored by the sum over the clauses
        it matches: how alike a long text and a document are, rather than a search."""
        total: Scores = {}
        for clause in plan.clauses:
            _add(total, self.clause_scores(clause, fields))
        return total

    def informative(
        self, plan: QueryPlan, fields: Iterable[str], max_share: float, limit: int, always: int = 0
    ) -> QueryPlan:
        """The `limit` rarest clauses of a long text's plan, leaving out those found in no
        document and those in more than `max_share` of them and more than `always` (in any of the
        fields): a common word adds little to a score and costs the most to read. Words are
        matched whole: a word the analyzer splits is replaced by its pieces of two characters or
        more, each a clause of its own, rather than matched as a phrase (a span query each)."""
        fields = list(fields)
        most = max(max_share * self.reader.doc_count(), always)
        clauses: dict[tuple[str, ...], Clause] = {}
        for clause in plan.clauses:
            for words in ([word.text for word in clause.words], *([piece] for _, piece in clause.words[0].pieces)):
                if len(words[0]) > 1:
                    clauses.setdefault(tuple(words), Clause(tuple(Word(text) for text in words)))
        rated = []
        for position, (texts, clause) in enumerate(clauses.items()):
            frequency = max(self.reader.doc_frequency(name, text) for name in fields for text in texts)
            if 0 < frequency <= most:
                rated.append((frequency, position, clause))
        return QueryPlan(plan.text, tuple(clause for _, _, clause in sorted(rated)[:limit]))

    def clause_scores(self, clause: Clause, fields: dict[str, float]) -> Scores:
        """A clause's best alternative (the word or a synonym) in each field, summed over the fields."""
        scores: Scores = {}
        for name, boost in fields.items():
            best: Scores = {}
            for i, word in enumerate(clause.words):
                _keep_max(best, self.word_scores(name, word, boost * (1.0 if i == 0 else SYNONYM_WEIGHT)))
            _add(scores, best)
        return scores

    def word_scores(self, fieldname: str, word: Word, boost: float) -> Scores:
        """The word as a token, or else its pieces at their exact relative offsets (scored
        lower, and never added to the whole word's score)."""
        scores = self.term_scores(fieldname, word.text, boost)
        if word.pieces:
            _keep_max(scores, self.query_scores(pieces_query(fieldname, word, boost * PIECES_WEIGHT)))
        return scores

    def term_scores(self, fieldname: str, text: str, boost: float) -> Scores:
        btext = self.searcher.schema[fieldname].to_bytes(text)
        if (fieldname, btext) not in self.reader:
            return {}
        idf = self.searcher.idf(fieldname, btext)
        k1_plus_1 = self.k1 + 1
        norms = self._field_norms(fieldname)
        scores: Scores = {}
        leaves = self.reader.leaf_readers()
        for (leaf, offset), lengths in zip(leaves, self.lengths.get(self.reader, fieldname), strict=True):
            if (fieldname, btext) not in leaf:
                continue
            if lengths is None:  # Whoosh then takes a length of 1 for every document
                lengths = bytes([1]) * leaf.doc_count_all()
            blocks, deleted = _postings(leaf, fieldname, btext)
            for ids, weights in blocks:
                for docnum, tf in zip(ids, weights, strict=True):
                    if deleted and docnum in deleted:
                        continue
                    scores[offset + docnum] = idf * ((tf * k1_plus_1) / (tf + norms[lengths[docnum]])) * boost
        return scores

    def _field_norms(self, fieldname: str) -> list[float]:
        """The denominator's length part for each of the 256 length bytes, as Whoosh's bm25()."""
        norms = self._norms.get(fieldname)
        if norms is None:
            avgfl = self.searcher.avg_field_length(fieldname) or 1
            k1, b = self.k1, self.b
            norms = self._norms[fieldname] = [k1 * ((1 - b) + b * byte_to_length(i) / avgfl) for i in range(256)]
        return norms

    def query_scores(self, query: Query) -> Scores:
        matcher = query.matcher(self.searcher, self.searcher.context())
        scores: Scores = {}
        while matcher.is_active():
            scores[matcher.id()] = matcher.score()
            matcher.next()
        return scores


def pieces_query(fieldname: str, word: Word, boost: float) -> Query:
    """The word's pieces, each at its offset from the first."""
    (first_offset, first), *rest = word.pieces
    query: Query = Term(fieldname, first, boost=boost)
    previous = first_offset
    for offset, piece in rest:
        distance = offset - previous
        query = SpanNear2([query, Term(fieldname, piece, boost=boost)], slop=distance, mindist=distance)
        previous = offset
    return query


def _keep_max(into: Scores, scores: Scores) -> None:
    for docnum, score in scores.items():
        if docnum not in into or score > into[docnum]:
            into[docnum] = score


def _add(into: Scores, scores: Scores) -> None:
    for docnum, score in scores.items():
        into[docnum] = into.get(docnum, 0.0) + score
