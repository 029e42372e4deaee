"""Rebuilds, status, the start-up check, and several processes writing at once."""

import dataclasses
import logging
import multiprocessing

import pytest
from sqlalchemy import insert

from app.catalog.models import Scenario, ScenarioStatus
from app.catalog.search import SCENARIO_TYPE, register_catalog_search
from app.extensions import db
from app.search import SEEDS, register_document_type, search
from app.search.documents import Document, document_type
from app.search.models import SearchDocument
from app.search.postgres_backend import document_row
from app.search.whoosh_backend import WhooshEngine, document_fields
from tests.search.workers import commit_scenarios


def restart(app):
    """What a new worker process sees: a new engine that has not checked the index yet."""
    app.extensions["search"].close()
    return app.extensions["search"].engine()


def test_rebuild_and_status_commands(corpus, search_app, engine):
    runner = search_app.test_cli_runner()
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "scenario: 16 documents indexed" in result.output

    result = runner.invoke(args=["search", "status", "--check"])
    assert result.exit_code == 0 and "scenario: 16 indexed / 16 in the database" in result.output

    assert engine.remove("scenario", [corpus["QD-2022-0001"].id])
    result = runner.invoke(args=["search", "status", "--check"])
    assert result.exit_code == 1 and "15 indexed / 16" in result.output and "out of step" in result.output

    result = runner.invoke(args=["search", "rebuild", "scenario"])
    assert result.exit_code == 0 and engine.status("scenario").healthy
    assert corpus["QD-2022-0001"].id in search("scenario", "PdM").ids

    assert runner.invoke(args=["search", "rebuild", "no-such-type"]).exit_code == 2


def test_startup_check_rebuilds_when_the_synonyms_change(corpus, search_app, tmp_path, caplog):
    assert restart(search_app).status("scenario").healthy
    synonyms = tmp_path / "synonyms.txt"
    synonyms.write_text((SEEDS / "synonyms.txt").read_text(encoding="utf-8") + "\n塑料成型 注塑\n", encoding="utf-8")
    search_app.config["SEARCH_SYNONYMS"] = str(synonyms)

    engine = restart(search_app)
    assert not engine.status("scenario").fingerprint_matches
    with caplog.at_level(logging.INFO, logger="gongfu.search"):
        result = search("scenario", "塑料成型")
    assert any("rebuilding" in r.getMessage() for r in caplog.records)
    assert engine.status("scenario").healthy
    assert corpus["QD-2022-0001"].id in result.ids


def test_startup_check_rebuilds_when_the_user_dictionary_changes(corpus, search_app, tmp_path, caplog):
    userdict = tmp_path / "userdict.txt"
    userdict.write_text((SEEDS / "userdict.txt").read_text(encoding="utf-8") + "\n螺杆压缩机\n", encoding="utf-8")
    search_app.config["SEARCH_USERDICT"] = str(userdict)

    engine = restart(search_app)
    assert not engine.status("scenario").fingerprint_matches
    with caplog.at_level(logging.INFO, logger="gongfu.search"):
        engine.ensure_ready("scenario")
    assert any("rebuilding" in r.getMessage() for r in caplog.records)
    assert engine.status("scenario").healthy


def add_ghosts(engine, ids: list[int]) -> None:
    """Documents of scenarios that do not exist, as a lost write or a write around the hooks leaves."""
    ghosts = [Document(id=i, text={"title": "幽灵文档"}) for i in ids]
    scenario = document_type("scenario")
    if isinstance(engine, WhooshEngine):
        writer = engine._open(scenario).writer()
        for ghost in ghosts:
            writer.add_document(**document_fields(scenario, ghost))
        writer.commit()
    else:
        db.session.execute(insert(SearchDocument), [document_row(scenario, ghost) for ghost in ghosts])
        db.session.commit()


def test_startup_check_repairs_a_count_mismatch(corpus, search_app, engine):
    assert engine.remove("scenario", [corpus["QD-2022-0004"].id])
    add_ghosts(engine, [99998, 99999])
    assert engine.status("scenario").documents == 17

    engine = restart(search_app)
    assert search("scenario", "幽灵").total == 0
    assert search("scenario", "MES").ids[0] == corpus["QD-2022-0004"].id
    assert engine.status("scenario").healthy


def test_a_new_document_layout_is_rebuilt_with_its_new_fields(corpus, search_app):
    def with_year(scenario: Scenario) -> Document | None:
        doc = SCENARIO_TYPE.to_document(scenario)
        return doc and dataclasses.replace(doc, facets={**doc.facets, "year": [str(scenario.batch.year)]})

    register_document_type(
        dataclasses.replace(SCENARIO_TYPE, to_document=with_year, facet_fields=(*SCENARIO_TYPE.facet_fields, "year"))
    )
    try:
        engine = restart(search_app)
        result = search("scenario", "", filters={"year": ["2022"]})
        assert result.total == 7 and result.facets["year"] == {"2022": 7, "2023": 9}
        assert engine.status("scenario").healthy
    finally:
        register_catalog_search()


@pytest.mark.real_commits
def test_two_processes_writing_at_once(search_app):
    """Two forked workers commit scenarios at the same time into an index that does not exist
    yet: both start-up checks, every write, no error, nothing lost."""
    search_app.extensions["search"].engine()  # even a master that used search hands no index to a child
    context = multiprocessing.get_context("fork")
    ready, results, go = context.Queue(), context.Queue(), context.Event()
    workers = [
        context.Process(target=commit_scenarios, args=(search_app, prefix, 10, ready, go, results))
        for prefix in ("PA", "PB")
    ]
    for worker in workers:
        worker.start()
    try:
        for _ in workers:
            ready.get(timeout=30)
        go.set()
        reports = [results.get(timeout=60) for _ in workers]
    finally:
        for worker in workers:
            worker.join(timeout=30)
    for prefix, ids, problems in reports:
        assert problems == [] and len(ids) == 10, (prefix, problems)
    assert [worker.exitcode for worker in workers] == [0, 0]

    engine = search_app.extensions["search"].engine()
    status = engine.status("scenario")
    assert status.healthy and status.documents == 20
    published = set(db.session.scalars(db.select(Scenario.id).where(Scenario.status == ScenarioStatus.PUBLISHED)))
    assert set(search("scenario", "并发写入", per_page=100).ids) == published
