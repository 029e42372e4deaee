"""Searching the scenario index: relevance, facets, filters, highlighting, pages and sorts.

Every test here only reads: they share one corpus and index (`shared_corpus`)."""

import dataclasses
from collections import Counter

import pytest
from markupsafe import Markup

from app.catalog.models import Scenario, ScenarioStatus
from app.catalog.search import SCENARIO_TYPE
from app.extensions import db
from app.search import register_document_type, search, similar
from tests.search.conftest import PUBLISHED_CODES


def codes(result) -> list[str]:
    by_id = {s.id: s.code for s in db.session.scalars(db.select(Scenario))}
    return [by_id[hit.id] for hit in result.hits]


@pytest.mark.parametrize(
    ("query", "first", "found", "not_found"),
    [
        ("预测性维护", "QD-2022-0001", set(), {"QD-2022-0014"}),  # the draft is never indexed
        ("PdM", "QD-2022-0001", set(), {"QD-2022-0014"}),  # synonym
        ("pdm", "QD-2022-0001", set(), set()),
        ("数字孪生", "QD-2022-0002", set(), {"QD-2022-0003"}),  # 数字…孪生 apart is not 数字孪生
        ("MES", "QD-2022-0004", {"QD-2022-0005"}, set()),  # the word typed first, then 制造执行
        ("mes", "QD-2022-0004", {"QD-2022-0005"}, set()),
        ("制造执行", None, {"QD-2022-0004", "QD-2022-0005"}, set()),
        ("5G", "QD-2022-0006", set(), set()),
        ("QD-2022-0007", "QD-2022-0007", set(), {"QD-2022-0001", "QD-2022-0017"}),
        ("qd-2022-0007", "QD-2022-0007", set(), set()),
        ("AGV", "QD-2022-0009", set(), set()),  # 自动导引车
        ("OEE", "QD-2022-0012", set(), set()),  # user-dictionary term 设备综合效率 via a synonym
        ("远程运维", "QD-2022-0010", set(), {"QD-2022-0015"}),  # withdrawn: gone
        ("海智", "QD-2022-0001", set(), set()),  # the provider's name
        ("设备联网", "QD-2022-0001", set(), set()),  # keywords
        ("机器视觉 焊接", "QD-2022-0006", set(), {"QD-2022-0011"}),  # every word must match
    ],
)
def test_relevance(shared_corpus, query, first, found, not_found):
    result = search("scenario", query)
    found_codes = codes(result)
    assert found_codes, f"{query!r} found nothing"
    if first:
        assert found_codes[0] == first
    assert found <= set(found_codes)
    assert not not_found & set(found_codes)
    assert result.sort == "relevance"


def test_whole_term_ranks_before_its_parts(shared_corpus):
    found = codes(search("scenario", "数字孪生"))
    assert found[0] == "QD-2022-0002"
    assert "QD-2022-0016" in found and "QD-2022-0017" not in found and "QD-2022-0003" not in found


@pytest.mark.parametrize("query", ["区块链", "注塑 数字孪生", "QD-2099-0001", "script 预测性维护"])
def test_finds_nothing_that_does_not_match(shared_corpus, query):
    result = search("scenario", query)
    assert result.total == 0 and result.hits == [] and result.pages == 0


def test_similar_needs_only_one_word_and_ranks_by_the_words_shared(shared_corpus):
    text = "我们的注塑机经常突发故障停机，希望采集振动数据做预测性维护，也考虑区块链存证。"
    hits = similar("scenario", text)
    by_id = {s.id: s.code for s in db.session.scalars(db.select(Scenario))}
    found = [by_id[hit.id] for hit in hits]
    assert search("scenario", text).total == 0  # as a search, every word would have to match
    assert found[0] == "QD-2022-0001" and "QD-2022-0018" in found  # the long description: 预测性维护 only
    assert "QD-2022-0014" not in found and "QD-2022-0013" not in found
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert [hit.id for hit in similar("scenario", text, limit=2)] == [hit.id for hit in hits[:2]]
    assert similar("scenario", text, fields=("keywords",))[0].id == hits[0].id
    assert similar("scenario", "区块链") == [] and similar("scenario", "") == []


def test_empty_query_lists_every_published_scenario_newest_batch_first(shared_corpus):
    result = search("scenario", "", per_page=100)
    published = db.session.scalars(db.select(Scenario).where(Scenario.status == ScenarioStatus.PUBLISHED)).all()
    assert result.total == len(published) == len(PUBLISHED_CODES) == 16
    assert result.sort == "newest"
    assert codes(result) == [f"QD-2022-{n:04d}" for n in (*range(8, 14), 16, 17, 18, *range(1, 8))]


def test_sort_by_code_and_newest(shared_corpus):
    by_code = search("scenario", "车间", sort="code")
    assert codes(by_code) == sorted(codes(by_code)) and len(by_code.hits) >= 3
    newest = search("scenario", "", sort="newest", per_page=3)
    assert codes(newest) == ["QD-2022-0008", "QD-2022-0009", "QD-2022-0010"]
    assert search("scenario", "车间", sort="no-such-sort").sort == "relevance"


def expected_facets(filters: dict[str, list[str]]) -> dict[str, Counter]:
    """Facet counts computed from the database: for each field, the published scenarios that
    match the filters of the other fields."""

    def values(scenario: Scenario) -> dict[str, list[str]]:
        return {
            "industry": [scenario.industry.code],
            "domain": [d.code for d in scenario.domains],
            "category": [scenario.category.code],
            "subcategory": [scenario.subcategory.code],
            "district": [scenario.district.code] if scenario.district else [],
            "batch": [str(scenario.batch_id)],
        }

    published = [
        values(s) for s in db.session.scalars(db.select(Scenario).where(Scenario.status == ScenarioStatus.PUBLISHED))
    ]
    counts = {}
    for name in ("industry", "domain", "category", "subcategory", "district", "batch"):
        counter = Counter()
        for doc in published:
            if all(set(doc[other]) & set(chosen) for other, chosen in filters.items() if other != name):
                counter.update(doc[name])
        counts[name] = counter
    return counts


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"industry": ["APL"]},
        {"industry": ["APL", "EQP"]},
        {"industry": ["EQP"], "domain": ["DM"]},
        {"domain": ["IM", "5G"], "district": ["LS", "JM"]},
    ],
)
def test_facet_counts_equal_counts_from_the_database(shared_corpus, filters):
    result = search("scenario", "", filters=filters, per_page=100)
    expected = expected_facets(filters)
    for name, counts in result.facets.items():
        assert {k: v for k, v in counts.items() if v} == dict(expected[name]), name
    # the hits are those that match every field's filter (OR within a field, AND across fields)
    assert result.total == sum(
        1
        for s in db.session.scalars(db.select(Scenario))
        if s.status == ScenarioStatus.PUBLISHED
        and all(
            {
                "industry": {s.industry.code},
                "domain": {d.code for d in s.domains},
                "district": {s.district.code} if s.district else set(),
            }[f]
            & set(v)
            for f, v in filters.items()
        )
    )


def test_facets_follow_the_query(shared_corpus):
    result = search("scenario", "MES")
    assert result.facets["industry"] == {"APL": 2}
    assert result.facets["domain"] == {"DM": 2, "NC": 1}


def test_unknown_filter_fields_and_empty_values_are_ignored(shared_corpus):
    assert search("scenario", "", filters={"colour": ["red"], "industry": [""]}).total == 16


def test_a_chosen_value_without_documents_is_kept_with_zero(shared_corpus):
    result = search("scenario", "MES", filters={"industry": ["RAIL"]})
    assert result.total == 0 and result.facets["industry"]["RAIL"] == 0 and result.facets["industry"]["APL"] == 2


def test_highlights_mark_the_words_and_escape_everything_else(shared_corpus):
    hit = next(h for h in search("scenario", "焊接").hits if h.id == shared_corpus["QD-2022-0011"].id)
    title, description = hit.highlights["title"], hit.highlights["description"]
    assert isinstance(title, Markup) and isinstance(description, Markup)
    assert str(title) == "<mark>焊接</mark>机器人&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "&lt;b&gt;标签&lt;/b&gt;" in description and "&amp;" in description and "<b>" not in description
    assert "<mark>焊接</mark>机器人自动排产" in description


def test_highlights_through_synonyms_and_in_english(shared_corpus):
    hit = search("scenario", "AGV").hits[0]
    assert "<mark>自动导引车</mark>" in hit.highlights["description"]
    hit = search("scenario", "mes").hits[0]
    assert str(hit.highlights["title"]) == "家电总装<mark>MES</mark>上线"


def test_snippet_is_about_120_characters_around_the_match(shared_corpus):
    hit = next(h for h in search("scenario", "预测性维护").hits if h.id == shared_corpus["QD-2022-0018"].id)
    snippet = str(hit.highlights["description"])
    assert "<mark>预测性维护</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 122


def test_pages(shared_corpus):
    pages = [search("scenario", "", page=n, per_page=5) for n in (1, 2, 3)]
    assert [len(p.hits) for p in pages] == [5, 5, 5]
    assert {p.total for p in pages} == {16} and {p.pages for p in pages} == {4}
    last = search("scenario", "", page=4, per_page=5)
    assert len(last.hits) == 1 and not last.has_next
    ids = [hit.id for p in [*pages, last] for hit in p.hits]
    assert len(set(ids)) == 16
    assert pages[0].has_next and not pages[0].has_prev and pages[2].prev_num == 2 and pages[2].next_num == 4
    assert list(pages[0].iter_pages()) == [1, 2, 3, 4]
    beyond = search("scenario", "", page=9, per_page=5)
    assert beyond.hits == [] and beyond.total == 16 and beyond.page == 9
    assert search("scenario", "", per_page=1000).per_page == 100
    assert search("scenario", "", page=0, per_page=0).page == 1


def test_a_type_without_a_default_sort_lists_everything_for_an_empty_query(shared_corpus):
    register_document_type(dataclasses.replace(SCENARIO_TYPE, default_sort=None))
    try:
        result = search("scenario", "", per_page=100)
        assert result.sort == "relevance" and len(result.hits) == result.total == 16
    finally:
        register_document_type(SCENARIO_TYPE)
