"""The PostgreSQL backend gives the Whoosh backend's answers, and is chosen by SEARCH_BACKEND or
the database. The comparisons run when the tests run on PostgreSQL (TEST_DATABASE_URL)."""

import pytest
from sqlalchemy import cast, func, select
from sqlalchemy.dialects.postgresql import REGCLASS

from app import create_app
from app.extensions import db
from app.search import search_backend
from app.search.models import TERMS_INDEX, SearchDocument
from app.search.postgres_backend import PostgresEngine
from app.search.whoosh_backend import WhooshEngine
from tests.search.conftest import BACKENDS, new_scenario

on_postgres = pytest.mark.skipif("postgres" not in BACKENDS, reason="the tests run on SQLite")

QUERIES = ["", "预测性维护", "PdM", "数字孪生", "MES", "制造执行", "5G", "qd-2022-0007", "AGV", "OEE", "车间", "设备"]
FILTERS = [{}, {"industry": ["APL", "EQP"]}, {"domain": ["DM"], "district": ["LS", "LC"]}, {"industry": ["RAIL"]}]


def test_the_backend_follows_the_setting_and_the_database(tmp_path):
    sqlite = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert search_backend(sqlite) == "whoosh"
    sqlite.config["SEARCH_BACKEND"] = "postgres"
    assert search_backend(sqlite) == "postgres"
    with pytest.raises(RuntimeError, match="PostgreSQL"), sqlite.app_context():
        PostgresEngine(sqlite)
    sqlite.config["SEARCH_BACKEND"] = "solr"
    with pytest.raises(RuntimeError, match="SEARCH_BACKEND"):
        search_backend(sqlite)
    postgres = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://gongfu@localhost/gongfu"})
    assert search_backend(postgres) == "postgres"


@pytest.fixture
def both(search_app, corpus):
    """The two engines over the same corpus, each index built from the database."""
    engines = {"whoosh": WhooshEngine(search_app), "postgres": PostgresEngine(search_app)}
    for engine in engines.values():
        engine.rebuild("scenario")
    yield engines
    for engine in engines.values():
        engine.close()


@on_postgres
@pytest.mark.parametrize("search_backend_name", ["postgres"])
@pytest.mark.parametrize("sort", ["relevance", "newest", "code"])
def test_both_backends_give_the_same_answers(both, sort):
    for query in QUERIES:
        for filters in FILTERS:
            whoosh, postgres = (
                engine.search("scenario", query, filters, sort=sort, per_page=100) for engine in both.values()
            )
            assert postgres.total == whoosh.total, (query, filters)
            assert postgres.facets == whoosh.facets, (query, filters)
            assert sorted(postgres.ids) == sorted(whoosh.ids), (query, filters)
            assert [hit.highlights for hit in postgres.hits] == [
                hit.highlights for hit in sorted(whoosh.hits, key=lambda hit: postgres.ids.index(hit.id))
            ], (query, filters)
            # Relevance ranks by scores of their own (the first hits are checked in test_search.py).
            if sort != "relevance" or not query:
                assert postgres.ids == whoosh.ids, (query, filters)


@on_postgres
@pytest.mark.parametrize("search_backend_name", ["postgres"])
def test_similar_finds_what_whoosh_finds(both):
    text = "我们的注塑机经常突发故障停机，希望采集振动数据做预测性维护，也考虑区块链存证。"
    whoosh, postgres = (engine.similar("scenario", text) for engine in both.values())
    assert {hit.id for hit in postgres} == {hit.id for hit in whoosh} and postgres[0].id == whoosh[0].id


@on_postgres
@pytest.mark.parametrize("search_backend_name", ["postgres"])
def test_documents_are_written_in_the_transaction_of_the_change(engine, make_batch):
    scenario = new_scenario("QD-2022-0201", "空压站节能改造", batch=make_batch())
    db.session.flush()
    documents = select(SearchDocument.doc_id).where(SearchDocument.doc_type == "scenario")
    assert scenario.id not in db.session.scalars(documents).all()
    db.session.commit()
    assert scenario.id in db.session.scalars(documents).all()  # the commit wrote it, nothing after it

    scenario.title = "空压站群控"
    db.session.flush()
    db.session.rollback()
    stored = db.session.scalar(select(SearchDocument.stored).where(SearchDocument.doc_id == scenario.id))
    assert stored["title"] == "空压站节能改造"


@on_postgres
@pytest.mark.parametrize("search_backend_name", ["postgres"])
def test_a_rebuild_and_a_change_leave_no_entries_pending_in_the_word_index(engine, make_batch):
    """Entries left in the GIN index's pending list are read by every search until autovacuum merges
    them (a fresh rebuild of 3,000 scenarios made searches three times slower)."""

    def pending_pages() -> int:
        # Merging again answers how many pages were still pending.
        return db.session.scalar(select(func.gin_clean_pending_list(cast(TERMS_INDEX, REGCLASS))))

    batch = make_batch()
    for n in range(30):
        new_scenario(f"QD-2022-{300 + n:04d}", f"空压站节能改造第{n}期", batch=batch)
    db.session.commit()
    assert pending_pages() == 0

    engine.rebuild("scenario")
    assert pending_pages() == 0
