"""Locale selection: the visitor's remembered choice, else Simplified Chinese."""

from flask import current_app, has_request_context, request
from flask_babel import get_locale


def select_locale() -> str:
    choice = request.cookies.get("lang", "") if has_request_context() else ""
    if choice in current_app.config["LANGUAGES"]:
        return choice
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale().language)
