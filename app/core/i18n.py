"""Locale selection: the visitor's remembered choice, else Simplified Chinese."""

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations


def select_locale() -> str:
    choice = request.cookies.get("lang", "") if has_request_context() else ""
    if choice in current_app.config["LANGUAGES"]:
        return choice
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale().language)


def install_template_gettext(app: Flask) -> None:
    """Templates' `_()` look the request's translations up once per request, not once per string
    (Flask-Babel's own callables find its context three times for each of the layout's dozens)."""

    def translations():
        found = g.get("_template_translations")
        if found is None or found[0] is not get_locale():
            found = g._template_translations = (get_locale(), get_translations())
        return found[1]

    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
