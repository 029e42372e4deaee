"""Template filters and the language context every page needs."""

from flask import Blueprint, Flask, request
from flask_babel import format_date, format_datetime, format_decimal
from markupsafe import Markup, escape

from app.core.bilingual import localized
from app.core.files import LABELS_BY_MIMETYPE, format_size
from app.core.forms import ConfirmForm
from app.core.i18n import current_language
from app.core.links import external_url
from app.core.pagination import page_url
from app.core.querystring import replace_url, selected, toggle_url


def add_app_template_values(bp: Blueprint, **values: object) -> None:
    """Jinja globals for every template that are values, such as label tables: what
    `bp.add_app_template_global` does for functions (Flask types it for functions only)."""
    bp.record_once(lambda state: state.app.jinja_env.globals.update(values))


def user_text(value) -> Markup:
    """Text members wrote (names, titles, descriptions), or data imported as it came: shown in
    whatever language it was written in. The marker is the `data-user-text` attribute, which
    tests/test_english_mode.py skips: put it on an element that holds nothing else
    (`<h1 data-user-text>{{ need.title }}</h1>`), or let this filter wrap text that sits among
    translated words in a span of its own (`{{ _('由 %(org)s 发布', org=org.name|user_text) }}`).
    Escaped, as any value; never `|safe`."""
    return Markup("<span data-user-text>%s</span>") % escape(value if value is not None else "")


def local_datetime(value, format: str = "yyyy-MM-dd HH:mm") -> str:
    return format_datetime(value, format) if value else ""


def local_date(value, format: str = "yyyy-MM-dd") -> str:
    return format_date(value, format) if value else ""


def number(value) -> str:
    """50,000 or 12.5 in the visitor's locale; no trailing zeros."""
    return format_decimal(value if value is not None else 0, format="#,##0.##")


def init_templating(app: Flask) -> None:
    app.jinja_env.globals.update(
        confirm_form=ConfirmForm,
        external_url=external_url,
        page_url=page_url,
        toggle_url=toggle_url,
        replace_url=replace_url,
        selected=selected,
    )
    app.jinja_env.filters.update(
        localized=localized,
        user_text=user_text,
        datetime=local_datetime,
        date=local_date,
        number=number,
        filesize=format_size,
        file_label=LABELS_BY_MIMETYPE.get,
    )

    @app.context_processor
    def language_context():
        return {
            "current_language": current_language(),
            "languages": app.config["LANGUAGES"],
            "current_path": request.full_path.rstrip("?"),
        }
