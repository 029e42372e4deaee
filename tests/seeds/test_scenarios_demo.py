"""The generated demo scenario list: deterministic, complete, plausible, and readable by the import.

No database is needed: the rows are checked against seeds/taxonomy.json directly.
"""

import csv
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.catalog.importing import COLUMNS, MAX_TITLE_LENGTH
from app.core.imports import LIST_SEPARATORS
from app.core.spreadsheets import read_table
from seeds.scenarios_demo import (
    COLUMN_HEADERS,
    DEMO_SUFFIX,
    ROW_KEYS,
    VOCABULARY_PATH,
    generate_rows,
    load_vocabulary,
    write_csv,
    write_workbook,
)

TAXONOMY = json.loads((Path(__file__).resolve().parents[2] / "seeds" / "taxonomy.json").read_text(encoding="utf-8"))
INDUSTRIES = {i["code"] for i in TAXONOMY["industries"]}
DOMAINS = {d["code"] for d in TAXONOMY["tech_domains"]}
DISTRICTS = {d["code"] for d in TAXONOMY["districts"]}
CATEGORY_OF = {s["code"]: c["code"] for c in TAXONOMY["categories"] for s in c["subcategories"]}
CODE = re.compile(r"^QD-(2022|2023|2024)-\d{4}$")
BATCHES = {"2022年第一批": "2022", "2023年第一批": "2023", "2024年第一批": "2024"}


@pytest.fixture(scope="module")
def rows():
    return generate_rows()


def test_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    assert generate_rows(300, seed=7) == generate_rows(300, seed=7)
    assert generate_rows(300, seed=7) != generate_rows(300, seed=8)
    assert generate_rows(300) == generate_rows(300, seed=2022)


def test_every_row_has_exactly_the_import_keys_as_strings(rows):
    assert len(rows) == 3000
    for row in rows:
        assert tuple(row) == ROW_KEYS
        assert all(isinstance(value, str) and value for value in row.values())


def test_a_thousand_per_yearly_batch_with_unique_codes_numbered_per_year(rows):
    assert Counter(row["batch"] for row in rows) == dict.fromkeys(BATCHES, 1000)
    codes = [row["code"] for row in rows]
    assert len(set(codes)) == len(codes)
    for row in rows:
        assert CODE.match(row["code"]), row["code"]
        assert row["year"] == BATCHES[row["batch"]] == row["code"][3:7]
    for year in BATCHES.values():
        numbers = sorted(int(code[-4:]) for code in codes if code[3:7] == year)
        assert numbers == list(range(1, 1001))


@pytest.mark.parametrize("count, sizes", [(7, [3, 2, 2]), (200, [67, 67, 66])])
def test_batches_split_other_counts_evenly(count, sizes):
    assert sorted(Counter(row["batch"] for row in generate_rows(count)).values(), reverse=True) == sizes


def test_taxonomy_codes_are_valid_and_subcategories_belong_to_their_category(rows):
    for row in rows:
        assert row["industry"] in INDUSTRIES
        assert row["district"] in DISTRICTS
        assert CATEGORY_OF[row["subcategory"]] == row["category"]
        domains = row["domain"].split("、")
        assert 1 <= len(domains) <= 3 and len(set(domains)) == len(domains)
        assert set(domains) <= DOMAINS, row["domain"]


@pytest.mark.parametrize("count, seed", [(3000, 2022), (200, 2022), (200, 1), (200, 99)])
def test_the_whole_taxonomy_is_covered(count, seed):
    rows = generate_rows(count, seed)
    assert {row["subcategory"] for row in rows} == set(CATEGORY_OF)
    assert {row["industry"] for row in rows} == INDUSTRIES
    assert {d for row in rows for d in row["domain"].split("、")} == DOMAINS
    assert {row["district"] for row in rows} == DISTRICTS


def test_distribution_is_uneven_like_the_citys_industry(rows):
    industries = [code for code, _ in Counter(row["industry"] for row in rows).most_common()]
    assert set(industries[:3]) == {"EQP", "APL", "AUT"}
    districts = [code for code, _ in Counter(row["district"] for row in rows).most_common()]
    assert set(districts[:4]) == {"XHA", "LS", "CY", "JM"}
    per_subcategory = Counter(row["subcategory"] for row in rows)
    assert per_subcategory["C04-2"] > 2 * per_subcategory["C09-3"]


def test_titles_are_short_and_rarely_repeat(rows):
    titles = [row["title"] for row in rows]
    assert max(map(len, titles)) <= MAX_TITLE_LENGTH
    assert sum(len(t) <= 40 for t in titles) / len(titles) > 0.99
    assert len(set(titles)) / len(titles) >= 0.95


def test_descriptions_are_80_to_250_characters_and_quantified(rows):
    for row in rows:
        assert 80 <= len(row["description"]) <= 250, row["description"]
        assert re.search(r"\d", row["description"]), row["description"]
        assert "{" not in row["description"] + row["title"]
    assert len({row["description"] for row in rows}) == len(rows)


def test_organizations_are_labelled_as_demo_and_drawn_from_a_pool(rows):
    organizations = {row["organization"] for row in rows}
    assert all(name.endswith(DEMO_SUFFIX) and name.startswith("青岛") for name in organizations)
    assert 120 <= len(organizations) <= 180
    # A firm stays in one district and one industry.
    assert len({(row["organization"], row["district"], row["industry"]) for row in rows}) == len(organizations)


def test_keywords_are_two_to_five_terms_the_import_splits_correctly(rows):
    for row in rows:
        terms = row["keywords"].split("、")
        assert 2 <= len(terms) <= 5 and len(set(terms)) == len(terms), row["keywords"]
        assert LIST_SEPARATORS.split(row["keywords"]) == terms


@pytest.mark.parametrize(
    "term",
    ["预测性维护", "数字孪生", "标识解析", "机器视觉", "MES", "AGV", "5G", "OEE", "ERP", "PLM", "WMS", "SCADA", "PdM"],
)
def test_search_terms_occur_naturally(rows, term):
    found = [row for row in rows if term in row["title"] + row["description"] + row["keywords"]]
    assert 5 <= len(found) < len(rows) / 2


def test_headers_are_the_import_columns_in_order():
    assert [zh for _, zh in COLUMN_HEADERS] == [column.zh for column in COLUMNS]
    assert [key for key, _ in COLUMN_HEADERS] == [column.key for column in COLUMNS]


def _expected(rows):
    return [[row[key] for key, _ in COLUMN_HEADERS] for row in rows]


def test_workbook_round_trips(rows, tmp_path):
    path = tmp_path / "scenarios.xlsx"
    write_workbook(rows[:300], path)
    workbook = load_workbook(path, read_only=True)
    try:
        values = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    finally:
        workbook.close()
    assert values[0] == [zh for _, zh in COLUMN_HEADERS]
    assert len(values) == 301
    for index in (0, 1, 150, 299):
        assert values[index + 1] == _expected(rows)[index]
    table = read_table(path.read_bytes(), path.name)
    assert table.header == values[0] and table.rows == _expected(rows[:300])


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_round_trips(rows, tmp_path, encoding):
    path = tmp_path / f"scenarios-{encoding}.csv"
    write_csv(rows[:300], path, encoding=encoding)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    with open(path, encoding=encoding, newline="") as stream:
        values = list(csv.reader(stream))
    assert values[0] == [zh for _, zh in COLUMN_HEADERS]
    for index in (0, 1, 150, 299):
        assert values[index + 1] == _expected(rows)[index]
    table = read_table(data, path.name)
    assert table.header == values[0] and table.rows == _expected(rows[:300])


# sha256 of the canonical JSON of generate_rows(3000, seed=2022), taken from the version whose vocabulary
# was Python literals in seeds/scenarios_demo.py (commit 50113c33dc5136634a5abe321ab6b6a81c8f8f89), before it
# moved to seeds/scenarios_demo_vocabulary.json: any change to the vocabulary or the generator changes it.
FINGERPRINT_3000_2022 = "ad977661e7341913d7ebed44c76e823aa2b70b6f5e6c36d92b3ebffc66dac904"


def test_default_rows_match_the_fingerprint_of_the_python_literal_vocabulary(rows):
    canonical = json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode("utf-8")).hexdigest() == FINGERPRINT_3000_2022


def _unique_keys(pairs):
    keys = [key for key, _ in pairs]
    assert len(set(keys)) == len(keys), f"repeated keys (JSON keeps only the last): {keys}"
    return dict(pairs)


def _repeated(items):
    return [item for item, count in Counter(items).items() if count > 1]


def test_vocabulary_file_loads_and_repeats_nothing_that_would_skew_the_draws():
    data = json.loads(VOCABULARY_PATH.read_text(encoding="utf-8"), object_pairs_hook=_unique_keys)
    vocabulary = load_vocabulary()
    assert vocabulary.industries == data["industries"] and vocabulary.subcategories == data["subcategories"]
    assert set(vocabulary.industries) == INDUSTRIES and set(vocabulary.subcategories) == set(CATEGORY_OF)
    # A word or template listed twice would be drawn twice as often; a brand letter twice would name two firms alike.
    word_lists = [vocabulary.common_slots]
    for industry in vocabulary.industries.values():
        word_lists += [industry["base"], *industry["profiles"]]
        assert all({"sector", "org"} <= set(profile) for profile in industry["profiles"])
    for code, sub in [*vocabulary.subcategories.items(), ("generic", vocabulary.generic_subcategory)]:
        word_lists.append({"domains": sub["domains"], "k": sub["k"], **sub.get("slots", {})})
        assert not _repeated(sub["r"].split("|")), code
        assert not _repeated("\n".join(variant) for variant in sub["v"]), code
        for variant in sub["v"]:
            assert len(variant) in (3, 4), (code, variant)
            for part in variant:
                assert not _repeated(part.split("|")), (code, part)
    for words in word_lists:
        for slot, text in words.items():
            assert "" not in text.split("、") and not _repeated(text.split("、")), (slot, text)
    assert not _repeated(vocabulary.brand_first) and not _repeated(vocabulary.brand_second)
    assert not _repeated(data["organization_names"]["reserved_brands"]) and not _repeated(data["acronyms"])
    for pieces in data["description"].values():
        assert not _repeated(piece for piece in pieces if piece)  # "" repeats on purpose: often no opener or lead
