"""The index follows the database through commits, and only commits."""

import logging

import pytest
from markupsafe import escape
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app.catalog.models import BatchStatus, Scenario, ScenarioBatch, ScenarioStatus
from app.core.models import utcnow
from app.extensions import db
from app.search import reindex_later, search
from app.search.documents import document_type
from app.taxonomy.models import TechDomain
from tests.search.conftest import entry, new_scenario


def indexed(doc_type: str = "scenario") -> dict[int, str]:
    """Every document in the index: id → title as stored (escaped, no query so no marks)."""
    documents, page = {}, 1
    while True:
        result = search(doc_type, "", page=page, per_page=100)
        documents.update({hit.id: str(hit.highlights["title"]) for hit in result.hits})
        if page >= result.pages:
            return documents
        page += 1


def assert_index_matches_database() -> None:
    published = db.session.scalars(db.select(Scenario).where(Scenario.status == ScenarioStatus.PUBLISHED))
    assert indexed() == {s.id: str(escape(s.title)) for s in published}


def test_create_update_and_delete_reach_the_index(engine, make_batch):
    batch = make_batch()
    scenario = new_scenario("QD-2022-0101", "注塑车间能耗监测", "采集水电气数据。", batch=batch)
    db.session.commit()
    assert search("scenario", "能耗").ids == [scenario.id]

    scenario.title = "注塑车间预测性维护"
    db.session.commit()
    assert search("scenario", "能耗").ids == []
    assert search("scenario", "PdM").ids == [scenario.id]
    assert_index_matches_database()

    db.session.delete(scenario)
    db.session.commit()
    assert search("scenario", "PdM").ids == []
    assert_index_matches_database()


def test_domain_change_reaches_the_facets(engine):
    scenario = new_scenario("QD-2022-0102", "数控机床联网", domains=("IM",))
    db.session.commit()
    assert search("scenario", "", filters={"domain": ["5G"]}).total == 0

    scenario.domains.append(entry(TechDomain, "5G"))
    db.session.commit()
    result = search("scenario", "", filters={"domain": ["5G"]})
    assert result.ids == [scenario.id] and result.facets["domain"] == {"IM": 1, "5G": 1}

    scenario.domains = [entry(TechDomain, "DM")]
    db.session.commit()
    assert search("scenario", "").facets["domain"] == {"DM": 1}


def test_withdrawn_and_draft_scenarios_leave_the_index(engine):
    scenario = new_scenario("QD-2022-0103", "印染废水监测")
    draft = new_scenario("QD-2022-0104", "印染配方管理", status=ScenarioStatus.DRAFT)
    db.session.commit()
    assert search("scenario", "印染").ids == [scenario.id]

    scenario.status = ScenarioStatus.WITHDRAWN
    draft.status = ScenarioStatus.PUBLISHED
    db.session.commit()
    assert search("scenario", "印染").ids == [draft.id]
    assert_index_matches_database()


def test_rollback_indexes_nothing(engine):
    kept = new_scenario("QD-2022-0105", "焊装车间视觉检测")
    db.session.commit()

    new_scenario("QD-2022-0106", "涂装车间视觉检测")
    kept.title = "改过又撤销的标题"
    db.session.flush()
    db.session.rollback()

    assert search("scenario", "视觉检测").ids == [kept.id]
    assert search("scenario", "撤销").ids == []
    db.session.commit()  # a later empty commit does not index what was rolled back
    assert_index_matches_database()


def test_publishing_a_batch_with_a_bulk_update_reaches_the_index(engine):
    batch = ScenarioBatch(name="2024年第一批", year=2024, status=BatchStatus.DRAFT)
    db.session.add(batch)
    scenarios = [
        new_scenario(f"QD-2024-{n:04d}", f"批次场景{n}号机器视觉", batch=batch, status=ScenarioStatus.DRAFT)
        for n in range(1, 4)
    ]
    db.session.commit()
    assert search("scenario", "机器视觉").total == 0

    # one transaction: the batch is published and its scenarios with a bulk UPDATE (no objects)
    batch.status, batch.published_at = BatchStatus.PUBLISHED, utcnow()
    db.session.execute(
        update(Scenario)
        .where(Scenario.batch_id == batch.id)
        .values(status=ScenarioStatus.PUBLISHED)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    assert sorted(search("scenario", "机器视觉").ids) == sorted(s.id for s in scenarios)

    # withdrawn, object by object
    batch.status, batch.withdrawn_at = BatchStatus.WITHDRAWN, utcnow()
    for scenario in db.session.scalars(db.select(Scenario).where(Scenario.batch_id == batch.id)):
        scenario.status = ScenarioStatus.WITHDRAWN
    db.session.commit()
    assert search("scenario", "机器视觉").total == 0
    assert_index_matches_database()


def test_renaming_the_provider_reindexes_its_scenarios(engine, make_org):
    org = make_org(name="青岛星海智造有限公司")
    scenario = new_scenario("QD-2022-0107", "冲压线设备联网", organization=org)
    db.session.commit()
    assert search("scenario", "星海").ids == [scenario.id]

    org.name = "青岛远帆工业互联网有限公司"
    db.session.commit()
    assert search("scenario", "星海").ids == []
    assert search("scenario", "远帆").ids == [scenario.id]


def test_reindex_later_for_changes_the_hooks_cannot_see(engine):
    scenario = new_scenario("QD-2022-0108", "旧标题")
    db.session.commit()
    db.session.execute(
        update(Scenario)
        .where(Scenario.id == scenario.id)
        .values(title="新标题冷链物流")
        .execution_options(synchronize_session=False)
    )
    reindex_later("scenario", [scenario.id])
    db.session.commit()
    assert search("scenario", "冷链物流").ids == [scenario.id]


@pytest.mark.parametrize("search_backend_name", ["whoosh"])  # PostgreSQL's is written in the transaction
def test_a_busy_index_never_fails_the_commit_and_catches_up(search_app, caplog):
    search_app.config["SEARCH_WRITE_TIMEOUT"] = 0.2
    search_app.extensions["search"].close()  # a new engine reads the shorter timeout
    engine = search_app.extensions["search"].engine()
    first = new_scenario("QD-2022-0109", "第一条智能仓储")
    db.session.commit()

    ix = engine._open(document_type("scenario"))
    lock = ix.lock("WRITELOCK")  # another worker holding the writer
    assert lock.acquire()
    try:
        second = new_scenario("QD-2022-0110", "第二条智能仓储")
        with caplog.at_level(logging.WARNING, logger="gongfu.search"):
            db.session.commit()  # does not raise
        assert any("busy" in r.getMessage() for r in caplog.records)
        assert engine.status("scenario").pending == 1
        assert search("scenario", "智能仓储").ids == [first.id]
    finally:
        lock.release()

    third = new_scenario("QD-2022-0111", "第三条智能仓储")
    db.session.commit()  # the next write picks up the pending id
    assert sorted(search("scenario", "智能仓储").ids) == sorted([first.id, second.id, third.id])
    assert engine.status("scenario").healthy


@pytest.mark.parametrize("search_backend_name", ["whoosh"])
def test_ids_left_by_a_write_that_died_are_written_by_the_next_one(engine):
    scenario = new_scenario("QD-2022-0112", "旧的标题")
    db.session.commit()
    # a worker committed this change and was killed after journaling the id, before its index write
    db.session.execute(
        update(Scenario)
        .where(Scenario.id == scenario.id)
        .values(title="被杀死前的新标题")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    engine._journal_add(document_type("scenario"), [scenario.id])
    assert engine.status("scenario").pending == 1

    new_scenario("QD-2022-0113", "另一个场景")
    db.session.commit()
    assert search("scenario", "被杀死前").ids == [scenario.id]
    assert engine.status("scenario").pending == 0


def test_a_savepoint_inside_the_transaction_does_not_sync_early(engine, make_batch):
    """A SAVEPOINT released mid-transaction (the ledger takes one for every row) used to index the
    changes collected so far before they were committed, and drop them from the real commit."""
    batch = make_batch()
    scenario = new_scenario("QD-2022-0102", "注塑车间能耗监测", "采集水电气数据。", batch=batch)
    db.session.commit()
    scenario.title = "注塑车间预测性维护"
    db.session.flush()
    with db.session.begin_nested():
        new_scenario(
            "QD-2022-0103", "空压机群控", "按用气量调度空压机。", category="C05", subcategory="C05-2", batch=batch
        )
    assert search("scenario", "能耗").ids == [scenario.id]  # nothing committed, nothing indexed
    try:
        with db.session.begin_nested():
            new_scenario("QD-2022-0102", "重复的编号", "违反唯一约束。", batch=batch)
            db.session.flush()
    except IntegrityError:
        pass
    db.session.commit()
    assert search("scenario", "能耗").ids == []
    assert search("scenario", "PdM").ids == [scenario.id]
    assert_index_matches_database()
