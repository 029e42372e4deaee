"""Data named in both languages (app/core/bilingual.py): the English text in English mode, the
Chinese text otherwise or where no English one is given; the seeds fill only empty English names."""

from contextlib import contextmanager
from types import SimpleNamespace

from flask import render_template_string
from flask_babel import refresh

from app.core.bilingual import fill_english, localized
from app.core.i18n import current_language
from app.extensions import db
from app.taxonomy.models import District


@contextmanager
def request(app, *args, **kwargs):
    """A request of its own (the tests' app context would keep the previous one's language)."""
    with app.test_request_context(*args, **kwargs):
        refresh()
        yield


def record(**values) -> SimpleNamespace:
    return SimpleNamespace(**{"name": "家", "name_en": "firms", "unit": "个", "unit_en": "", **values})


def test_english_mode_shows_the_english_text_and_falls_back_to_the_chinese_one(app):
    with request(app, headers={"Cookie": "lang=en"}):
        assert (localized(record()), localized(record(), "unit")) == ("firms", "个")
    with request(app):
        assert localized(record()) == "家"


def test_an_explicit_language_wins_and_no_record_is_empty(app):
    with request(app):
        assert localized(record(), locale="en") == "firms"
        assert localized(None) == ""


def test_outside_a_request_the_default_language_is_used(app):
    assert current_language() == "zh"
    assert District(name="市南区", name_en="Shinan District").display_name() == "市南区"


def test_the_template_filter_follows_the_visitors_language(app):
    district = db.session.scalar(db.select(District).where(District.code == "SN"))
    template = "{{ d|localized }} / {{ [d, d]|map('localized')|join('、') }}"
    with request(app, headers={"Cookie": "lang=en"}):
        assert (
            render_template_string(template, d=district)
            == f"{district.name_en} / {district.name_en}、{district.name_en}"
        )
    with request(app):
        assert render_template_string(template, d=district) == f"{district.name} / {district.name}、{district.name}"


def test_fill_english_fills_only_empty_english_texts():
    kept, empty = record(name_en="Firms (admin)"), record(name_en="")
    assert fill_english(kept, name_en="firms") is False and kept.name_en == "Firms (admin)"
    assert fill_english(empty, name_en="firms", unit_en="") is True
    assert (empty.name_en, empty.unit_en) == ("firms", "")


def test_the_api_takes_its_language_from_the_query_or_accept_language_and_pages_from_the_cookie(app):
    with request(app, "/api/v1/taxonomy?lang=en", headers={"Accept-Language": "zh"}):
        assert current_language() == "en"
    with request(app, "/api/v1/taxonomy", headers={"Accept-Language": "en-GB,en;q=0.8"}):
        assert current_language() == "en"
    with request(app, "/stats/public", headers={"Accept-Language": "en"}):
        assert current_language() == "zh"
