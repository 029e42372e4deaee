"""Demo data: a generated 工业赋能场景清单 (scenario list) for trying the portal out.

Nothing here is a real scenario. The organizations are invented, every name ends with "（演示）",
and the figures in the descriptions are random. The rows have the scenario-list import format
(English header keys, taxonomy codes), so `write_workbook` / `write_csv` produce files the
admin import accepts.

How a row is made: an organization (invented, with an industry profile such as 轮胎 or 啤酒, its
own share of the profile's products, lines and equipment, and a district) is paired with a
sub-category; the title and the description are filled from one variant of the sub-category's
vocabulary whose slots ({equip}, {line}, {product} …) take the organization's words and whose
ranges ({20-45}) take random numbers. The words and templates are data, in
seeds/scenarios_demo_vocabulary.json (its format is described below); the taxonomy codes come
from seeds/taxonomy.json. The result is deterministic for a given seed: only `random.Random(seed)`
is used, never the global random state or the clock.

    python -m seeds.scenarios_demo scenarios.xlsx --count 3000 --seed 2022
"""

import csv
import json
import random
import re
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import TypedDict, cast

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

TAXONOMY_PATH = Path(__file__).resolve().parent / "taxonomy.json"

BATCHES = (("2022年第一批", 2022), ("2023年第一批", 2023), ("2024年第一批", 2024))

# Import-format keys and their Chinese column headers, in file order (batch and year are not columns).
COLUMN_HEADERS = (
    ("code", "场景编号"),
    ("title", "场景名称"),
    ("industry", "所属行业"),
    ("domain", "技术领域"),
    ("category", "场景大类"),
    ("subcategory", "场景小类"),
    ("description", "场景描述"),
    ("organization", "场景提供单位"),
    ("district", "所在区市"),
    ("keywords", "关键词"),
)
ROW_KEYS = (*(key for key, _ in COLUMN_HEADERS), "batch", "year")

DEMO_SUFFIX = "（演示）"
ORGANIZATION_COUNT = 150
DESCRIPTION_LENGTH = (80, 250)
TITLE_ATTEMPTS = 8  # a repeated title is redrawn this many times before it is accepted
INDUSTRY_KEYWORD_SLOTS = ("equip", "process", "product", "line", "asset", "robot", "material")
NO_EXTRA_RESULTS = ("C06", "C09", "C12-4")  # sub-category code prefixes where money talk sounds wrong
VOCABULARY_PATH = Path(__file__).resolve().parent / "scenarios_demo_vocabulary.json"

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_NUMBER_RANGE = re.compile(r"(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)")
_FILTER = re.compile(r"^\[(-?)([^\[\]]+)\]")


# ---------------------------------------------------------------------------------------------
# Vocabulary, read from seeds/scenarios_demo_vocabulary.json.
#
# "industries": per industry code, weight (how common), districts (where their firms sit), base
# vocabulary and profiles. Word lists are "、"-separated. A profile's lists override the industry's
# base lists. Slots: equip line product process material defect measure asset robot (profile),
# hazard energy pollutant heat gas customer partner warehouse (base or profile), sector and org
# (profile).
#
# "subcategories": per sub-category code. "domains": technology-domain codes, the first is the
# primary one, the others are plausible extras. "v": variants, each a coherent story (titles,
# problems, deployments, and optionally results that only fit it), several choices "|"-separated.
# "r": results that fit every variant. "k": keywords. A variant whose titles start with [FOOD,服装]
# (only these industries or sectors) or [-SHIP] (not these) is used only where it fits. Extra slots
# for one sub-category go in "slots".
# ---------------------------------------------------------------------------------------------
class IndustryVocab(TypedDict, total=False):
    weight: int
    districts: dict[str, float]
    base: dict[str, str]
    profiles: list[dict[str, str]]


class SubcategoryVocab(TypedDict, total=False):
    domains: str
    v: list[list[str]]  # [titles, problems, deployments(, results)]
    r: str
    k: str
    slots: dict[str, str]


@dataclass(frozen=True)
class Vocabulary:
    industries: dict[str, IndustryVocab]
    common_slots: dict[str, str]  # words every row can use
    subcategories: dict[str, SubcategoryVocab]
    generic_subcategory: SubcategoryVocab  # for a sub-category an admin adds to the taxonomy, not described here
    subcategory_weights: dict[str, float]  # how common each sub-category is (default 1)
    industry_affinity: dict[str, dict[str, float]]  # industry-specific multipliers of those (0 = never)
    # Description pieces shared by every sub-category.
    openers: tuple[str, ...]
    deployment_leads: tuple[str, ...]
    connectors: tuple[str, ...]
    extra_results: tuple[str, ...]
    closers: tuple[str, ...]
    # Organization names: 青岛 + a two-character brand + a business word from the profile + a form.
    brand_first: str
    brand_second: str
    reserved_brands: frozenset[str]  # real firms
    company_forms: dict[str, int]  # form → weight
    acronym: re.Pattern[str]  # one of the technical acronyms, as a whole word


@cache
def load_vocabulary(path: Path = VOCABULARY_PATH) -> Vocabulary:
    data = json.loads(path.read_text(encoding="utf-8"))
    pieces, names = data["description"], data["organization_names"]
    return Vocabulary(
        industries=data["industries"],
        common_slots=data["common_slots"],
        subcategories=data["subcategories"],
        generic_subcategory=data["generic_subcategory"],
        subcategory_weights=data["subcategory_weights"],
        industry_affinity=data["industry_affinity"],
        openers=tuple(pieces["openers"]),
        deployment_leads=tuple(pieces["deployment_leads"]),
        connectors=tuple(pieces["connectors"]),
        extra_results=tuple(pieces["extra_results"]),
        closers=tuple(pieces["closers"]),
        brand_first=names["brand_first"],
        brand_second=names["brand_second"],
        reserved_brands=frozenset(names["reserved_brands"]),
        company_forms=names["company_forms"],
        acronym=re.compile(r"(?<![A-Za-z])({})(?![A-Za-z])".format("|".join(data["acronyms"]))),
    )


# ---------------------------------------------------------------------------------------------
# Taxonomy and organizations
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Taxonomy:
    industries: dict[str, str]  # code → name
    domains: dict[str, str]
    categories: dict[str, str]
    subcategories: dict[str, tuple[str, str]]  # code → (category code, name)
    districts: dict[str, str]


def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Taxonomy(
        industries={i["code"]: i["name"] for i in data["industries"]},
        domains={d["code"]: d["name"] for d in data["tech_domains"]},
        categories={c["code"]: c["name"] for c in data["categories"]},
        subcategories={s["code"]: (c["code"], s["name"]) for c in data["categories"] for s in c["subcategories"]},
        districts={d["code"]: d["name"] for d in data["districts"]},
    )


@dataclass(frozen=True, eq=False)
class Organization:
    name: str
    industry: str
    district: str
    words: dict[str, tuple[str, ...]]  # slot → its own words (a part of its profile's)
    weight: float  # how many scenarios it tends to offer, relative to its peers


@cache
def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in text.split("、") if w)


def _profiles(industry: str) -> list[dict[str, tuple[str, ...]]]:
    """Each profile's slot lists, the industry's base lists filled in where the profile has none."""
    industries = load_vocabulary().industries
    vocab = industries.get(industry) or industries["EQP"]
    return [
        {slot: _words(text) for slot, text in {**vocab["base"], **profile}.items()} for profile in vocab["profiles"]
    ]


class Weighted:
    """A weighted choice among a dict's keys, prepared once for many draws."""

    def __init__(self, weights: dict):
        self.keys = list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def draw(self, rng: random.Random):
        return rng.choices(self.keys, cum_weights=self.cumulative)[0]


def _weighted(rng: random.Random, weights: dict):
    return Weighted(weights).draw(rng)


def make_organizations(rng: random.Random, taxonomy: Taxonomy, count: int = ORGANIZATION_COUNT) -> list[Organization]:
    """About `count` invented firms spread over the industries by weight, each in a district."""
    vocab = load_vocabulary()
    industry_weights = {code: vocab.industries.get(code, {}).get("weight", 5) for code in taxonomy.industries}
    total = sum(industry_weights.values())
    brands = [
        a + b for a in vocab.brand_first for b in vocab.brand_second if a != b and a + b not in vocab.reserved_brands
    ]
    rng.shuffle(brands)
    organizations: list[Organization] = []
    for industry, weight in industry_weights.items():
        profiles = _profiles(industry)
        districts = {
            d: w for d, w in vocab.industries.get(industry, {}).get("districts", {}).items() if d in taxonomy.districts
        } or dict.fromkeys(taxonomy.districts, 1)
        for index in range(max(len(profiles), round(count * weight / total))):
            profile = profiles[index % len(profiles)]
            name = (
                "青岛" + brands.pop() + rng.choice(profile["org"]) + _weighted(rng, vocab.company_forms) + DEMO_SUFFIX
            )
            organizations.append(
                Organization(
                    name, industry, _weighted(rng, districts), _own_words(rng, profile), round(rng.uniform(0.5, 2.0), 2)
                )
            )
    return _cover_districts(rng, organizations, taxonomy)


def _own_words(rng: random.Random, profile: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """A firm makes some of its profile's products on some of its lines: about 60 % of each list, one sector."""
    own: dict[str, tuple[str, ...]] = {}
    for slot, words in profile.items():
        if slot == "sector":
            own[slot] = (rng.choice(words),)
        elif slot == "org" or len(words) <= 2:
            own[slot] = words
        else:
            own[slot] = tuple(rng.sample(words, max(2, round(len(words) * 0.6))))
    return own


def _cover_districts(rng: random.Random, organizations: list[Organization], taxonomy: Taxonomy) -> list[Organization]:
    """Move a firm into each district that has none, choosing one whose industry is found there."""
    industries = load_vocabulary().industries
    for district in taxonomy.districts:
        if any(o.district == district for o in organizations):
            continue
        counts = {d: sum(1 for o in organizations if o.district == d) for d in taxonomy.districts}
        movable = [
            i
            for i, o in enumerate(organizations)
            if counts[o.district] > 1 and district in industries.get(o.industry, {}).get("districts", {})
        ]
        movable = movable or [i for i, o in enumerate(organizations) if counts[o.district] > 1]
        index = rng.choice(movable)
        old = organizations[index]
        organizations[index] = Organization(old.name, old.industry, district, old.words, old.weight)
    return organizations


# ---------------------------------------------------------------------------------------------
# Filling templates
# ---------------------------------------------------------------------------------------------
@cache
def _split(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split("|") if part)


@dataclass(frozen=True)
class Variant:
    titles: tuple[str, ...]
    problems: tuple[str, ...]
    deployments: tuple[str, ...]
    results: tuple[str, ...]
    fits: str  # "[FOOD,RAW]" (only these), "[-SHIP]" (not these) or "" (all); industry codes or sectors

    def suits(self, industry: str, sector: str) -> bool:
        match = _FILTER.match(self.fits)
        if not match:
            return True
        named = industry in match.group(2).split(",") or sector in match.group(2).split(",")
        return not named if match.group(1) else named


@cache
def _variants(sub: str, industry: str, sector: str) -> tuple[Variant, ...]:
    """The sub-category's variants that suit the industry and sector (all of them if none does)."""
    vocab = load_vocabulary()
    variants = []
    for titles, problems, deployments, *results in vocab.subcategories.get(sub, vocab.generic_subcategory)["v"]:
        match = _FILTER.match(titles)
        variants.append(
            Variant(
                tuple(_FILTER.sub("", t) for t in _split(titles)),
                _split(problems),
                _split(deployments),
                _split(results[0]) if results else (),
                match.group(0) if match else "",
            )
        )
    return tuple(v for v in variants if v.suits(industry, sector)) or tuple(variants)


class RowContext:
    """One scenario's choices: a slot keeps its first word, so the title and description agree."""

    def __init__(self, rng: random.Random, organization: Organization, extra_slots: dict, names: dict[str, str]):
        self.rng, self.organization, self.extra_slots = rng, organization, extra_slots
        self.names = names  # fixed slots: ind, subname
        self.chosen: dict[str, str] = {}

    def word(self, slot: str) -> str:
        if slot in self.names:
            return self.names[slot]
        if slot not in self.chosen:
            options = (
                _words(self.extra_slots.get(slot, ""))
                or self.organization.words.get(slot)
                or _words(load_vocabulary().common_slots.get(slot, ""))
            )
            if not options:
                raise KeyError(f"no words for slot {{{slot}}}")
            self.chosen[slot] = self.rng.choice(options)
        return self.chosen[slot]

    def number(self, low: str, high: str) -> str:
        if "." in low or "." in high:
            return f"{self.rng.uniform(float(low), float(high)):.1f}"
        return str(self.rng.randint(int(low), int(high)))

    def fill(self, template: str) -> str:
        def replace(match: re.Match) -> str:
            number = _NUMBER_RANGE.fullmatch(match.group(1))
            return self.number(*number.groups()) if number else self.word(match.group(1))

        return _PLACEHOLDER.sub(replace, template)


def _description(ctx: RowContext, sub: str, variant: Variant, shared_results: str) -> str:
    """Opener, problem, deployment, two to four results (the first quantified), sometimes a closing remark."""
    rng, vocab = ctx.rng, load_vocabulary()
    own, shared = list(variant.results), list(_split(shared_results))
    rng.shuffle(own)
    rng.shuffle(shared)
    results = sorted(own + shared, key=lambda r: "{" not in r)[:4]
    if rng.random() < 0.2 and not sub.startswith(NO_EXTRA_RESULTS):
        results.insert(rng.randrange(1, len(results) + 1), rng.choice(vocab.extra_results))
    filled = [ctx.fill(r) for r in results]
    problem = ctx.fill(rng.choice(variant.problems))
    openers = [o for o in vocab.openers if "{product}" not in o or "asset" not in ctx.chosen]
    opener = ctx.fill(rng.choice(openers)) if not problem.startswith(("随着", "作为", "企业")) else ""
    deployment = ctx.fill(rng.choice(variant.deployments))
    lead = rng.choice(vocab.deployment_leads) if not deployment.startswith("为") else ""
    body = problem + "。" + lead + deployment + "。"
    connector = ctx.fill(rng.choice(vocab.connectors))
    closer = ctx.fill(rng.choice(vocab.closers)) if rng.random() < 0.3 else ""
    low, high = DESCRIPTION_LENGTH
    for n in (3, 2, 4, 1):
        for start, end in ((opener, closer), (opener, ""), ("", closer), ("", "")):
            text = start + body + connector + "，".join(filled[:n]) + "。" + end
            if low <= len(text) <= high:
                return text
    text = opener + body + connector + "，".join(filled) + "。" + ctx.fill(vocab.closers[0])
    return text if len(text) <= high else text[: high - 1] + "。"


def _keywords(ctx: RowContext, pool: tuple[str, ...], sub_name: str, title: str, description: str) -> str:
    """Two to five terms: the sub-category's keywords found in the text, an industry word, an acronym."""
    rng, text = ctx.rng, title + description
    present = [k for k in pool if k in text]
    rng.shuffle(present)
    chosen = present[: rng.randint(1, 3)]
    used = [w for slot, w in ctx.chosen.items() if slot in INDUSTRY_KEYWORD_SLOTS and len(w) <= 8 and w in title]
    if used:
        chosen.append(rng.choice(used))
    acronyms = sorted(set(load_vocabulary().acronym.findall(text)) - set(chosen))
    if acronyms and rng.random() < 0.6:
        chosen.append(rng.choice(acronyms))
    for extra in [*present, sub_name, *pool]:
        if len(chosen) >= 2:
            break
        if extra not in chosen:
            chosen.append(extra)
    return "、".join(list(dict.fromkeys(chosen))[:5])


def _domains(ctx: RowContext, options: tuple[str, ...], taxonomy: Taxonomy, text: str) -> str:
    """The primary domain, sometimes one or two plausible others; 5G and 标识解析 when the text names them."""
    rng = ctx.rng
    usable = [d for d in options if d in taxonomy.domains] or [next(iter(taxonomy.domains))]
    extras = usable[1:]
    rng.shuffle(extras)
    roll = rng.random()
    chosen = [usable[0], *extras[: 2 if roll < 0.15 else 1 if roll < 0.6 else 0]]
    for code, marker in (("5G", "5G"), ("ID", "标识")):
        if marker in text and code in taxonomy.domains and code not in chosen and len(chosen) < 3:
            chosen.append(code)
    return "、".join(chosen)


# ---------------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------------
def _subcategory_weights(industry: str, taxonomy: Taxonomy) -> dict[str, float]:
    vocab = load_vocabulary()
    affinity = vocab.industry_affinity.get(industry, {})
    weights = vocab.subcategory_weights
    return {code: weights.get(code, 1.0) * affinity.get(code, 1.0) for code in taxonomy.subcategories}


def _plans(
    rng: random.Random, count: int, organizations: list[Organization], taxonomy: Taxonomy
) -> list[tuple[Organization, str]]:
    """(organization, sub-category) pairs in random order.

    First one pair per district, per sub-category and per industry (so that a list of a few hundred
    covers the whole taxonomy), then pairs drawn by industry and sub-category weight.
    """
    by_industry = {code: [o for o in organizations if o.industry == code] for code in taxonomy.industries}
    industry_weights = {
        code: load_vocabulary().industries.get(code, {}).get("weight", 5)
        for code in taxonomy.industries
        if by_industry[code]
    }
    sub_weights = {code: _subcategory_weights(code, taxonomy) for code in industry_weights}
    sub_draw = {code: Weighted(weights) for code, weights in sub_weights.items()}
    org_draw = {code: Weighted({o: o.weight for o in orgs}) for code, orgs in by_industry.items() if orgs}
    industry_draw = Weighted(industry_weights)

    def organization_in(industry: str) -> Organization:
        return org_draw[industry].draw(rng)

    def subcategory_for(industry: str) -> str:
        return sub_draw[industry].draw(rng)

    plans = []
    for district in taxonomy.districts:
        here = [o for o in organizations if o.district == district]
        if here:
            organization = rng.choice(here)
            plans.append((organization, subcategory_for(organization.industry)))
    for sub in taxonomy.subcategories:
        fitting = {i: w * sub_weights[i][sub] for i, w in industry_weights.items() if sub_weights[i][sub] > 0}
        plans.append((organization_in(_weighted(rng, fitting or industry_weights)), sub))
    for industry in industry_weights:
        plans.append((organization_in(industry), subcategory_for(industry)))
    plans = plans[:count]
    while len(plans) < count:
        industry = industry_draw.draw(rng)
        plans.append((organization_in(industry), subcategory_for(industry)))
    rng.shuffle(plans)
    return plans


def _batch_sizes(count: int) -> list[int]:
    return [count // len(BATCHES) + (1 if i < count % len(BATCHES) else 0) for i in range(len(BATCHES))]


def generate_rows(count: int = 3000, seed: int = 2022) -> list[dict[str, str]]:
    """`count` demo scenarios in import format, a third per yearly batch; the same seed gives the same rows."""
    rng = random.Random(seed)
    taxonomy = load_taxonomy()
    organizations = make_organizations(rng, taxonomy)
    plans = _plans(rng, count, organizations, taxonomy)
    years = [year for (_, year), size in zip(BATCHES, _batch_sizes(count), strict=True) for _ in range(size)]
    batch_names = {year: name for name, year in BATCHES}
    numbers: dict[int, int] = {}
    seen_titles: set[str] = set()
    vocabulary = load_vocabulary()
    rows = []
    for (organization, sub), year in zip(plans, years, strict=True):
        category, sub_name = taxonomy.subcategories[sub]
        vocab = vocabulary.subcategories.get(sub, vocabulary.generic_subcategory)
        names = {"ind": taxonomy.industries[organization.industry], "subname": sub_name}
        for _ in range(TITLE_ATTEMPTS):
            ctx = RowContext(rng, organization, vocab.get("slots", {}), names)
            variant = rng.choice(_variants(sub, organization.industry, organization.words["sector"][0]))
            title = ctx.fill(rng.choice(variant.titles))
            if title not in seen_titles:
                break
        seen_titles.add(title)
        description = _description(ctx, sub, variant, vocab["r"])
        numbers[year] = numbers.get(year, 0) + 1
        rows.append(
            {
                "code": f"QD-{year}-{numbers[year]:04d}",
                "title": title,
                "industry": organization.industry,
                "domain": _domains(ctx, _words(vocab["domains"]), taxonomy, title + description),
                "category": category,
                "subcategory": sub,
                "description": description,
                "organization": organization.name,
                "district": organization.district,
                "keywords": _keywords(ctx, _words(vocab["k"]), sub_name, title, description),
                "batch": batch_names[year],
                "year": str(year),
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------
def _table(rows: list[dict[str, str]]) -> list[list[str]]:
    return [[zh for _, zh in COLUMN_HEADERS]] + [[row[key] for key, _ in COLUMN_HEADERS] for row in rows]


def write_workbook(rows: list[dict[str, str]], path: str | Path) -> None:
    """An .xlsx with the Chinese headers (场景编号 … 关键词), one row per scenario."""
    workbook = Workbook()
    sheet = cast(Worksheet, workbook.active)  # a new workbook's one sheet (the types allow none, or a chart sheet)
    sheet.title = "场景清单"
    for values in _table(rows):
        sheet.append(values)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJ", (14, 40, 8, 14, 8, 8, 80, 36, 8, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    workbook.save(path)


def write_csv(rows: list[dict[str, str]], path: str | Path, encoding: str = "utf-8-sig") -> None:
    """A .csv with the same headers; the import reads UTF-8 (with or without BOM) and GB18030."""
    with open(path, "w", encoding=encoding, newline="") as stream:
        csv.writer(stream).writerows(_table(rows))


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Write the demo scenario list to .xlsx or .csv.")
    parser.add_argument("path", type=Path)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--encoding", default="utf-8-sig", help="for .csv only (utf-8-sig, gb18030)")
    args = parser.parse_args(argv)
    rows = generate_rows(args.count, args.seed)
    if args.path.suffix.lower() == ".csv":
        write_csv(rows, args.path, args.encoding)
    else:
        write_workbook(rows, args.path)
    print(f"{len(rows)} demo scenarios written to {args.path}")


if __name__ == "__main__":
    main()
