"""The analyzer, the user dictionary, synonyms and query parsing, without an index."""

import pickle

import pytest

from app.catalog.search import SCENARIO_TYPE
from app.search import SEEDS
from app.search.analysis import (
    _BREAKS,
    ChineseTokenizer,
    Synonyms,
    analysis_fingerprint,
    configure_segmenter,
    cut,
    normalize,
    parse_user_dictionary,
    segment,
    segment_around,
    segment_whole,
)
from app.search.query import make_word, match_spans, parse_query
from app.search.whoosh_backend import build_schema

USERDICT = (SEEDS / "userdict.txt").read_text(encoding="utf-8")
SYNONYMS = Synonyms.parse((SEEDS / "synonyms.txt").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True, scope="module")
def segmenter(tmp_path_factory):
    configure_segmenter(tmp_path_factory.mktemp("jieba") / "jieba.cache", SEEDS / "userdict.txt")


def words(text: str) -> set[str]:
    return {word for word, _, _ in segment(normalize(text))}


def test_normalize_folds_width_and_case_keeping_every_offset():
    text = "ＭＥＳ系统与５Ｇ，QD-2022-0001"
    assert normalize(text) == "mes系统与5g,qd-2022-0001"
    assert len(normalize(text)) == len(text)
    assert len(normalize("İ㎏")) == 2  # characters that would grow are kept as they are


def test_the_stretches_around_a_word_give_the_same_tokens_as_the_whole_text():
    from seeds.scenarios_demo import generate_rows

    texts = [
        normalize(f"{r['title']}：{r['description']}（{r['keywords']}）QD-2022/07 a.b 5G全链接工厂")
        for r in generate_rows(60, seed=7)
    ]
    for text in texts:
        tokens = segment(text)
        assert segment_around(text, {word for word, _, _ in tokens}) == tokens
        first = tokens[len(tokens) // 2]
        assert first in segment_around(text, {first[0]}) and set(segment_around(text, {first[0]})) < set(tokens)
        assert segment_around(text, {"区块链"}) == []
    terms = [term for term, _ in parse_user_dictionary(USERDICT)] + SYNONYMS.terms()
    assert not [term for term in terms if _BREAKS.search(term)]


def test_tokens_keep_english_words_and_codes_searchable_and_drop_punctuation():
    tokens = words("5G全链接工厂与MES、QD-2022-0001。")
    assert {"5g全链接工厂", "5g", "mes", "qd-2022-0001", "qd", "2022", "0001"} <= tokens
    assert not {"、", "。", "-", " "} & tokens


def test_search_mode_adds_sub_words_with_character_offsets_as_positions():
    seen = {
        (t.text, t.pos, t.startchar, t.endchar)
        for t in ChineseTokenizer()("注塑车间设备预测性维护", positions=True, chars=True)
    }
    assert {("预测性维护", 6, 6, 11), ("预测", 6, 6, 8), ("维护", 9, 9, 11)} <= seen


@pytest.mark.parametrize("term", [word for word, _ in parse_user_dictionary(USERDICT)])
def test_user_dictionary_terms_stay_whole(term):
    assert cut(term) == [term]


def test_user_dictionary_term_is_whole_inside_a_sentence():
    assert "数字孪生" in cut(normalize("构建产线数字孪生模型"))
    assert "预测性维护" in cut(normalize("设备预测性维护方案"))


def test_synonyms_are_parsed_by_groups():
    synonyms = Synonyms.parse("# comment\nPdM 预测性维护 预知维护\n数字孪生, Digital Twin\n\nlonely\n")
    assert synonyms.group("pdm") == ("pdm", "预测性维护", "预知维护")
    assert synonyms.group("预知维护") == ("预知维护", "pdm", "预测性维护")
    assert synonyms.group("digital twin") == ("digital twin", "数字孪生")
    assert synonyms.group("lonely") == ("lonely",)


def test_synonym_terms_are_not_found_inside_english_words():
    synonyms = Synonyms.parse("AR 增强现实")
    assert list(synonyms.scan("ar眼镜")) == [(0, 2)]
    assert list(synonyms.scan("hardware")) == []


def test_query_is_split_into_clauses_with_synonyms():
    plan = parse_query("PdM 注塑", SYNONYMS)
    assert [[w.text for w in clause.words] for clause in plan.clauses] == [
        ["pdm", "预测性维护", "预知维护", "预测性维修"],
        ["注塑"],
    ]


def test_query_keeps_codes_whole_and_drops_function_words():
    plan = parse_query("QD-2022-0007的MES系统", SYNONYMS)
    first_words = [clause.words[0].text for clause in plan.clauses]
    assert first_words == ["qd-2022-0007", "mes", "系统"]
    assert parse_query("  ", SYNONYMS).is_empty
    assert parse_query("！？", SYNONYMS).is_empty


def test_domain_terms_are_tokens_even_where_jieba_cuts_across_them():
    assert {"机器视觉", "视觉检测"} <= words("焊装车间机器视觉检测")
    assert "工业app" in words("开发工业APP应用")


def test_longer_dictionary_sub_words_are_tokens_too():
    assert {"标识解析", "工业互联网", "标识", "解析"} <= words("工业互联网标识解析")
    assert "制造执行" in words("制造执行系统")
    assert "设备" not in words("建设备用电源")  # a dictionary word is found where jieba reads it


def test_a_word_jieba_does_not_know_is_covered_by_its_pieces_at_their_offsets():
    assert make_word("质检排产").pieces == ((0, "质检"), (2, "排产"))
    assert make_word("qd-2022-0007").pieces == ((0, "qd"), (3, "2022"), (8, "0007"))
    assert make_word("digital twin").pieces == ((0, "digital"), (8, "twin"))
    assert make_word("制造执行").pieces == () and make_word("mes").pieces == ()


def test_match_spans_needs_the_pieces_side_by_side():
    plan = parse_query("数字孪生", SYNONYMS)
    assert match_spans(plan, "构建数字孪生模型") == [(2, 6)]
    assert match_spans(plan, "数字化管理，孪生兄弟") == []
    plan = parse_query("2022-0007", SYNONYMS)
    assert match_spans(plan, "编号QD-2022-0007") == [(5, 14)]
    assert match_spans(plan, "2022年的0007号") == []


def test_fingerprint_changes_with_dictionary_synonyms_and_schema():
    base = analysis_fingerprint(USERDICT, "PdM 预测性维护")
    assert base == analysis_fingerprint(USERDICT, "PdM 预测性维护")
    assert base != analysis_fingerprint(USERDICT + "\n螺杆压缩机\n", "PdM 预测性维护")
    assert base != analysis_fingerprint(USERDICT, "PdM 预测性维护 预知维护")
    assert base != analysis_fingerprint(USERDICT, "PdM 预测性维护", "schema 2")


def test_schema_pickles_with_the_tokenizer_at_a_stable_path():
    schema = pickle.loads(pickle.dumps(build_schema(SCENARIO_TYPE)))
    analyzer = schema["title"].analyzer
    assert type(analyzer).__module__ == "app.search.analysis" and type(analyzer).__name__ == "ChineseTokenizer"
    assert [t.text for t in analyzer("MES")] == ["mes"]


def test_segmenting_stretch_by_stretch_through_the_memo_gives_the_tokens_of_the_whole_text():
    from seeds.scenarios_demo import generate_rows

    for row in generate_rows(40, seed=11):
        text = normalize(f"{row['title']}：{row['description']}（{row['keywords']}）QD-2022/07、a.b；5G全链接工厂")
        assert segment(text) == segment_whole(text)
        assert segment(text) == segment_whole(text)  # the second time from the memo
