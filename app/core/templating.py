"""Template filters and the language context every page needs."""
from flask import Flask, request
from flask_babel import format_datetime, get_locale

from app.core.forms import ConfirmForm
from app.core.pagination import page_url
from app.core.querystring import replace_url, selected, toggle_url


def taxonomy_label(entry) -> str:
    if entry is None:
        return ""
    return entry.display_name(str(get_locale().language))


def local_datetime(value, format: str = "yyyy-MM-dd HH:mm") -> str:
    return format_datetime(value, format) if value else ""


def init_templating(app: Flask) -> None:
    app.jinja_env.globals.update(confirm_form=ConfirmForm, page_url=page_url, toggle_url=toggle_url,
                                  replace_url=replace_url, selected=selected)
    app.jinja_env.filters.update(taxonomy=taxonomy_label, datetime=local_datetime)

    @app.context_processor
    def language_context():
        return {
            "current_language": str(get_locale().language),
            "languages": app.config["LANGUAGES"],
            "current_path": request.full_path.rstrip("?"),
        }
