"""One-line text fields: no line breaks, control characters or bidi overrides get stored, since
names and titles end up in mail headers, exports and other people's screens."""

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

from app.accounts.models import Organization, OrgKind, SiteRole, User
from app.core.forms import LineField
from app.events.models import Event
from app.extensions import db
from app.needs.models import Need
from app.pilots.models import PilotApplication
from app.search.models import SavedSearch
from app.solutions.models import Solution
from tests.accounts.test_organizations import org_form
from tests.needs.test_needs import form_data as need_form
from tests.solutions.test_solutions import form_data as solution_form

MESSAGE = "不能包含换行或控制字符"
INJECTION = "x\r\nBcc: evil@example.com"
#: Characters that break a line, control a terminal or reorder what is displayed.
REFUSED = ["\r\n", "\n", "\r", "\x00", "\x1b", "\x85", "\u2028", "\u202e", "\u2066"]


def _all_forms(cls=FlaskForm):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_forms(sub)


def test_every_one_line_text_field_is_a_line_field(app):
    multi_line_or_hidden = (TextAreaField, PasswordField, HiddenField)
    plain = [
        f"{form.__module__}.{form.__qualname__}.{name}"
        for form in _all_forms()
        if form.__module__.startswith("app.")
        for name in dir(form)
        if isinstance(field := getattr(form, name), UnboundField)
        and issubclass(field.field_class, StringField)
        and not issubclass(field.field_class, (LineField, *multi_line_or_hidden))
    ]
    assert plain == []


class _Form(FlaskForm):
    class Meta:
        csrf = False

    name = LineField("name")


@pytest.mark.parametrize("character", REFUSED)
def test_a_line_field_refuses_control_and_bidi_characters(app, character):
    with app.test_request_context(method="POST", data={"name": f"报告{character}exe.pdf"}):
        form = _Form()
        assert not form.validate()
        assert any(MESSAGE in str(error) for error in form.name.errors)


def test_a_line_field_keeps_ordinary_text_without_surrounding_whitespace(app):
    with app.test_request_context(method="POST", data={"name": "  青岛·海尔（Haier）“卡奥斯”\r\n"}):
        form = _Form()
        assert form.validate(), form.errors
        assert form.name.data == "青岛·海尔（Haier）“卡奥斯”"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _registration(make_user, make_org, login, make_pilot_call):
    data = {
        "email": "new@example.com",
        "display_name": "新用户",
        "password": "Qingdao-factory-2026",
        "confirm": "Qingdao-factory-2026",
        "consent": "y",
    }
    return "/register", data, User


def _organization(make_user, make_org, login, make_pilot_call):
    login(make_user())
    return "/orgs/new", org_form(), Organization


def _need(make_user, make_org, login, make_pilot_call):
    user = make_user()
    make_org(owner=user)
    login(user)
    return "/needs/new", need_form(), Need


def _solution(make_user, make_org, login, make_pilot_call):
    user = make_user()
    make_org(owner=user, kind=OrgKind.PROVIDER)
    login(user)
    return "/solutions/new", solution_form(), Solution


def _saved_search(make_user, make_org, login, make_pilot_call):
    login(make_user())
    return "/saved-searches/new", {"doc_type": "need", "query": "q=设备联网", "name": "设备联网"}, SavedSearch


def _pilot_application(make_user, make_org, login, make_pilot_call):
    call = make_pilot_call(make_user(role=SiteRole.ADMIN))
    user = make_user()
    make_org(owner=user)
    login(user)
    data = {
        "project_name": "产线数字孪生",
        "mode_id": str(call.modes[0].id),
        "description": "数字孪生。",
        "investment": "50",
        "expected_results": "效率提升",
    }
    return f"/pilots/{call.id}/apply", data, PilotApplication


def _event(make_user, make_org, login, make_pilot_call):
    login(make_user(role=SiteRole.ADMIN))
    data = {
        "kind": "forum",
        "title": "2026 产融对接会",
        "description": "银行与企业一对一洽谈。",
        "venue": "青岛国际会议中心",
        "starts_at": "2026-12-18T09:00",
        "ends_at": "2026-12-18T17:00",
        "registration_opens_at": "2026-11-01T09:00",
        "registration_closes_at": "2026-12-17T18:00",
        "capacity": "100",
        "slot_minutes": "20",
        "request_limit": "10",
    }
    return "/admin/events/new", data, Event


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (_registration, "display_name"),
        (_organization, "name"),
        (_organization, "contact_person"),
        (_organization, "website"),
        (_need, "title"),
        (_need, "contact_person"),
        (_solution, "title"),
        (_solution, "summary"),
        (_saved_search, "name"),
        (_pilot_application, "project_name"),
        (_event, "title"),
        (_event, "venue"),
    ],
)
def test_forms_refuse_a_line_break_in_a_one_line_field(
    client, make_user, make_org, login, make_pilot_call, form, field
):
    url, data, model = form(make_user, make_org, login, make_pilot_call)
    before = _count(model)
    bad = {**data, field: f"https://example.com/{INJECTION}" if field == "website" else f"{data[field]}{INJECTION}"}
    response = client.post_form(url, bad, follow_redirects=True)
    assert MESSAGE in response.get_data(as_text=True)
    assert _count(model) == before
    client.post_form(url, data)
    assert _count(model) == before + 1  # the same form without the line break is stored
