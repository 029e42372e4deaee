"""Locale selection: the visitor's remembered choice, else Simplified Chinese. The open-data API
(`/api/…`) is read by programs, which hold no cookie: it takes `?lang=` or `Accept-Language`."""

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations


def select_locale() -> str:
    languages, default = current_app.config["LANGUAGES"], current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    if request.blueprint == "api":
        asked = request.args.get("lang", "")
        return asked if asked in languages else request.accept_languages.best_match(languages, default)
    choice = request.cookies.get("lang", "")
    return choice if choice in languages else default


def current_language() -> str:
    """The request's language; outside an app context (scripts), Simplified Chinese."""
    locale = get_locale()
    return str(locale.language) if locale else "zh"


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
