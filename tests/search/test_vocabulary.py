"""The domain vocabulary in seeds/search/synonyms.txt: its format, one-way rules and broader terms,
without an index."""

import pytest

from app.search import SEEDS
from app.search.analysis import Synonyms
from app.search.query import parse_query

TEXT = (SEEDS / "synonyms.txt").read_text(encoding="utf-8")
SYNONYMS = Synonyms.parse(TEXT)


def test_every_line_of_the_shipped_file_is_a_group_or_a_rule():
    lines = [line.split("#", 1)[0].strip() for line in TEXT.splitlines()]
    lines = [line for line in lines if line]
    assert len(lines) > 60
    for line in lines:
        parsed = Synonyms.parse(line)
        if "=>" in line:
            source = parsed.terms()[0]
            assert len(parsed.group(source)) > 1, line
        else:
            assert len(parsed.terms()) > 1, f"a group needs two terms or more: {line!r}"


def test_a_rule_reaches_its_right_side_and_their_groups_one_way():
    synonyms = Synonyms.parse("PdM => 预测性维护\n预测性维护 预知维护\n节能降碳, 节能减排 => 能耗监测, 能效优化\n")
    assert synonyms.group("pdm") == ("pdm", "预测性维护", "预知维护")
    assert synonyms.group("预测性维护") == ("预测性维护", "预知维护")
    assert synonyms.group("预知维护") == ("预知维护", "预测性维护")
    assert synonyms.group("节能减排") == ("节能减排", "能耗监测", "能效优化")
    assert synonyms.group("能耗监测") == ("能耗监测",)
    assert set(synonyms.terms()) == {"pdm", "预测性维护", "预知维护", "节能降碳", "节能减排", "能耗监测", "能效优化"}
    assert list(synonyms.scan("节能降碳方案")) == [(0, 4)]


@pytest.mark.parametrize("text", ["PdM =>", "=> 预测性维护", "a => b => c"])
def test_a_rule_without_both_sides_is_refused_with_its_line(text):
    with pytest.raises(ValueError, match="line 2"):
        Synonyms.parse(f"# comment\n{text}\n")


def test_pdm_means_predictive_maintenance_but_predictive_maintenance_is_not_pdm():
    assert "预测性维护" in SYNONYMS.group("pdm")
    assert "pdm" not in SYNONYMS.group("预测性维护") and "pdm" not in SYNONYMS.group("预知维护")


@pytest.mark.parametrize(
    ("broader", "narrower"),
    [
        ("节能降碳", {"能耗监测", "能效优化", "碳排放", "余热回收"}),
        ("能耗管理", {"能耗监测", "能效优化", "能源管理", "ems"}),
        ("双碳", {"碳达峰", "碳排放", "碳中和"}),
        ("智能物流", {"智能仓储", "厂内物流"}),
    ],
)
def test_a_broader_term_reaches_its_narrower_terms_and_not_the_reverse(broader, narrower):
    assert narrower <= set(SYNONYMS.group(broader))
    assert not any(broader in SYNONYMS.group(term) for term in narrower)


def test_a_broader_term_is_one_clause_of_a_query():
    plan = parse_query("纺织 节能降碳", SYNONYMS)
    assert [clause.words[0].text for clause in plan.clauses] == ["纺织", "节能降碳"]
    assert "能耗监测" in [word.text for word in plan.clauses[1].words]


def test_american_spellings_match_the_british_ones_of_the_taxonomy():
    assert "customisation" in SYNONYMS.group("customization")
    assert "optimisation" in SYNONYMS.group("optimization")
