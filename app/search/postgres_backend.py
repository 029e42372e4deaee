"""The PostgreSQL backend of the search engine: one table of documents, `search_documents`.

Each document is a row: its jieba tokens (the same analysis as the Whoosh backend, the same user
dictionary and synonyms) as a `tsvector` under a GIN index, its facet values, sort values and
highlight texts. The tokens are written as a tsvector literal, not through a text search
configuration: the text is segmented here, and PostgreSQL's parsers cannot segment Chinese.

- Positions are character offsets, as in the Whoosh index, each field after the previous one
  and a gap: a word matched through its pieces (see `app.search.query`) is a phrase query with
  exact distances (`'数字' <2> '孪生'`), never across two fields.
- Field weights: the text fields' boosts, highest first, are the weights A, B, C and D (the
  fourth and lower boosts share D); `ts_rank` gets the boosts as its weights, and divides by
  1 + the logarithm of the document's length (as BM25, a short title that is all about the word
  ranks before a long one that mentions it: the Whoosh backend's first hits). A clause scores
  its best alternative (synonyms and pieces lower, as in the Whoosh backend); clauses add up.
- Rows are written in the transaction of the change (the session hooks of `app.search.sync`
  call `write` before the commit): the index is current on every node the moment the data is,
  and a rolled-back change leaves it as it was.
- Facet counts are GROUP BYs over the filtered matches, each field under the other fields'
  filters, as the Whoosh backend counts them.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, has_app_context
from sqlalchemy import Connection, Table, cast, delete, func, select, text
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from app.extensions import db
from app.search.analysis import (
    Synonyms,
    analysis_fingerprint,
    configure_segmenter,
    normalize,
    segment,
    set_segment_memo,
    warm_up,
)
from app.search.documents import Document, DocumentType, document_type
from app.search.engine import MAX_PER_PAGE, Hit, IndexStatus, SearchEngine, SearchResult
from app.search.highlight import document_highlights
from app.search.models import TERMS_INDEX, SearchDocument, SearchIndexState
from app.search.query import Clause, QueryPlan, Word, parse_query, search_request
from app.search.whoosh_backend import (
    SIMILAR_ALWAYS_READ,
    SIMILAR_MAX_SHARE,
    SIMILAR_TEXT_LENGTH,
    SIMILAR_WORDS,
    SIMILAR_WORDS_READ,
    sort_value,
)
from app.search.whoosh_scoring import PIECES_WEIGHT, SYNONYM_WEIGHT

log = logging.getLogger("gongfu.search")

#: Bump when what a row holds changes: every type is then rebuilt.
LAYOUT_VERSION = 2
WEIGHTS = "ABCD"
#: Characters between two fields' positions: more than any word a query may match by its pieces.
FIELD_GAP = 256
MAX_POSITION = 16383  # PostgreSQL's: later tokens all get this position
MAX_POSITIONS = 256  # PostgreSQL's, per lexeme
MAX_LEXEME_BYTES = 2046
BATCH = 500
#: Relevance: the matches are ranked by their head (`document_vectors`), a vector small enough to
#: be read with the row; the first RANKED of them are ranked again by all their text.
RANKED = 100
#: A rebuild of at least this many documents segments them in SEARCH_BUILD_PROCESSES worker
#: processes (default: one per core), each remembering the tokens of this many stretches of text.
PARALLEL_BUILD = 2000
BUILD_MEMO = 100_000
TABLE: Table = SearchDocument.__table__  # type: ignore[assignment]


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def field_weights(doc_type: DocumentType) -> dict[str, str]:
    """Text field → weight letter: the highest boost is A, the next B, C, and the rest D."""
    boosts = sorted(set(doc_type.text_fields.values()), reverse=True)
    return {name: WEIGHTS[min(boosts.index(boost), 3)] for name, boost in doc_type.text_fields.items()}


def rank_weights(doc_type: DocumentType) -> list[float]:
    """`ts_rank`'s weights {D, C, B, A}: each letter's boost over the highest boost."""
    boosts = sorted(set(doc_type.text_fields.values()), reverse=True)
    by_letter = {WEIGHTS[min(i, 3)]: boost / boosts[0] for i, boost in reversed(list(enumerate(boosts)))}
    return [by_letter.get(letter, 0.0) for letter in "DCBA"]


def document_vectors(doc_type: DocumentType, doc: Document) -> tuple[str, str, dict[str, list]]:
    """The tsvector literals of a document's text fields: all of them, and its head (the fields
    weighted A to C, without the lowest weight D), which ranks the matches; and the tokens of its
    highlight fields, kept so that a hit is highlighted without segmenting its text again."""
    weights = field_weights(doc_type)
    positions: dict[str, list[str]] = {}
    segmented: dict[str, list] = {}
    base = 1
    for name in doc_type.text_fields:
        value = normalize(doc.text.get(name) or "")
        tokens = segment(value)
        if name in doc_type.highlight_fields:
            segmented[name] = [list(token) for token in tokens]
        for word, start, _ in tokens:
            found = positions.setdefault(word, [])
            if len(found) < MAX_POSITIONS:
                found.append(f"{min(base + start, MAX_POSITION)}{weights[name]}")
        base += len(value) + FIELD_GAP
    terms, head = [], []
    for word, found in positions.items():
        if len(word.encode()) <= MAX_LEXEME_BYTES:
            terms.append(f"{_quote(word)}:{','.join(found)}")
            found = [position for position in found if not position.endswith("D")]
            if found:
                head.append(f"{_quote(word)}:{','.join(found)}")
    return " ".join(terms), " ".join(head), segmented


def document_row(doc_type: DocumentType, doc: Document) -> dict:
    facets: list[str] = []
    for name in doc_type.facet_fields:
        values = [str(v) for v in doc.facets.get(name) or () if v not in (None, "")]
        facets.extend(f"{name}:{value}" for value in dict.fromkeys(values))
    terms, head, segmented = document_vectors(doc_type, doc)
    return {
        "doc_type": doc_type.name,
        "doc_id": doc.id,
        "terms": terms,
        "head": head,
        "facets": facets,
        "sort_keys": {name: sort_value(doc.sort.get(name), kind) for name, kind in doc_type.sort_fields.items()},
        "stored": {name: doc.text.get(name) or "" for name in doc_type.highlight_fields},
        "tokens": segmented,
    }


def document_rows(type_name: str, documents: list[Document]) -> list[dict]:
    """The rows of a rebuild's chunk of documents (in a worker process of its pool)."""
    doc_type = document_type(type_name)
    return [document_row(doc_type, doc) for doc in documents]


def word_query(word: str, letters: str = "") -> str:
    return _quote(word) + (f":{letters}" if letters else "")


def pieces_query(word: Word, letters: str = "") -> str:
    """The word's pieces, each at its distance from the previous one."""
    (previous, first), *rest = word.pieces
    query = word_query(first, letters)
    for offset, piece in rest:
        query += f" <{offset - previous}> {word_query(piece, letters)}"
        previous = offset
    return f"({query})"


class _Sql:
    """Bound parameters of a statement being built."""

    def __init__(self) -> None:
        self.params: dict[str, object] = {}

    def bind(self, value: object, kind: str = "") -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"CAST(:{name} AS {kind})" if kind else f":{name}"


def _alternatives(words: Iterable[Word], letters: str = "") -> list[tuple[str, float]]:
    """(tsquery, weight) of a clause's alternatives: the word, its synonyms, and their pieces."""
    alternatives = []
    for i, word in enumerate(words):
        weight = 1.0 if i == 0 else SYNONYM_WEIGHT
        alternatives.append((word_query(word.text, letters), weight))
        if word.pieces:
            alternatives.append((pieces_query(word, letters), weight * PIECES_WEIGHT))
    return alternatives


def _plan_sql(
    sql: _Sql,
    plan: QueryPlan,
    weights: list[float],
    letters: str = "",
    any_clause: bool = False,
    column: str = "terms",
):
    """The WHERE condition (every clause, or any with `any_clause`) and the score expression of
    the tsvector `column`."""
    clause_queries, scores = [], []
    rank_weights_sql = sql.bind(weights, "float4[]")
    for clause in plan.clauses:
        alternatives = _alternatives(clause.words, letters)
        clause_queries.append("(" + " | ".join(query for query, _ in alternatives) + ")")
        ranks = [
            f"ts_rank({rank_weights_sql}, {column}, {sql.bind(query, 'tsquery')}, 1) * {weight!r}"
            for query, weight in alternatives
        ]
        scores.append(ranks[0] if len(ranks) == 1 else f"GREATEST({', '.join(ranks)})")
    joiner = " | " if any_clause else " & "
    condition = f"{column} @@ {sql.bind(joiner.join(clause_queries), 'tsquery')}"
    return condition, " + ".join(scores)


@contextmanager
def _matched_by_index(connection: Connection, words: bool) -> Iterator[None]:
    """Words are matched through the GIN index, never by a sequential scan. The planner prices a
    scan without the reading of each row's tsvector, which is stored out of line (TOAST): for a word
    in a fifth or more of the documents it chose the scan, which read every vector and took 4-8 times
    as long as the index (5G at 100,000 scenarios: 437 ms against 60). Set for the search's statement
    only, in the caller's transaction."""
    if not words:
        yield
        return
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    try:
        yield
    finally:
        connection.execute(text("RESET enable_seqscan"))


def _merge_pending(connection: Connection) -> None:
    """Move the index entries just written from the GIN index's pending list into its tree. Written
    rows go to the list first (fastupdate), and every search reads the whole list until autovacuum or
    its 4 MB limit merges it: after a rebuild of 3,000 scenarios it held 390 pages, and a search took
    17 ms at p50 instead of 5."""
    connection.execute(select(func.gin_clean_pending_list(cast(TERMS_INDEX, REGCLASS))))


def _lock(connection: Connection, doc_type: DocumentType) -> None:
    """Taken by a rebuild and a start-up check until their transaction ends."""
    connection.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"search {doc_type.name}"))))


def _stored_fingerprint(connection: Connection, doc_type: DocumentType) -> str | None:
    return connection.scalar(select(SearchIndexState.fingerprint).where(SearchIndexState.doc_type == doc_type.name))


def _documents(
    doc_type: DocumentType, objects: Iterable, progress: Callable[[int], object] | None
) -> Iterator[list[Document]]:
    """The documents of these objects, BATCH objects at a time."""
    documents: list[Document] = []
    for number, obj in enumerate(objects, start=1):
        doc = doc_type.to_document(obj)
        if doc is not None:
            documents.append(doc)
        if progress:
            progress(1)
        if number % BATCH == 0:
            yield documents
            documents = []
    yield documents


class PostgresEngine(SearchEngine):
    def __init__(self, app: Flask):
        config = app.config
        userdict = Path(config["SEARCH_USERDICT"])
        synonyms = Path(config["SEARCH_SYNONYMS"])
        self._userdict_text = userdict.read_text(encoding="utf-8")
        self._synonyms_text = synonyms.read_text(encoding="utf-8")
        self.synonyms = Synonyms.parse(self._synonyms_text)
        self.startup_check = bool(config["SEARCH_STARTUP_CHECK"])
        self.build_processes = int(config.get("SEARCH_BUILD_PROCESSES") or os.cpu_count() or 1)
        cache = config.get("SEARCH_JIEBA_CACHE") or Path(config["SEARCH_INDEX_DIR"]) / "jieba.cache"
        configure_segmenter(cache_file=cache, user_dictionary=userdict, extra_words=self.synonyms.terms())
        warm_up()
        with app.app_context():
            self._db_engine = db.engine
            if self._db_engine.dialect.name != "postgresql":
                raise RuntimeError("SEARCH_BACKEND=postgres needs a PostgreSQL DATABASE_URL")
        self._ready: set[str] = set()

    def fingerprint(self, doc_type: DocumentType) -> str:
        return analysis_fingerprint(
            self._userdict_text, self._synonyms_text, doc_type.signature(), f"postgres layout {LAYOUT_VERSION}"
        )

    # --- writing --------------------------------------------------------------------------

    def write(self, connection: Connection, doc_type: str, ids: Iterable[int]) -> None:
        """Make the rows of these ids agree with the data as `connection`'s transaction sees it.
        The objects are read in a session of their own on that connection, which leaves the
        transaction to its owner (and its objects to the caller's session)."""
        dt = document_type(doc_type)
        if dt.name not in self._ready:
            if self._rebuild_if_stale(connection, dt):
                return  # the rebuild, in this transaction, read these ids too
            self._ready.add(dt.name)  # the rows are current (searches of other processes repair counts)
        ordered = sorted({int(i) for i in ids})
        with Session(bind=connection, join_transaction_mode="rollback_only") as reader:
            for start in range(0, len(ordered), BATCH):
                chunk = ordered[start : start + BATCH]
                stmt = dt.query().where(dt.model.id.in_(chunk))
                documents = [doc for obj in reader.scalars(stmt).unique() if (doc := dt.to_document(obj)) is not None]
                self._upsert(connection, dt, [document_row(dt, doc) for doc in documents])
                gone = set(chunk) - {doc.id for doc in documents}
                if gone:
                    connection.execute(delete(TABLE).where(TABLE.c.doc_type == dt.name, TABLE.c.doc_id.in_(gone)))
        _merge_pending(connection)

    @staticmethod
    def _upsert(connection: Connection, doc_type: DocumentType, rows: list[dict]) -> None:
        if not rows:
            return
        stmt = pg_insert(TABLE)
        stmt = stmt.on_conflict_do_update(
            index_elements=[TABLE.c.doc_type, TABLE.c.doc_id],
            set_={name: stmt.excluded[name] for name in ("terms", "head", "facets", "sort_keys", "stored", "tokens")},
        )
        connection.execute(stmt, rows)

    def sync(self, doc_type: str, ids: Iterable[int]) -> bool:
        try:
            self.ensure_ready(doc_type)
            with Session(self._db_engine) as session:
                self.write(session.connection(), doc_type, ids)
                session.commit()
            return True
        except Exception:
            log.exception("search: writing %s documents failed", doc_type)
            return False

    def remove(self, doc_type: str, ids: Iterable[int]) -> bool:
        try:
            with Session(self._db_engine) as session:
                session.connection().execute(
                    delete(TABLE).where(TABLE.c.doc_type == doc_type, TABLE.c.doc_id.in_({int(i) for i in ids}))
                )
                session.commit()
            return True
        except Exception:
            log.exception("search: removing %s documents failed", doc_type)
            return False

    def rebuild(self, doc_type: str, progress: Callable[[int], object] | None = None) -> int:
        dt = document_type(doc_type)
        with Session(self._db_engine) as session:
            count = self._rebuild(session.connection(), dt, progress)
            session.commit()
        self._ready.add(dt.name)
        return count

    def _rebuild(
        self, connection: Connection, doc_type: DocumentType, progress: Callable[[int], object] | None = None
    ) -> int:
        """Every row of the type anew, in the connection's transaction: readers see the old rows
        until it commits. Two processes rebuilding at once take turns (a transaction lock)."""
        started = time.perf_counter()
        _lock(connection, doc_type)
        connection.execute(delete(TABLE).where(TABLE.c.doc_type == doc_type.name))
        count = 0
        parallel = (
            self.build_processes > 1
            and (connection.scalar(select(func.count()).select_from(doc_type.query().order_by(None).subquery())) or 0)
            >= PARALLEL_BUILD
        )
        with Session(bind=connection, join_transaction_mode="rollback_only") as reader:
            objects = reader.scalars(doc_type.query().execution_options(yield_per=BATCH))
            for rows in self._rows(doc_type, _documents(doc_type, objects, progress), parallel):
                if rows:
                    connection.execute(TABLE.insert(), rows)
                    count += len(rows)
        _merge_pending(connection)
        state = pg_insert(SearchIndexState).values(
            doc_type=doc_type.name,
            fingerprint=self.fingerprint(doc_type),
            built_at=datetime.now(UTC).replace(tzinfo=None),
        )
        connection.execute(
            state.on_conflict_do_update(
                index_elements=["doc_type"],
                set_={"fingerprint": state.excluded.fingerprint, "built_at": state.excluded.built_at},
            )
        )
        log.info("search: rebuilt %s documents, %d in %.1f s", doc_type.name, count, time.perf_counter() - started)
        return count

    def _rows(self, doc_type: DocumentType, chunks: Iterable[list[Document]], parallel: bool) -> Iterator[list[dict]]:
        """The rows of each chunk of documents, in order; segmented by a pool of worker processes
        when `parallel` (jieba holds the GIL: threads would take turns), a few chunks ahead of
        the inserts. The workers are forked: they have the dictionaries and document types
        already, and never touch the database."""
        if not parallel:
            for documents in chunks:
                yield [document_row(doc_type, doc) for doc in documents]
            return
        context = multiprocessing.get_context("fork")
        with context.Pool(self.build_processes, initializer=set_segment_memo, initargs=(BUILD_MEMO,)) as pool:
            pending: deque = deque()
            for documents in chunks:
                pending.append(pool.apply_async(document_rows, (doc_type.name, documents)))
                if len(pending) > self.build_processes:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()

    # --- the start-up check ---------------------------------------------------------------

    def _fingerprint_stored(self, session: Session, doc_type: DocumentType) -> str | None:
        return session.scalar(select(SearchIndexState.fingerprint).where(SearchIndexState.doc_type == doc_type.name))

    def ensure_ready(self, doc_type: str) -> None:
        """Once per process and type: rebuild the rows of a type never built, or built under
        another fingerprint; re-sync ids on one side only if the counts differ."""
        if doc_type in self._ready:
            return
        dt = document_type(doc_type)
        with Session(self._db_engine) as session:
            connection = session.connection()
            if not self._rebuild_if_stale(connection, dt) and self.startup_check:
                indexed = set(connection.scalars(select(TABLE.c.doc_id).where(TABLE.c.doc_type == dt.name)))
                expected = set(connection.scalars(select(dt.query().order_by(None).subquery().c.id)))
                if indexed != expected:
                    log.warning(
                        "search: %s has %d documents, the database %d; re-syncing the difference",
                        dt.name,
                        len(indexed),
                        len(expected),
                    )
                    self.write(connection, dt.name, indexed ^ expected)
            session.commit()
        self._ready.add(doc_type)

    def _rebuild_if_stale(self, connection: Connection, doc_type: DocumentType) -> bool:
        """Rebuild, in the connection's transaction, the rows of a type never built or built under
        another fingerprint; True if it did. Processes checking at once take turns."""
        _lock(connection, doc_type)
        stored = _stored_fingerprint(connection, doc_type)
        if stored is not None and (stored == self.fingerprint(doc_type) or not self.startup_check):
            return False
        if stored is None:
            log.info("search: no %s documents yet, building them", doc_type.name)
        else:
            log.warning(
                "search: %s documents were built with another dictionary, synonyms or layout; rebuilding",
                doc_type.name,
            )
        self._rebuild(connection, doc_type)
        return True

    def is_built(self, doc_type: str) -> bool:
        dt = document_type(doc_type)
        with Session(self._db_engine) as session:
            return _stored_fingerprint(session.connection(), dt) == self.fingerprint(dt)

    def database_count(self, doc_type: str) -> int:
        dt = document_type(doc_type)
        with Session(self._db_engine) as session:
            return session.execute(select(func.count()).select_from(dt.query().order_by(None).subquery())).scalar_one()

    def status(self, doc_type: str) -> IndexStatus:
        dt = document_type(doc_type)
        with Session(self._db_engine) as session:
            stored = _stored_fingerprint(session.connection(), dt)
            documents = session.scalar(select(func.count()).where(TABLE.c.doc_type == dt.name)) or 0
        return IndexStatus(
            doc_type=dt.name,
            exists=stored is not None,
            documents=documents,
            database=self.database_count(dt.name),
            fingerprint_matches=stored == self.fingerprint(dt),
        )

    # --- searching ------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """The application context's connection, if there is one: a search reads in the caller's
        transaction, without a connection of its own (a checkout, its ping, BEGIN and ROLLBACK)."""
        if has_app_context() and db.engine is self._db_engine:
            yield db.session.connection()
        else:
            with Session(self._db_engine) as session:
                yield session.connection()

    def _checked(self, doc_type: DocumentType) -> None:
        try:
            self.ensure_ready(doc_type.name)
        except Exception:
            log.exception("search: the %s documents could not be checked; searching them as they are", doc_type.name)

    def search(
        self,
        doc_type: str,
        query: str | None = None,
        filters: dict[str, list[str]] | None = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
    ) -> SearchResult:
        dt = document_type(doc_type)
        plan, sort, page, per_page, chosen = search_request(
            dt, self.synonyms, query, filters, sort, page, per_page, MAX_PER_PAGE
        )
        self._checked(dt)

        sql = _Sql()
        where = [f"doc_type = {sql.bind(dt.name)}"]
        score = "0.0"
        ranked = not plan.is_empty and sort == "relevance"
        if not plan.is_empty:
            condition, _ = _plan_sql(sql, plan, rank_weights(dt))
            where.append(condition)
            if ranked:
                _, score = _plan_sql(sql, plan, rank_weights(dt), column="head")
        flags = {name: f"f{i}" for i, name in enumerate(chosen)}
        flag_columns = "".join(
            f", facets && {sql.bind([f'{name}:{v}' for v in values], 'text[]')} AS {flags[name]}"
            for name, values in chosen.items()
        )
        every = " AND ".join(flags.values()) or "true"
        if chosen:
            cases = " ".join(
                f"WHEN {sql.bind(name)} THEN {' AND '.join(f for other, f in flags.items() if other != name) or 'true'}"
                for name in chosen
            )
            facet_where = f"WHERE CASE split_part(v, ':', 1) {cases} ELSE {every} END"
        else:
            facet_where = ""
        first, last = (page - 1) * per_page, page * per_page
        if ranked:
            # The first RANKED matches by their head, ranked again by all their text, then the rest.
            _, full_score = _plan_sql(sql, plan, rank_weights(dt), column="d.terms")
            page_sql = f"""
                top AS (SELECT doc_id, score FROM m WHERE {every} ORDER BY score DESC, doc_id LIMIT {RANKED}),
                page AS (
                    SELECT doc_id, score, ord FROM (
                        SELECT doc_id, score, row_number() OVER (ORDER BY score DESC, doc_id) AS ord FROM (
                            SELECT d.doc_id, {full_score} AS score FROM top
                            JOIN search_documents d ON d.doc_type = {sql.bind(dt.name)} AND d.doc_id = top.doc_id
                        ) r
                    ) r WHERE ord > {sql.bind(first)} AND ord <= {sql.bind(last)}
                    UNION ALL
                    SELECT doc_id, score, {RANKED} + row_number() OVER (ORDER BY score DESC, doc_id) AS ord FROM (
                        SELECT doc_id, score FROM m WHERE {every} ORDER BY score DESC, doc_id
                        LIMIT {sql.bind(max(0, last - max(first, RANKED)))} OFFSET {sql.bind(max(first, RANKED))}
                    ) rest
                )"""
        else:
            if sort == "relevance":
                order = "doc_id"
            else:
                keys = []
                for key in dt.sorts[sort]:
                    value = f"(sort_keys->>{sql.bind(key.field)})"
                    value += ' COLLATE "C"' if dt.sort_fields[key.field] == "str" else "::bigint"
                    keys.append(value + (" DESC" if key.descending else ""))
                order = ", ".join([*keys, "doc_id"])
            page_sql = f"""
                page AS (
                    SELECT doc_id, score, {sql.bind(first)} + row_number() OVER (ORDER BY {order}) AS ord
                    FROM m WHERE {every} ORDER BY {order}
                    LIMIT {sql.bind(per_page)} OFFSET {sql.bind(first)}
                )"""
        statement = f"""
            WITH m AS MATERIALIZED (
                SELECT doc_id, facets, {"" if ranked else "sort_keys, "}{score} AS score{flag_columns}
                FROM search_documents WHERE {" AND ".join(where)}
            ), {page_sql}
            SELECT 0 AS kind, v AS value, count(*) AS n, NULL::int AS doc_id, NULL::float8 AS score,
                   NULL::jsonb AS stored, NULL::jsonb AS tokens, NULL::bigint AS ord
            FROM (SELECT m.*, unnest(m.facets) AS v FROM m) AS u {facet_where} GROUP BY v
            UNION ALL
            SELECT 1, NULL, count(*), NULL, NULL, NULL, NULL, NULL FROM m WHERE {every}
            UNION ALL
            SELECT 2, NULL, NULL, p.doc_id, p.score, d.stored, d.tokens, p.ord
            FROM page p JOIN search_documents d ON d.doc_type = {sql.bind(dt.name)} AND d.doc_id = p.doc_id
        """
        facets: dict[str, dict[str, int]] = {name: {} for name in dt.facet_fields}
        total = 0
        page_rows = []
        with self._reading() as session, _matched_by_index(session, not plan.is_empty):
            for kind, value, n, doc_id, hit_score, stored, tokens, ordinal in session.execute(
                text(statement), sql.params
            ):
                if kind == 0:
                    name, _, code = value.partition(":")
                    if name in facets:
                        facets[name][code] = n
                elif kind == 1:
                    total = n
                else:
                    page_rows.append((ordinal, doc_id, hit_score, stored, tokens))
            missing = [f"{name}:{v}" for name, values in chosen.items() for v in values if v not in facets[name]]
            if missing:
                # A chosen value without matches is shown with 0 if some document has it.
                for value in session.scalars(
                    text(
                        "SELECT v FROM unnest(CAST(:values AS text[])) AS v WHERE EXISTS "
                        "(SELECT 1 FROM search_documents WHERE doc_type = :t AND facets @> ARRAY[v])"
                    ),
                    {"values": missing, "t": dt.name},
                ):
                    name, _, code = value.partition(":")
                    facets[name][code] = 0
        hits = [
            Hit(id=doc_id, score=float(hit_score), highlights=document_highlights(dt, plan, stored, tokens))
            for _, doc_id, hit_score, stored, tokens in sorted(page_rows, key=lambda row: row[0])
        ]
        return SearchResult(hits, total, page, per_page, facets, plan.text, sort)

    def similar(self, doc_type: str, text_: str, limit: int = 200, fields: Iterable[str] | None = None) -> list[Hit]:
        dt = document_type(doc_type)
        names = [name for name in dt.text_fields if fields is None or name in fields]
        plan = parse_query(text_, self.synonyms, max_length=SIMILAR_TEXT_LENGTH, max_clauses=SIMILAR_WORDS_READ)
        if plan.is_empty or not names or limit < 1:
            return []
        self._checked(dt)
        weights = field_weights(dt)
        letters = "".join(sorted({weights[name] for name in names}))
        ranks = rank_weights(dt)
        ranks = [weight if letter in letters else 0.0 for weight, letter in zip(ranks, "DCBA", strict=True)]
        with self._reading() as session:
            informative = self._informative(session, dt, plan, letters)
            if informative.is_empty:
                return []
            sql = _Sql()
            condition, score = _plan_sql(sql, informative, ranks, letters, any_clause=True)
            rows = session.execute(
                text(
                    f"SELECT doc_id, {score} AS score FROM search_documents "
                    f"WHERE doc_type = {sql.bind(dt.name)} AND {condition} "
                    f"ORDER BY score DESC, doc_id LIMIT {sql.bind(limit)}"
                ),
                sql.params,
            ).all()
        return [Hit(id=doc_id, score=float(score)) for doc_id, score in rows]

    def _informative(self, session: Connection, doc_type: DocumentType, plan: QueryPlan, letters: str) -> QueryPlan:
        """As `PlanScorer.informative`: the rarest clauses, without those in no document or in
        too many; a word split into pieces gives its pieces as clauses of their own."""
        clauses: dict[tuple[str, ...], Clause] = {}
        for clause in plan.clauses:
            for words in (
                tuple(word.text for word in clause.words),
                *((piece,) for _, piece in clause.words[0].pieces),
            ):
                if len(words[0]) > 1:
                    clauses.setdefault(words, Clause(tuple(Word(w) for w in words)))
        if not clauses:
            return QueryPlan(plan.text, ())
        texts = list(dict.fromkeys(w for words in clauses for w in words))
        sql = _Sql()
        counts = ", ".join(
            f"count(*) FILTER (WHERE terms @@ {sql.bind(word_query(w, letters), 'tsquery')})" for w in texts
        )
        every = " | ".join(word_query(w, letters) for w in texts)
        row = session.execute(
            text(
                f"SELECT {counts} FROM search_documents "
                f"WHERE doc_type = {sql.bind(doc_type.name)} AND terms @@ {sql.bind(every, 'tsquery')}"
            ),
            sql.params,
        ).one()
        total = session.scalar(select(func.count()).where(TABLE.c.doc_type == doc_type.name)) or 0
        frequency = dict(zip(texts, row, strict=True))
        most = max(SIMILAR_MAX_SHARE * total, SIMILAR_ALWAYS_READ)
        rated = []
        for position, (texts_, clause) in enumerate(clauses.items()):
            found = max(frequency.get(w, 0) for w in texts_)
            if 0 < found <= most:
                rated.append((found, position, clause))
        return QueryPlan(plan.text, tuple(clause for _, _, clause in sorted(rated)[:SIMILAR_WORDS]))

    def close(self) -> None:
        """Nothing to close: every search uses a connection of the application's pool."""
