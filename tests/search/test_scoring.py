"""Bulk scoring gives the scores Whoosh's BM25F gives, on an index of several segments with
deleted documents, and combines synonyms as a true maximum per document."""

import pytest
from whoosh import index as whoosh_index
from whoosh.query import And, Or, Term

from app.catalog.search import SCENARIO_TYPE
from app.search.documents import Document
from app.search.query import Clause, QueryPlan, Word, parse_query
from app.search.whoosh_backend import build_schema, document_fields
from app.search.whoosh_scoring import SYNONYM_WEIGHT, FieldLengths, PlanScorer, pieces_query

FIELDS = dict(SCENARIO_TYPE.text_fields)

# Three commits without merging: three segments; two documents are then deleted.
SEGMENTS = [
    [
        (1, "注塑车间设备预测性维护", "采集注塑机振动数据，设备预警。", "预测性维护、设备联网"),
        (2, "设备综合效率提升", "统计设备开动率与良品率，设备管理平台。", ""),
        (3, "PdM 方案", "基于振动的PdM。", ""),
    ],
    [
        (4, "数据采集网关", "车间数据采集与边缘计算，数据 采集（分开）。", "数据采集"),
        (5, "家电总装MES上线", "部署MES，生产工单与质量数据透明。", "MES"),
        (6, "设备远程运维平台", "设备状态监测、设备预警与远程运维，平台化服务。" * 3, ""),
    ],
    [
        (7, "质量检测", "机器视觉质量检测与设备预警。", ""),
        (8, "平台", "平台。", ""),
        (9, "预测性维护平台", "设备预测性维护，降低停机。", "预测性维护"),
    ],
]
DELETED = [2, 7]


@pytest.fixture
def searcher(engine, tmp_path):
    """An index of the scenario schema with hand-written documents (the engine configures
    the segmenter the analyzer uses)."""
    ix = whoosh_index.create_in(str(tmp_path), build_schema(SCENARIO_TYPE))
    for documents in SEGMENTS:
        writer = ix.writer()
        for doc_id, title, description, keywords in documents:
            writer.add_document(
                **document_fields(
                    SCENARIO_TYPE,
                    Document(
                        id=doc_id,
                        text={
                            "title": title,
                            "description": description,
                            "keywords": keywords,
                            "code": f"QD-2026-{doc_id:04d}",
                            "organization": "",
                        },
                        facets={},
                        sort={},
                    ),
                )
            )
        writer.commit(merge=False)
    writer = ix.writer()
    for doc_id in DELETED:
        writer.delete_by_term("id", str(doc_id))
    writer.commit(merge=False)
    with ix.searcher() as opened:
        assert len(opened.reader().leaf_readers()) == 3
        yield opened


def whoosh_scores(searcher, query) -> dict[int, float]:
    return {docnum: score for score, docnum in searcher.search(query, limit=None).top_n}


def ids(searcher, scores) -> set[int]:
    return {int(searcher.stored_fields(docnum)["id"]) for docnum in scores}


def assert_same_scores(ours: dict[int, float], theirs: dict[int, float]) -> None:
    assert theirs, "the comparison needs matches"
    assert set(ours) == set(theirs)
    for docnum, score in theirs.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-12)


def test_every_term_scores_as_whoosh_scores_it(searcher):
    scorer = PlanScorer(searcher, FieldLengths())
    reader = searcher.reader()
    compared = 0
    for fieldname, boost in FIELDS.items():
        for text in reader.field_terms(fieldname):
            ours = scorer.term_scores(fieldname, text, boost)
            theirs = whoosh_scores(searcher, Term(fieldname, text, boost=boost))
            assert set(ours) == set(theirs)
            for docnum, score in theirs.items():
                assert ours[docnum] == pytest.approx(score, rel=1e-12)
            compared += len(theirs)
    assert compared > 100


def test_deleted_documents_are_not_scored(searcher):
    scores = PlanScorer(searcher, FieldLengths()).term_scores("description", "设备", 1.0)
    found = ids(searcher, scores)
    assert {1, 6} <= found
    assert not found & set(DELETED)


@pytest.mark.parametrize("words", [["设备"], ["平台"], ["设备", "预警"], ["平台", "设备", "远程运维"]])
def test_a_plan_of_words_scores_as_whoosh_and_of_ors(searcher, words):
    plan = QueryPlan(" ".join(words), tuple(Clause((Word(w),)) for w in words))
    query = And([Or([Term(name, w, boost=boost) for name, boost in FIELDS.items()]) for w in words])
    assert_same_scores(PlanScorer(searcher, FieldLengths()).score(plan, FIELDS), whoosh_scores(searcher, query))


def test_a_word_found_by_its_pieces_scores_as_whoosh_spans(searcher):
    word = Word("数据采集", ((0, "数据"), (2, "采集")))
    ours = PlanScorer(searcher, FieldLengths()).word_scores("description", word, 1.0)
    theirs = whoosh_scores(searcher, pieces_query("description", word, 0.5))
    assert "数据采集" not in set(searcher.reader().field_terms("description"))
    assert_same_scores(ours, theirs)
    assert ids(searcher, ours) == {4}  # 数据 … 采集 apart in the same text does not count twice


def test_a_word_or_its_synonyms_scores_the_best_of_them_in_each_document(engine, searcher):
    """Whoosh's DisjunctionMaxMatcher can take the score of an alternative positioned on ANOTHER
    document (here document 1 got 9.3 for its 6.2); the maximum here is per document."""
    plan = parse_query("PdM", engine.synonyms)
    words = plan.clauses[0].words
    assert [w.text for w in words][:2] == ["pdm", "预测性维护"]
    expected: dict[int, float] = {}
    for name, boost in FIELDS.items():
        best: dict[int, float] = {}
        for i, word in enumerate(words):
            weight = boost * (1.0 if i == 0 else SYNONYM_WEIGHT)
            for docnum, score in whoosh_scores(searcher, Term(name, word.text, boost=weight)).items():
                best[docnum] = max(best.get(docnum, 0.0), score)
        for docnum, score in best.items():
            expected[docnum] = expected.get(docnum, 0.0) + score
    scores = PlanScorer(searcher, FieldLengths()).score(plan, FIELDS)
    assert_same_scores(scores, expected)
    assert ids(searcher, scores) == {1, 3, 9}


def test_any_word_scores_the_sum_over_the_words_a_document_has(searcher):
    words = ["设备", "预警", "区块链"]
    plan = QueryPlan(" ".join(words), tuple(Clause((Word(w),)) for w in words))
    query = Or([Or([Term(name, w, boost=boost) for name, boost in FIELDS.items()]) for w in words])
    assert_same_scores(PlanScorer(searcher, FieldLengths()).score_any(plan, FIELDS), whoosh_scores(searcher, query))


def test_a_long_text_is_compared_by_its_rarest_whole_words(searcher):
    scorer = PlanScorer(searcher, FieldLengths())
    words = [Word("设备"), Word("振动"), Word("mes"), Word("区块链"), Word("数据采集", ((0, "数据"), (2, "采集")))]
    plan = QueryPlan("", tuple(Clause((w,)) for w in words))

    def kept(**limits):
        return [[w.text for w in c.words] for c in scorer.informative(plan, FIELDS, **limits).clauses]

    # 7 documents: at most 2.1 may have a word. 设备 is in 4, 振动 in 2, mes in 1, 区块链 in none;
    # 数据采集 is no token: its pieces stand for it, 数据 (in 3) and 采集 (in 2)
    assert kept(max_share=0.3, limit=10) == [["mes"], ["振动"], ["采集"]]
    assert all(not w.pieces for c in scorer.informative(plan, FIELDS, 0.3, 10).clauses for w in c.words)
    assert kept(max_share=0.3, limit=1) == [["mes"]]
    assert ["设备"] in kept(max_share=0.3, limit=10, always=10)
