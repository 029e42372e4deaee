"""English mode: every page of the role table (tests/test_permissions.py) that a role can open,
rendered in English for that role in the shared world (tests/world.py), shows no Chinese outside
user-written content.

User-written content is what templates mark with the `data-user-text` attribute (directly on an
element, or through the `|user_text` filter, app/core/templating.py); an element in another
language says so with `lang` (the language switch's "中文"). Form fields show what members typed.
A page's <title>, its sharing card and its chart data may repeat marked user text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence

import lxml.html
import pytest

from app.extensions import db
from app.notifications.models import Topic
from app.notifications.services import notify
from tests.test_permissions import READS, ROLES, fresh_client

CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

#: Attributes that are read out or shown: they must be in the page's language.
SHOWN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt", "aria-description", "data-bs-title")

#: Chinese that belongs on an English page: examples of what to type where the content is Chinese.
CHINESE_BY_DESIGN = {
    "预测性维护": "search box example: the scenarios, needs and solutions are written in Chinese",
    "设备联网": "search box example, as above",
    "鲁ICP备12345678号-1": "example of a Chinese ICP filing number (admin settings)",
    "鲁公网安备 37020202000001号": "example of a Chinese public-security filing number (admin settings)",
    "已注销用户": "the name a deleted account is shown under, quoted in the account-deletion notice",
    "诊断咨询": "enablement kind as the import spreadsheet may write it",
    "培训": "enablement kind as the import spreadsheet may write it",
}

#: The import preview repeats the spreadsheet's own column names, as written in the file.
IMPORT_COLUMNS = ("企业", "备注", "日期", "服务商", "证明材料", "赋能类型", "项目或活动")


def _allowed_fragments(path: str) -> list[str]:
    fragments = [*CHINESE_BY_DESIGN, *(IMPORT_COLUMNS if path == "/stats/import" else ())]
    return sorted(fragments, key=len, reverse=True)


def _user_texts(tree) -> list[str]:
    texts = set()
    for element in tree.xpath("//*[@data-user-text]"):
        for text in element.itertext():
            if text.strip():
                texts.add(text.strip())
        for attribute in element.iter():
            texts.update(value.strip() for value in attribute.attrib.values() if value.strip())
    return sorted(texts, key=len, reverse=True)


def _without(text: str, fragments: Sequence[str]) -> str:
    for fragment in fragments:
        text = text.replace(fragment, "")
    return text


def _json_strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def chinese_left(html: str, allowed: Sequence[str] = ()) -> list[str]:
    """Each piece of the page (text, shown attribute, chart datum) that holds Chinese outside marked user
    text and the `allowed` fragments. A title, an option, a meta tag, an attribute and chart data may
    repeat user text marked elsewhere on the page."""
    tree = lxml.html.document_fromstring(html)
    user_texts = _user_texts(tree)
    for element in tree.xpath("//*[@data-user-text] | //body//*[@lang and not(starts-with(@lang, 'en'))]"):
        element.drop_tree()
    plain, repeating = [], []
    for element in tree.iter():
        if not isinstance(element.tag, str):  # comments
            continue
        if element.tag == "script":
            if element.get("type") == "application/json" and element.text:
                repeating += _json_strings(json.loads(element.text))
            continue
        if element.tag in ("title", "option"):
            repeating.append(element.text_content())
            continue
        if element.tag == "meta":
            repeating.append(element.get("content", ""))
            continue
        if element.tag not in ("textarea", "style"):
            plain.append(element.text or "")
        plain.append(element.tail or "")
        repeating += [element.get(name, "") for name in SHOWN_ATTRIBUTES]

    def left(piece: str, others: Sequence[str]) -> bool:
        # an allowed fragment may hold user text (a search example holds the query), or the other way round
        return all(
            CJK.search(_without(_without(piece, first), then)) for first, then in ((allowed, others), (others, allowed))
        )

    found = [piece for piece in plain if left(piece, ())] + [piece for piece in repeating if left(piece, user_texts)]
    return sorted({piece.strip() for piece in found})


def english_client(app, user):
    client = fresh_client(app, user)
    response = client.post_form("/language", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def test_the_check_finds_unmarked_chinese_and_skips_marked_user_text():
    page = """<html lang="en"><head><title>山东工厂 · Gongfu Hub</title></head><body>
      <h1 data-user-text>山东工厂</h1><p>Need by <span data-user-text>某公司</span>, 预算 10</p>
      <button lang="zh-CN">中文</button><input placeholder="搜索"><textarea>我写的</textarea>
      <script type="application/json">{"labels": ["山东工厂", "行业"]}</script></body></html>"""
    assert chinese_left(page) == ["Need by , 预算 10", "搜索", "行业"]


#: (path, role) for each page of the role table and each role that may open it.
PAGES = [(path, role) for _endpoint, _method, path, expected in READS for role in ROLES if expected[role] == 200]


def test_every_page_is_english_outside_user_text(app, world):
    users, ids = world
    leftovers = {}
    html_pages = 0
    for role in ROLES:
        client = english_client(app, users[role])
        for path, page_role in PAGES:
            if page_role != role:
                continue
            url = path.format(**ids)
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            if response.mimetype != "text/html":
                continue
            html_pages += 1
            page = response.get_data(as_text=True)
            assert '<html lang="en">' in page, (role, url)
            left = chinese_left(page, _allowed_fragments(url))
            if left:
                leftovers[f"{role} {url}"] = left
    assert html_pages > 80
    assert leftovers == {}


@pytest.mark.parametrize("count", [1, 3])
def test_the_scenario_list_counts_in_english_plurals(app, client, make_batch, make_scenario, count):
    batch = make_batch()
    for _ in range(count):
        make_scenario(batch=batch)
    client.post_form("/language", {"language": "en", "next": "/"})
    page = client.get("/scenarios/").get_data(as_text=True)
    counted = lxml.html.document_fromstring(page).xpath("//*[@data-test='result-count']")[0].text_content()
    assert counted == ("1 scenario" if count == 1 else f"{count} scenarios")


@pytest.mark.parametrize("days", [1, 3])
def test_a_deployment_time_counts_days_in_english(app, client, make_user, make_org, make_solution, days):
    owner = make_user()
    solution = make_solution(make_org(owner=owner), owner, plug_and_play=True, deployment_days=days)
    client.post_form("/language", {"language": "en", "next": "/"})
    page = client.get(f"/solutions/{solution.id}").get_data(as_text=True)
    assert ("1 day" if days == 1 else f"{days} days") in page
    assert "1 days" not in page


@pytest.mark.parametrize("count", [1, 3])
def test_marking_the_inbox_read_counts_messages_in_english(app, client, login, make_user, count):
    user = make_user()
    for _ in range(count):
        notify([user], Topic.STATE, "对接状态变化", "inbox.index")
    db.session.commit()
    login(user)
    client.post_form("/language", {"language": "en", "next": "/"})
    page = client.post_form("/inbox/read", follow_redirects=True).get_data(as_text=True)
    assert ("Marked 1 message as read." if count == 1 else f"Marked {count} messages as read.") in page
