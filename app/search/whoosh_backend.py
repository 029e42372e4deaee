"""The Whoosh backend of the search engine: one index directory per document type.

Layout under SEARCH_INDEX_DIR:

    <type>/                 the Whoosh index (its own MAIN_WRITELOCK serialises writers)
    <type>.meta.json        fingerprint and document count of the last full rebuild
    <type>.check.lock       held while a process checks, repairs or rebuilds the index
    <type>.write.lock       held around each write: the writer and the journal entries it read
    <type>.pending          write-ahead journal: ids appended before a write, dropped after its
                            commit; what a busy, failed or killed write leaves, the next one does
    jieba.cache             jieba's dictionary cache

Concurrency (several gunicorn workers, each possibly threaded):
- every write takes Whoosh's writer lock with a timeout, THEN reads the objects' committed state
  from the database, then commits: the last writer writes the latest data, so no update is lost
  whatever order the workers' commits and index writes interleave in;
- ids are journaled in `<type>.pending` before the write: a write that cannot get the lock in
  time, fails, or dies with its worker leaves them for the next write of that type (or the
  start-up check); callers never see LockError;
- full rebuilds use one writer and `mergetype=CLEAR`, which readers see as one atomic swap;
- each thread keeps one searcher per type, replaced (and the old one closed) when the index
  generation changes. Whoosh-Reloaded's `Searcher.refresh()` is not used: its reader reuse
  keeps segments the new generation dropped.
"""

from __future__ import annotations

import heapq
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.query import Every
from whoosh.searching import Searcher
from whoosh.sorting import FieldFacet
from whoosh.writing import CLEAR

from app.extensions import db
from app.search.analysis import ChineseTokenizer, Synonyms, analysis_fingerprint, configure_segmenter, warm_up
from app.search.documents import Document, DocumentType, document_type
from app.search.engine import MAX_PER_PAGE, Hit, IndexStatus, SearchEngine, SearchResult
from app.search.highlight import document_highlights
from app.search.locks import LockTimeout, file_lock
from app.search.query import parse_query, search_request
from app.search.whoosh_scoring import FieldLengths, PlanScorer

log = logging.getLogger("gongfu.search")

#: Bump when `build_schema` changes: every index is then rebuilt.
SCHEMA_VERSION = 1
SORT_PREFIX = "sort_"
EPOCH = datetime(1970, 1, 1)
#: A sync of at least this many ids that is also half the index or more is done as a rebuild.
LARGE_SYNC = 200
#: What of a long text `similar` reads: its first characters and their first distinct words, of
#: which it compares by the rarest few, leaving out those in more than a share of the documents
#: (in a large index: a word in fewer documents than SIMILAR_ALWAYS_READ is cheap to read).
SIMILAR_TEXT_LENGTH = 600
SIMILAR_WORDS_READ = 60
SIMILAR_WORDS = 20
SIMILAR_MAX_SHARE = 0.2
SIMILAR_ALWAYS_READ = 500


def build_schema(doc_type: DocumentType) -> Schema:
    fields = {"id": ID(stored=True, unique=True)}
    for name in doc_type.text_fields:
        fields[name] = TEXT(analyzer=ChineseTokenizer(), stored=name in doc_type.highlight_fields, phrase=True)
    for name in doc_type.facet_fields:
        fields[name] = KEYWORD(commas=True, lowercase=False, scorable=False)
    for name, kind in doc_type.sort_fields.items():
        fields[SORT_PREFIX + name] = (
            ID(sortable=True) if kind == "str" else NUMERIC(numtype=int, bits=64, signed=True, sortable=True)
        )
    return Schema(**fields)


def sort_value(value, kind: str):
    """A sort field's value as the index sorts it: datetimes as milliseconds since 1970."""
    if kind == "str":
        return "" if value is None else str(value)
    if kind == "datetime":
        if value is None:
            return 0
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return int((value - EPOCH).total_seconds() * 1000)
    return int(value or 0)


def document_fields(doc_type: DocumentType, doc: Document) -> dict:
    fields = {"id": str(doc.id)}
    for name in doc_type.text_fields:
        fields[name] = doc.text.get(name) or ""
    for name in doc_type.facet_fields:
        values = [str(v) for v in doc.facets.get(name) or () if v not in (None, "")]
        if any("," in v for v in values):
            raise ValueError(f"facet values may not contain commas: {name}={values}")
        fields[name] = ",".join(values)
    for name, kind in doc_type.sort_fields.items():
        fields[SORT_PREFIX + name] = sort_value(doc.sort.get(name), kind)
    return fields


@dataclass
class _Reader:
    """One thread's searcher on one index, and the facet postings, field lengths and document
    ids read through it."""

    searcher: Searcher
    generation: int
    postings: dict[str, dict[str, frozenset[int]]] = field(default_factory=dict)
    lengths: FieldLengths = field(default_factory=FieldLengths)
    ids: dict[int, int] = field(default_factory=dict)
    _all: frozenset[int] | None = None

    def document_id(self, docnum: int) -> int:
        found = self.ids.get(docnum)
        if found is None:
            found = self.ids[docnum] = int(self.searcher.stored_fields(docnum)["id"])
        return found

    def all_documents(self) -> frozenset[int]:
        if self._all is None:
            self._all = frozenset(self.searcher.reader().all_doc_ids())
        return self._all

    def facet_postings(self, fieldname: str) -> dict[str, frozenset[int]]:
        cached = self.postings.get(fieldname)
        if cached is None:
            reader = self.searcher.reader()
            cached = {}
            for value in reader.field_terms(fieldname):
                ids = frozenset(reader.postings(fieldname, value).all_ids())
                if ids:
                    cached[value] = ids
            self.postings[fieldname] = cached
        return cached


class WhooshEngine(SearchEngine):
    def __init__(self, app: Flask):
        config = app.config
        self.root = Path(config["SEARCH_INDEX_DIR"])
        self.root.mkdir(parents=True, exist_ok=True)
        self.write_timeout = float(config["SEARCH_WRITE_TIMEOUT"])
        self.rebuild_timeout = float(config["SEARCH_REBUILD_TIMEOUT"])
        self.startup_check = bool(config["SEARCH_STARTUP_CHECK"])
        userdict = Path(config["SEARCH_USERDICT"])
        synonyms = Path(config["SEARCH_SYNONYMS"])
        self._userdict_text = userdict.read_text(encoding="utf-8")
        self._synonyms_text = synonyms.read_text(encoding="utf-8")
        self.synonyms = Synonyms.parse(self._synonyms_text)
        configure_segmenter(
            cache_file=config.get("SEARCH_JIEBA_CACHE") or self.root / "jieba.cache",
            user_dictionary=userdict,
            extra_words=self.synonyms.terms(),
        )
        warm_up()
        with app.app_context():
            self._db_engine = db.engine
        self._write_lock = threading.RLock()
        self._check_lock = threading.Lock()
        self._ready: set[str] = set()
        self._indexes: dict[str, whoosh_index.FileIndex] = {}
        self._readers: dict[tuple[int, str], _Reader] = {}
        self._readers_lock = threading.Lock()

    # --- paths and metadata -------------------------------------------------------------

    def _dir(self, doc_type: DocumentType) -> Path:
        return self.root / doc_type.name

    def _file(self, doc_type: DocumentType, suffix: str) -> Path:
        return self.root / f"{doc_type.name}.{suffix}"

    def fingerprint(self, doc_type: DocumentType) -> str:
        return analysis_fingerprint(
            self._userdict_text, self._synonyms_text, doc_type.signature(), f"whoosh schema {SCHEMA_VERSION}"
        )

    def _read_meta(self, doc_type: DocumentType) -> dict:
        try:
            return json.loads(self._file(doc_type, "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write_meta(self, doc_type: DocumentType, documents: int) -> None:
        path = self._file(doc_type, "meta.json")
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(
            json.dumps(
                {
                    "fingerprint": self.fingerprint(doc_type),
                    "documents": documents,
                    "built_at": datetime.now(UTC).isoformat(),
                }
            ),
            encoding="utf-8",
        )
        os.replace(tmp, path)

    def _exists(self, doc_type: DocumentType) -> bool:
        directory = self._dir(doc_type)
        return directory.is_dir() and whoosh_index.exists_in(str(directory))

    def _open(self, doc_type: DocumentType) -> whoosh_index.FileIndex:
        """The index of a type (which must exist); the object only reads the directory on use."""
        ix = self._indexes.get(doc_type.name)
        if ix is None:
            ix = self._indexes[doc_type.name] = whoosh_index.open_dir(str(self._dir(doc_type)))
        return ix

    # --- the write-ahead journal of ids ---------------------------------------------------
    # Ids are appended before a write and dropped after its commit: a write that times out,
    # fails, or dies with its worker leaves them for the next writer of the type.

    def _journal_add(self, doc_type: DocumentType, ids: Iterable[int]) -> None:
        ids = sorted(set(ids))
        if not ids:
            return
        with (
            file_lock(self._file(doc_type, "pending.lock")),
            open(self._file(doc_type, "pending"), "a", encoding="ascii") as journal,
        ):
            journal.write("".join(f"{i}\n" for i in ids))

    def _journal_read(self, doc_type: DocumentType) -> tuple[set[int], int]:
        """The pending ids and the length of the journal they were read from."""
        try:
            with file_lock(self._file(doc_type, "pending.lock")):
                data = self._file(doc_type, "pending").read_bytes()
        except FileNotFoundError:
            return set(), 0
        return {int(line) for line in data.split()}, len(data)

    def _journal_drop(self, doc_type: DocumentType, length: int) -> None:
        """Drop the first `length` bytes (what a committed write had read): the file only grows
        at its end, so anything appended since is kept."""
        if not length:
            return
        path = self._file(doc_type, "pending")
        with file_lock(self._file(doc_type, "pending.lock")):
            rest = path.read_bytes()[length:]
            if rest:
                tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
                tmp.write_bytes(rest)
                os.replace(tmp, path)
            else:
                path.unlink()

    def _journal_size(self, doc_type: DocumentType) -> int:
        return len(self._journal_read(doc_type)[0])

    # --- reading the database -------------------------------------------------------------

    def _load_documents(self, doc_type: DocumentType, ids: set[int]) -> dict[int, Document]:
        documents = {}
        ordered = sorted(ids)
        with Session(self._db_engine) as session:
            for i in range(0, len(ordered), 500):
                stmt = doc_type.query().where(doc_type.model.id.in_(ordered[i : i + 500]))
                for obj in session.scalars(stmt).unique():
                    doc = doc_type.to_document(obj)
                    if doc is not None:
                        documents[doc.id] = doc
        return documents

    def database_count(self, doc_type: str) -> int:
        dt = document_type(doc_type)
        with Session(self._db_engine) as session:
            return session.execute(select(func.count()).select_from(dt.query().order_by(None).subquery())).scalar_one()

    def _database_ids(self, doc_type: DocumentType) -> set[int]:
        with Session(self._db_engine) as session:
            return set(session.scalars(select(doc_type.query().order_by(None).subquery().c.id)))

    # --- writing --------------------------------------------------------------------------

    def sync(self, doc_type: str, ids: Iterable[int]) -> bool:
        dt = document_type(doc_type)
        ids = {int(i) for i in ids}

        def write() -> None:
            if len(ids) >= LARGE_SYNC and len(ids) * 2 >= self._open(dt).doc_count():
                # Most of the index changed (a big batch published): a rebuild is faster.
                with file_lock(self._file(dt, "check.lock"), timeout=self.write_timeout):
                    self._rebuild(dt)
            else:
                self._write(dt, ids)

        return self._guarded(dt, ids, write)

    def remove(self, doc_type: str, ids: Iterable[int]) -> bool:
        """Remove these documents whatever the database says (if this fails, the ids are synced
        with the database later)."""
        dt = document_type(doc_type)
        ids = {int(i) for i in ids}
        return self._guarded(dt, ids, lambda: self._write(dt, set(), remove=ids))

    def _guarded(self, doc_type: DocumentType, ids: set[int], write: Callable[[], None]) -> bool:
        """Journal the ids, make sure the index is ready, write; never raise."""
        journaled = False
        try:
            self._journal_add(doc_type, ids)
            journaled = True
            if not self._ensure_ready(doc_type.name):  # a rebuild done now already read these ids
                write()
            return True
        except Exception as error:
            if isinstance(error, (whoosh_index.LockError, LockTimeout)):
                log.warning(
                    "search: %s index busy for %.1f s; %d ids left for the next write",
                    doc_type.name,
                    self.write_timeout,
                    len(ids),
                )
            else:
                log.exception("search: writing %d %s ids failed; left for the next write", len(ids), doc_type.name)
            if not journaled:
                log.error(
                    "search: %d %s ids could not be recorded either: run `flask search rebuild %s`",
                    len(ids),
                    doc_type.name,
                    doc_type.name,
                )
            return False

    def _write(self, doc_type: DocumentType, ids: set[int], remove: Iterable[int] = ()) -> None:
        """Under the writer lock: add the journal's ids, read their committed state, write,
        commit, then drop the journal entries that were read."""
        remove = {int(i) for i in remove}
        with self._write_lock, file_lock(self._file(doc_type, "write.lock"), timeout=self.write_timeout):
            writer = self._open(doc_type).writer(timeout=self.write_timeout)
            try:
                pending, length = self._journal_read(doc_type)
                ids = (ids | pending) - remove
                if ids or remove:
                    documents = self._load_documents(doc_type, ids)
                    for doc_id in sorted(ids | remove):
                        doc = documents.get(doc_id)
                        if doc is None:
                            writer.delete_by_term("id", str(doc_id))
                        else:
                            writer.update_document(**document_fields(doc_type, doc))
                    writer.commit()
                else:
                    writer.cancel()
            except BaseException:
                writer.cancel()
                raise
            self._journal_drop(doc_type, length)  # still under write.lock: no other write read it since

    def rebuild(self, doc_type: str, progress: Callable[[int], object] | None = None) -> int:
        dt = document_type(doc_type)
        with file_lock(self._file(dt, "check.lock"), timeout=self.rebuild_timeout):
            count = self._rebuild(dt, progress)
        with self._check_lock:
            self._ready.add(dt.name)
        return count

    def _rebuild(self, doc_type: DocumentType, progress: Callable[[int], object] | None = None) -> int:
        """A full rebuild from the database in one writer, committed with mergetype=CLEAR.
        The caller holds `<type>.check.lock`."""
        started = time.perf_counter()
        schema = build_schema(doc_type)
        directory = self._dir(doc_type)
        directory.mkdir(parents=True, exist_ok=True)
        with self._write_lock, file_lock(self._file(doc_type, "write.lock"), timeout=self.rebuild_timeout):
            if not self._exists(doc_type):
                whoosh_index.create_in(str(directory), schema)
            writer = self._open(doc_type).writer(timeout=self.rebuild_timeout)
            try:
                writer.schema = schema  # CLEAR drops every old segment: the new layout applies to all
                _, journal_length = self._journal_read(doc_type)  # the rebuild covers them
                count = 0
                with Session(self._db_engine) as session:
                    stmt = doc_type.query().execution_options(yield_per=500)
                    for obj in session.scalars(stmt):
                        doc = doc_type.to_document(obj)
                        if doc is not None:
                            writer.add_document(**document_fields(doc_type, doc))
                            count += 1
                        if progress:
                            progress(1)
                writer.commit(mergetype=CLEAR)
            except BaseException:
                writer.cancel()
                raise
            self._journal_drop(doc_type, journal_length)
            self._write_meta(doc_type, count)
        log.info(
            "search: rebuilt %s index, %d documents in %.1f s", doc_type.name, count, time.perf_counter() - started
        )
        return count

    # --- the start-up check ---------------------------------------------------------------

    def ensure_ready(self, doc_type: str) -> None:
        """Once per process and type, under `<type>.check.lock` so that two workers do not both
        rebuild: rebuild a missing index or one built under another fingerprint (user dictionary,
        synonyms, jieba, schema); re-sync ids if the document count differs from the database's.
        A process that finds another one checking uses the index as it is, if there is one."""
        self._ensure_ready(doc_type)

    def _ensure_ready(self, doc_type: str) -> bool:
        """The start-up check; True if it rebuilt the index just now."""
        if doc_type in self._ready:
            return False
        dt = document_type(doc_type)
        rebuilt = False
        with self._check_lock:
            if doc_type in self._ready:
                return False
            lock = self._file(dt, "check.lock")
            try:
                with file_lock(lock, timeout=0):
                    rebuilt = self._check(dt)
            except LockTimeout:
                if not self._exists(dt):
                    with file_lock(lock, timeout=self.rebuild_timeout):
                        rebuilt = self._check(dt)
            self._ready.add(doc_type)
        return rebuilt

    def _check(self, doc_type: DocumentType) -> bool:
        """Returns True if it rebuilt the index."""
        if not self._exists(doc_type):
            log.info("search: no %s index yet, building it", doc_type.name)
            self._rebuild(doc_type)
            return True
        if not self.startup_check:
            return False
        if self._read_meta(doc_type).get("fingerprint") != self.fingerprint(doc_type):
            log.warning(
                "search: %s index was built with another dictionary, synonyms or schema; rebuilding", doc_type.name
            )
            self._rebuild(doc_type)
            return True
        if self._journal_size(doc_type):
            self._write(doc_type, set())  # what other writes left, before counting
        indexed = self._open(doc_type).doc_count()
        expected = self.database_count(doc_type.name)
        if indexed != expected:
            # Lost writes (or, harmlessly, another worker's commit not indexed yet): sync the ids
            # that are on one side only.
            log.warning(
                "search: %s index has %d documents, the database %d; re-syncing the difference",
                doc_type.name,
                indexed,
                expected,
            )
            self._repair(doc_type)
        return False

    def _repair(self, doc_type: DocumentType) -> None:
        ix = self._open(doc_type)
        with ix.reader() as reader:
            indexed = {int(fields["id"]) for fields in reader.all_stored_fields()}
        self._write(doc_type, self._database_ids(doc_type) ^ indexed)

    def is_built(self, doc_type: str) -> bool:
        dt = document_type(doc_type)
        return self._exists(dt) and self._read_meta(dt).get("fingerprint") == self.fingerprint(dt)

    def status(self, doc_type: str) -> IndexStatus:
        dt = document_type(doc_type)
        exists = self._exists(dt)
        return IndexStatus(
            doc_type=dt.name,
            exists=exists,
            documents=self._open(dt).doc_count() if exists else 0,
            database=self.database_count(dt.name),
            fingerprint_matches=exists and self._read_meta(dt).get("fingerprint") == self.fingerprint(dt),
            pending=self._journal_size(dt),
        )

    # --- searching ------------------------------------------------------------------------

    def _reader(self, doc_type: DocumentType) -> _Reader | None:
        key = (threading.get_ident(), doc_type.name)
        current = self._readers.get(key)
        if current is None and not self._exists(doc_type):
            return None
        ix = self._open(doc_type)
        latest = ix.latest_generation()
        if latest < 0:
            return None
        if current is not None and current.generation == latest:
            return current
        fresh = _Reader(ix.searcher(), latest)
        with self._readers_lock:
            self._readers[key] = fresh
            self._close_dead_threads_readers()
        if current is not None:
            current.searcher.close()
        return fresh

    def _close_dead_threads_readers(self) -> None:
        alive = {thread.ident for thread in threading.enumerate()}
        for key in [k for k in self._readers if k[0] not in alive]:
            self._readers.pop(key).searcher.close()

    def _checked_reader(self, doc_type: DocumentType) -> _Reader | None:
        """The thread's reader, after the start-up check (if that fails, the index is read as it is)."""
        try:
            self.ensure_ready(doc_type.name)
        except Exception:
            log.exception("search: the %s index could not be checked; searching it as it is", doc_type.name)
        return self._reader(doc_type)

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
        reader = self._checked_reader(dt)
        if reader is None:
            return SearchResult([], 0, page, per_page, {name: {} for name in dt.facet_fields}, plan.text, sort)

        # The text query is evaluated once, scoring every match: facet counts need them all.
        searcher = reader.searcher
        scores: dict[int, float] = {}
        matching: frozenset[int] | set[int]
        if plan.is_empty:
            matching = reader.all_documents()
        else:
            scores = PlanScorer(searcher, reader.lengths).score(plan, dict(dt.text_fields))
            matching = set(scores)
        by_field = {}
        for name, values in chosen.items():
            postings = reader.facet_postings(name)
            by_field[name] = set().union(*(postings.get(v, frozenset()) for v in values))
        selected = matching.intersection(*by_field.values()) if by_field else matching

        facets = {}
        for name in dt.facet_fields:
            if name in by_field:
                others = [ids for other, ids in by_field.items() if other != name]
                candidates = matching.intersection(*others) if others else matching
            else:
                candidates = selected
            counts = {value: len(ids & candidates) for value, ids in reader.facet_postings(name).items()}
            facets[name] = {value: n for value, n in counts.items() if n or value in chosen.get(name, ())}

        total = len(selected)
        start = (page - 1) * per_page
        page_docs: list[tuple[float, int]] = []
        if start < total and sort == "relevance" and plan.is_empty:
            page_docs = [(0.0, docnum) for docnum in sorted(selected)[start : start + per_page]]
        elif start < total and sort == "relevance":
            scored = (
                scores.items()
                if selected is matching
                else ((docnum, score) for docnum, score in scores.items() if docnum in selected)
            )
            best = heapq.nsmallest(start + per_page, scored, key=lambda item: (-item[1], item[0]))
            page_docs = [(score, docnum) for docnum, score in best[start:]]
        elif start < total:
            sortedby = [FieldFacet(SORT_PREFIX + key.field, reverse=key.descending) for key in dt.sorts[sort]]
            results = searcher.search(Every(), filter=set(selected), limit=start + per_page, sortedby=sortedby)
            page_docs = [(0.0, hit.docnum) for hit in results[start : start + per_page]]
        hits = []
        for score, docnum in page_docs:
            stored = searcher.stored_fields(docnum)
            hits.append(Hit(id=int(stored["id"]), score=float(score), highlights=document_highlights(dt, plan, stored)))
        return SearchResult(hits, total, page, per_page, facets, plan.text, sort)

    def similar(self, doc_type: str, text: str, limit: int = 200, fields: Iterable[str] | None = None) -> list[Hit]:
        dt = document_type(doc_type)
        weights = {name: boost for name, boost in dt.text_fields.items() if fields is None or name in fields}
        plan = parse_query(text, self.synonyms, max_length=SIMILAR_TEXT_LENGTH, max_clauses=SIMILAR_WORDS_READ)
        reader = self._checked_reader(dt)
        if reader is None or plan.is_empty or not weights or limit < 1:
            return []
        scorer = PlanScorer(reader.searcher, reader.lengths)
        words = scorer.informative(plan, weights, SIMILAR_MAX_SHARE, SIMILAR_WORDS, SIMILAR_ALWAYS_READ)
        scores = scorer.score_any(words, weights)
        best = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], item[0]))
        return [Hit(id=reader.document_id(docnum), score=float(score)) for docnum, score in best]

    def close(self) -> None:
        with self._readers_lock:
            for reader in self._readers.values():
                reader.searcher.close()
            self._readers.clear()
